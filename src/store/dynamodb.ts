import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoActionStore } from './dynamodb-actions.ts';
import {
  GSI,
  type Item,
  TTL_ATTRIBUTE,
  Table,
  assignments,
  backoff,
  epochSeconds,
  fieldsOf,
  keys,
  lists,
  notExists,
  pick,
  pickDefined,
  sortBy,
  tableDefinition,
} from './dynamodb-table.ts';
import { needsFlush, newDigest } from './digest-records.ts';
import {
  type StoredFinding,
  type StoredInvestigation,
  type UnreadableRecord,
  decodeFinding,
  decodeInvestigation,
  encodeFinding,
  encodeInvestigation,
  readableOnly,
  reportedAsNull,
  warnUnreadable,
} from './record-codecs.ts';
import {
  type DeadLetter,
  type DigestMember,
  type DigestProgress,
  type DigestRecord,
  type FindingRecord,
  type InvestigationRecord,
  type InvestigationState,
  type Store,
  isIncomplete,
} from '../ports/store.ts';

export { TTL_ATTRIBUTE } from './dynamodb-table.ts';

const FINDING = fieldsOf<StoredFinding>({
  findingId: true,
  fingerprint: true,
  updatedAt: true,
  channel: true,
  ts: true,
  digestId: true,
  suppressed: true,
  severity: true,
  workflowStatus: true,
  recordState: true,
  deliveredAt: true,
  snapshot: true,
  state: true,
  version: true,
  sentAt: true,
  attemptAt: true,
  attempts: true,
  followUpPending: true,
  pendingSnapshot: true,
});
const INVESTIGATION = fieldsOf<StoredInvestigation>({
  id: true,
  findingId: true,
  channel: true,
  threadTs: true,
  state: true,
  answers: true,
  questionsTs: true,
  progressTs: true,
  result: true,
  createdAt: true,
  updatedAt: true,
});
const INVESTIGATION_STATES = fieldsOf<Record<InvestigationState, true>>({ asked: true, gathering: true, summarized: true, failed: true });
const DIGEST = fieldsOf<DigestRecord>({
  id: true,
  channel: true,
  groupKey: true,
  label: true,
  ts: true,
  slackChannel: true,
  rootSentAt: true,
  listingKey: true,
  listingSentAt: true,
  attempts: true,
  lastError: true,
  openedAt: true,
  lastAddedAt: true,
  count: true,
  unlisted: true,
  flushLease: true,
});
const DIGEST_PROGRESS = fieldsOf<DigestProgress>({
  ts: true,
  slackChannel: true,
  rootSentAt: true,
  listingKey: true,
  listingSentAt: true,
  attempts: true,
  lastError: true,
});
const MEMBER = fieldsOf<DigestMember>({ digestId: true, findingId: true, seq: true, line: true, accountId: true, severity: true, listed: true });
const DEAD_LETTER = fieldsOf<DeadLetter>({ id: true, receivedAt: true, origin: true, path: true, error: true, payload: true, count: true });

/** A finding record as stored: numbers come back as numbers, flags as booleans, snapshots through the record codec. */
function toFinding(item: Record<string, unknown>): FindingRecord {
  const r = pick<StoredFinding>(item, FINDING);
  return decodeFinding({
    ...r,
    version: Number(r.version ?? 1),
    attempts: Number(r.attempts ?? 0),
    followUpPending: r.followUpPending === true,
    state: r.state ?? 'received',
  });
}

const toInvestigation = (item: Record<string, unknown>): InvestigationRecord => decodeInvestigation(pick<StoredInvestigation>(item, INVESTIGATION));

/** Past this many lost compare-and-sets in a row something is wrong (each loss is another caller's win). */
const MAX_ATTEMPTS = 50;

export interface DynamoStoreOptions {
  /** A plain client is wrapped in a document client; a document client is used as it is. */
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  /** A record a list cannot read is left out and reported here (default: a process warning). */
  onUnreadable?: UnreadableRecord;
}

