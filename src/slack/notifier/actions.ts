import { cirtProposalKey, mentionPostKey, snoozeEndedKey } from '../../delivery/post-keys.ts';
import type { ActionNotices, CaseCommentShown, MessagePlace, RemediationShown } from '../../ports/notices/actions.ts';
import type { SlackPoster } from '../poster.ts';
import { SlackPostError } from '../slack-errors.ts';
import { agentActionCut, agentActionMessage, agentFeedbackMessage } from '../views/agent.ts';
import { principalAnsweredMessage, principalQuestionClosedMessage, principalQuestionMessage } from '../views/principal.ts';
import { snoozeCreatedMessage, snoozeEndedMessage } from '../views/snooze.ts';
import { noticeFailure } from './delivery.ts';
import { caseEventMessage, caseOpenedMessage } from '../views/case.ts';
import { caseChangedElsewhereMessage, caseCommentMessage, caseCommentPostedMessage, customActionMessage } from '../views/case-sync.ts';
import {
  acknowledgedElsewhereMessage,
  acknowledgedMessage,
  autoCaseMessage,
  cirtProposalMessage,
  cirtProposalSettledMessage,
  escalationMentionMessage,
} from '../views/escalation.ts';
import { approvalMessage, remediationResultMessage } from '../views/remediation.ts';
import { statusResultMessage } from '../views/status.ts';

/**
 * The action use cases' notices as thread messages: each event drawn by its view and
 * posted (or edited in place) through the poster, whose pacing and retries apply.
 */
export class SlackActionNotices implements ActionNotices {
  constructor(private readonly poster: SlackPoster) {}

  async statusSet(e: Parameters<ActionNotices['statusSet']>[0]): Promise<void> {
    const message = statusResultMessage({ status: e.status, note: e.note, userId: e.by, calls: e.calls, error: e.error, unprocessed: e.unprocessed });
    await this.poster.post(e.thread.channel, message, e.thread.threadTs);
  }

  caseOpened(e: Parameters<ActionNotices['caseOpened']>[0]): Promise<MessagePlace> {
    return this.poster.post(e.thread.channel, caseOpenedMessage(e.case, e.caseUrl, e.openedBy, e.comments), e.thread.threadTs);
  }

  caseOpenedRedrawn(e: Parameters<ActionNotices['caseOpenedRedrawn']>[0]): Promise<void> {
    return this.poster.update(e.message.channel, e.message.ts, caseOpenedMessage(e.case, e.caseUrl, e.openedBy, e.comments));
  }

  async caseChanged(e: Parameters<ActionNotices['caseChanged']>[0]): Promise<void> {
    await this.poster.post(e.thread.channel, caseEventMessage(e.case, e.caseUrl, e.by, e.change), e.thread.threadTs);
  }

  // The case's own events may come twice, or two at once: each of these posts is keyed, looked for before it is sent.
  async caseChangedElsewhere(e: Parameters<ActionNotices['caseChangedElsewhere']>[0]): Promise<void> {
    const message = caseChangedElsewhereMessage(e.case, e.caseUrl, e.by, e.changes);
    await this.poster.postOnce(e.thread.channel, message, { key: e.key, threadTs: e.thread.threadTs, mayExist: true, since: e.since });
  }

  async caseCommentShown(e: CaseCommentShown): Promise<void> {
    await this.poster.postOnce(e.thread.channel, caseCommentMessage(e), { key: e.key, threadTs: e.thread.threadTs, mayExist: true });
  }

  async principalAsked(e: Parameters<ActionNotices['principalAsked']>[0]): Promise<MessagePlace> {
    const dm = await this.poster.openDirect(e.user);
    const message = principalQuestionMessage({
      checkId: e.checkId,
      principal: e.principal,
      activity: e.activity,
      findingTitle: e.finding.title,
      waitSeconds: e.waitSeconds,
    });
    return this.poster.post(dm, message);
  }

  async principalAnswered(e: Parameters<ActionNotices['principalAnswered']>[0]): Promise<void> {
    await this.poster.post(e.thread.channel, principalAnsweredMessage(e), e.thread.threadTs);
  }

  async principalQuestionClosed(e: Parameters<ActionNotices['principalQuestionClosed']>[0]): Promise<void> {
    await this.poster.update(e.dm.channel, e.dm.ts, principalQuestionClosedMessage(e.answer));
  }

  async customActionTaken(e: Parameters<ActionNotices['customActionTaken']>[0]): Promise<void> {
    await this.poster.post(e.thread.channel, customActionMessage(e.actionName, e.doing, e.caseOffer), e.thread.threadTs);
  }

  async agentActionShown(e: Parameters<ActionNotices['agentActionShown']>[0]): Promise<void> {
    // Looked for first: shown already (a later poll, a retried event), neither the message nor its file goes again.
    if (await this.poster.findPost(e.thread.channel, { key: e.key, threadTs: e.thread.threadTs })) return;
    const message = agentActionMessage(e.caseId, e.caseUrl, e.action);
    await this.poster.postOnce(e.thread.channel, message, { key: e.key, threadTs: e.thread.threadTs, mayExist: false });
    // Longer than its message shows: the whole text, as the agent wrote it, beside it (a file is text, never formatted).
    if (agentActionCut(e.action)) {
      const name = `agent-${e.action.actionType.toLowerCase()}-${e.action.investigationId}.md`;
      await this.poster.upload(e.thread.channel, e.thread.threadTs, [{ filename: name, content: e.action.content }], 'The whole of it, as the agent wrote it.');
    }
  }

