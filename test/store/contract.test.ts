import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DynamoStore, TTL_ATTRIBUTE } from '../../src/store/dynamodb.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { InvestigationSummary } from '../../src/domain/investigation/summary.ts';
import type { TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import type { FindingRecord, InvestigationConclusions, Store } from '../../src/ports/store.ts';
import { StoredRecordError } from '../../src/store/record-codecs.ts';
import { startDynalite, type Dynalite } from '../support/dynalite.ts';
import { makeFinding } from '../support/findings.ts';

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
    state: 'received',
    version: 1,
    sentAt: null,
    attemptAt: null,
    attempts: 0,
    followUpPending: false,
    pendingSnapshot: null,
    ...over,
  };
}

const dirs: string[] = [];
// One dynalite for the file, a fresh table for each store.
let dynalite: Promise<Dynalite> | undefined;
const dynamo = async () => {
  dynalite ??= startDynalite();
  const d = await dynalite;
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
    expect(await store.getFinding('nope')).toBeNull();
    await store.close();
  });

  it('gives back the finding a record holds, and the newer version waiting, as they were stored', async () => {
    const store = await make();
    const delivered = makeFinding({
      id: 'f1',
      raw: { Id: 'f1', Resources: [{ Type: 'AwsS3Bucket', Details: { Nested: [1, null, 'x'] } }], Note: 'it’s "quoted" ✓' },
    });
    const newer = makeFinding({ id: 'f1', title: 'newer', severity: { label: 'HIGH', score: 70, original: 8 }, updatedAt: at(60) });
    await store.insertFinding(record('f1', { snapshot: delivered }));
    const read = (await store.getFinding('f1'))!;
    expect(read.snapshot).toEqual(delivered);
    expect(read.pendingSnapshot).toBeNull();
    expect(await store.updateFinding({ ...read, pendingSnapshot: newer })).toBe(true);
    expect(await store.getFinding('f1')).toMatchObject({ snapshot: delivered, pendingSnapshot: newer, version: 2 });
    expect((await store.listIncompleteFindings(at(0), 10)).map((r) => r.pendingSnapshot)).toEqual([newer]);
    await store.close();
  });

  it('updates a finding by compare-and-set on its version: of two writers that read the same version, one wins', async () => {
    const store = await make();
    await store.insertFinding(record('f1'));
    const read = (await store.getFinding('f1'))!;
    expect(await store.updateFinding({ ...read, state: 'posting', sentAt: at(1) })).toBe(true);
    expect(await store.updateFinding({ ...read, state: 'digested', digestId: 'dg' })).toBe(false);
    const now = (await store.getFinding('f1'))!;
    expect(now).toMatchObject({ state: 'posting', sentAt: at(1), version: 2, digestId: null });
    expect(await store.updateFinding({ ...now, state: 'posted', ts: '1.000100', channel: 'C123', followUpPending: true })).toBe(true);
    expect(await store.getFinding('f1')).toMatchObject({ state: 'posted', ts: '1.000100', channel: 'C123', followUpPending: true, version: 3 });
    const racers = await Promise.all(Array.from({ length: 10 }, (_, i) => store.updateFinding({ ...(now as FindingRecord), version: 3, attempts: i + 1 })));
    expect(racers.filter(Boolean)).toHaveLength(1);
    await store.close();
  });

  it('lists the findings first delivered in a window, across days, oldest first, up to a limit', async () => {
    const store = await make();
    const day = 86_400;
    await store.insertFinding(record('before', { deliveredAt: at(-3 * day) }));
    await store.insertFinding(record('from-edge', { deliveredAt: at(-2 * day) }));
    await store.insertFinding(record('yesterday', { deliveredAt: at(-day + 60), state: 'suppressed', suppressed: true }));
    await store.insertFinding(record('today', { deliveredAt: at(0), state: 'posted', ts: '1.1' }));
    await store.insertFinding(record('to-edge', { deliveredAt: at(day) }));
    // An insert that loses to the first one leaves the first delivery time.
    expect(await store.insertFinding(record('today', { deliveredAt: at(-day - 60) }))).toBe(false);
    // Later writes keep the delivery time.
    const today = (await store.getFinding('today'))!;
    await store.updateFinding({ ...today, state: 'posted', workflowStatus: 'NOTIFIED' });
    const listed = await store.listFindingsDelivered(at(-2 * day), at(day), 100);
    expect(listed.map((r) => r.findingId)).toEqual(['from-edge', 'yesterday', 'today']);
    expect(listed[2]).toMatchObject({ state: 'posted', workflowStatus: 'NOTIFIED', deliveredAt: at(0) });
    expect((await store.listFindingsDelivered(at(-2 * day), at(day), 2)).map((r) => r.findingId)).toEqual(['from-edge', 'yesterday']);
    expect(await store.listFindingsDelivered(at(2 * day), at(3 * day), 10)).toEqual([]);
    await store.close();
  });

  it('lists incomplete deliveries whose attempt is stale, oldest attempt first', async () => {
    const store = await make();
    await store.insertFinding(record('received-never-tried'));
    await store.insertFinding(record('posting-old', { state: 'posting', attemptAt: at(-600), sentAt: at(-600) }));
    await store.insertFinding(record('posting-fresh', { state: 'posting', attemptAt: at(-5) }));
    await store.insertFinding(record('posted', { state: 'posted', ts: '1.1', attemptAt: at(-900) }));
    await store.insertFinding(record('follow-ups', { state: 'posted', ts: '1.2', attemptAt: at(-300), followUpPending: true }));
    await store.insertFinding(
      record('newer-version', { state: 'posted', ts: '1.3', attemptAt: at(-200), pendingSnapshot: makeFinding({ id: 'newer-version' }) }),
    );
    await store.insertFinding(record('digested', { state: 'digested', digestId: 'dg', attemptAt: at(-900) }));
    await store.insertFinding(record('failed', { state: 'failed', attemptAt: at(-900) }));
    const stale = await store.listIncompleteFindings(at(-60), 10);
    expect(stale.map((r) => r.findingId)).toEqual(['received-never-tried', 'posting-old', 'follow-ups', 'newer-version']);
    expect((await store.listIncompleteFindings(at(-60), 2)).map((r) => r.findingId)).toEqual(['received-never-tried', 'posting-old']);
    // Completing one takes it off the list.
    const old = (await store.getFinding('posting-old'))!;
    await store.updateFinding({ ...old, state: 'posted', ts: '2.2' });
    expect((await store.listIncompleteFindings(at(0), 10)).map((r) => r.findingId)).toEqual([
      'received-never-tried',
      'follow-ups',
      'newer-version',
      'posting-fresh',
    ]);
    await store.close();
  });

  it('keeps a snoozed delivery as finished: off the incomplete list, also once moved there from received', async () => {
    const store = await make();
    await store.insertFinding(record('held', { state: 'snoozed' }));
    await store.insertFinding(record('moving', { attemptAt: at(-600) }));
    expect((await store.listIncompleteFindings(at(0), 10)).map((r) => r.findingId)).toEqual(['moving']);
    const moving = (await store.getFinding('moving'))!;
    expect(await store.updateFinding({ ...moving, state: 'snoozed', attemptAt: null })).toBe(true);
    expect(await store.listIncompleteFindings(at(0), 10)).toEqual([]);
    expect((await store.getFinding('moving'))?.state).toBe('snoozed');
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

  it('a finding that holds a slot in the window keeps it (a resumed delivery), a full window takes nobody else', async () => {
    const store = await make();
    expect(await store.reserveRootSlot('#a', 'f1', at(-60), 1, at(0))).toBe(true);
    expect(await store.reserveRootSlot('#a', 'f2', at(-60), 1, at(1))).toBe(false);
    expect(await store.reserveRootSlot('#a', 'f1', at(-60), 1, at(2))).toBe(true);
    // Once the window has moved past the slot, it is a new reservation like any other.
    expect(await store.reserveRootSlot('#a', 'f2', at(1), 1, at(61))).toBe(true);
    expect(await store.reserveRootSlot('#a', 'f1', at(1), 1, at(62))).toBe(false);
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
    expect((await store.getDigest(d1.id))?.unlisted).toBe(5);
    const first = await store.unlistedMembers(d1.id, 3);
    expect(first.map((m) => [m.findingId, m.seq])).toEqual([
      ['f0', 1],
      ['f1', 2],
      ['f2', 3],
    ]);
    await store.markListed(
      d1.id,
      first.map((m) => m.findingId),
    );
    // Marking again (a resumed flush) counts nothing twice.
    await store.markListed(d1.id, ['f0', 'f1']);
    expect((await store.unlistedMembers(d1.id, 10)).map((m) => m.findingId)).toEqual(['f3', 'f4']);
    expect((await store.getDigest(d1.id))?.unlisted).toBe(2);
    await store.updateDigest(d1.id, { ts: '2.000200', slackChannel: 'C999', rootSentAt: at(3) });
    await store.updateDigest(d1.id, { listingKey: 'k1', listingSentAt: at(4), attempts: 2, lastError: 'http 503' });
    expect(await store.getDigest(d1.id)).toMatchObject({
      ts: '2.000200',
      slackChannel: 'C999',
      channel: '#a',
      rootSentAt: at(3),
      listingKey: 'k1',
      listingSentAt: at(4),
      attempts: 2,
      lastError: 'http 503',
    });
    // After the digest window closes a new digest opens for the same group.
    const later = await store.openDigest('#a', 'storm|control S3.1', 'control S3.1', at(1000), at(2000));
    expect(later.id).not.toBe(d1.id);
    await store.close();
  });

  it('lists digests with members to list or a root to post, and leases one flush at a time', async () => {
    const store = await make();
    const posted = await store.openDigest('#a', 'g1', 'g1', at(-900), at(0));
    const waiting = await store.openDigest('#a', 'g2', 'g2', at(-900), at(1));
    const empty = await store.openDigest('#a', 'g3', 'g3', at(-900), at(2));
    const old = await store.openDigest('#b', 'g1', 'g1', at(-900), at(-5000));
    for (const d of [posted, waiting, old])
      await store.addDigestMember({ digestId: d.id, findingId: `f-${d.id}`, line: 'l', accountId: 'a', severity: 'LOW' }, at(3));
    await store.updateDigest(posted.id, { ts: '1.1', slackChannel: 'C1' });
    await store.markListed(posted.id, [`f-${posted.id}`]);
    expect((await store.listDigestsToFlush(at(-1000), 10)).map((d) => d.id)).toEqual([waiting.id]);
    expect((await store.listDigestsToFlush(at(-6000), 10)).map((d) => d.id)).toEqual([old.id, waiting.id]);
    expect(empty.count).toBe(0);

    expect(await store.claimDigestFlush(waiting.id, at(60), at(0))).toBe(true);
    expect(await store.claimDigestFlush(waiting.id, at(70), at(10))).toBe(false);
    // The holder renews its own lease; someone holding an older one cannot.
    expect(await store.claimDigestFlush(waiting.id, at(90), at(30), at(60))).toBe(true);
    expect(await store.claimDigestFlush(waiting.id, at(95), at(31), at(60))).toBe(false);
    // A crashed holder's lease runs out.
    expect(await store.claimDigestFlush(waiting.id, at(130), at(91))).toBe(true);
    await store.releaseDigestFlush(waiting.id);
    const racers = await Promise.all(Array.from({ length: 6 }, () => store.claimDigestFlush(waiting.id, at(200), at(62))));
    expect(racers.filter(Boolean)).toHaveLength(1);
    expect(await store.claimDigestFlush('no-such-digest', at(60), at(0))).toBe(false);
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
    await store.addDeadLetter({ receivedAt: at(0), origin: 'http', path: 'a', error: 'e1', payload: '{}', count: 1 });
    await store.addDeadLetter({ receivedAt: at(1), origin: 'sns', path: 'b', error: 'e2', payload: '[]', count: 40 });
    const [newest, oldest] = await store.listDeadLetters();
    expect([newest?.error, oldest?.error]).toEqual(['e2', 'e1']);
    expect(newest?.count).toBe(40);
    expect(await store.getDeadLetter(oldest!.id)).toEqual(oldest);
    await store.deleteDeadLetter(oldest!.id);
    expect(await store.getDeadLetter(oldest!.id)).toBeNull();
    expect((await store.listDeadLetters()).map((d) => d.error)).toEqual(['e2']);
    await store.close();
  });
});

