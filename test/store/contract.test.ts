import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DynamoStore, TTL_ATTRIBUTE } from '../../src/store/dynamodb.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { FindingRecord, Store } from '../../src/store/store.ts';
import { startDynalite, type Dynalite } from '../support/dynalite.ts';

const T0 = '2026-11-22T12:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

function record(id: string, over: Partial<FindingRecord> = {}): FindingRecord {
  return {
    findingId: id,
    fingerprint: 'fp1',
    updatedAt: T0,
    channel: '#sec',
    ts: null,
    digestId: null,
    suppressed: false,
    severity: 'HIGH',
    workflowStatus: 'NEW',
    recordState: 'ACTIVE',
    deliveredAt: T0,
    snapshot: null,
    ...over,
  };
}

const dirs: string[] = [];
// One dynalite for the file, a fresh table for each store.
let dynalite: Promise<Dynalite> | undefined;
const dynamo = async () => {
  const d = await (dynalite ??= startDynalite());
  const tableName = await d.createTable();
  return { d, tableName, store: new DynamoStore({ client: d.client, tableName }) };
};
const implementations: Array<[string, () => Store | Promise<Store>]> = [
  ['memory', () => new MemoryStore()],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-store-'));
      dirs.push(dir);
      return new SqliteStore(path.join(dir, 'test.db'));
    },
  ],
  ['dynamodb', async () => (await dynamo()).store],
];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

afterAll(async () => {
  await (await dynalite)?.close();
});

