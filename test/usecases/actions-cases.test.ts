import { describe, expect, it } from 'vitest';
import { CaseService } from '../../src/actions/cases.ts';
import type { CaseForm } from '../../src/ports/action-store.ts';
import type { CaseChange } from '../../src/ports/notices/actions.ts';
import type { CaseSummary, NewCase, SecurityIrCases } from '../../src/ports/security-ir.ts';
import { recordingPort } from '../support/recording-port.ts';
import { FINDINGS_CHANNEL, OUTSIDER, RESPONDER, ROOT_TS, actionHarness, auditLines } from '../support/action-harness.ts';

const CASE_ID = '8403556001';

function caseService(securityIr: Partial<SecurityIrCases> = {}) {
  const h = actionHarness();
  const sir = recordingPort<SecurityIrCases>({
    createCase: async () => ({ caseId: CASE_ID }),
    setResolver: async () => ({ caseStatus: 'Detection and Analysis' }),
    setStatus: async (_id, status) => ({ caseStatus: status }),
    close: async () => ({ caseStatus: 'Closed' }),
    ...securityIr,
  });
  const opened: string[] = [];
  const service = new CaseService({
    store: h.store,
    access: h.access,
    audit: h.audit,
    securityIr: sir.port,
    region: 'us-east-1',
    notices: h.notices.port,
    refreshRoot: h.refreshRoot,
    onCaseOpened: async (findingId, caseId) => {
      opened.push(`${findingId} ${caseId}`);
    },
    defaultWatchers: [{ email: 'secops@example.com' }],
    emailOf: async () => 'responder@example.com',
    logger: h.logger,
    clock: h.clock,
  });
  return { h, sir, service, opened };
}

const form = (o: Partial<CaseForm> = {}): CaseForm => ({
  title: 'Leaked key used from an unknown address',
  description: 'Found by sirbot',
  engagementType: 'Security Incident',
  reportedIncidentStartDate: '2026-11-20T10:00:00.000Z',
  impactedAccounts: ['111122223333'],
  impactedAwsRegions: ['us-east-1'],
  threatActorIpAddresses: ['198.51.100.7'],
  impactedServices: ['Amazon S3', 'amazon s3'],
  resolverType: 'Self',
  watchers: [{ email: 'secops@example.com' }],
  ...o,
});

