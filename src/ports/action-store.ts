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

export interface ActionRecord {
  /** The idempotency key: the same request (same thing, same target) always has the same id. */
  id: string;
  /** `status`, `case`, `case-status`, `escalate`, `remediation:<id>`. */
  kind: string;
  findingId: string | null;
  channel: string | null;
  threadTs: string | null;
  requestedBy: string;
  approvedBy: string | null;
  state: ActionState;
  /** JSON of the request's inputs. */
  input: string;
  /** JSON of the outcome (AWS answers, errors), once there is one. */
  result: string | null;
  /** The thread message that shows this action (approval request, then result). */
  messageTs: string | null;
  createdAt: string;
  updatedAt: string;
}

export type CaseResolver = 'AWS' | 'Self';

export interface CaseRecord {
  caseId: string;
  findingId: string | null;
  channel: string | null;
  threadTs: string | null;
  title: string;
  status: string;
  resolverType: CaseResolver;
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

export type EscalationStage = 'waiting' | 'mentioned' | 'proposed' | 'opened' | 'acknowledged';

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
  ackedBy: string | null;
  ackedAt: string | null;
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
  /** `status`, `case`, `case-cirt`, `acknowledge`, `remediation`. */
  kind: string;
  /** JSON of what was offered beyond the finding (a remediation's id and inputs). */
  payload: string;
  createdAt: string;
}

export interface ActionStore {
  /** Inserts only if absent; false when the same request was already made. */
  insertAction(record: ActionRecord): Promise<boolean>;
  getAction(id: string): Promise<ActionRecord | null>;
  /** Applies `patch` only if the action is in one of `from`; the updated record, or null if it was not. */
  transitionAction(id: string, from: ActionState[], patch: Partial<Omit<ActionRecord, 'id'>>): Promise<ActionRecord | null>;
  listActions(filter?: { findingId?: string; state?: ActionState; kind?: string }): Promise<ActionRecord[]>;

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
}
