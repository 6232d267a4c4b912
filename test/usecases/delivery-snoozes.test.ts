import { describe, expect, it } from 'vitest';
import type { SnoozeRecord } from '../../src/ports/action-store.ts';
import { START, deliverySetup, findingNo as nth } from './delivery-setup.ts';

const HOUR = 3600_000;
/** The n-th finding, in an account of its own. */
const findingNo = (n: number, over: Parameters<typeof nth>[1] = {}) => nth(n, { accountId: `1111222233${String(n).padStart(2, '0')}`, ...over });

/** A snooze of an account, for an hour from START. */
const snoozeOfAccount = (accountId: string, over: Partial<SnoozeRecord> = {}): SnoozeRecord => ({
  id: 'snooze-1',
  criteria: { resource: null, principal: null, type: null, accountId },
  expiresAt: new Date(START + HOUR).toISOString(),
  reason: 'the red team is testing this account',
  createdBy: 'U0ALICE',
  createdAt: new Date(START).toISOString(),
  state: 'active',
  findingId: null,
  channel: 'C0SECURITY',
  threadTs: null,
  endedBy: null,
  endedAt: null,
  updatedAt: new Date(START).toISOString(),
  ...over,
});

describe('delivering a finding an active snooze covers', () => {
  it('stores and counts it but posts nothing; its delivery is over, so no sweep takes it up again', async () => {
    const { deliverer, notices, store, clock } = deliverySetup();
    const held = findingNo(1);
    await store.actions.insertSnooze(snoozeOfAccount(held.accountId));

    const results = await deliverer.deliver([held, findingNo(2)]);

    expect(results.map((r) => r.outcome)).toEqual(['snoozed', 'posted']);
    expect(notices.callsTo('postRoot')).toHaveLength(1);
    expect(await store.getFinding(held.id)).toMatchObject({ state: 'snoozed', ts: null, digestId: null, attemptAt: null });
    expect(await store.actions.heldCount('snooze-1')).toBe(1);
    clock.now += 10 * 60_000;
    expect(await deliverer.resume(true)).toEqual({ findings: 0, digests: 0 });
    expect(await store.listIncompleteFindings(new Date(clock.now + 1).toISOString(), 10)).toEqual([]);
  });

  it('counts a finding once however often it is delivered, and keeps a newer version held back while the snooze lasts', async () => {
    const { deliverer, notices, store } = deliverySetup();
    const v1 = findingNo(1);
    await store.actions.insertSnooze(snoozeOfAccount(v1.accountId));
    await deliverer.deliver([v1]);

    const [again] = await deliverer.deliver([v1]);
    const v2 = { ...v1, updatedAt: '2026-11-21T10:00:00.000Z', severity: { label: 'HIGH' as const, score: 70 } };
    const [newer] = await deliverer.deliver([v2]);

    expect(again?.outcome).toBe('duplicate');
    expect(newer?.outcome).toBe('snoozed');
    expect(notices.calls).toEqual([]);
    expect(await store.actions.heldCount('snooze-1')).toBe(1);
    expect(await store.getFinding(v1.id)).toMatchObject({ state: 'snoozed', severity: 'HIGH', pendingSnapshot: null });
  });

  it('posts a newer version that arrives once the snooze is over', async () => {
    const { deliverer, notices, store, clock } = deliverySetup();
    const v1 = findingNo(1);
    await store.actions.insertSnooze(snoozeOfAccount(v1.accountId));
    await deliverer.deliver([v1]);

    clock.now += 2 * HOUR;
    const [newer] = await deliverer.deliver([{ ...v1, updatedAt: '2026-11-21T10:00:00.000Z' }]);

    expect(newer?.outcome).toBe('posted');
    expect(notices.methods()).toEqual(['postRoot']);
    expect(await store.getFinding(v1.id)).toMatchObject({ state: 'posted' });
  });

  it('takes no storm slot: with a threshold of one, the next finding still gets its own thread', async () => {
    const { deliverer, store } = deliverySetup({ threshold: 1 });
    await store.actions.insertSnooze(snoozeOfAccount(findingNo(1).accountId));

    const results = await deliverer.deliver([findingNo(1)]);
    const [next] = await deliverer.deliver([findingNo(2)]);

    expect(results[0]?.outcome).toBe('snoozed');
    expect(next?.outcome).toBe('posted');
  });

  it('leaves alone what a cancelled snooze or a rule decides: a rule’s suppression comes first', async () => {
    const { deliverer, store } = deliverySetup();
    await store.actions.insertSnooze(snoozeOfAccount(findingNo(1).accountId, { state: 'cancelled' }));
    await store.actions.insertSnooze(snoozeOfAccount(findingNo(2).accountId, { id: 'snooze-2' }));

    const results = await deliverer.deliver([findingNo(1), findingNo(2, { severity: { label: 'INFORMATIONAL', score: 0 } })]);

    expect(results.map((r) => r.outcome)).toEqual(['posted', 'suppressed']);
    expect(await store.actions.heldCount('snooze-2')).toBe(0);
  });
});
