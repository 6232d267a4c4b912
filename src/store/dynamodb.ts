import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoActionStore } from './dynamodb-actions.ts';
import {
  TTL_ATTRIBUTE,
  Table,
  backoff,
  epochSeconds,
  exists,
  fieldsOf,
  keys,
  lists,
  notExists,
  pick,
  sortBy,
  tableDefinition,
} from './dynamodb-table.ts';
import type { DeadLetter, DigestMember, DigestRecord, FindingRecord, InvestigationRecord, InvestigationState, Store } from './store.ts';

export { TTL_ATTRIBUTE } from './dynamodb-table.ts';

const FINDING = fieldsOf<FindingRecord>({
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
});
const INVESTIGATION = fieldsOf<InvestigationRecord>({
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
  openedAt: true,
  lastAddedAt: true,
  count: true,
});
const MEMBER = fieldsOf<DigestMember>({ digestId: true, findingId: true, seq: true, line: true, accountId: true, severity: true, listed: true });
const DEAD_LETTER = fieldsOf<DeadLetter>({ id: true, receivedAt: true, origin: true, path: true, error: true, payload: true });

/** Past this many lost compare-and-sets in a row something is wrong (each loss is another caller's win). */
const MAX_ATTEMPTS = 50;

export interface DynamoStoreOptions {
  /** A plain client is wrapped in a document client; a document client is used as it is. */
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
}

/**
 * The Lambda runtime's store: one DynamoDB table (see dynamodb-table.ts for the key
 * layout). DynamoDB has no multi-statement transactions here (dynalite, used by the
 * tests, has no TransactWriteItems), so each decision is one conditional write on one
 * item: an insert is `attribute_not_exists(pk)`, a transition a condition on the current
 * state, a counter an atomic ADD, and anything read-modify-write a compare-and-set on a
 * version, retried when another caller got there first.
 */
export class DynamoStore implements Store {
  /** The CreateTable input for the store's table; TTL (TTL_ATTRIBUTE) is enabled separately. */
  static tableDefinition = tableDefinition;

  private readonly table: Table;
  readonly actions: DynamoActionStore;

  constructor(options: DynamoStoreOptions) {
    const doc =
      options.client instanceof DynamoDBDocumentClient
        ? options.client
        : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.table = new Table(doc, options.tableName);
    this.actions = new DynamoActionStore(this.table);
  }

  async getFinding(findingId: string): Promise<FindingRecord | null> {
    const item = await this.table.get(keys.finding(findingId));
    return item ? pick<FindingRecord>(item, FINDING) : null;
  }

  insertFinding(record: FindingRecord): Promise<boolean> {
    return this.table.put({ ...keys.finding(record.findingId), type: 'finding', ...pick<FindingRecord>(record, FINDING) }, notExists);
  }

  async updateFinding(record: FindingRecord): Promise<void> {
    await this.table.put({ ...keys.finding(record.findingId), type: 'finding', ...pick<FindingRecord>(record, FINDING) }, exists);
  }

  async deleteFinding(findingId: string): Promise<void> {
    const old = await this.table.delete(keys.finding(findingId));
    // Give back the root slot the finding may hold in its channel's window.
    if (typeof old?.channel === 'string') {
      await this.table.update({
        Key: keys.rootWindow(old.channel),
        UpdateExpression: 'REMOVE #slots.#f ADD #v :one',
        ConditionExpression: 'attribute_exists(#slots.#f)',
        ExpressionAttributeNames: { '#slots': 'slots', '#f': findingId, '#v': 'version' },
        ExpressionAttributeValues: { ':one': 1 },
      });
    }
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
      const digest: DigestRecord = { id, channel, groupKey, label, ts: null, slackChannel: null, openedAt: now, lastAddedAt: now, count: 0 };
      await this.table.put({ ...keys.digest(id), type: 'digest', ...digest, lastSeq: 0 }, notExists);
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
    const names = { '#count': 'count', '#seq': 'lastSeq', '#last': 'lastAddedAt' };
    const counted = await this.table.update({
      Key: digestKey,
      UpdateExpression: 'ADD #count :one, #seq :one SET #last = :now',
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
      UpdateExpression: 'ADD #count :minus',
      ExpressionAttributeNames: { '#count': 'count' },
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

  async markListed(digestId: string, findingIds: string[]): Promise<void> {
    await Promise.all(
      findingIds.map((findingId) =>
        this.table.update({
          Key: keys.digestMember(digestId, findingId),
          UpdateExpression: 'SET #listed = :true',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#listed': 'listed' },
          ExpressionAttributeValues: { ':true': true },
        }),
      ),
    );
  }

  async setDigestTs(digestId: string, ts: string, slackChannel: string): Promise<void> {
    await this.table.update({
      Key: keys.digest(digestId),
      UpdateExpression: 'SET #ts = :ts, #sc = :sc',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#ts': 'ts', '#sc': 'slackChannel' },
      ExpressionAttributeValues: { ':ts': ts, ':sc': slackChannel },
    });
  }

  async getDigest(digestId: string): Promise<DigestRecord | null> {
    const item = await this.table.get(keys.digest(digestId));
    return item ? { ...pick<DigestRecord>(item, DIGEST), count: Number(item.count) } : null;
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
    const item = { ...key, type: 'investigation', ...lists.investigations(record.state, record.createdAt, record.id), ...pick<InvestigationRecord>(record, INVESTIGATION) };
    if (!(await this.table.put(item, notExists))) return false;
    const hint = keys.threadInvestigation(record.channel, record.threadTs, record.createdAt, record.id);
    await this.table.put({ ...hint, type: 'threadInvestigation', id: record.id });
    if (await this.table.put({ ...keys.investigationLock(record.findingId), type: 'investigationLock', id: record.id }, notExists)) return true;
    await Promise.all([this.table.delete(key), this.table.delete(hint)]);
    return false;
  }

  async getInvestigation(id: string): Promise<InvestigationRecord | null> {
    const item = await this.table.get(keys.investigation(id));
    return item ? pick<InvestigationRecord>(item, INVESTIGATION) : null;
  }

  async findInvestigationByThread(channel: string, threadTs: string): Promise<InvestigationRecord | null> {
    for (const hint of await this.table.collection(keys.thread(channel, threadTs), 'INVESTIGATION#')) {
      const record = await this.getInvestigation(String(hint.id));
      if (record && record.channel === channel && record.threadTs === threadTs) return record;
    }
    return null;
  }

  /** Like SQLite: what an investigation is about (finding, thread, creation) does not change. */
  async updateInvestigation(r: InvestigationRecord): Promise<void> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries({
      state: r.state,
      answers: r.answers,
      questionsTs: r.questionsTs,
      progressTs: r.progressTs,
      result: r.result,
      updatedAt: r.updatedAt,
      gsi1pk: lists.investigations(r.state, '', r.id).gsi1pk,
    }).map(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      return `#a${i} = :a${i}`;
    });
    await this.table.update({
      Key: keys.investigation(r.id),
      UpdateExpression: `SET ${sets.join(', ')}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    });
  }

  async listInvestigations(state?: InvestigationState): Promise<InvestigationRecord[]> {
    const states = state ? [state] : INVESTIGATION_STATES;
    const items = (await Promise.all(states.map((s) => this.table.list(lists.investigations(s, '', '').gsi1pk)))).flat();
    return sortBy(items, 'gsi1sk').map((i) => pick<InvestigationRecord>(i, INVESTIGATION));
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
