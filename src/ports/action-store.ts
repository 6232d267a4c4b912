import type { PagePolicy, PageProgress } from '../domain/actions/paging.ts';
import type { AwsCall } from '../domain/actions/aws-call.ts';
import type { CaseDraft, EngagementType } from '../domain/actions/case-draft.ts';
import type { Principal, PrincipalAnswer, SeenActivity } from '../domain/actions/principal-check.ts';
import type { ResolverType } from '../domain/actions/case-status.ts';
import type { OfferKind, OfferPayload } from '../domain/actions/offers.ts';
import type { Snooze, SnoozeState } from '../domain/actions/snooze.ts';
import type { WorkflowStatus } from '../domain/finding.ts';
import type { Plan, RemediationTarget } from '../domain/remediation/remediation.ts';
import type { CallError, CallOutcome, RunStatus } from './aws-calls.ts';
import type { Watcher } from './security-ir.ts';

/**
 * What sirbot remembers about the actions people take from Slack: requests and their
 * state (the idempotency record of every side effect), Security Incident Response cases
 * opened from threads, the audit log, and on-call escalation timers. Kept apart from the
 * delivery records so each runtime's store implements it as one piece.
 *
 * Every transition is a compare-and-set on the current state: a double click, a Slack
 * retry or a second process meets a record already moved on and does nothing.
 */

export type ActionState = 'awaiting_approval' | 'running' | 'succeeded' | 'partial' | 'failed' | 'rejected' | 'undoing' | 'undone' | 'undo_failed';

/** What every action record has, whatever its kind. */
export interface ActionFields {
  /** The idempotency key: the same request (same thing, same target) always has the same id. */
  id: string;
  findingId: string | null;
  channel: string | null;
  threadTs: string | null;
  requestedBy: string;
  approvedBy: string | null;
  state: ActionState;
  /** The thread message that shows this action (approval request, then result). */
  messageTs: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A workflow status set on a finding: the status call, and the lookups before it when there are some. */
export interface StatusActionInput {
  status: WorkflowStatus;
  note: string;
  call: AwsCall;
  calls?: AwsCall[];
}

/** How a status call ended: its error, and the findings AWS did not update. */
export interface StatusActionOutcome {
  error: CallError | null;
  unprocessed: Array<{ id: string; reason: string }>;
}

/** What the case modal submits (checked at the Slack boundary): the case request's input. */
export interface CaseForm extends CaseDraft {
  resolverType: ResolverType;
  watchers: Watcher[];
}

/** The case a request opened, and how many timeline comments it was given. */
export interface CaseOpened {
  caseId: string;
  comments: number;
}

/** An action that failed before it had any other outcome. */
export interface ActionFailure {
  error: string;
}

/** A remediation request: what it runs on, the plan confirmed, and the requester's note. */
export interface RemediationRequest extends RemediationTarget {
  plan: Plan;
  note: string;
}

export interface RemediationRun {
  status: RunStatus;
  outcomes: CallOutcome[];
}

/** A remediation's run, and once undone the undo's run beside it with who undid it. */
export interface RemediationRunResult extends Partial<RemediationRun> {
  undo?: RemediationRun;
  undoneBy?: string;
}

export type RemediationKind = `remediation:${string}`;

/** Each kind of action keeps its own input and outcome. */
export type StatusAction = ActionFields & { kind: 'status'; input: StatusActionInput; result: StatusActionOutcome | null };
export type CaseAction = ActionFields & { kind: 'case'; input: CaseForm; result: CaseOpened | ActionFailure | null };
export type RemediationAction = ActionFields & { kind: RemediationKind; input: RemediationRequest; result: RemediationRunResult | null };
/** "Was this you?": who was asked about which principal, and by when they should answer. */
export interface PrincipalCheckInput {
  principal: Principal;
  slackUserId: string;
  /** How sirbot found the person (a tag, a session name). */
  via: string;
  activity: SeenActivity;
  dueAt: string;
  /** The question in the direct message, once posted. */
  dm: { channel: string; ts: string } | null;
}
export type PrincipalCheckOutcome = { answer: PrincipalAnswer; by: string; at: string } | { timedOut: true; at: string };
export type PrincipalCheckAction = ActionFields & { kind: 'principal-check'; input: PrincipalCheckInput; result: PrincipalCheckOutcome | null };
export type ActionRecord = StatusAction | CaseAction | RemediationAction | PrincipalCheckAction;
export type ActionKind = ActionRecord['kind'];

/** What a transition may change: the kind (and so the shape of input and outcome) stays. */
export type ActionPatch = Partial<Omit<ActionFields, 'id'>> & { input?: ActionRecord['input']; result?: ActionRecord['result'] };

export const isRemediationAction = (a: ActionRecord): a is RemediationAction => a.kind.startsWith('remediation:');

export type CaseResolver = 'AWS' | 'Self';

export interface CaseRecord {
  caseId: string;
  findingId: string | null;
  channel: string | null;
  threadTs: string | null;
  title: string;
  status: string;
  resolverType: CaseResolver;
  /** As the service last said (null: not known; cases kept before sirbot kept it). */
  engagementType: EngagementType | null;
  /**
   * The newest comment time (ISO) whose comments the thread has been shown: a case event
   * only looks at comments from then on (keyed posts keep the edge from showing twice).
   */
  commentsShownThrough: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export type AuditOutcome = 'requested' | 'approved' | 'rejected' | 'refused' | 'executed' | 'failed';

export interface AuditRecord {
  at: string;
  /** Slack user id, or `sirbot` for what the bot does on its own (escalations). */
  actor: string;
  /** What was asked: `status`, `case.create`, `remediation:deactivate-access-key`, `undo:…`. */
  action: string;
  /** What it was asked of: a finding id, a case id, an access key. */
  target: string;
  inputs: unknown;
  outcome: AuditOutcome;
  result: unknown;
  /** The Slack message where it happened, when there is one. */
  permalink: string | null;
}

/** `closed`: the finding was resolved, suppressed or archived before anyone acknowledged it; its steps stop. */
export type EscalationStage = 'waiting' | 'mentioned' | 'proposed' | 'opened' | 'acknowledged' | 'closed';

/**
 * The escalation's page outside Slack, when its rule asks for one: `want` is how far it
 * should have gone, `sent` how far the paging service was told (the difference is retried).
 */
export interface PageState extends PagePolicy {
  /** The dedup key (PagerDuty) or alias (Opsgenie): the id of the finding's `page` offer. */
  key: string;
  want: PageProgress;
  sent: PageProgress;
}

export interface EscalationRecord {
  findingId: string;
  channel: string;
  threadTs: string;
  stage: EscalationStage;
  /** When the next step is due; null once acknowledged or finished. */
  nextAt: string | null;
  /** Who is mentioned when nobody acknowledges in time (a user group or user id). */
  notify: string[];
  /** Seconds after the mention before the CIRT proposal (or automatic case). */
  cirtAfterSeconds: number;
  autoOpenCase: boolean;
  /** A Slack user id, or `pagerduty:<name>` / `opsgenie:<name>` for an acknowledgement made there. */
  ackedBy: string | null;
  ackedAt: string | null;
  /** Absent (or null) when the rule pages nobody outside Slack, and in records kept before paging existed. */
  page?: PageState | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Something sirbot offered on a finding's message (a root button, a suggested
 * remediation): a click carries its id, and only what the offer holds is acted on.
 */
export interface OfferRecord {
  /** Derived from (finding, kind, payload): the same offer always has the same id. */
  id: string;
  findingId: string;
  kind: OfferKind;
  /** What was offered beyond the finding (a remediation's id and inputs). */
  payload: OfferPayload;
  createdAt: string;
}

/**
 * A snooze as kept: where it was made (its expiry is announced there: the finding's
 * thread for Snooze similar, the channel of `/sir snooze`) and how it ended.
 */
export interface SnoozeRecord extends Snooze {
  findingId: string | null;
  channel: string | null;
  threadTs: string | null;
  /** Who ended it (a cancel), or `sirbot` (its expiry announced), and when. */
  endedBy: string | null;
  endedAt: string | null;
  updatedAt: string;
}

export interface ActionStore {
  /** Inserts only if absent; false when the same request was already made. */
  insertAction(record: ActionRecord): Promise<boolean>;
  getAction(id: string): Promise<ActionRecord | null>;
  /** Applies `patch` only if the action is in one of `from`; the updated record, or null if it was not. */
  transitionAction(id: string, from: ActionState[], patch: ActionPatch): Promise<ActionRecord | null>;
  listActions(filter?: { findingId?: string; state?: ActionState; kind?: ActionKind }): Promise<ActionRecord[]>;