/**
 * The Lambda runtime's store: one DynamoDB table (see dynamodb-table.ts for the key
 * layout). DynamoDB has no multi-statement transactions here (dynalite, used by the
 * tests, has no TransactWriteItems), so each decision is one conditional write on one
 * item: an insert is `attribute_not_exists(pk)`, a transition a condition on the current
 * state, a counter an atomic ADD, and anything read-modify-write a compare-and-set on a
 * version, retried when another caller got there first.
 */
/** Records read at once when a list is followed from its hints. */
const GET_CONCURRENCY = 16;

export class DynamoStore implements Store {
  /** The CreateTable input for the store's table; TTL (TTL_ATTRIBUTE) is enabled separately. */
  static tableDefinition = tableDefinition;

  private readonly table: Table;
  readonly actions: DynamoActionStore;

  private readonly report: UnreadableRecord;

  constructor(options: DynamoStoreOptions) {
    this.report = options.onUnreadable ?? warnUnreadable;
    const doc =
      options.client instanceof DynamoDBDocumentClient
        ? options.client
        : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = new Table(doc, options.tableName);
    this.actions = new DynamoActionStore(this.table, this.report);
  }

  async getFinding(findingId: string): Promise<FindingRecord | null> {
    const item = await this.table.get(keys.finding(findingId));
    return item ? toFinding(item) : null;
  }

  /** The item of a finding record; an incomplete delivery is also on the sparse list resuming reads. */
  private findingItem(record: FindingRecord) {
    return {
      ...keys.finding(record.findingId),
      type: 'finding',
      ...pick<StoredFinding>(encodeFinding(record), FINDING),
      ...(isIncomplete(record) ? lists.incompleteDeliveries(record.attemptAt, record.findingId) : {}),
    };
  }

  /** The day's delivery hint first (read back against the record), then the record. */
  async insertFinding(record: FindingRecord): Promise<boolean> {
    await this.table.put({ ...keys.delivered(record.deliveredAt, record.findingId), type: 'deliveredHint', findingId: record.findingId });
    return this.table.put(this.findingItem(record), notExists);
  }

  updateFinding(record: FindingRecord): Promise<boolean> {
    return this.table.put(
      { ...this.findingItem(record), version: record.version + 1 },
      { expression: '#v = :v', names: { '#v': 'version' }, values: { ':v': record.version } },
    );
  }

  async listIncompleteFindings(staleBefore: string, limit: number): Promise<FindingRecord[]> {
    // The list is a GSI (eventually consistent): each entry is read again from the table and kept only if still incomplete and stale.
    const entries = await this.table.list(lists.incompleteDeliveries(null, '').gsi1pk, { upTo: staleBefore, limit });
    const records = await Promise.all(entries.map((e) => this.getFinding(String(e.findingId)).catch(reportedAsNull(this.report))));
    return records.filter((r): r is FindingRecord => r !== null && isIncomplete(r) && (r.attemptAt === null || r.attemptAt < staleBefore));
  }

  /**
   * One query per UTC day of the window (the caller bounds it) on the day's delivery hints,
   * then each record, kept only if it is there and was delivered when its hint says (an
   * insert that lost a race leaves a hint for a delivery that never was). Hints of findings
   * stored before hints were written are absent: those findings are not listed.
   */
  async listFindingsDelivered(from: string, to: string, limit: number): Promise<FindingRecord[]> {
    const out: FindingRecord[] = [];
    const DAY = 86_400_000;
    const end = Date.parse(to);
    for (let t = Date.parse(from.slice(0, 10)); t < end && out.length < limit; t += DAY) {
      const hints = await this.table.query(
        {
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': keys.deliveredDay(new Date(t).toISOString().slice(0, 10)), ':from': from, ':to': to },
        },
        // The whole day's hints (small items): a stale one must not take a live one's place under a limit.
      );
      for (let i = 0; i < hints.length && out.length < limit; i += GET_CONCURRENCY) {
        const batch = hints.slice(i, i + GET_CONCURRENCY);
        const records = await Promise.all(batch.map((h) => this.getFinding(String(h.findingId)).catch(reportedAsNull(this.report))));
        records.forEach((r, j) => {
          const hintAt = String((batch[j] as Item).sk).split('#')[0];
          if (r && r.deliveredAt === hintAt && r.deliveredAt >= from && r.deliveredAt < to && out.length < limit) out.push(r);
        });
      }
    }
    return out;
  }

