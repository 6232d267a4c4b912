import type { Preview } from '../actions/remediations.ts';
import type { Disagreement } from '../domain/investigation/answer-book.ts';

/** Where a person acted: their private answers go there (a thread, or the channel). */
export interface ReplyTo {
  channel?: string | undefined;
  threadTs?: string | undefined;
  user: string;
}

/** Commands whose refusal or failure the person is told about, each in its own words. */
export type NotDoneCommand =
  | 'status.set'
  | 'case.open'
  | 'case.escalate'
  | 'case.status'
  | 'case.close'
  | 'case.comment'
  | 'case.agentFeedback'
  | 'principal.answer'
  | 'remediation.request'
  | 'remediation.approve'
  | 'remediation.reject'
  | 'remediation.undo'
  | 'acknowledge'
  | 'snooze.create'
  | 'snooze.cancel';

/** What one person must hear about a command they gave, as data; the Slack adapter words it. */
export type Notice =
  /** The command was refused or failed: why. */
  | { kind: 'not-done'; command: NotDoneCommand; reason: string }
  /** A snooze cancelled (from App Home, where nothing else shows it), or found already ended. */
  | { kind: 'snooze-cancelled'; snoozeId: string; already: boolean }
  /** A remediation asked for again: the request already made, in the state it is in. */
  | { kind: 'already-requested'; state: string }
  /** An investigation answer (or Investigate now) not taken: not theirs to give, or not readable. */
  | { kind: 'answer-refused'; reason: string }
  | { kind: 'answer-invalid'; reason: string }
  /** An answer that differs from what is known: added beside it, not put in its place. */
  | { kind: 'answer-disputed'; disputed: Disagreement[] };

/** The remediation preview a click asked for, or why it cannot run, for the modal opened at the click. */
export interface RemediationPreviewReply {
  /** The opened modal, and its hash then: a modal the person closed or that changed meanwhile is left alone. */
  viewId: string;
  hash?: string | undefined;
  /** The offer the modal's submission will name. */
  offerId: string;
  preview: Preview | { error: string };
}

/** Answers to one person: private notices where they acted, and the modal a click opened. */
export interface Replies {
  tellPrivately(replyTo: ReplyTo, notice: Notice): Promise<void>;
  showRemediationPreview(reply: RemediationPreviewReply): Promise<void>;
}