  /** Inserts only if absent: an offer, once stored, never changes. False when it was already there. */
  insertOffer(record: OfferRecord): Promise<boolean>;
  getOffer(id: string): Promise<OfferRecord | null>;

  /** Inserts or replaces a case (a case id is AWS's, so the latest view of it wins). */
  putCase(record: CaseRecord): Promise<void>;
  getCase(caseId: string): Promise<CaseRecord | null>;
  findCaseByThread(channel: string, threadTs: string): Promise<CaseRecord | null>;
  /** Newest first. */
  listCases(limit?: number): Promise<CaseRecord[]>;

  appendAudit(record: AuditRecord): Promise<void>;
  /** Oldest first, from `since` (inclusive) when given. */
  listAudit(filter?: { since?: string; limit?: number }): Promise<AuditRecord[]>;

  /** Inserts only if absent: one escalation per finding. */
  insertEscalation(record: EscalationRecord): Promise<boolean>;
  getEscalation(findingId: string): Promise<EscalationRecord | null>;
  /** Escalations whose next step is due at `now`, oldest due first. */
  dueEscalations(now: string): Promise<EscalationRecord[]>;
  transitionEscalation(findingId: string, from: EscalationStage[], patch: Partial<Omit<EscalationRecord, 'findingId'>>): Promise<EscalationRecord | null>;

  /** Inserts only if absent: the same request (a double submit) makes one snooze. False when it was already there. */
  insertSnooze(record: SnoozeRecord): Promise<boolean>;
  getSnooze(id: string): Promise<SnoozeRecord | null>;
  /** Snoozes in a state, soonest expiry first. */
  listSnoozes(state: SnoozeState): Promise<SnoozeRecord[]>;
  /** Active snoozes whose expiry is at or before `now` (their end is still to announce), soonest first. */
  dueSnoozes(now: string): Promise<SnoozeRecord[]>;
  /** Applies `patch` only if the snooze is in one of `from`; the updated record, or null if it was not. */
  transitionSnooze(
    id: string,
    from: SnoozeState[],
    patch: Partial<Pick<SnoozeRecord, 'state' | 'endedBy' | 'endedAt' | 'updatedAt'>>,
  ): Promise<SnoozeRecord | null>;
  /** Records that the snooze held a finding back, once per (snooze, finding): false when it already had. */
  holdFinding(snoozeId: string, findingId: string, at: string): Promise<boolean>;
  /** How many findings the snooze held back. */
  heldCount(snoozeId: string): Promise<number>;
}
