import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ActionRecord, EscalationRecord } from '../../src/ports/action-store.ts';
import { DynamoStore } from '../../src/store/dynamodb.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/ports/store.ts';
import { startDynalite, type Dynalite } from '../support/dynalite.ts';

const T0 = '2026-11-22T12:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

const action = (id: string, over: Partial<ActionRecord> = {}): ActionRecord => ({
  id,
  kind: 'remediation:deactivate-access-key',
  findingId: 'f1',
  channel: 'C1',
  threadTs: '1.1',
  requestedBy: 'U1',
  approvedBy: null,
  state: 'running',
  input: '{}',
  result: null,
  messageTs: null,
  createdAt: T0,
  updatedAt: T0,
  ...over,
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
    const done = await actions.transitionAction('a1', ['running'], { state: 'succeeded', result: '{"ok":true}', updatedAt: at(5) });
    expect(done).toMatchObject({ state: 'succeeded', result: '{"ok":true}', updatedAt: at(5), requestedBy: 'U1' });
  });

  it('lists actions by finding, state and kind', async () => {
    const { actions } = await make();
    await actions.insertAction(action('a1', { kind: 'status', createdAt: at(1) }));
    await actions.insertAction(action('a2', { kind: 'status', findingId: 'f2', createdAt: at(2) }));
    await actions.insertAction(action('a3', { state: 'awaiting_approval', createdAt: at(3) }));
    expect((await actions.listActions({ findingId: 'f1' })).map((a) => a.id)).toEqual(['a1', 'a3']);
    expect((await actions.listActions({ state: 'awaiting_approval' })).map((a) => a.id)).toEqual(['a3']);
    expect((await actions.listActions({ kind: 'status' })).map((a) => a.id)).toEqual(['a1', 'a2']);
  });

  it('keeps offers: inserted once (a second insert of the id changes nothing), read back by id, across a reopen', async () => {
    const store = await make();
    const offer = {
      id: 'offer-1',
      findingId: 'arn:aws:guardduty:us-east-1:1:detector/d/finding/f#1',
      kind: 'remediation',
      payload: '{"remediationId":"deactivate-access-key","inputs":{"accessKeyId":"AKIA1"}}',
      createdAt: T0,
    };
    expect(await store.actions.insertOffer(offer)).toBe(true);
    expect(await store.actions.insertOffer({ ...offer, findingId: 'other', payload: '{}', createdAt: at(5) })).toBe(false);
    expect(await store.actions.getOffer('offer-1')).toEqual(offer);
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
    const base = { findingId: 'f1', channel: 'C1', title: 't', status: 'Submitted', resolverType: 'Self' as const, createdBy: 'U1', updatedAt: T0 };
    await actions.putCase({ ...base, caseId: '100', threadTs: '1.1', createdAt: at(1) });
    await actions.putCase({ ...base, caseId: '200', threadTs: '2.2', createdAt: at(2) });
    await actions.putCase({ ...base, caseId: '100', threadTs: '1.1', createdAt: at(1), resolverType: 'AWS' });
    expect((await actions.findCaseByThread('C1', '1.1'))?.resolverType).toBe('AWS');
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
});
