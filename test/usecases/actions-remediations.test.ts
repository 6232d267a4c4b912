import { describe, expect, it } from 'vitest';
import { RemediationService } from '../../src/actions/remediations.ts';
import type { RemediationTarget } from '../../src/domain/remediation/remediation.ts';
import type { RemediationShown } from '../../src/ports/notices/actions.ts';
import { APPROVER, FINDINGS_CHANNEL, OUTSIDER, RESPONDER, ROOT_TS, actionHarness, auditLines } from '../support/action-harness.ts';

const KEY = { account: '111122223333', userName: 'ci-deployer', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' };

function remediationService() {
  const h = actionHarness();
  const service = new RemediationService({
    store: h.store,
    access: h.access,
    audit: h.audit,
    executor: h.aws,
    notices: h.notices.port,
    logger: h.logger,
    clock: h.clock,
  });
  return { h, service };
}

const target = (remediationId: string): RemediationTarget => ({
  remediationId,
  inputs: KEY,
  findingId: 'finding-1',
  channel: FINDINGS_CHANNEL,
  threadTs: ROOT_TS,
});

/** Previews, then confirms what the preview showed. */
async function confirm(service: RemediationService, t: RemediationTarget, userId: string) {
  const preview = await service.preview(t);
  if ('error' in preview) throw new Error(preview.error);
  return service.request(t, userId, preview.planHash, 'contain the leak');
}

const shown = (calls: unknown[][]) => calls.map(([e]) => e as RemediationShown);

describe('RemediationService', () => {
  it('runs a reversible remediation once confirmed, and shows the outcome in the thread', async () => {
    const { h, service } = remediationService();

    const result = await confirm(service, target('deactivate-access-key'), RESPONDER);

    expect(result).toMatchObject({ ok: true, state: 'succeeded' });
    expect(h.aws.calls().map((c) => `${c.operation} ${c.input.Status}`)).toEqual(['UpdateAccessKey Inactive']);
    expect(h.notices.methods()).toEqual(['remediationExecuted']);
    const [executed] = shown(h.notices.callsTo('remediationExecuted'));
    expect(executed).toMatchObject({ state: 'succeeded', requestedBy: RESPONDER, decidedBy: null, message: null, note: 'contain the leak' });
    expect(executed?.outcomes).toHaveLength(1);
    const action = await h.store.actions.getAction(result.ok ? result.actionId : '');
    expect(action?.messageTs).toBeTruthy();
    expect(auditLines(await h.auditTrail())).toEqual([
      `${RESPONDER} remediation:deactivate-access-key requested`,
      `${RESPONDER} remediation:deactivate-access-key executed`,
    ]);
  });

  it('makes the AWS calls once for a double confirmation', async () => {
    const { h, service } = remediationService();

    const results = await Promise.all([
      confirm(service, target('deactivate-access-key'), RESPONDER),
      confirm(service, target('deactivate-access-key'), RESPONDER),
    ]);
    const later = await confirm(service, target('deactivate-access-key'), RESPONDER);

    expect(h.aws.runs).toHaveLength(1);
    expect(results.filter((r) => r.ok && !r.already)).toHaveLength(1);
    expect(later).toMatchObject({ ok: true, already: true });
  });

  it('refuses someone without the role before showing anything, and audits it', async () => {
    const { h, service } = remediationService();

    expect(await service.authorize(OUTSIDER, target('deactivate-access-key'))).toMatchObject({ allowed: false });
    expect(await confirm(service, target('deactivate-access-key'), OUTSIDER)).toMatchObject({ ok: false, kind: 'refused' });

    expect(h.aws.runs).toHaveLength(0);
    expect(h.notices.calls).toHaveLength(0);
    expect(auditLines(await h.auditTrail())).toEqual([
      `${OUTSIDER} remediation:deactivate-access-key refused`,
      `${OUTSIDER} remediation:deactivate-access-key refused`,
    ]);
  });

  it('refuses a confirmation of a plan other than the current one, audited as stale', async () => {
    const { h, service } = remediationService();

    const result = await service.request(target('deactivate-access-key'), RESPONDER, 'not-the-plan', '');

    expect(result).toMatchObject({ ok: false, kind: 'stale' });
    expect(h.aws.runs).toHaveLength(0);
    expect(auditLines(await h.auditTrail())).toEqual([`${RESPONDER} remediation:deactivate-access-key refused`]);
  });

  it('a destructive remediation waits for a second person; the requester cannot approve it; an approver’s approval runs it once', async () => {
    const { h, service } = remediationService();

    const requested = await confirm(service, target('delete-access-key'), RESPONDER);
    expect(requested).toMatchObject({ ok: true, state: 'awaiting_approval' });
    if (!requested.ok) return;
    expect(h.aws.runs).toHaveLength(0);
    const [approval] = h.notices.callsTo('remediationAwaitingApproval')[0] as [{ actionId: string; requestedBy: string }];
    expect(approval).toMatchObject({ actionId: requested.actionId, requestedBy: RESPONDER });

    expect(await service.approve(requested.actionId, RESPONDER)).toMatchObject({ ok: false, kind: 'refused' });
    expect(await service.approve(requested.actionId, APPROVER)).toMatchObject({ ok: true, state: 'succeeded' });
    expect(await service.approve(requested.actionId, APPROVER)).toMatchObject({ ok: true, already: true });

    expect(h.aws.calls().map((c) => c.operation)).toEqual(['DeleteAccessKey']);
    const [executed] = shown(h.notices.callsTo('remediationExecuted'));
    // The approval request is edited in place to show the outcome.
    expect(executed?.message?.ts).toBe((await h.store.actions.getAction(requested.actionId))?.messageTs);
    expect(executed).toMatchObject({ decidedBy: APPROVER, state: 'succeeded' });
    expect(auditLines(await h.auditTrail())).toEqual([
      `${RESPONDER} remediation:delete-access-key requested`,
      `${RESPONDER} remediation:delete-access-key refused`,
      `${APPROVER} remediation:delete-access-key approved`,
      `${APPROVER} remediation:delete-access-key executed`,
    ]);
  });

  it('a rejected request runs nothing and says who rejected it', async () => {
    const { h, service } = remediationService();
    const requested = await confirm(service, target('delete-access-key'), RESPONDER);
    if (!requested.ok) throw new Error('not requested');

    expect(await service.reject(requested.actionId, OUTSIDER)).toMatchObject({ ok: false, kind: 'refused' });
    expect(await service.reject(requested.actionId, APPROVER)).toMatchObject({ ok: true, state: 'rejected' });

    expect(h.aws.runs).toHaveLength(0);
    expect(shown(h.notices.callsTo('remediationRejected'))).toMatchObject([{ state: 'rejected', decidedBy: APPROVER }]);
  });

  it('undoes with the calls the plan recorded, once', async () => {
    const { h, service } = remediationService();
    const done = await confirm(service, target('deactivate-access-key'), RESPONDER);
    if (!done.ok) throw new Error('not done');

    expect(await service.undo(done.actionId, OUTSIDER)).toMatchObject({ ok: false, kind: 'refused' });
    expect(await service.undo(done.actionId, RESPONDER)).toMatchObject({ ok: true, state: 'undone' });
    expect(await service.undo(done.actionId, RESPONDER)).toMatchObject({ ok: true, already: true });

    expect(h.aws.calls().map((c) => `${c.operation} ${c.input.Status}`)).toEqual(['UpdateAccessKey Inactive', 'UpdateAccessKey Active']);
    const [undone] = shown(h.notices.callsTo('remediationUndone'));
    expect(undone).toMatchObject({ state: 'undone', undoneBy: RESPONDER });
    expect(undone?.outcomes).toHaveLength(1);
    expect(undone?.undoOutcomes).toHaveLength(1);
    expect(auditLines(await h.auditTrail()).slice(-3)).toEqual([
      `${OUTSIDER} undo:deactivate-access-key refused`,
      `${RESPONDER} undo:deactivate-access-key requested`,
      `${RESPONDER} undo:deactivate-access-key executed`,
    ]);
  });

  it('a remediation that cannot be undone is refused as invalid', async () => {
    const { service } = remediationService();
    const requested = await confirm(service, target('delete-access-key'), RESPONDER);
    if (!requested.ok) throw new Error('not requested');
    await service.approve(requested.actionId, APPROVER);

    expect(await service.undo(requested.actionId, RESPONDER)).toMatchObject({ ok: false, kind: 'invalid' });
  });

  it('records a failed run as failed, shows the error, and lets it be asked again', async () => {
    const { h, service } = remediationService();
    h.aws.failing.set('UpdateAccessKey', { name: 'NoSuchEntity', message: 'The Access Key with id AKIA… cannot be found' });

    const failed = await confirm(service, target('deactivate-access-key'), RESPONDER);

    expect(failed).toMatchObject({ ok: true, state: 'failed' });
    expect(shown(h.notices.callsTo('remediationExecuted'))[0]?.outcomes[0]).toMatchObject({ ok: false, error: { name: 'NoSuchEntity' } });
    expect(auditLines(await h.auditTrail()).at(-1)).toBe(`${RESPONDER} remediation:deactivate-access-key failed`);
    h.aws.failing.clear();
    const again = await confirm(service, target('deactivate-access-key'), RESPONDER);
    expect(again).toMatchObject({ ok: true, state: 'succeeded' });
    expect(again).not.toHaveProperty('already');
    expect(h.aws.runs).toHaveLength(2);
  });
});