  async agentFeedbackGiven(e: Parameters<ActionNotices['agentFeedbackGiven']>[0]): Promise<void> {
    await this.poster.post(e.thread.channel, agentFeedbackMessage(e.caseId, e.resultId, e.usefulness, e.by), e.thread.threadTs);
  }

  async caseCommentPosted(e: Parameters<ActionNotices['caseCommentPosted']>[0]): Promise<void> {
    const message = caseCommentPostedMessage(e.caseId, e.caseUrl, e.commentId, e.by, e.attached);
    await this.poster.postOnce(e.thread.channel, message, { key: e.key, threadTs: e.thread.threadTs, mayExist: true });
  }

  remediationAwaitingApproval(e: Parameters<ActionNotices['remediationAwaitingApproval']>[0]): Promise<MessagePlace> {
    return this.poster.post(e.thread.channel, approvalMessage(e.actionId, e.remediation, e, e.requestedBy), e.thread.threadTs);
  }

  remediationRejected(e: RemediationShown): Promise<MessagePlace> {
    return this.showRemediation(e);
  }

  remediationExecuted(e: RemediationShown): Promise<MessagePlace> {
    return this.showRemediation(e);
  }

  remediationUndone(e: RemediationShown): Promise<MessagePlace> {
    return this.showRemediation(e);
  }

  /** One message per request shows where it stands: the approval request edited in place, or a result posted in the thread. */
  private async showRemediation(e: RemediationShown): Promise<MessagePlace> {
    const message = remediationResultMessage(e);
    if (!e.message) return this.poster.post(e.thread.channel, message, e.thread.threadTs);
    await this.poster.update(e.message.channel, e.message.ts, message);
    return e.message;
  }

  async escalationMentioned(e: Parameters<ActionNotices['escalationMentioned']>[0]): Promise<void> {
    const { channel, threadTs, notify, findingId, since } = e.escalation;
    // Keyed: a step retried (a page that failed after the mention) finds the mention instead of posting it twice.
    await this.poster.postOnce(channel, escalationMentionMessage(notify, e.nextSeconds, e.autoOpenCase), {
      key: mentionPostKey(findingId),
      threadTs,
      mayExist: true,
      since,
    });
  }

  async escalationCirtProposed(e: Parameters<ActionNotices['escalationCirtProposed']>[0]): Promise<void> {
    const { channel, threadTs, notify, findingId, since } = e.escalation;
    // Keyed: a step retried after a lost answer finds the proposal instead of posting it twice, and it can be settled later.
    await this.poster.postOnce(channel, cirtProposalMessage(e.offers, notify), { key: cirtProposalKey(findingId), threadTs, mayExist: true, since });
  }

  async escalationProposalSettled(e: Parameters<ActionNotices['escalationProposalSettled']>[0]): Promise<void> {
    const { channel, threadTs, notify, findingId, since } = e.escalation;
    const found = await this.poster.findPost(channel, { key: cirtProposalKey(findingId), threadTs, since });
    if (found) await this.poster.update(found.channel, found.ts, cirtProposalSettledMessage(notify, e.outcome));
  }

  async escalationCaseNotOpened(e: Parameters<ActionNotices['escalationCaseNotOpened']>[0]): Promise<void> {
    await this.poster.post(e.escalation.channel, autoCaseMessage(e.reason, e.escalation.findingId), e.escalation.threadTs);
  }

  async escalationAcknowledged(e: Parameters<ActionNotices['escalationAcknowledged']>[0]): Promise<void> {
    const message = e.elsewhere ? acknowledgedElsewhereMessage(e.elsewhere) : acknowledgedMessage(e.by);
    await this.poster.post(e.escalation.channel, message, e.escalation.threadTs);
  }

  async snoozeCreated(e: Parameters<ActionNotices['snoozeCreated']>[0]): Promise<void> {
    await this.poster.post(e.place.channel, snoozeCreatedMessage(e.snooze), e.place.threadTs ?? undefined);
  }

  /** Keyed: an announcement retried after a lost answer finds the first; a refusal for good is a permanent NoticeFailed. */
  async snoozeEnded(e: Parameters<ActionNotices['snoozeEnded']>[0]): Promise<void> {
    const message = snoozeEndedMessage(e.snooze, e.held, e.how, e.by);
    try {
      await this.poster.postOnce(e.place.channel, message, {
        key: snoozeEndedKey(e.snooze.id),
        ...(e.place.threadTs ? { threadTs: e.place.threadTs } : {}),
        mayExist: true,
        since: e.snooze.createdAt,
      });
    } catch (err) {
      if (err instanceof SlackPostError) throw noticeFailure(err.failure);
      throw err;
    }
  }
}
