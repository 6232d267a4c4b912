import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AwsCall } from '../../src/domain/actions/aws-call.ts';
import type {
  ActionFields,
  CaseAction,
  EscalationRecord,
  OfferRecord,
  RemediationAction,
  RemediationRequest,
  SnoozeRecord,
  StatusAction,
} from '../../src/ports/action-store.ts';
import { DynamoStore } from '../../src/store/dynamodb.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { StoredRecordError } from '../../src/store/record-codecs.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/ports/store.ts';
import { startDynalite, type Dynalite } from '../support/dynalite.ts';

const T0 = '2026-11-22T12:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

const keyCall = (status: 'Active' | 'Inactive'): AwsCall => ({
  service: 'iam',
  operation: 'UpdateAccessKey',
  account: '111122223333',
  region: 'us-east-1',
  input: { UserName: 'alice', AccessKeyId: 'AKIA1', Status: status },
});

const remediationRequest: RemediationRequest = {
  remediationId: 'deactivate-access-key',
  inputs: { account: '111122223333', userName: 'alice', accessKeyId: 'AKIA1' },
  findingId: 'f1',
  channel: 'C1',
  threadTs: '1.1',
  plan: { calls: [keyCall('Inactive')], undo: [keyCall('Active')], notes: ['Whatever uses the key stops working.'] },
  note: 'leaked in a public repository',
};

const fields = (id: string, over: Partial<ActionFields>): ActionFields => ({
  id,
  findingId: 'f1',
  channel: 'C1',
  threadTs: '1.1',
  requestedBy: 'U1',
  approvedBy: null,
  state: 'running',
  messageTs: null,
  createdAt: T0,
  updatedAt: T0,
  ...over,
});

const action = (id: string, over: Partial<ActionFields> = {}): RemediationAction => ({
  ...fields(id, over),
  kind: 'remediation:deactivate-access-key',
  input: remediationRequest,
  result: null,
});

const statusAction = (id: string, over: Partial<ActionFields> = {}): StatusAction => ({
  ...fields(id, over),
  kind: 'status',
  input: { status: 'RESOLVED', note: 'false positive', call: { ...keyCall('Active'), service: 'securityhub', operation: 'BatchUpdateFindings' } },
  result: null,
});

const escalation = (findingId: string, nextAt: string | null): EscalationRecord => ({
  findingId,
  channel: 'C1',
  threadTs: '1.1',
  stage: 'waiting',
  nextAt,
  notify: ['S0ONCALL'],
  cirtAfterSeconds: 900,
  autoOpenCase: false,
  ackedBy: null,
  ackedAt: null,
  createdAt: T0,
  updatedAt: T0,
});

const dirs: string[] = [];
let sqlitePath = '';
// One dynalite for the file, a fresh table for each store; reopening is a new store over the same table.
let dynalite: Promise<Dynalite> | undefined;
let dynamoTable = '';
const implementations: Array<[string, () => Store | Promise<Store>, (() => Store | Promise<Store>) | null]> = [
  ['memory', () => new MemoryStore(), null],
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-actions-'));
      dirs.push(dir);
      sqlitePath = path.join(dir, 'test.db');
      return new SqliteStore(sqlitePath);
    },
    () => new SqliteStore(sqlitePath),
  ],
  [
    'dynamodb',
    async () => {
      dynalite ??= startDynalite();
      const d = await dynalite;
      dynamoTable = await d.createTable();
      return new DynamoStore({ client: d.client, tableName: dynamoTable });
    },
    async () => new DynamoStore({ client: (await dynalite!).client, tableName: dynamoTable }),
  ],
];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

afterAll(async () => {
  await (await dynalite)?.close();
});

const snoozeRecord = (id: string, expiresAt: string, over: Partial<SnoozeRecord> = {}): SnoozeRecord => ({
  id,
  criteria: { resource: null, principal: 'ci-deployer', type: null, accountId: '111122223333' },
  expiresAt,
  reason: 'the pen test runs until Friday',
  createdBy: 'U0ALICE',
  createdAt: T0,
  state: 'active',
  findingId: 'f1',
  channel: 'C1',
  threadTs: '1.1',
  endedBy: null,
  endedAt: null,
  updatedAt: T0,
  ...over,
});

