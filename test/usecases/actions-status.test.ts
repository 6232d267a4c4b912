import { describe, expect, it } from 'vitest';
import { StatusService } from '../../src/actions/status.ts';
import type { StatusNotices, StatusSet } from '../../src/ports/notices/actions.ts';
import { makeFinding } from '../support/findings.ts';
import { FINDINGS_CHANNEL, OUTSIDER, RESPONDER, ROOT_TS, actionHarness, auditLines } from '../support/action-harness.ts';

function statusService(notices?: StatusNotices) {
  const h = actionHarness();
  const service = new StatusService({
    store: h.store,
    access: h.access,
    audit: h.audit,
    executor: h.aws,
    notices: notices ?? h.notices.port,
    refreshRoot: h.refreshRoot,
    logger: h.logger,
    clock: h.clock,
  });
  return { h, service };
}

describe('StatusService', () => {
  it('sets the status where the finding lives, records it, redraws the root and tells the thread', async () => {
    const { h, service } = statusService();
    const finding = await h.deliver();

    const result = await service.set({ findingId: finding.id, status: 'RESOLVED', note: 'false positive', userId: RESPONDER });

    expect(result).toEqual({ ok: true, already: false });
    expect(h.aws.calls().map((c) => `${c.service}:${c.operation}`)).toEqual(['securityhub:BatchUpdateFindings']);
    expect((await h.store.getFinding(finding.id))?.workflowStatus).toBe('RESOLVED');
    expect(h.redrawn).toEqual([finding.id]);
    const [told] = h.notices.callsTo('statusSet')[0] as [StatusSet];
    expect(told).toMatchObject({
      thread: { channel: FINDINGS_CHANNEL, threadTs: ROOT_TS },
      findingId: finding.id,
      status: 'RESOLVED',
      note: 'false positive',
      by: RESPONDER,
      error: null,
      unprocessed: [],
    });
    expect(told.calls).toHaveLength(1);
    expect(auditLines(await h.auditTrail())).toEqual([`${RESPONDER} status requested`, `${RESPONDER} status executed`]);
  });

  it('refuses someone without the responder role, audits the refusal and calls nothing', async () => {
    const { h, service } = statusService();
    const finding = await h.deliver();

    const result = await service.set({ findingId: finding.id, status: 'RESOLVED', note: '', userId: OUTSIDER });

    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    expect(h.aws.runs).toHaveLength(0);
    expect(h.notices.calls).toHaveLength(0);
    const trail = await h.auditTrail();
    expect(auditLines(trail)).toEqual([`${OUTSIDER} status refused`]);
    expect(trail[0]?.result).toEqual({ reason: 'this needs the responder role, which you do not have' });
  });

  it('refuses, audited, a finding sirbot never delivered', async () => {
    const { h, service } = statusService();

    const result = await service.set({ findingId: 'arn:unknown', status: 'RESOLVED', note: '', userId: RESPONDER });

    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    expect(auditLines(await h.auditTrail())).toEqual([`${RESPONDER} status refused`]);
  });

  it('makes one AWS call for a double click', async () => {
    const { h, service } = statusService();
    const finding = await h.deliver();
    const request = { findingId: finding.id, status: 'SUPPRESSED' as const, note: '', userId: RESPONDER };

    const [first, second] = await Promise.all([service.set(request), service.set(request)]);
    const third = await service.set(request);

    expect([first, second].filter((r) => r.ok && !r.already)).toHaveLength(1);
    expect(third).toEqual({ ok: true, already: true });
    expect(h.aws.runs).toHaveLength(1);
    expect(h.notices.callsTo('statusSet')).toHaveLength(1);
  });

  it('records a failure: audited, told in the thread with the error, the finding left as it was', async () => {
    const { h, service } = statusService();
    const finding = await h.deliver(makeFinding({ workflowStatus: 'NEW' }));
    h.aws.failing.set('BatchUpdateFindings', { name: 'AccessDeniedException', message: 'not allowed' });

    const result = await service.set({ findingId: finding.id, status: 'RESOLVED', note: '', userId: RESPONDER });

    expect(result).toMatchObject({ ok: false, kind: 'failed', reason: 'AccessDeniedException: not allowed' });
    expect((await h.store.getFinding(finding.id))?.workflowStatus).toBe('NEW');
    expect(h.redrawn).toEqual([]);
    expect(h.notices.callsTo('statusSet')[0]?.[0]).toMatchObject({ error: { name: 'AccessDeniedException' } });
    expect(auditLines(await h.auditTrail())).toEqual([`${RESPONDER} status requested`, `${RESPONDER} status failed`]);
    // A failed change may be asked again.
    h.aws.failing.clear();
    expect(await service.set({ findingId: finding.id, status: 'RESOLVED', note: '', userId: RESPONDER })).toEqual({ ok: true, already: false });
  });

  it('still sets the status when the thread cannot be told', async () => {
    const { h, service } = statusService({ statusSet: () => Promise.reject(new Error('slack down')) });
    const finding = await h.deliver();

    expect(await service.set({ findingId: finding.id, status: 'NOTIFIED', note: '', userId: RESPONDER })).toEqual({ ok: true, already: false });
    expect((await h.store.getFinding(finding.id))?.workflowStatus).toBe('NOTIFIED');
  });
});
