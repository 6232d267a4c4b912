import type { AwsCall } from '../../domain/actions/aws-call.ts';
import type { Snooze } from '../../domain/actions/snooze.ts';
import type { WorkflowStatus } from '../../domain/finding.ts';
import type { Plan, Remediation } from '../../domain/remediation/catalog.ts';
import type { ActionState, CaseRecord } from '../action-store.ts';
import type { CallError, CallOutcome } from '../aws-calls.ts';
import type { Principal, PrincipalAnswer, SeenActivity } from '../../domain/actions/principal-check.ts';
import type { CustomActionDoing } from '../../domain/routing/custom-actions.ts';
import type { AgentAction, AgentUsefulness } from '../security-ir.ts';
import type { MessagePlace } from './place.ts';

export type { MessagePlace };

/** Where an action is told: its finding's (or case's) thread. */
export interface ActionThread {
  channel: string;
  threadTs: string;
}

/** A finding's workflow status was set where the finding lives, or could not be. */
export interface StatusSet {
  thread: ActionThread;
  findingId: string;
  status: WorkflowStatus;
  note: string;
  by: string;
  /** The calls made (or the one that could not be), as made: an earlier lookup's answer already in place. */
  calls: AwsCall[];
  error: CallError | null;
  /** Findings the service did not update, with why (a set that failed without an error). */
  unprocessed: Array<{ id: string; reason: string }>;
}

/** A field of a case that changed where sirbot did not change it (an AWS responder, the console, the service). */
export interface CaseFieldChange {
  field: 'status' | 'resolver' | 'engagement' | 'waiting on';
  from: string | null;
  to: string;
}

/** A comment on a case, as its thread shows it. */
export interface CaseCommentShown {
  thread: ActionThread;
  caseId: string;
  caseUrl: string;
  commentId: string;
  /** Markdown or plain text, as written on the case: untrusted. */
  body: string;
  /** Who wrote it, in words (an AWS responder, an account). */
  author: string;
  /** When it was written or last edited (ISO), if the service says. */
  at: string | null;
  edited: boolean;
  /** Names the post for good: a comment shown (or a reply posted to the case) is never shown twice. */
  key: string;
}

/** "Was this you?": the question in a direct message, and what came of it in the finding's thread. */
export interface PrincipalNotices {
  /** Asks `user` directly; returns where the question is, to close it once answered. */
  principalAsked(e: {
    checkId: string;
    user: string;
    finding: { title: string; account: string };
    principal: Principal;
    activity: SeenActivity;
    thread: ActionThread;
    waitSeconds: number;
  }): Promise<MessagePlace>;
  /** The answer (null: none in time) in the finding's thread, and whether the escalation was hurried. */
  principalAnswered(e: { thread: ActionThread; principal: Principal; user: string; answer: PrincipalAnswer | null; escalated: boolean }): Promise<void>;
  /** The question in the direct message shows the answer taken (or the silence), without its buttons. */
  principalQuestionClosed(e: { dm: MessagePlace; answer: PrincipalAnswer | null }): Promise<void>;
}

/** A Security Hub custom action sent the finding: what sirbot did about it. */
export interface CustomActionNotices {
  /** `caseOffer`: the offer behind an "Open SIR case" button (open-case). */
  customActionTaken(e: { thread: ActionThread; actionName: string; doing: CustomActionDoing; caseOffer?: string }): Promise<void>;
}

/** The investigative agent's work, as its case's thread shows it. */
export interface AgentNotices {
  /** One of the agent's actions settled: shown once per key, with Useful / Not useful for people to say. */
  agentActionShown(e: { thread: ActionThread; caseId: string; caseUrl: string; action: AgentAction; key: string }): Promise<void>;
  /** Someone said whether a result was useful, and the service has it. */
  agentFeedbackGiven(e: { thread: ActionThread; caseId: string; resultId: string; usefulness: AgentUsefulness; by: string }): Promise<void>;
}

/** What changed on a case from Slack. */
export type CaseChange = { kind: 'escalated' } | { kind: 'status'; status: string } | { kind: 'closed' };

/** The message that opened a case, as it is drawn: the case now, who opened it, how many timeline comments it got. */
export interface CaseOpened {
  case: CaseRecord;
  /** The case in the AWS console. */
  caseUrl: string;
  openedBy: string;
  comments: number;
}

/** A remediation request as its thread shows it: where it stands, who asked and decided, what AWS answered. */
export interface RemediationShown {
  thread: ActionThread;
  /** The message already showing the request (edited in place), or null to post one. */
  message: MessagePlace | null;
  actionId: string;
  remediation: Remediation;
  state: ActionState;
  requestedBy: string;
  /** Who approved or rejected it. */
  decidedBy: string | null;
  plan: Plan;
  note: string;
  outcomes: CallOutcome[];
  undoOutcomes: CallOutcome[];
  undoneBy: string | null;
}

/** The escalation of one finding, in its thread. */
export interface EscalationThread extends ActionThread {
  findingId: string;
  /** When the escalation was armed: nothing it posted is older. */
  since: string;
  /** Who is mentioned (configured user and group ids). */
  notify: string[];
}

/** How a CIRT proposal stopped applying. */
/** What settled a CIRT proposal: an acknowledgement, a case, or the finding closed (`closedBy` null: by its source). */
export type ProposalOutcome = { acknowledgedBy: string } | { caseId: string; openedBy: string } | { closedAs: string; closedBy: string | null };