describe('sqlite persistence', () => {
  it('refuses a stored finding or investigation that does not match its record, with an error naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-store-'));
    dirs.push(dir);
    const file = path.join(dir, 'corrupt.db');
    const store = new SqliteStore(file);
    await store.insertFinding(record('torn', { snapshot: makeFinding({ id: 'torn' }) }));
    await store.insertFinding(record('no-severity', { snapshot: makeFinding({ id: 'no-severity' }) }));
    await store.insertFinding(record('intact', { snapshot: makeFinding({ id: 'intact' }) }));
    await store.insertInvestigation({
      id: 'inv-1',
      findingId: 'intact',
      channel: 'C1',
      threadTs: '1.000100',
      state: 'asked',
      answers: { rotated: 'no' },
      questionsTs: null,
      progressTs: null,
      result: null,
      createdAt: T0,
      updatedAt: T0,
    });
    await store.close();
    // Written behind sirbot's back: a snapshot cut off, one without the severity, answers that are not text.
    const raw = new Database(file);
    raw.prepare("UPDATE findings SET snapshot = substr(snapshot, 1, 40) WHERE finding_id = 'torn'").run();
    raw.prepare("UPDATE findings SET snapshot = json_remove(snapshot, '$.severity') WHERE finding_id = 'no-severity'").run();
    raw.prepare('UPDATE investigations SET answers = ? WHERE id = ?').run('{"rotated":["no"]}', 'inv-1');
    raw.close();
    const unreadable: string[] = [];
    const reopened = new SqliteStore(file, { onUnreadable: (err) => unreadable.push(err.id) });
    await expect(reopened.getFinding('torn')).rejects.toThrow(StoredRecordError);
    await expect(reopened.getFinding('torn')).rejects.toThrow(/^stored finding record torn cannot be read: snapshot is not JSON/);
    await expect(reopened.getFinding('no-severity')).rejects.toThrow(
      /^stored finding record no-severity cannot be read: it does not match its schema \(snapshot\.severity: /,
    );
    expect((await reopened.getFinding('intact'))?.snapshot?.id).toBe('intact');
    await expect(reopened.getInvestigation('inv-1')).rejects.toThrow(
      /^stored investigation inv-1 cannot be read: it does not match its schema \(answers\.rotated: /,
    );
    // A list goes past what it cannot read, so one bad row does not stop every resume: it is reported and left out.
    expect((await reopened.listIncompleteFindings(at(60), 10)).map((r) => r.findingId)).toEqual(['intact']);
    expect(await reopened.listInvestigations()).toEqual([]);
    expect(unreadable.sort()).toEqual(['inv-1', 'no-severity', 'torn']);
    await reopened.close();
  });

  it('migrates a file written before delivery states: a record cut off mid-post resumes as posting, with a look first', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-store-'));
    dirs.push(dir);
    const file = path.join(dir, 'old.db');
    const old = new Database(file);
    const snapshot = JSON.stringify(makeFinding()).replaceAll("'", "''");
    old.exec(`
      CREATE TABLE findings (finding_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, updated_at TEXT, channel TEXT NOT NULL, ts TEXT,
        digest_id TEXT, suppressed INTEGER NOT NULL, severity TEXT NOT NULL, workflow_status TEXT NOT NULL, record_state TEXT NOT NULL,
        delivered_at TEXT NOT NULL, snapshot TEXT);
      CREATE TABLE digests (id TEXT PRIMARY KEY, channel TEXT NOT NULL, group_key TEXT NOT NULL, label TEXT NOT NULL, ts TEXT,
        slack_channel TEXT, opened_at TEXT NOT NULL, last_added_at TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE digest_members (digest_id TEXT NOT NULL, finding_id TEXT NOT NULL, seq INTEGER NOT NULL, line TEXT NOT NULL,
        account_id TEXT NOT NULL, severity TEXT NOT NULL, listed INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (digest_id, finding_id));
      CREATE TABLE dead_letters (id INTEGER PRIMARY KEY AUTOINCREMENT, received_at TEXT NOT NULL, origin TEXT NOT NULL, path TEXT NOT NULL,
        error TEXT NOT NULL, payload TEXT NOT NULL);
      INSERT INTO findings VALUES ('cut-off', 'fp', NULL, '#a', NULL, NULL, 0, 'HIGH', 'NEW', 'ACTIVE', '${at(-30)}', '${snapshot}');
      INSERT INTO findings VALUES ('posted', 'fp', NULL, 'C1', '1.1', NULL, 0, 'HIGH', 'NEW', 'ACTIVE', '${at(-30)}', '${snapshot}');
      INSERT INTO findings VALUES ('in-digest', 'fp', NULL, '#a', NULL, 'dg', 0, 'LOW', 'NEW', 'ACTIVE', '${at(-30)}', '${snapshot}');
      INSERT INTO findings VALUES ('quiet', 'fp', NULL, '#a', NULL, NULL, 1, 'LOW', 'NEW', 'ACTIVE', '${at(-30)}', '${snapshot}');
      INSERT INTO digests VALUES ('dg', '#a', 'g', 'g', NULL, NULL, '${at(-30)}', '${at(-20)}', 2);
      INSERT INTO digest_members VALUES ('dg', 'in-digest', 1, 'l1', 'a', 'LOW', 0), ('dg', 'other', 2, 'l2', 'a', 'LOW', 1);
      INSERT INTO dead_letters (received_at, origin, path, error, payload) VALUES ('${at(-10)}', 'http', 'p', 'e', '{}');
    `);
    old.close();
    const store = new SqliteStore(file);
    expect(await store.getFinding('cut-off')).toMatchObject({ state: 'posting', sentAt: at(-30), version: 1 });
    expect((await store.getFinding('posted'))?.state).toBe('posted');
    expect((await store.getFinding('in-digest'))?.state).toBe('digested');
    expect((await store.getFinding('quiet'))?.state).toBe('suppressed');
    expect((await store.listIncompleteFindings(at(0), 10)).map((r) => r.findingId)).toEqual(['cut-off']);
    expect(await store.getDigest('dg')).toMatchObject({ unlisted: 1, rootSentAt: at(-30) });
    expect((await store.listDigestsToFlush(at(-60), 10)).map((d) => d.id)).toEqual(['dg']);
    expect((await store.listDeadLetters())[0]?.count).toBe(1);
    await store.close();
  });

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
    answers: {},
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
    await store.updateInvestigation({ ...inv(), state: 'gathering', answers: { rotated: 'no' } });
    expect(await store.findInvestigationByThread('C1', '1.000100')).toMatchObject({ id: 'inv-1', state: 'gathering', answers: { rotated: 'no' } });
    expect((await store.listInvestigations('gathering')).map((i) => i.id)).toEqual(['inv-1']);
    expect(await store.listInvestigations('asked')).toEqual([]);
    expect(await store.getInvestigation('nope')).toBeNull();
    await store.close();
  });

  it('moves an investigation to a new thread: found by the new one, not by the old', async () => {
    const store = await make();
    await store.insertInvestigation(inv());
    await store.moveInvestigationThread('inv-1', 'C2', '2.000200', '2026-11-22T12:00:00.000Z');
    expect(await store.getInvestigation('inv-1')).toMatchObject({ channel: 'C2', threadTs: '2.000200', updatedAt: '2026-11-22T12:00:00.000Z', state: 'asked' });
    expect(await store.findInvestigationByThread('C2', '2.000200')).toMatchObject({ id: 'inv-1' });
    expect(await store.findInvestigationByThread('C1', '1.000100')).toBeNull();
    await store.close();
  });

  it("gives back an investigation's answers and conclusions as they were stored", async () => {
    const store = await make();
    const answers = {
      accessKeyId: 'AKIAEXPOSEDKEY000001',
      exposedAt: '2026-11-20T14:00:00Z',
      answeredBy: { exposedAt: 'U1' },
      disputed: { exposedAt: [{ value: '2026-11-19', by: 'U2', at: at(5) }] },
    };
    const highlight: TimelineEntry = {
      id: 'ev-1',
      time: at(-3600),
      source: 'cloudtrail',
      action: 'ListUsers',
      service: 'iam',
      actor: 'alice',
      actorType: 'IAMUser',
      accessKeyId: 'AKIAEXPOSEDKEY000001',
      sourceIp: '198.51.100.7',
      userAgent: 'aws-cli/2',
      resources: [],
      errorCode: null,
      accountId: '111122223333',
      region: 'us-east-1',
      tactics: ['Discovery'],
      highlights: ['first use of 198.51.100.7'],
    };
    // The summary is kept whole; its sections are the summary's own business.
    const summary = { text: 'The key was used from a new IP.', actors: ['alice'], sourceIps: ['198.51.100.7'] } as unknown as InvestigationSummary;
    const conclusions: InvestigationConclusions = { summary, window: { start: at(-7200), end: at(0) }, events: 12, highlights: [highlight] };
    await store.insertInvestigation(inv({ answers }));
    expect((await store.getInvestigation('inv-1'))?.answers).toEqual(answers);
    await store.updateInvestigation({ ...inv({ answers }), state: 'summarized', result: conclusions, updatedAt: at(1) });
    expect(await store.getInvestigation('inv-1')).toMatchObject({ state: 'summarized', answers, result: conclusions });
    expect((await store.listInvestigations('summarized'))[0]?.result).toEqual(conclusions);
    await store.updateInvestigation({ ...inv({ answers }), state: 'failed', result: { error: 'Error: throttled' }, updatedAt: at(2) });
    expect((await store.findInvestigationByThread('C1', '1.000100'))?.result).toEqual({ error: 'Error: throttled' });
    await store.close();
  });

  it('moves an investigation by compare-and-set on its state and update time: of two workers, one claims it', async () => {
    const store = await make();
    await store.insertInvestigation(inv());
    const read = (await store.getInvestigation('inv-1'))!;
    const claim = (by: string) => store.transitionInvestigation(read, { ...read, state: 'gathering', updatedAt: at(1), result: { error: by } });
    const wins = await Promise.all(['worker-a', 'worker-b', 'worker-c'].map(claim));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const claimed = (await store.getInvestigation('inv-1'))!;
    expect(claimed.state).toBe('gathering');
    expect((await store.listInvestigations('gathering')).map((i) => i.id)).toEqual(['inv-1']);
    // A stale read (the state or the time moved on) loses.
    expect(await store.transitionInvestigation(read, { ...read, state: 'summarized' })).toBe(false);
    expect(await store.transitionInvestigation(claimed, { ...claimed, state: 'summarized', updatedAt: at(2) })).toBe(true);
    expect((await store.getInvestigation('inv-1'))?.state).toBe('summarized');
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
    await store.actions.appendAudit({
      at: at(0),
      actor: 'U1',
      action: 'status',
      target: 'f1',
      inputs: {},
      outcome: 'requested',
      result: null,
      permalink: null,
    });
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
    for (let i = 0; i < 12; i++) await store.addDeadLetter({ receivedAt: at(i), origin: 'http', path: 'p', error: `e${i}`, payload: '{}', count: 1 });
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
