import type { NotDoneCommand, Notice } from '../../ports/replies.ts';
import { disputeNote } from './investigation.ts';

/** Why a command was not carried out, in the words of the command the person gave. */
const NOT_DONE: Record<NotDoneCommand, (reason: string) => string> = {
  'status.set': (reason) => `Status not set: ${reason}`,
  'case.open': (reason) => `Case not opened: ${reason}`,
  'case.escalate': (reason) => `Not escalated: ${reason}`,
  'case.status': (reason) => `Case status not changed: ${reason}`,
  'case.close': (reason) => `Case not closed: ${reason}`,
  'case.comment': (reason) => `Not posted to the case: ${reason}`,
  'case.agentFeedback': (reason) => `Feedback not sent: ${reason}`,
  'principal.answer': (reason) => `Answer not taken: ${reason}.`,
  'remediation.request': (reason) => `Remediation not run: ${reason}`,
  'remediation.approve': (reason) => `Not done: ${reason}.`,
  'remediation.reject': (reason) => `Not done: ${reason}.`,
  'remediation.undo': (reason) => `Not done: ${reason}.`,
  acknowledge: (reason) => `Not acknowledged: ${reason}.`,
  'snooze.create': (reason) => `Not snoozed: ${reason}.`,
  'snooze.cancel': (reason) => `Snooze not cancelled: ${reason}.`,
};

/** A private notice as the text the person reads (escaped when sent). */
export function noticeText(notice: Notice): string {
  switch (notice.kind) {
    case 'not-done':
      return NOT_DONE[notice.command](notice.reason);
    case 'snooze-cancelled':
      return notice.already ? `The snooze ${notice.snoozeId} had already ended.` : `Snooze ${notice.snoozeId} cancelled.`;
    case 'already-requested':
      return `This remediation was already requested (${notice.state.replace('_', ' ')}).`;
    case 'answer-refused':
      return `Not allowed: ${notice.reason}.`;
    case 'answer-invalid':
      return `Not taken: ${notice.reason}`;
    case 'answer-disputed':
      return disputeNote(notice.disputed);
  }
}