/** What setting a finding's workflow status tells. */
export interface StatusNotices {
  /** The outcome of setting a finding's workflow status. */
  statusSet(e: StatusSet): Promise<void>;
}

/** What the case use cases tell in the finding's thread. */
export interface CaseNotices {
  /** A case was opened on the finding: its message carries the case's controls. */
  caseOpened(e: CaseOpened & { thread: ActionThread }): Promise<MessagePlace>;
  /** The message that opened the case, redrawn as the case is now (only the controls that still apply). */
  caseOpenedRedrawn(e: CaseOpened & { message: MessagePlace }): Promise<void>;
  /** Someone changed the case (escalated it, moved its status, closed it). */
  caseChanged(e: { thread: ActionThread; case: CaseRecord; caseUrl: string; by: string; change: CaseChange }): Promise<void>;
  /**
   * The case changed elsewhere: what the service says changed, and who it says changed it
   * (in words). Keyed by the change: a change told since `since` is not told again.
   */
  caseChangedElsewhere(e: {
    thread: ActionThread;
    case: CaseRecord;
    caseUrl: string;
    by: string;
    changes: CaseFieldChange[];
    key: string;
    since: string;
  }): Promise<void>;
  /** A comment written on the case (by AWS responders, in the console), shown once in the thread. */
  caseCommentShown(e: CaseCommentShown): Promise<void>;
  /** A message of the thread became a case comment: said once, under the comment's key, so it is not shown back. */
  caseCommentPosted(e: {
    thread: ActionThread;
    caseId: string;
    caseUrl: string;
    commentId: string;
    by: string;
    key: string;
    /** The message's files: attached to the case, or not and why. */
    attached: { attached: string[]; failed: Array<{ name: string; reason: string }> };
  }): Promise<void>;
}

/** What a remediation request tells, from the request to its undoing. */
export interface RemediationNotices {
  /** A destructive remediation waits for a second person: the request, with Approve and Reject. */
  remediationAwaitingApproval(e: {
    thread: ActionThread;
    actionId: string;
    remediation: Remediation;
    requestedBy: string;
    plan: Plan;
    note: string;
  }): Promise<MessagePlace>;
  /** The request was rejected (or withdrawn). Returns the message showing it. */
  remediationRejected(e: RemediationShown): Promise<MessagePlace>;
  /** The remediation's calls were made (all, some or none succeeded). Returns the message showing it. */
  remediationExecuted(e: RemediationShown): Promise<MessagePlace>;
  /** The remediation was undone, or undoing it failed. Returns the message showing it. */
  remediationUndone(e: RemediationShown): Promise<MessagePlace>;
}

/** The steps of an on-call escalation, in order: mention, CIRT proposal (or a case opened by rule), acknowledgement. */
export interface EscalationNotices {
  /** Nobody acknowledged in time: the configured people are mentioned, and told what happens next and when. */
  escalationMentioned(e: { escalation: EscalationThread; nextSeconds: number; autoOpenCase: boolean }): Promise<void>;
  /**
   * Still nobody: a case with the AWS CIRT is proposed, its buttons carrying the stored
   * offers. Told once even when retried after a lost answer.
   */
  escalationCirtProposed(e: { escalation: EscalationThread; offers: { caseCirt: string; acknowledge: string } }): Promise<void>;
  /** The proposal no longer applies: it shows what happened instead (left alone if it is gone). */
  escalationProposalSettled(e: { escalation: EscalationThread; outcome: ProposalOutcome }): Promise<void>;
  /** A rule asked for a case with the AWS CIRT and it could not be opened. */
  escalationCaseNotOpened(e: { escalation: EscalationThread; reason: string }): Promise<void>;
  /**
   * Someone took the finding: in Slack (`by` a user id), or in PagerDuty or Opsgenie
   * (`elsewhere` says where and who, as that service names them: text to show, never markup).
   */
  escalationAcknowledged(e: {
    escalation: EscalationThread;
    by: string;
    elsewhere?: { service: string; name: string; how: 'acknowledged' | 'resolved' };
  }): Promise<void>;
}

/** Where a snooze is told: the thread of the finding it was made from, or the channel of the command that made it. */
export interface SnoozePlace {
  channel: string;
  threadTs: string | null;
}

/** A snooze made, and its end: expired (with how many findings it held back) or cancelled. */
export interface SnoozeNotices {
  snoozeCreated(e: { place: SnoozePlace; snooze: Snooze }): Promise<void>;
  /** Told once per snooze (a retried announcement finds the first). */
  snoozeEnded(e: { place: SnoozePlace; snooze: Snooze; held: number; how: 'expired' | 'cancelled'; by: string }): Promise<void>;
}

/**
 * What the action use cases (status, cases, remediations, escalations, snoozes) tell people, as
 * events; wording and rendering are the adapter's. Methods that create a message the use
 * case edits later return its place. A failure to tell is thrown: each use case decides
 * whether it matters (an escalation step retries; a status result is only logged). Each
 * use case depends on its own part.
 */
export interface ActionNotices
  extends StatusNotices,
    CaseNotices,
    AgentNotices,
    CustomActionNotices,
    PrincipalNotices,
    RemediationNotices,
    EscalationNotices,
    SnoozeNotices {}