describe.each(implementations)('%s store contract', (_name, make) => {
  it('inserts a finding once; a second insert of the same id loses', async () => {
    const store = await make();
    expect(await store.insertFinding(record('f1'))).toBe(true);
    expect(await store.insertFinding(record('f1', { fingerprint: 'other' }))).toBe(false);
    expect((await store.getFinding('f1'))?.fingerprint).toBe('fp1');
    await store.updateFinding(record('f1', { ts: '1.000100', channel: 'C123' }));
    expect(await store.getFinding('f1')).toMatchObject({ ts: '1.000100', channel: 'C123' });
    await store.deleteFinding('f1');
    expect(await store.getFinding('f1')).toBeNull();
    await store.close();
  });

  it('concurrent first deliveries of the same finding create exactly one thread', async () => {
    const store = await make();
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => store.insertFinding(record('same', { fingerprint: `fp-${i}` }))));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect((await store.getFinding('same'))?.fingerprint).toBe(`fp-${wins.indexOf(true)}`);
    await store.close();
  });

  it('concurrent root-slot reservations never exceed the limit', async () => {
    const store = await make();
    const since = at(-60);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => store.reserveRootSlot('#storm', `f${i}`, since, 10, at(i % 5))));
    expect(results.filter(Boolean)).toHaveLength(10);
    expect(await store.reserveRootSlot('#storm', 'one-more', since, 10, at(6))).toBe(false);
    await store.close();
  });

  it('a forgotten finding gives its root slot back', async () => {
    const store = await make();
    await store.insertFinding(record('f1', { channel: '#a' }));
    expect(await store.reserveRootSlot('#a', 'f1', at(-60), 1, at(0))).toBe(true);
    expect(await store.reserveRootSlot('#a', 'f2', at(-60), 1, at(1))).toBe(false);
    await store.deleteFinding('f1');
    expect(await store.reserveRootSlot('#a', 'f2', at(-60), 1, at(2))).toBe(true);
    await store.close();
  });

  it('reserves root slots up to the limit within the window, per channel', async () => {
    const store = await make();
    const since = at(-60);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await store.reserveRootSlot('#a', `f${i}`, since, 3, at(i)));
    expect(results).toEqual([true, true, true, false, false]);
    expect(await store.reserveRootSlot('#b', 'g1', since, 3, at(5))).toBe(true);
    // A minute later the window has moved past the first slots.
    expect(await store.reserveRootSlot('#a', 'late', at(61), 3, at(62))).toBe(true);
    await store.close();
  });

  it('opens one digest per channel and group within its window, counts and lists members once', async () => {
    const store = await make();
    const d1 = await store.openDigest('#a', 'storm|control S3.1', 'control S3.1', at(-900), at(0));
    const d2 = await store.openDigest('#a', 'storm|control S3.1', 'control S3.1', at(-900), at(1));
    expect(d2.id).toBe(d1.id);
    const other = await store.openDigest('#a', 'storm|control EC2.19', 'control EC2.19', at(-900), at(1));
    expect(other.id).not.toBe(d1.id);
    for (let i = 0; i < 5; i++) {
      await store.addDigestMember({ digestId: d1.id, findingId: `f${i}`, line: `line ${i}`, accountId: `acct${i % 2}`, severity: 'LOW' }, at(i));
    }
    await store.addDigestMember({ digestId: d1.id, findingId: 'f0', line: 'dup', accountId: 'acct0', severity: 'LOW' }, at(9));
    expect((await store.getDigest(d1.id))?.count).toBe(5);
    expect(await store.digestBreakdown(d1.id)).toEqual({ byAccount: { acct0: 3, acct1: 2 }, bySeverity: { LOW: 5 } });
    const first = await store.unlistedMembers(d1.id, 3);
    expect(first.map((m) => [m.findingId, m.seq])).toEqual([['f0', 1], ['f1', 2], ['f2', 3]]);
    await store.markListed(d1.id, first.map((m) => m.findingId));
    expect((await store.unlistedMembers(d1.id, 10)).map((m) => m.findingId)).toEqual(['f3', 'f4']);
    await store.setDigestTs(d1.id, '2.000200', 'C999');
    expect(await store.getDigest(d1.id)).toMatchObject({ ts: '2.000200', slackChannel: 'C999', channel: '#a' });
    // After the digest window closes a new digest opens for the same group.
    const later = await store.openDigest('#a', 'storm|control S3.1', 'control S3.1', at(1000), at(2000));
    expect(later.id).not.toBe(d1.id);
    await store.close();
  });

  it('claims idempotency keys until they expire', async () => {
    const store = await make();
    expect(await store.claimKey('k', 60, at(0))).toBe(true);
    expect(await store.claimKey('k', 60, at(30))).toBe(false);
    expect(await store.claimKey('k', 60, at(61))).toBe(true);
    await store.close();
  });

  it('keeps dead letters newest first', async () => {
    const store = await make();
    await store.addDeadLetter({ receivedAt: at(0), origin: 'http', path: 'a', error: 'e1', payload: '{}' });
    await store.addDeadLetter({ receivedAt: at(1), origin: 'sns', path: 'b', error: 'e2', payload: '[]' });
    const [newest, oldest] = await store.listDeadLetters();
    expect([newest?.error, oldest?.error]).toEqual(['e2', 'e1']);
    expect(await store.getDeadLetter(oldest!.id)).toEqual(oldest);
    await store.deleteDeadLetter(oldest!.id);
    expect(await store.getDeadLetter(oldest!.id)).toBeNull();
    expect((await store.listDeadLetters()).map((d) => d.error)).toEqual(['e2']);
    await store.close();
  });
});

describe('sqlite persistence', () => {
  it('survives a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-store-'));
    dirs.push(dir);
    const file = path.join(dir, 'persist.db');
    const a = new SqliteStore(file);
    await a.insertFinding(record('kept', { ts: '9.000900' }));
    await a.close();
    const b = new SqliteStore(file);
    expect((await b.getFinding('kept'))?.ts).toBe('9.000900');
    await b.close();
  });
});