  /**
   * One item per channel holds the channel's root slots ({ findingId: at }) and a version.
   * A reservation reads it (strongly consistent), drops the slots older than `since`, and
   * writes it back with one more slot only if the version is still the one read, so two
   * callers can't both take the last slot: the loser re-reads and sees the window full (or
   * a slot still free) and tries again. The window is exact (sliding, like SQLite's) and
   * bounded (`limit` entries). A TTL drops the item once the window has passed.
   */
  async reserveRootSlot(channel: string, findingId: string, since: string, limit: number, now: string): Promise<boolean> {
    const key = keys.rootWindow(channel);
    // Kept an hour past the window it was last written for; the window's own entries say what counts.
    const expires = epochSeconds(now) + Math.max(0, epochSeconds(now) - epochSeconds(since)) + 3600;
    for (let attempt = 0; attempt < MAX_ATTEMPTS + limit; attempt++) {
      const current = await this.table.get(key);
      const slots: Record<string, string> = {};
      for (const [id, at] of Object.entries((current?.slots ?? {}) as Record<string, string>)) if (at >= since) slots[id] = at;
      if (slots[findingId] !== undefined) return true;
      if (Object.keys(slots).length >= limit) return false;
      slots[findingId] = now;
      const version = typeof current?.version === 'number' ? current.version : 0;
      const written = await this.table.put(
        { ...key, type: 'rootWindow', slots, version: version + 1, ...(Number.isFinite(expires) ? { [TTL_ATTRIBUTE]: expires } : {}) },
        current ? { expression: '#v = :v', names: { '#v': 'version' }, values: { ':v': version } } : notExists,
      );
      if (written) return true;
      await backoff(attempt);
    }
    throw new Error(`could not reserve a root slot in ${channel}: too much contention`);
  }

