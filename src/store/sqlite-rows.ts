import type Database from 'better-sqlite3';
import type { DeadLetter, DigestProgress, DigestRecord, FindingRecord, InvestigationRecord } from '../ports/store.ts';
import { decodeFinding, decodeInvestigation, encodeFinding, encodeInvestigation } from './record-codecs.ts';

/** SQLite rows (snake_case columns) and the records they hold, both ways (JSON columns through the record codecs). */

export interface FindingRow {
  finding_id: string;
  fingerprint: string;
  updated_at: string | null;
  channel: string;
  ts: string | null;
  digest_id: string | null;
  suppressed: number;
  severity: FindingRecord['severity'];
  workflow_status: FindingRecord['workflowStatus'];
  record_state: FindingRecord['recordState'];
  delivered_at: string;
  snapshot: string | null;
  state: FindingRecord['state'];
  version: number;
  sent_at: string | null;
  attempt_at: string | null;
  attempts: number;
  follow_up_pending: number;
  pending_snapshot: string | null;
}

/** The findings table's columns, in the order inserts name them. */
export const FINDING_COLUMNS = [
  'finding_id',
  'fingerprint',
  'updated_at',
  'channel',
  'ts',
  'digest_id',
  'suppressed',
  'severity',
  'workflow_status',
  'record_state',
  'delivered_at',
  'snapshot',
  'state',
  'version',
  'sent_at',
  'attempt_at',
  'attempts',
  'follow_up_pending',
  'pending_snapshot',
] as const satisfies ReadonlyArray<keyof FindingRow>;

export interface InvestigationRow {
  id: string;
  finding_id: string;
  channel: string;
  thread_ts: string;
  state: InvestigationRecord['state'];
  answers: string;
  questions_ts: string | null;
  progress_ts: string | null;
  result: string | null;
  created_at: string;
  updated_at: string;
}

export const toInvestigation = (r: InvestigationRow): InvestigationRecord =>
  decodeInvestigation({
    id: r.id,
    findingId: r.finding_id,
    channel: r.channel,
    threadTs: r.thread_ts,
    state: r.state,
    answers: r.answers,
    questionsTs: r.questions_ts,
    progressTs: r.progress_ts,
    result: r.result,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });

export function investigationParams(record: InvestigationRecord) {
  const r = encodeInvestigation(record);
  return {
    id: r.id,
    finding_id: r.findingId,
    channel: r.channel,
    thread_ts: r.threadTs,
    state: r.state,
    answers: r.answers,
    questions_ts: r.questionsTs,
    progress_ts: r.progressTs,
    result: r.result,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export interface DigestRow {
  id: string;
  channel: string;
  group_key: string;
  label: string;
  ts: string | null;
  slack_channel: string | null;
  opened_at: string;
  last_added_at: string;
  count: number;
  root_sent_at: string | null;
  listing_key: string | null;
  listing_sent_at: string | null;
  attempts: number;
  last_error: string | null;
  unlisted: number;
  flush_lease: string | null;
}

export interface DeadLetterRow {
  id: number;
  received_at: string;
  origin: string;
  path: string;
  error: string;
  payload: string;
  count: number;
}

export const toDeadLetter = (r: DeadLetterRow): DeadLetter => ({
  id: r.id,
  receivedAt: r.received_at,
  origin: r.origin,
  path: r.path,
  error: r.error,
  payload: r.payload,
  count: r.count,
});

export const toFinding = (r: FindingRow): FindingRecord =>
  decodeFinding({
    findingId: r.finding_id,
    fingerprint: r.fingerprint,
    updatedAt: r.updated_at,
    channel: r.channel,
    ts: r.ts,
    digestId: r.digest_id,
    suppressed: r.suppressed === 1,
    severity: r.severity,
    workflowStatus: r.workflow_status,
    recordState: r.record_state,
    deliveredAt: r.delivered_at,
    snapshot: r.snapshot,
    state: r.state,
    version: r.version,
    sentAt: r.sent_at,
    attemptAt: r.attempt_at,
    attempts: r.attempts,
    followUpPending: r.follow_up_pending === 1,
    pendingSnapshot: r.pending_snapshot,
  });

export const toDigest = (r: DigestRow): DigestRecord => ({
  id: r.id,
  channel: r.channel,
  groupKey: r.group_key,
  label: r.label,
  ts: r.ts,
  slackChannel: r.slack_channel,
  openedAt: r.opened_at,
  lastAddedAt: r.last_added_at,
  count: r.count,
  rootSentAt: r.root_sent_at,
  listingKey: r.listing_key,
  listingSentAt: r.listing_sent_at,
  attempts: r.attempts,
  lastError: r.last_error,
  unlisted: r.unlisted,
  flushLease: r.flush_lease,
});

const DIGEST_PROGRESS_COLUMNS: Record<keyof DigestProgress, keyof DigestRow> = {
  ts: 'ts',
  slackChannel: 'slack_channel',
  rootSentAt: 'root_sent_at',
  listingKey: 'listing_key',
  listingSentAt: 'listing_sent_at',
  attempts: 'attempts',
  lastError: 'last_error',
};

/** The columns a digest progress update sets (only the fields given). */
export function digestProgressParams(progress: Partial<DigestProgress>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(DIGEST_PROGRESS_COLUMNS)) {
    const value = progress[field as keyof DigestProgress];
    if (value !== undefined) out[column] = value;
  }
  return out;
}

export function findingParams(record: FindingRecord) {
  const r = encodeFinding(record);
  return {
    finding_id: r.findingId,
    fingerprint: r.fingerprint,
    updated_at: r.updatedAt,
    channel: r.channel,
    ts: r.ts,
    digest_id: r.digestId,
    suppressed: r.suppressed ? 1 : 0,
    severity: r.severity,
    workflow_status: r.workflowStatus,
    record_state: r.recordState,
    delivered_at: r.deliveredAt,
    snapshot: r.snapshot,
    state: r.state,
    version: r.version,
    sent_at: r.sentAt,
    attempt_at: r.attemptAt,
    attempts: r.attempts,
    follow_up_pending: r.followUpPending ? 1 : 0,
    pending_snapshot: r.pendingSnapshot,
  };
}

/**
 * Prepared statements, one per SQL text, kept for the connection's life: preparing a
 * statement parses and plans it every time, which on the Slack path (a finding looked
 * up per click) cost more than running it.
 */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
