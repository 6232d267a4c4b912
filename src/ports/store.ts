import type { Finding, SeverityLabel, RecordState, WorkflowStatus } from '../domain/finding.ts';
import type { StoredAnswers } from '../domain/investigation/answer-book.ts';
import type { InvestigationSummary } from '../domain/investigation/summary.ts';
import type { TimelineEntry } from '../domain/investigation/timeline.ts';
import type { InvestigationWindow } from '../domain/investigation/window.ts';
import type { ActionStore } from './action-store.ts';

/**
 * Everything sirbot must remember between deliveries, behind one interface so the
 * local runtime (SQLite), tests (memory) and Lambda (DynamoDB, later) share one
 * contract. Methods that decide something under concurrency are atomic.
 *
 * Records are typed values: a store keeps what it must as JSON (a snapshot, answers, a
 * result) and checks it against its schema when reading it back, once, so no caller
 * parses stored JSON; a stored document that does not match is an error naming it.
 */

/**
 * Where a finding's delivery stands. `received`: stored, not yet given a thread or a
 * digest; `posting`: its own root message is being posted (`sentAt` says whether a post
 * may already have reached Slack); `posted`: the root is in Slack (`ts`); `digested`: a
 * member of a digest, whose listing the digest tracks; `suppressed`: a rule keeps it out
 * of Slack; `snoozed`: an active snooze held it back (stored and counted, not posted; a
 * newer version after the snooze ended is delivered as new); `failed`: Slack refused it for good (dead-lettered; a redelivery or a replay
 * tries again).
 */
export const DELIVERY_STATES = ['received', 'posting', 'posted', 'digested', 'suppressed', 'snoozed', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

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
  snapshot: Finding | null;
  state: DeliveryState;
  /** Bumped by every write: `updateFinding` is a compare-and-set on it. */
  version: number;
  /** When the root message was last sent to Slack; its answer may have been lost, so look before posting again. */
  sentAt: string | null;
  /** When the current delivery attempt began: another process takes an incomplete delivery over only once this is stale. */
  attemptAt: string | null;
  /** Delivery attempts so far (a finding Slack keeps failing is dead-lettered after a bounded number). */
  attempts: number;
  /** The root is posted but what follows it (questions, escalation timer) has not been started yet. */
  followUpPending: boolean;
  /** A newer version received but not yet shown in Slack (the root edit and change reply are still to do). */
  pendingSnapshot: Finding | null;
}

export type InvestigationState = 'asked' | 'gathering' | 'summarized' | 'failed';

/** What is kept of a summarized investigation: its summary, and the highlighted timeline entries (for case comments). */
export interface InvestigationConclusions {
  summary: InvestigationSummary;
  window: InvestigationWindow;
  /** Timeline entries in all (the full timeline is in the files posted to the thread). */
  events: number;
  highlights: TimelineEntry[];
  /** Digests of the timeline's event ids, space-separated (records.ts): what a follow-up question found is new only if not among them. */
  timelineIds?: string;
  /** What responders' follow-up questions in the thread searched afterwards (their new events are merged into `highlights`, marked, and counted in `events`). */
  followUps?: InvestigationFollowUp[];
}

/** One answered follow-up question: where it looked and what it found. */
export interface InvestigationFollowUp {
  at: string;
  /** The question as read (plain words). */
  question?: string;
  /** Who asked. */
  by?: string;
  /** The source that answered (`event-history`, `cloudtrail-lake`…). */
  via: string;
  window: InvestigationWindow;
  events: number;
  /** Events not in the timeline before, now counted in the result's `events` (and kept in `highlights`, marked, up to a limit). */
  added?: number;
  /** New events past that limit: counted, not kept (they are in the question's files). */
  notKept?: number;
  /** The regions searched, and those that failed. */
  regions?: { searched: string[]; failed: string[] };
  /** The exact queries run. */
  queries: string[];
}

/** Why an investigation failed. */
export interface InvestigationFailure {
  error: string;
}

/** One investigation per finding, living in the finding's thread; survives restarts. */
export interface InvestigationRecord {
  id: string;
  findingId: string;
  channel: string;
  threadTs: string;
  state: InvestigationState;
  /** The answers so far (pre-filled and given). */
  answers: StoredAnswers;
  questionsTs: string | null;
  progressTs: string | null;
  /** The conclusions once summarized, or the error once failed. */
  result: InvestigationConclusions | InvestigationFailure | null;
  createdAt: string;
  updatedAt: string;
}

/** Where a digest's own messages stand; only the holder of the flush lease writes it. */
export interface DigestProgress {
  ts: string | null;
  /** The channel id Slack answered with when the root was posted (the rules may name a channel). */
  slackChannel: string | null;
  /** When the root was last sent to Slack (its answer may have been lost). */
  rootSentAt: string | null;
  /** The listing reply last sent (its key) and when: after a crash, look for it before posting it again. */
  listingKey: string | null;
  listingSentAt: string | null;
  /** Failed flushes in a row, and the last Slack error. */
  attempts: number;
  lastError: string | null;
}

