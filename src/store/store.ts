import type { SeverityLabel, RecordState, WorkflowStatus } from '../domain/finding.ts';
import type { ActionStore } from './action-store.ts';

/**
 * Everything sirbot must remember between deliveries, behind one interface so the
 * local runtime (SQLite), tests (memory) and Lambda (DynamoDB, later) share one
 * contract. Methods that decide something under concurrency are atomic.
 */

/** Where a finding was delivered and what it looked like when last delivered. */
export interface FindingRecord {
  findingId: string;
  /** Hash of the delivered version; a duplicate delivery has the same one. */
  fingerprint: string;
  updatedAt: string | null;
  channel: string;
  /** Root message ts; null while suppressed or when grouped in a digest. */
  ts: string | null;
  digestId: string | null;
  suppressed: boolean;
  severity: SeverityLabel;
  workflowStatus: WorkflowStatus;
  recordState: RecordState;
  deliveredAt: string;
  /** The delivered finding (normalized, with its raw document), for investigations started later. */
  snapshot: string | null;
}

export type InvestigationState = 'asked' | 'gathering' | 'summarized' | 'failed';

/** One investigation per finding, living in the finding's thread; survives restarts. */
export interface InvestigationRecord {
  id: string;
  findingId: string;
  channel: string;
  threadTs: string;
  state: InvestigationState;
  /** JSON of the answers so far (pre-filled and given). */
  answers: string;
  questionsTs: string | null;
  progressTs: string | null;
  /** JSON of the summary once summarized, or of the error once failed. */
  result: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DigestRecord {
  id: string;
  channel: string;
  groupKey: string;
  /** What the digest groups, as shown in its header (a control id, a type, a rule). */
  label: string;
  ts: string | null;
  /** The channel id Slack answered with when the root was posted (the rules may name a channel). */
  slackChannel: string | null;
  openedAt: string;
  lastAddedAt: string;
  count: number;
}

export interface DigestMember {
  digestId: string;
  findingId: string;
  seq: number;
  /** Pre-rendered listing line; rendering needs the finding, which is not stored. */
  line: string;
  accountId: string;
  severity: SeverityLabel;
  listed: boolean;
}

export interface DeadLetter {
  id: number;
  receivedAt: string;
  origin: string;
  path: string;
  error: string;
  payload: string;
}

export interface Store {
  getFinding(findingId: string): Promise<FindingRecord | null>;
  /** Inserts only if absent; false when another delivery got there first. */
  insertFinding(record: FindingRecord): Promise<boolean>;
  updateFinding(record: FindingRecord): Promise<void>;
  /** Forgets a finding whose delivery failed, so a redelivery can try again. */
  deleteFinding(findingId: string): Promise<void>;
  /**
   * Reserves one root-message slot in a channel's storm window: true if fewer than
   * `limit` roots were posted in that channel since `since`.
   */
  reserveRootSlot(channel: string, findingId: string, since: string, limit: number, now: string): Promise<boolean>;

  /** The digest open for (channel, group) since `since`, created if none. */
  openDigest(channel: string, groupKey: string, label: string, since: string, now: string): Promise<DigestRecord>;
  addDigestMember(member: Omit<DigestMember, 'seq' | 'listed'>, now: string): Promise<void>;
  unlistedMembers(digestId: string, limit: number): Promise<DigestMember[]>;
  markListed(digestId: string, findingIds: string[]): Promise<void>;
  setDigestTs(digestId: string, ts: string, slackChannel: string): Promise<void>;
  getDigest(digestId: string): Promise<DigestRecord | null>;
  digestBreakdown(digestId: string): Promise<{ byAccount: Record<string, number>; bySeverity: Record<string, number> }>;

  /** Claims an idempotency key; false if it was already claimed and has not expired. */
  claimKey(key: string, ttlSeconds: number, now: string): Promise<boolean>;

  /** Inserts only if absent; false when the finding already has an investigation. */
  insertInvestigation(record: InvestigationRecord): Promise<boolean>;
  getInvestigation(id: string): Promise<InvestigationRecord | null>;
  findInvestigationByThread(channel: string, threadTs: string): Promise<InvestigationRecord | null>;
  updateInvestigation(record: InvestigationRecord): Promise<void>;
  listInvestigations(state?: InvestigationState): Promise<InvestigationRecord[]>;

  addDeadLetter(entry: Omit<DeadLetter, 'id'>): Promise<void>;
  listDeadLetters(limit?: number): Promise<DeadLetter[]>;
  getDeadLetter(id: number): Promise<DeadLetter | null>;
  /** Removes a dead letter once its replay has been delivered. */
  deleteDeadLetter(id: number): Promise<void>;

  /** Requests, cases, the audit log and escalation timers of the actions taken from Slack. */
  readonly actions: ActionStore;

  close(): Promise<void>;
}