describe.each(implementations)('%s action store contract', (_name, make, reopen) => {
  it('records a request once, whatever the number of deliveries', async () => {
    const { actions } = await make();
    expect(await actions.insertAction(action('a1'))).toBe(true);
    expect(await actions.insertAction(action('a1', { requestedBy: 'U2' }))).toBe(false);
    expect((await actions.getAction('a1'))?.requestedBy).toBe('U1');
  });

  it('moves an action only from the states named: the second of two concurrent moves loses', async () => {
    const { actions } = await make();
    await actions.insertAction(action('a1', { state: 'awaiting_approval' }));
    const [first, second] = await Promise.all([
      actions.transitionAction('a1', ['awaiting_approval'], { state: 'running', approvedBy: 'U2' }),
      actions.transitionAction('a1', ['awaiting_approval'], { state: 'running', approvedBy: 'U3' }),
    ]);
    expect([first?.approvedBy, second?.approvedBy].filter(Boolean)).toHaveLength(1);
    expect(await actions.transitionAction('missing', ['running'], { state: 'failed' })).toBeNull();
    const run = { status: 'succeeded' as const, outcomes: [{ call: keyCall('Inactive'), ok: true, answer: {} }] };
    const done = await actions.transitionAction('a1', ['running'], { state: 'succeeded', result: run, updatedAt: at(5) });
    expect(done).toMatchObject({ state: 'succeeded', result: run, updatedAt: at(5), requestedBy: 'U1', input: remediationRequest });
  });

  it("gives back each kind's input and outcome as they were recorded", async () => {
    const store = await make();
    const { actions } = store;
    const status: StatusAction = {
      ...statusAction('s1', { state: 'failed' }),
      input: { ...statusAction('s1').input, calls: [keyCall('Active')] },
      result: { error: { name: 'AccessDeniedException', message: 'no' }, unprocessed: [{ id: 'f1', reason: 'gone' }] },
    };
    const opened: CaseAction = {
      ...fields('c1', { state: 'succeeded', createdAt: at(1) }),
      kind: 'case',
      input: {
        title: 'Exposed key',
        description: 'A key was used from an unknown IP.',
        engagementType: 'Security Incident',
        reportedIncidentStartDate: T0,
        impactedAccounts: ['111122223333'],
        impactedAwsRegions: ['us-east-1'],
        threatActorIpAddresses: ['198.51.100.7'],
        impactedServices: ['iam'],
        watchers: [{ email: 'sec@example.com', name: 'Security' }],
        resolverType: 'Self',
      },
      result: { caseId: '8403556001', comments: 2 },
    };
    const undone: RemediationAction = {
      ...action('r1', { state: 'undone', createdAt: at(2) }),
      result: {
        status: 'succeeded',
        outcomes: [{ call: keyCall('Inactive'), ok: true, answer: { ResponseMetadata: {} } }],
        undo: { status: 'succeeded', outcomes: [{ call: keyCall('Active'), ok: true }] },
        undoneBy: 'U2',
      },
    };
    for (const a of [status, opened, undone]) await actions.insertAction(a);
    expect(await actions.getAction('s1')).toEqual(status);
    expect(await actions.getAction('c1')).toEqual(opened);
    expect(await actions.getAction('r1')).toEqual(undone);
    expect(await actions.listActions({ findingId: 'f1' })).toEqual([status, opened, undone]);
    if (reopen) {
      await store.close();
      const again = await reopen();
      expect(await again.actions.listActions({ findingId: 'f1' })).toEqual([status, opened, undone]);
      await again.close();
    }
  });

  it('lists actions by finding, state and kind', async () => {
    const { actions } = await make();
    await actions.insertAction(statusAction('a1', { createdAt: at(1) }));
    await actions.insertAction(statusAction('a2', { findingId: 'f2', createdAt: at(2) }));
    await actions.insertAction(action('a3', { state: 'awaiting_approval', createdAt: at(3) }));
    expect((await actions.listActions({ findingId: 'f1' })).map((a) => a.id)).toEqual(['a1', 'a3']);
    expect((await actions.listActions({ state: 'awaiting_approval' })).map((a) => a.id)).toEqual(['a3']);
    expect((await actions.listActions({ kind: 'status' })).map((a) => a.id)).toEqual(['a1', 'a2']);
  });

  it('keeps offers: inserted once (a second insert of the id changes nothing), read back by id, across a reopen', async () => {
    const store = await make();
    const offer: OfferRecord = {
      id: 'offer-1',
      findingId: 'arn:aws:guardduty:us-east-1:1:detector/d/finding/f#1',
      kind: 'remediation',
      payload: { remediationId: 'deactivate-access-key', inputs: { accessKeyId: 'AKIA1' } },
      createdAt: T0,
    };
    expect(await store.actions.insertOffer(offer)).toBe(true);
    expect(await store.actions.insertOffer({ ...offer, findingId: 'other', kind: 'status', payload: {}, createdAt: at(5) })).toBe(false);
    expect(await store.actions.getOffer('offer-1')).toEqual(offer);
    await store.actions.insertOffer({ id: 'offer-4', findingId: 'f1', kind: 'status', payload: {}, createdAt: T0 });
    expect(await store.actions.getOffer('offer-4')).toEqual({ id: 'offer-4', findingId: 'f1', kind: 'status', payload: {}, createdAt: T0 });
    expect(await store.actions.getOffer('offer-2')).toBeNull();
    // Concurrent registrations of the same offer (two renderings of one message): one insert wins.
    const raced = await Promise.all([1, 2, 3].map(() => store.actions.insertOffer({ ...offer, id: 'offer-3' })));
    expect(raced.filter(Boolean)).toHaveLength(1);
    if (reopen) {
      await store.close();
      const again = await reopen();
      expect(await again.actions.getOffer('offer-1')).toEqual(offer);
      await again.close();
    }
  });

  it('keeps cases, finds them by thread, lists the newest first', async () => {
    const { actions } = await make();
    const base = {
      findingId: 'f1',
      channel: 'C1',
      title: 't',
      status: 'Submitted',
      resolverType: 'Self' as const,
      engagementType: null,
      commentsShownThrough: null,
      createdBy: 'U1',
      updatedAt: T0,
    };
    await actions.putCase({ ...base, caseId: '100', threadTs: '1.1', createdAt: at(1) });
    await actions.putCase({ ...base, caseId: '200', threadTs: '2.2', createdAt: at(2) });
    await actions.putCase({ ...base, caseId: '100', threadTs: '1.1', createdAt: at(1), resolverType: 'AWS' });
    expect((await actions.findCaseByThread('C1', '1.1'))?.resolverType).toBe('AWS');
    // What the service said of the case, and how far its comments were shown, are kept.
    const shown = { ...base, caseId: '200', threadTs: '2.2', createdAt: at(2), engagementType: 'Investigation' as const, commentsShownThrough: at(3) };
    await actions.putCase(shown);
    expect(await actions.getCase('200')).toEqual(shown);
    expect((await actions.listCases()).map((c) => c.caseId)).toEqual(['200', '100']);
    expect(await actions.getCase('300')).toBeNull();
  });

  it('appends audit records in order and filters by time', async () => {
    const { actions } = await make();
    for (const [i, outcome] of (['requested', 'approved', 'executed'] as const).entries()) {
      await actions.appendAudit({
        at: at(i * 60),
        actor: 'U1',
        action: 'status',
        target: 'f1',
        inputs: { status: 'RESOLVED' },
        outcome,
        result: null,
        permalink: null,
      });
    }
    expect((await actions.listAudit()).map((a) => a.outcome)).toEqual(['requested', 'approved', 'executed']);
    expect((await actions.listAudit({ since: at(60) })).map((a) => a.outcome)).toEqual(['approved', 'executed']);
    expect((await actions.listAudit())[0]?.inputs).toEqual({ status: 'RESOLVED' });
  });

  it('keeps escalation timers: due ones are found, a transition is taken once', async () => {
    const store = await make();
    expect(await store.actions.insertEscalation(escalation('f1', at(900)))).toBe(true);
    expect(await store.actions.insertEscalation(escalation('f1', at(10)))).toBe(false);
    await store.actions.insertEscalation(escalation('f2', at(300)));
    expect((await store.actions.dueEscalations(at(899))).map((e) => e.findingId)).toEqual(['f2']);
    expect(await store.actions.transitionEscalation('f2', ['waiting'], { stage: 'acknowledged', nextAt: null, ackedBy: 'U9' })).toMatchObject({
      ackedBy: 'U9',
    });
    expect(await store.actions.transitionEscalation('f2', ['waiting'], { stage: 'mentioned' })).toBeNull();
    expect((await store.actions.dueEscalations(at(3600))).map((e) => e.findingId)).toEqual(['f1']);
    if (reopen) {
      await store.close();
      const again = await reopen();
      expect((await again.actions.dueEscalations(at(3600))).map((e) => e.findingId)).toEqual(['f1']);
      await again.close();
    }
  });

  it("keeps an escalation's page (absent in records written before paging), and changes it with a transition", async () => {
    const store = await make();
    const page = {
      pager: 'pagerduty' as const,
      at: 'mention' as const,
      key: 'offer-0123456789abcdef0123456789abcdef',
      want: 'none' as const,
      sent: 'none' as const,
    };
    await store.actions.insertEscalation(escalation('old', at(60)));
    expect((await store.actions.getEscalation('old'))?.page ?? null).toBeNull();
    await store.actions.insertEscalation({ ...escalation('paged', at(60)), page });
    expect((await store.actions.getEscalation('paged'))?.page).toEqual(page);
    const moved = await store.actions.transitionEscalation('paged', ['waiting'], { page: { ...page, want: 'triggered', sent: 'triggered' } });
    expect(moved?.page).toMatchObject({ want: 'triggered', sent: 'triggered' });
    expect((await store.actions.getEscalation('paged'))?.page).toMatchObject({ want: 'triggered', sent: 'triggered' });
    expect((await store.actions.dueEscalations(at(3600))).map((e) => e.findingId).sort()).toEqual(['old', 'paged']);
  });
});