describe('CaseService', () => {
  it('drafts the case from the delivered finding, with the team and the person as watchers', async () => {
    const { h, service } = caseService();
    const finding = await h.deliver();

    const draft = await service.draft(finding.id, RESPONDER);

    expect(draft?.finding.id).toBe(finding.id);
    expect(draft?.watchers).toEqual([{ email: 'secops@example.com' }, { email: 'responder@example.com' }]);
  });

  it('opens one case per finding: created with a token derived from it, stored, told in the thread, the root redrawn', async () => {
    const { h, sir, service, opened } = caseService();
    const finding = await h.deliver();

    const result = await service.open(finding.id, RESPONDER, form());

    expect(result).toEqual({ ok: true, caseId: CASE_ID, already: false, comments: 0 });
    const [created] = sir.callsTo('createCase')[0] as [NewCase];
    expect(created).toMatchObject({ clientToken: CaseService.caseActionId(finding.id), title: form().title, resolverType: 'Self' });
    expect(created.impactedServices).toEqual(['Amazon S3']);
    expect(await h.store.actions.getCase(CASE_ID)).toMatchObject({ findingId: finding.id, status: 'Submitted', channel: FINDINGS_CHANNEL, threadTs: ROOT_TS });
    expect(h.notices.methods()).toEqual(['caseOpened']);
    expect(h.notices.callsTo('caseOpened')[0]?.[0]).toMatchObject({
      thread: { channel: FINDINGS_CHANNEL, threadTs: ROOT_TS },
      openedBy: RESPONDER,
      comments: 0,
    });
    expect((await h.store.actions.getAction(CaseService.caseActionId(finding.id)))?.messageTs).toBeTruthy();
    expect(opened).toEqual([`${finding.id} ${CASE_ID}`]);
    expect(h.redrawn).toEqual([finding.id]);
    expect(auditLines(await h.auditTrail())).toEqual([`${RESPONDER} case.create requested`, `${RESPONDER} case.create executed`]);
  });

  it('meets double clicks and duplicate submissions with the same case: one CreateCase', async () => {
    const { h, sir, service } = caseService();
    const finding = await h.deliver();

    const results = await Promise.all([service.open(finding.id, RESPONDER, form()), service.open(finding.id, RESPONDER, form())]);
    const again = await service.open(finding.id, RESPONDER, form());

    expect(sir.callsTo('createCase')).toHaveLength(1);
    expect(results.filter((r) => r.ok && !r.already)).toHaveLength(1);
    expect(again).toEqual({ ok: true, caseId: CASE_ID, already: true });
    expect(h.notices.callsTo('caseOpened')).toHaveLength(1);
  });

  it('refuses someone without the responder role, audited, and opens nothing', async () => {
    const { h, sir, service } = caseService();
    const finding = await h.deliver();

    const result = await service.open(finding.id, OUTSIDER, form());

    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    expect(sir.calls).toHaveLength(0);
    expect(auditLines(await h.auditTrail())).toEqual([`${OUTSIDER} case.create refused`]);
  });

  it('opens by rule without a person, as sirbot', async () => {
    const { h, service } = caseService();
    const finding = await h.deliver();

    expect(await service.open(finding.id, 'sirbot', form({ resolverType: 'AWS' }), true)).toMatchObject({ ok: true, already: false });
    expect(auditLines(await h.auditTrail())).toEqual(['sirbot case.create requested', 'sirbot case.create executed']);
  });

  it('records a failed CreateCase and lets it be retried with the same token', async () => {
    let fail = true;
    const { h, sir, service } = caseService({
      createCase: async () => {
        if (fail) throw Object.assign(new Error('watchers are not valid'), { name: 'ValidationException' });
        return { caseId: CASE_ID };
      },
    });
    const finding = await h.deliver();

    const failed = await service.open(finding.id, RESPONDER, form());
    fail = false;
    const retried = await service.open(finding.id, RESPONDER, form());

    expect(failed).toEqual({ ok: false, kind: 'failed', reason: 'ValidationException: watchers are not valid' });
    expect(retried).toMatchObject({ ok: true, caseId: CASE_ID, already: false });
    const tokens = sir.callsTo('createCase').map(([c]) => (c as NewCase).clientToken);
    expect(tokens).toEqual([CaseService.caseActionId(finding.id), CaseService.caseActionId(finding.id)]);
    expect(auditLines(await h.auditTrail())).toEqual([
      `${RESPONDER} case.create requested`,
      `${RESPONDER} case.create failed`,
      `${RESPONDER} case.create requested`,
      `${RESPONDER} case.create executed`,
    ]);
  });

  it('escalates to the AWS CIRT once, keeps the status the service answers, tells the thread and redraws the opening message', async () => {
    const { h, sir, service } = caseService();
    const finding = await h.deliver();
    await service.open(finding.id, RESPONDER, form());
    h.notices.calls.length = 0;

    const first = await service.escalate(CASE_ID, RESPONDER);
    const second = await service.escalate(CASE_ID, RESPONDER);

    expect(first).toEqual({ ok: true, caseId: CASE_ID, already: false });
    expect(second).toEqual({ ok: true, caseId: CASE_ID, already: true });
    expect(sir.callsTo('setResolver')).toEqual([[CASE_ID, 'AWS']]);
    expect(await h.store.actions.getCase(CASE_ID)).toMatchObject({ resolverType: 'AWS', status: 'Detection and Analysis' });
    expect(h.notices.methods()).toEqual(['caseChanged', 'caseOpenedRedrawn', 'caseOpenedRedrawn']);
    expect(h.notices.callsTo('caseChanged')[0]?.[0]).toMatchObject({ by: RESPONDER, change: { kind: 'escalated' } satisfies CaseChange });
  });

  it('moves a self-managed case and closes it; an AWS-supported case’s status is the CIRT’s, refused as a failure', async () => {
    const { h, sir, service } = caseService();
    const finding = await h.deliver();
    await service.open(finding.id, RESPONDER, form());

    expect(await service.setStatus(CASE_ID, RESPONDER, 'Containment, Eradication and Recovery')).toMatchObject({ ok: true, already: false });
    expect(await service.close(CASE_ID, RESPONDER)).toMatchObject({ ok: true, already: false });
    expect(await service.close(CASE_ID, RESPONDER)).toMatchObject({ ok: true, already: true });

    expect(sir.callsTo('close')).toHaveLength(1);
    const changes = h.notices.callsTo('caseChanged').map(([e]) => (e as { change: CaseChange }).change);
    expect(changes).toEqual([{ kind: 'status', status: 'Containment, Eradication and Recovery' }, { kind: 'closed' }]);

    const other = caseService();
    const f2 = await other.h.deliver();
    await other.service.open(f2.id, RESPONDER, form({ resolverType: 'AWS' }));
    const refused = await other.service.setStatus(CASE_ID, RESPONDER, 'Submitted');
    expect(refused).toMatchObject({ ok: false, kind: 'failed' });
    expect(other.sir.callsTo('setStatus')).toHaveLength(0);
    expect(auditLines(await other.h.auditTrail()).at(-1)).toBe(`${RESPONDER} case.status failed`);
  });

  it('refuses a change from someone without the role, audited', async () => {
    const { h, sir, service } = caseService();
    const finding = await h.deliver();
    await service.open(finding.id, RESPONDER, form());

    expect(await service.close(CASE_ID, OUTSIDER)).toMatchObject({ ok: false, kind: 'refused' });
    expect(sir.callsTo('close')).toHaveLength(0);
    expect(auditLines(await h.auditTrail()).at(-1)).toBe(`${OUTSIDER} case.close refused`);
  });

  it('lists open cases newest first and remembers what the service now says about the ones it opened', async () => {
    const listed: CaseSummary[] = [
      { caseId: CASE_ID, title: 'ours', caseStatus: 'Detection and Analysis', resolverType: 'AWS', createdDate: new Date('2026-11-01') },
      { caseId: '8403556002', title: 'newer', caseStatus: 'Submitted', resolverType: 'Self', createdDate: new Date('2026-11-02') },
      { caseId: '8403556003', title: 'closed', caseStatus: 'Closed', resolverType: 'Self', createdDate: new Date('2026-11-03') },
    ];
    const { h, service } = caseService({
      listCases: async function* () {
        yield* listed;
      },
    });
    const finding = await h.deliver();
    await service.open(finding.id, RESPONDER, form());

    const open = await service.list();

    expect(open.map((c) => c.caseId)).toEqual(['8403556002', CASE_ID]);
    expect(await h.store.actions.getCase(CASE_ID)).toMatchObject({ status: 'Detection and Analysis', resolverType: 'AWS' });
    expect(h.notices.methods().at(-1)).toBe('caseOpenedRedrawn');
  });
});