  /**
   * One "open" item per (channel, group) names the digest open for it. A new digest is
   * written first, then the open item is moved to it only if it still names the digest
   * read (or does not exist yet): of two concurrent openers one wins, the other removes
   * its digest and takes the winner's.
   */
  async openDigest(channel: string, groupKey: string, label: string, since: string, now: string): Promise<DigestRecord> {
    const openKey = keys.digestGroup(channel, groupKey);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const open = await this.table.get(openKey);
      const openId = typeof open?.digestId === 'string' ? open.digestId : null;
      const current = openId ? await this.getDigest(openId) : null;
      if (current && current.lastAddedAt >= since) return current;
      const id = `dg-${Date.parse(now).toString(36)}-${randomUUID().slice(0, 8)}`;
      const digest = newDigest(id, channel, groupKey, label, now);
      const { flushLease: _noLease, ...stored } = digest;
      await this.table.put({ ...keys.digest(id), type: 'digest', ...stored, lastSeq: 0, ...lists.digests(now, id) }, notExists);
      const moved = await this.table.put(
        { ...openKey, type: 'digestGroup', digestId: id },
        open ? { expression: '#d = :d', names: { '#d': 'digestId' }, values: { ':d': openId } } : notExists,
      );
      if (moved) return digest;
      await this.table.delete(keys.digest(id));
      await backoff(attempt);
    }
    throw new Error(`could not open a digest for ${groupKey} in ${channel}: too much contention`);
  }

  /**
   * A member is added once (its item is inserted only if absent); its seq comes from an
   * atomic ADD on the digest, which counts it at the same time. Two concurrent additions
   * of the same finding both count, the loser of the insert takes its count back: the
   * count stays right, the seq may skip a number.
   */
  async addDigestMember(m: Omit<DigestMember, 'seq' | 'listed'>, now: string): Promise<void> {
    const memberKey = keys.digestMember(m.digestId, m.findingId);
    if (await this.table.get(memberKey)) return;
    const digestKey = keys.digest(m.digestId);
    const names = { '#count': 'count', '#unlisted': 'unlisted', '#seq': 'lastSeq', '#last': 'lastAddedAt' };
    const counted = await this.table.update({
      Key: digestKey,
      UpdateExpression: 'ADD #count :one, #unlisted :one, #seq :one SET #last = :now',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':one': 1, ':now': now },
    });
    if (!counted) return;
    const member: DigestMember = {
      digestId: m.digestId,
      findingId: m.findingId,
      seq: Number(counted.lastSeq),
      line: m.line,
      accountId: m.accountId,
      severity: m.severity,
      listed: false,
    };
    if (await this.table.put({ ...memberKey, type: 'digestMember', ...member }, notExists)) return;
    await this.table.update({
      Key: digestKey,
      UpdateExpression: 'ADD #count :minus, #unlisted :minus',
      ExpressionAttributeNames: { '#count': 'count', '#unlisted': 'unlisted' },
      ExpressionAttributeValues: { ':minus': -1 },
    });
  }

  private async members(digestId: string): Promise<DigestMember[]> {
    const items = await this.table.collection(keys.digest(digestId).pk, 'MEMBER#');
    return items.map((i) => pick<DigestMember>(i, MEMBER)).sort((a, b) => a.seq - b.seq);
  }

  async unlistedMembers(digestId: string, limit: number): Promise<DigestMember[]> {
    return (await this.members(digestId)).filter((m) => !m.listed).slice(0, limit);
  }

  /** Each member flips once (a condition on its `listed`), and only a flip counts down the digest's unlisted members. */
  async markListed(digestId: string, findingIds: string[]): Promise<void> {
    const flipped = await Promise.all(
      findingIds.map((findingId) =>
        this.table.update({
          Key: keys.digestMember(digestId, findingId),
          UpdateExpression: 'SET #listed = :true',
          ConditionExpression: 'attribute_exists(pk) AND #listed = :false',
          ExpressionAttributeNames: { '#listed': 'listed' },
          ExpressionAttributeValues: { ':true': true, ':false': false },
        }),
      ),
    );
    const n = flipped.filter((f) => f !== null).length;
    if (n === 0) return;
    await this.table.update({
      Key: keys.digest(digestId),
      UpdateExpression: 'ADD #unlisted :minus',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#unlisted': 'unlisted' },
      ExpressionAttributeValues: { ':minus': -n },
    });
  }

  async updateDigest(digestId: string, progress: Partial<DigestProgress>): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = assignments(pickDefined(progress, DIGEST_PROGRESS), names, values);
    if (sets.length === 0) return;
    await this.table.update({
      Key: keys.digest(digestId),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /** The lease is an attribute present only while held (a crashed holder's runs out). */
  async claimDigestFlush(digestId: string, until: string, now: string, held?: string): Promise<boolean> {
    const claimed = await this.table.update({
      Key: keys.digest(digestId),
      UpdateExpression: 'SET #l = :until',
      ConditionExpression: `attribute_exists(pk) AND (attribute_not_exists(#l) OR #l <= :now${held ? ' OR #l = :held' : ''})`,
      ExpressionAttributeNames: { '#l': 'flushLease' },
      ExpressionAttributeValues: { ':until': until, ':now': now, ...(held ? { ':held': held } : {}) },
    });
    return claimed !== null;
  }

  async releaseDigestFlush(digestId: string): Promise<void> {
    await this.table.update({
      Key: keys.digest(digestId),
      UpdateExpression: 'REMOVE #l',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#l': 'flushLease' },
    });
  }

  async listDigestsToFlush(openedSince: string, limit: number): Promise<DigestRecord[]> {
    const items = await this.table.query(
      {
        IndexName: GSI,
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :since',
        FilterExpression: '#u > :zero OR (#c > :zero AND (attribute_not_exists(#ts) OR attribute_type(#ts, :null)))',
        ExpressionAttributeNames: { '#u': 'unlisted', '#c': 'count', '#ts': 'ts' },
        ExpressionAttributeValues: { ':pk': lists.digests('', '').gsi1pk, ':since': openedSince, ':zero': 0, ':null': 'NULL' },
      },
      limit,
    );
    // The GSI lags: read each again from the table.
    const digests = await Promise.all(items.map((i) => this.getDigest(String(i.id))));
    return digests.filter((d): d is DigestRecord => d !== null && needsFlush(d));
  }

  async getDigest(digestId: string): Promise<DigestRecord | null> {
    const item = await this.table.get(keys.digest(digestId));
    if (!item) return null;
    return { ...pick<DigestRecord>(item, DIGEST), count: Number(item.count), unlisted: Number(item.unlisted ?? 0), attempts: Number(item.attempts ?? 0) };
  }

  async digestBreakdown(digestId: string) {
    const byAccount: Record<string, number> = {};
    const bySeverity: Record<string, number> = {};
    for (const m of await this.members(digestId)) {
      byAccount[m.accountId] = (byAccount[m.accountId] ?? 0) + 1;
      bySeverity[m.severity] = (bySeverity[m.severity] ?? 0) + 1;
    }
    return { byAccount, bySeverity };
  }

  /** Written only if absent or expired; the TTL removes it from the table some time after. */
  claimKey(key: string, ttlSeconds: number, now: string): Promise<boolean> {
    const expiresAt = new Date(Date.parse(now) + ttlSeconds * 1000).toISOString();
    return this.table.put(
      { ...keys.idempotencyKey(key), type: 'idempotencyKey', expiresAt, [TTL_ATTRIBUTE]: epochSeconds(expiresAt) },
      { expression: 'attribute_not_exists(pk) OR #e <= :now', names: { '#e': 'expiresAt' }, values: { ':now': now } },
    );
  }

  /**
   * The record is inserted if its id is new, then the finding's lock if the finding has
   * none; a record that loses the lock is removed again. The thread hint is written in
   * between, so a record that stays is always found by its thread.
   */
  async insertInvestigation(record: InvestigationRecord): Promise<boolean> {
    const key = keys.investigation(record.id);
    const item = {
      ...key,
      type: 'investigation',
      ...lists.investigations(record.state, record.createdAt, record.id),
      ...pick<StoredInvestigation>(encodeInvestigation(record), INVESTIGATION),
    };
    if (!(await this.table.put(item, notExists))) return false;
    const hint = keys.threadInvestigation(record.channel, record.threadTs, record.createdAt, record.id);
    await this.table.put({ ...hint, type: 'threadInvestigation', id: record.id });
    if (await this.table.put({ ...keys.investigationLock(record.findingId), type: 'investigationLock', id: record.id }, notExists)) return true;
    await Promise.all([this.table.delete(key), this.table.delete(hint)]);
    return false;
  }

  async getInvestigation(id: string): Promise<InvestigationRecord | null> {
    const item = await this.table.get(keys.investigation(id));
    return item ? toInvestigation(item) : null;
  }

  async findInvestigationByThread(channel: string, threadTs: string): Promise<InvestigationRecord | null> {
    for (const hint of await this.table.collection(keys.thread(channel, threadTs), 'INVESTIGATION#')) {
      const record = await this.getInvestigation(String(hint.id));
      if (record && record.channel === channel && record.threadTs === threadTs) return record;
    }
    return null;
  }

  /** What an update may change (what an investigation is about stays), with the state list it moves to. */
  private investigationChanges(record: InvestigationRecord) {
    const r = encodeInvestigation(record);
    return {
      state: r.state,
      answers: r.answers,
      questionsTs: r.questionsTs,
      progressTs: r.progressTs,
      result: r.result,
      updatedAt: r.updatedAt,
      gsi1pk: lists.investigations(r.state, '', r.id).gsi1pk,
    };
  }

  async updateInvestigation(r: InvestigationRecord): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = assignments(this.investigationChanges(r), names, values);
    await this.table.update({
      Key: keys.investigation(r.id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  /** The record names its new thread, and a hint in that thread finds it (the old thread's hint no longer matches the record). */
  async moveInvestigationThread(id: string, channel: string, threadTs: string, updatedAt: string): Promise<void> {
    const moved = await this.table.update({
      Key: keys.investigation(id),
      UpdateExpression: 'SET #channel = :channel, #thread = :thread, #updated = :updated',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#channel': 'channel', '#thread': 'threadTs', '#updated': 'updatedAt' },
      ExpressionAttributeValues: { ':channel': channel, ':thread': threadTs, ':updated': updatedAt },
    });
    if (moved === null) return;
    const record = await this.getInvestigation(id);
    if (record) await this.table.put({ ...keys.threadInvestigation(channel, threadTs, record.createdAt, id), type: 'threadInvestigation', id });
  }

  async transitionInvestigation(expected: Pick<InvestigationRecord, 'id' | 'state' | 'updatedAt'>, next: InvestigationRecord): Promise<boolean> {
    const names: Record<string, string> = { '#state': 'state', '#updated': 'updatedAt' };
    const values: Record<string, unknown> = { ':expectedState': expected.state, ':expectedUpdated': expected.updatedAt };
    const sets = assignments(this.investigationChanges(next), names, values);
    const moved = await this.table.update({
      Key: keys.investigation(expected.id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_exists(pk) AND #state = :expectedState AND #updated = :expectedUpdated',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
    return moved !== null;
  }

  async listInvestigations(state?: InvestigationState): Promise<InvestigationRecord[]> {
    const states = state ? [state] : INVESTIGATION_STATES;
    const items = (await Promise.all(states.map((s) => this.table.list(lists.investigations(s, '', '').gsi1pk)))).flat();
    return readableOnly(sortBy(items, 'gsi1sk'), toInvestigation, this.report);
  }

  /** Ids from an atomic counter, so they stay numbers and keep their order. */
  async addDeadLetter(entry: Omit<DeadLetter, 'id'>): Promise<void> {
    const counter = await this.table.update({
      Key: keys.counter('DEADLETTER'),
      UpdateExpression: 'ADD #n :one',
      ExpressionAttributeNames: { '#n': 'n' },
      ExpressionAttributeValues: { ':one': 1 },
    });
    const id = Number(counter?.n);
    await this.table.put({ ...keys.deadLetter(id), type: 'deadLetter', ...pick<DeadLetter>({ ...entry, id }, DEAD_LETTER) });
  }

  async listDeadLetters(limit = 100): Promise<DeadLetter[]> {
    const items = await this.table.query(
      { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.deadLetters }, ScanIndexForward: false },
      limit,
    );
    return items.map((i) => pick<DeadLetter>(i, DEAD_LETTER));
  }

  async getDeadLetter(id: number): Promise<DeadLetter | null> {
    const item = await this.table.get(keys.deadLetter(id));
    return item ? pick<DeadLetter>(item, DEAD_LETTER) : null;
  }

  async deleteDeadLetter(id: number): Promise<void> {
    await this.table.delete(keys.deadLetter(id));
  }

  /** The client belongs to whoever passed it in; nothing to release here. */
  async close(): Promise<void> {}
}