describe.each(implementations)('%s snooze store contract', (_name, make, reopen) => {
  it('keeps a snooze once (a double submit makes one), lists the active ones by expiry, finds those due', async () => {
    const { actions } = await make();
    expect(await actions.insertSnooze(snoozeRecord('snooze-a', at(7200)))).toBe(true);
    expect(await actions.insertSnooze(snoozeRecord('snooze-a', at(60), { reason: 'again' }))).toBe(false);
    await actions.insertSnooze(snoozeRecord('snooze-b', at(3600), { criteria: { resource: 'arn:aws:s3:::b', principal: null, type: 'T', accountId: null } }));
    expect(await actions.getSnooze('snooze-a')).toEqual(snoozeRecord('snooze-a', at(7200)));
    expect((await actions.listSnoozes('active')).map((s) => s.id)).toEqual(['snooze-b', 'snooze-a']);
    expect((await actions.listSnoozes('active'))[0]?.criteria).toEqual({ resource: 'arn:aws:s3:::b', principal: null, type: 'T', accountId: null });
    expect((await actions.dueSnoozes(at(3600))).map((s) => s.id)).toEqual(['snooze-b']);
    expect(await actions.getSnooze('nope')).toBeNull();
  });

  it('moves a snooze only from the states named, off the active list', async () => {
    const store = await make();
    await store.actions.insertSnooze(snoozeRecord('snooze-a', at(60)));
    const ended = { endedBy: 'U0SAM', endedAt: at(30), updatedAt: at(30) };
    expect(await store.actions.transitionSnooze('snooze-a', ['active'], { state: 'cancelled', ...ended })).toMatchObject({
      state: 'cancelled',
      endedBy: 'U0SAM',
    });
    expect(await store.actions.transitionSnooze('snooze-a', ['active'], { state: 'expired' })).toBeNull();
    expect(await store.actions.listSnoozes('active')).toEqual([]);
    expect(await store.actions.dueSnoozes(at(3600))).toEqual([]);
    expect((await store.actions.listSnoozes('cancelled')).map((s) => s.id)).toEqual(['snooze-a']);
    if (reopen) {
      await store.close();
      const again = await reopen();
      expect(await again.actions.getSnooze('snooze-a')).toMatchObject({ state: 'cancelled', endedAt: at(30) });
      await again.close();
    }
  });

  it('counts each finding a snooze held back once', async () => {
    const { actions } = await make();
    await actions.insertSnooze(snoozeRecord('snooze-a', at(60)));
    expect(await actions.heldCount('snooze-a')).toBe(0);
    expect(await actions.holdFinding('snooze-a', 'f1', at(1))).toBe(true);
    expect(await actions.holdFinding('snooze-a', 'f1', at(2))).toBe(false);
    expect(await actions.holdFinding('snooze-a', 'f#2', at(3))).toBe(true);
    expect(await actions.holdFinding('snooze-b', 'f1', at(3))).toBe(true);
    expect(await actions.heldCount('snooze-a')).toBe(2);
    expect(await actions.heldCount('snooze-b')).toBe(1);
  });
});