describe.each(implementations)('%s store: investigations', (_name, make) => {
  const inv = (over: Record<string, unknown> = {}) => ({
    id: 'inv-1',
    findingId: 'f1',
    channel: 'C1',
    threadTs: '1.000100',
    state: 'asked' as const,
    answers: '{}',
    questionsTs: null,
    progressTs: null,
    result: null,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  });

  it('keeps one investigation per finding, found by id or by its thread', async () => {
    const store = await make();
    expect(await store.insertInvestigation(inv())).toBe(true);
    expect(await store.insertInvestigation(inv({ id: 'inv-2' }))).toBe(false);
    await store.updateInvestigation({ ...inv(), state: 'gathering', answers: '{"rotated":"no"}' });
    expect(await store.findInvestigationByThread('C1', '1.000100')).toMatchObject({ id: 'inv-1', state: 'gathering', answers: '{"rotated":"no"}' });
    expect((await store.listInvestigations('gathering')).map((i) => i.id)).toEqual(['inv-1']);
    expect(await store.listInvestigations('asked')).toEqual([]);
    expect(await store.getInvestigation('nope')).toBeNull();
    await store.close();
  });
});

describe('dynamodb table', () => {
  const scan = async (d: Dynalite, tableName: string) => (await d.client.send(new ScanCommand({ TableName: tableName }))).Items ?? [];

  it('puts a TTL (epoch seconds) on disposable items only: idempotency keys and root windows, not audit records', async () => {
    const { d, tableName, store } = await dynamo();
    await store.claimKey('k', 60, at(0));
    await store.reserveRootSlot('#a', 'f1', at(-60), 3, at(0));
    await store.insertFinding(record('f1'));
    await store.actions.appendAudit({ at: at(0), actor: 'U1', action: 'status', target: 'f1', inputs: {}, outcome: 'requested', result: null, permalink: null });
    const items = await scan(d, tableName);
    const ttlOf = (pk: string) => items.find((i) => i.pk?.S?.startsWith(pk))?.[TTL_ATTRIBUTE]?.N;
    expect(Number(ttlOf('KEY#'))).toBe(Date.parse(at(60)) / 1000);
    expect(Number(ttlOf('ROOTS#'))).toBeGreaterThan(Date.parse(at(60)) / 1000);
    expect(ttlOf('AUDIT#')).toBeUndefined();
    expect(ttlOf('FINDING#')).toBeUndefined();
  });

  it('keeps ids numeric and ordered, escapes key separators in free-form parts', async () => {
    const { store } = await dynamo();
    await store.insertFinding(record('a#b', { channel: '#x#y' }));
    await store.insertFinding(record('a', { channel: '#x' }));
    expect((await store.getFinding('a#b'))?.channel).toBe('#x#y');
    expect((await store.getFinding('a'))?.channel).toBe('#x');
    const one = await store.openDigest('#a', 'g#1', 'g', at(-900), at(0));
    const two = await store.openDigest('#a#g', '1', 'g', at(-900), at(0));
    expect(one.id).not.toBe(two.id);
    for (let i = 0; i < 12; i++) await store.addDeadLetter({ receivedAt: at(i), origin: 'http', path: 'p', error: `e${i}`, payload: '{}' });
    const listed = await store.listDeadLetters(3);
    expect(listed.map((l) => l.error)).toEqual(['e11', 'e10', 'e9']);
    expect(listed.map((l) => typeof l.id)).toEqual(['number', 'number', 'number']);
  });

  it('concurrent openers of a group share one digest and count every member once', async () => {
    const { store } = await dynamo();
    const digests = await Promise.all(Array.from({ length: 8 }, (_, i) => store.openDigest('#a', 'g', 'g', at(-900), at(i))));
    expect(new Set(digests.map((d) => d.id)).size).toBe(1);
    const id = digests[0]!.id;
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.addDigestMember({ digestId: id, findingId: `f${i % 6}`, line: 'l', accountId: 'a', severity: 'LOW' }, at(i))),
    );
    expect((await store.getDigest(id))?.count).toBe(6);
    const seqs = (await store.unlistedMembers(id, 100)).map((m) => m.seq);
    expect(new Set(seqs).size).toBe(6);
  });
});