export interface DigestRecord extends DigestProgress {
  id: string;
  channel: string;
  groupKey: string;
  /** What the digest groups, as shown in its header (a control id, a type, a rule). */
  label: string;
  openedAt: string;
  lastAddedAt: string;
  count: number;
  /** Members not listed in the thread yet. */
  unlisted: number;
  /** Until when a flush holds the digest (null: nobody); a crashed holder's lease runs out. */
  flushLease: string | null;
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
  /** Bad items the entry stands for (one body with many bad findings is one dead letter). */
  count: number;
}

export interface Store {
  getFinding(findingId: string): Promise<FindingRecord | null>;
  /** Inserts only if absent; false when another delivery got there first. */
  insertFinding(record: FindingRecord): Promise<boolean>;
  /**
   * Writes the record only if the stored one still has `record.version` (the version it
   * was read with), storing `version + 1`; false when another write came first.
   */
  updateFinding(record: FindingRecord): Promise<boolean>;
  /**
   * Deliveries that have not finished (received, posting, a root whose follow-ups are
   * pending, a newer version not yet shown) and whose attempt began before `staleBefore`
   * (or never), oldest attempt first.
   */
  listIncompleteFindings(staleBefore: string, limit: number): Promise<FindingRecord[]>;
  /**
   * Findings first delivered in `[from, to)` (by `deliveredAt`), oldest first, at most
   * `limit` (what `/sir stats` counts; the caller bounds the window).
   */
  listFindingsDelivered(from: string, to: string, limit: number): Promise<FindingRecord[]>;
  /**
   * Reserves one root-message slot in a channel's storm window: true if fewer than
   * `limit` roots were posted in that channel since `since`, or if this finding already
   * holds a slot in the window (a resumed delivery keeps the slot it had).
   */
  reserveRootSlot(channel: string, findingId: string, since: string, limit: number, now: string): Promise<boolean>;

  /** The digest open for (channel, group) since `since`, created if none. */
  openDigest(channel: string, groupKey: string, label: string, since: string, now: string): Promise<DigestRecord>;
  /** Adds a member once; a second addition of the same finding changes nothing. */
  addDigestMember(member: Omit<DigestMember, 'seq' | 'listed'>, now: string): Promise<void>;
  unlistedMembers(digestId: string, limit: number): Promise<DigestMember[]>;
  markListed(digestId: string, findingIds: string[]): Promise<void>;
  /** Records how far the digest's own messages got (root ts, the listing being sent, failures). */
  updateDigest(digestId: string, progress: Partial<DigestProgress>): Promise<void>;
  /**
   * Takes the digest's flush lease until `until` if nobody holds it at `now`, or renews it
   * if the lease is still `held` (the holder's own, a long flush going on); false otherwise.
   */
  claimDigestFlush(digestId: string, until: string, now: string, held?: string): Promise<boolean>;
  releaseDigestFlush(digestId: string): Promise<void>;
  /** Digests opened since `openedSince` with members still to list (or a root still to post), oldest first. */
  listDigestsToFlush(openedSince: string, limit: number): Promise<DigestRecord[]>;
  getDigest(digestId: string): Promise<DigestRecord | null>;
  digestBreakdown(digestId: string): Promise<{ byAccount: Record<string, number>; bySeverity: Record<string, number> }>;

  /** Claims an idempotency key; false if it was already claimed and has not expired. */
  claimKey(key: string, ttlSeconds: number, now: string): Promise<boolean>;

  /** Inserts only if absent; false when the finding already has an investigation. */
  insertInvestigation(record: InvestigationRecord): Promise<boolean>;
  getInvestigation(id: string): Promise<InvestigationRecord | null>;
  findInvestigationByThread(channel: string, threadTs: string): Promise<InvestigationRecord | null>;
  updateInvestigation(record: InvestigationRecord): Promise<void>;
  /** The finding's root was posted afresh: the investigation now lives in that thread (found by it from now on). */
  moveInvestigationThread(id: string, channel: string, threadTs: string, updatedAt: string): Promise<void>;
  /**
   * Moves an investigation to `next` only if it is still in the state and at the
   * `updatedAt` it was read with (compare-and-set): of two workers, one gathers.
   */
  transitionInvestigation(expected: Pick<InvestigationRecord, 'id' | 'state' | 'updatedAt'>, next: InvestigationRecord): Promise<boolean>;
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

/** Whether a finding's delivery still has work to do (what resuming picks up). */
export function isIncomplete(r: Pick<FindingRecord, 'state' | 'followUpPending'> & { pendingSnapshot: unknown }): boolean {
  return r.state === 'received' || r.state === 'posting' || r.followUpPending || r.pendingSnapshot !== null;
}
