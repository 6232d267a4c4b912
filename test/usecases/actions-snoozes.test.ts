import { describe, expect, it } from 'vitest';
import { type SnoozeRequest, SnoozeService } from '../../src/actions/snoozes.ts';
import type { ActionNotices } from '../../src/ports/notices/actions.ts';
import { NoticeFailed } from '../../src/ports/notices/delivery.ts';
import { recordingPort } from '../support/recording-port.ts';
import { FINDINGS_CHANNEL, OUTSIDER, RESPONDER, ROOT_TS, actionHarness, auditLines } from '../support/action-harness.ts';

const request = (over: Partial<SnoozeRequest> = {}): SnoozeRequest => ({
  requestKey: 'V0MODAL1',
  userId: RESPONDER,
  criteria: { resource: null, principal: 'ci-deployer', type: null, accountId: '111122223333' },
  seconds: 3600,
  reason: 'the key is being rotated by the platform team',
  findingId: 'finding-1',
  place: { channel: FINDINGS_CHANNEL, threadTs: ROOT_TS },
  ...over,
});

function snoozeService(notices?: Partial<ActionNotices>) {
  const h = actionHarness();
  const port = notices ? recordingPort<ActionNotices>(notices) : h.notices;
  const service = new SnoozeService({ store: h.store, access: h.access, audit: h.audit, notices: port.port, logger: h.logger, clock: h.clock });
  return { h, notices: port, service };
}

describe('SnoozeService', () => {
  it('makes one snooze of a double submit, tells its thread once, and audits who snoozed what until when', async () => {
    const { h, notices, service } = snoozeService();

    const first = await service.create(request());
    const second = await service.create(request());

    expect(first).toMatchObject({ ok: true, already: false, snooze: { state: 'active', expiresAt: '2026-12-01T11:00:00.000Z', createdBy: RESPONDER } });
    expect(second).toMatchObject({ ok: true, already: true });
    expect(first.ok && second.ok && first.snooze.id === second.snooze.id).toBe(true);
    expect(notices.methods()).toEqual(['snoozeCreated']);
    expect(notices.callsTo('snoozeCreated')[0]?.[0]).toMatchObject({ place: { channel: FINDINGS_CHANNEL, threadTs: ROOT_TS } });
    expect(await h.store.actions.listSnoozes('active')).toHaveLength(1);
    const trail = await h.auditTrail();
    expect(auditLines(trail)).toEqual([`${RESPONDER} snooze.create executed`]);
    expect(trail[0]).toMatchObject({ inputs: { criteria: { principal: 'ci-deployer', accountId: '111122223333' }, seconds: 3600 } });
  });

  it('refuses someone without the responder role, and a snooze of nothing, auditing both', async () => {
    const { h, notices, service } = snoozeService();

    expect(await service.create(request({ userId: OUTSIDER }))).toMatchObject({ ok: false, kind: 'refused' });
    const empty = await service.create(request({ criteria: { resource: null, principal: null, type: null, accountId: null } }));
    expect(empty).toMatchObject({ ok: false, kind: 'invalid', reason: expect.stringContaining('at least one') });
    expect(await service.create(request({ seconds: 31 * 86_400 }))).toMatchObject({ ok: false, kind: 'invalid' });

    expect(notices.calls).toEqual([]);
    expect(await h.store.actions.listSnoozes('active')).toEqual([]);
    expect(auditLines(await h.auditTrail())).toEqual([
      `${OUTSIDER} snooze.create refused`,
      `${RESPONDER} snooze.create refused`,
      `${RESPONDER} snooze.create refused`,
    ]);
  });

  it('announces the expiry once, where the snooze was made, with how many findings it held back', async () => {
    const { h, notices, service } = snoozeService();
    const made = await service.create(request());
    if (!made.ok) throw new Error('not made');
    await h.store.actions.holdFinding(made.snooze.id, 'finding-2', '2026-12-01T10:10:00.000Z');
    await h.store.actions.holdFinding(made.snooze.id, 'finding-3', '2026-12-01T10:20:00.000Z');
    expect((await service.listActive()).map((s) => s.held)).toEqual([2]);

    expect(await service.tick()).toBe(0);
    h.advance(3600);
    expect(await service.listActive()).toEqual([]);
    expect(await service.tick()).toBe(1);
    expect(await service.tick()).toBe(0);

    expect(notices.methods()).toEqual(['snoozeCreated', 'snoozeEnded']);
    expect(notices.callsTo('snoozeEnded')[0]?.[0]).toMatchObject({
      held: 2,
      how: 'expired',
      by: 'sirbot',
      place: { channel: FINDINGS_CHANNEL, threadTs: ROOT_TS },
    });
    expect(await h.store.actions.getSnooze(made.snooze.id)).toMatchObject({ state: 'expired', endedBy: 'sirbot' });
    expect(auditLines(await h.auditTrail())).toEqual([`${RESPONDER} snooze.create executed`, 'sirbot snooze.expire executed']);
  });

  it('gives an expiry back when the announcement fails in a way that may pass, and stops at a refusal for good', async () => {
    let failure: NoticeFailed | null = new NoticeFailed('transient', 'HTTP 503');
    const { h, service } = snoozeService({
      snoozeEnded: async () => {
        if (failure) throw failure;
      },
    });
    const made = await service.create(request());
    if (!made.ok) throw new Error('not made');
    h.advance(3601);

    expect(await service.tick()).toBe(0);
    expect(await h.store.actions.getSnooze(made.snooze.id)).toMatchObject({ state: 'active' });
    failure = null;
    expect(await service.tick()).toBe(1);

    const other = await service.create(request({ requestKey: 'V0MODAL2' }));
    if (!other.ok) throw new Error('not made');
    h.advance(3601);
    failure = new NoticeFailed('permanent', 'channel_not_found');
    expect(await service.tick()).toBe(1);
    expect(await h.store.actions.getSnooze(other.snooze.id)).toMatchObject({ state: 'expired' });
  });

  it('cancels once, for a responder; the snooze stops holding findings back at once', async () => {
    const { h, notices, service } = snoozeService();
    const made = await service.create(request());
    if (!made.ok) throw new Error('not made');

    expect(await service.cancel(made.snooze.id, OUTSIDER)).toMatchObject({ ok: false, kind: 'refused' });
    expect(await service.cancel(made.snooze.id, RESPONDER)).toMatchObject({ ok: true, already: false, snooze: { state: 'cancelled', endedBy: RESPONDER } });
    expect(await service.cancel(made.snooze.id, RESPONDER)).toMatchObject({ ok: true, already: true });
    expect(await service.cancel('snooze-unknown', RESPONDER)).toMatchObject({ ok: false, kind: 'invalid' });
    h.advance(7200);
    expect(await service.tick()).toBe(0);

    expect(notices.methods()).toEqual(['snoozeCreated', 'snoozeEnded']);
    expect(notices.callsTo('snoozeEnded')[0]?.[0]).toMatchObject({ how: 'cancelled', by: RESPONDER, held: 0 });
    expect(auditLines(await h.auditTrail())).toEqual([
      `${RESPONDER} snooze.create executed`,
      `${OUTSIDER} snooze.cancel refused`,
      `${RESPONDER} snooze.cancel executed`,
    ]);
  });
});