describe('stored action documents that do not match their record', () => {
  it('are refused by SQLite with an error naming the record and what is wrong', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-actions-'));
    dirs.push(dir);
    const file = path.join(dir, 'test.db');
    const store = new SqliteStore(file);
    await store.actions.insertAction(statusAction('s1'));
    await store.actions.insertAction(action('r1'));
    await store.actions.insertAction(action('r2', { createdAt: at(5) }));
    await store.actions.insertOffer({ id: 'offer-1', findingId: 'f1', kind: 'status', payload: {}, createdAt: T0 });
    await store.close();
    // Written behind sirbot's back: a status with no call, a remediation whose input is cut off, an offer of an unknown kind.
    const raw = new Database(file);
    const docOf = (id: string) => JSON.parse((raw.prepare('SELECT doc FROM actions WHERE id = ?').get(id) as { doc: string }).doc);
    raw
      .prepare('UPDATE actions SET doc = ? WHERE id = ?')
      .run(JSON.stringify({ ...docOf('s1'), input: JSON.stringify({ status: 'RESOLVED', note: '' }) }), 's1');
    raw.prepare('UPDATE actions SET doc = ? WHERE id = ?').run(JSON.stringify({ ...docOf('r1'), input: '{"remediationId":"deactivate-access-k' }), 'r1');
    raw.prepare("UPDATE offers SET doc = json_set(doc, '$.kind', 'launch') WHERE id = 'offer-1'").run();
    raw.close();
    const unreadable: string[] = [];
    const reopened = new SqliteStore(file, { onUnreadable: (err) => unreadable.push(err.id) });
    await expect(reopened.actions.getAction('s1')).rejects.toThrow(StoredRecordError);
    await expect(reopened.actions.getAction('s1')).rejects.toThrow(/^stored action s1 cannot be read: it does not match its schema \(input\.call: /);
    await expect(reopened.actions.getAction('r1')).rejects.toThrow(/^stored action r1 cannot be read: input is not JSON/);
    // The finding's history still lists what can be read; the rest is reported, not a reason to stop.
    expect((await reopened.actions.listActions({ findingId: 'f1' })).map((a) => a.id)).toEqual(['r2']);
    expect(unreadable.sort()).toEqual(['r1', 's1']);
    await expect(reopened.actions.getOffer('offer-1')).rejects.toThrow(/^stored offer offer-1 cannot be read: it does not match its schema \(kind: /);
    await reopened.close();
  });

  it('are refused for a snooze, and a list goes past it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-actions-'));
    dirs.push(dir);
    const file = path.join(dir, 'test.db');
    const store = new SqliteStore(file);
    await store.actions.insertSnooze(snoozeRecord('snooze-a', at(60)));
    await store.actions.insertSnooze(snoozeRecord('snooze-b', at(90)));
    await store.close();
    const raw = new Database(file);
    raw.prepare("UPDATE snoozes SET doc = json_set(doc, '$.criteria', json('\"everything\"')) WHERE id = 'snooze-a'").run();
    raw.close();
    const unreadable: string[] = [];
    const reopened = new SqliteStore(file, { onUnreadable: (err) => unreadable.push(err.id) });
    await expect(reopened.actions.getSnooze('snooze-a')).rejects.toThrow(/^stored snooze snooze-a cannot be read: it does not match its schema \(criteria/);
    expect((await reopened.actions.listSnoozes('active')).map((s) => s.id)).toEqual(['snooze-b']);
    expect(unreadable).toEqual(['snooze-a']);
    await reopened.close();
  });

  it('are refused by DynamoDB with an error naming the record and what is wrong', async () => {
    dynalite ??= startDynalite();
    const d = await dynalite;
    const tableName = await d.createTable();
    const store = new DynamoStore({ client: d.client, tableName });
    await store.actions.insertAction(action('r1'));
    await store.actions.insertOffer({ id: 'offer-1', findingId: 'f1', kind: 'remediation', payload: { remediationId: 'x', inputs: {} }, createdAt: T0 });
    const set = (pk: string, sk: string, attribute: string, value: string) =>
      d.client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: pk }, sk: { S: sk } },
          UpdateExpression: 'SET #a = :v',
          ExpressionAttributeNames: { '#a': attribute },
          ExpressionAttributeValues: { ':v': { S: value } },
        }),
      );
    await set('ACTION#r1', 'ACTION', 'result', JSON.stringify({ status: 'done', outcomes: [] }));
    await set('OFFER#offer-1', 'OFFER', 'payload', '{"remediationId":5,"inputs":{}}');
    await expect(store.actions.getAction('r1')).rejects.toThrow(/^stored action r1 cannot be read: it does not match its schema \(result\.status: /);
    await expect(store.actions.getOffer('offer-1')).rejects.toThrow(/^stored offer offer-1 cannot be read: it does not match its schema \(payload/);
  });
});
