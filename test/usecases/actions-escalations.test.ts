import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../../src/actions/cases.ts';
import { EscalationService } from '../../src/actions/escalations.ts';
import { OfferBook } from '../../src/actions/offers.ts';
import type { AckPolicy } from '../../src/domain/routing/rules.ts';
import type { ActionNotices } from '../../src/ports/notices/actions.ts';
import { recordingPort } from '../support/recording-port.ts';
import { FINDINGS_CHANNEL, OUTSIDER, RESPONDER, ROOT_TS, actionHarness, auditLines } from '../support/action-harness.ts';

const FINDING = 'finding-1';
const policy = (o: Partial<AckPolicy> = {}): AckPolicy => ({ withinSeconds: 300, notify: ['S0ONCALL'], cirtAfterSeconds: 600, autoOpenCase: false, ...o });

function escalationService(o: { openCirtCase?: (findingId: string) => Promise<CaseResult>; notices?: Partial<ActionNotices> } = {}) {
  const h = actionHarness();
  const notices = o.notices ? recordingPort<ActionNotices>(o.notices) : h.notices;
  const asked: string[] = [];
  const service = new EscalationService({
    store: h.store,
    access: h.access,
    audit: h.audit,
    notices: notices.port,
    offers: new OfferBook(h.store, h.audit, h.clock),
    refreshRoot: h.refreshRoot,
    openCirtCase:
      o.openCirtCase ??
      (async (findingId) => {
        asked.push(findingId);
        return { ok: true, caseId: '8403556001', already: false };
      }),
    logger: h.logger,
    clock: h.clock,
  });
  return { h, notices, service, asked };
}

describe('EscalationService', () => {
  it('takes its steps in order: mention, CIRT proposal, then an acknowledgement settles the proposal', async () => {
    const { h, notices, service } = escalationService();

    expect(await service.arm(FINDING, FINDINGS_CHANNEL, ROOT_TS, policy())).toBe(true);
    expect(await service.arm(FINDING, FINDINGS_CHANNEL, ROOT_TS, policy())).toBe(false);
    expect(await service.tick()).toBe(0);
    h.advance(300);
    expect(await service.tick()).toBe(1);
    h.advance(600);
    expect(await service.tick()).toBe(1);
    expect(await service.acknowledge(FINDING, RESPONDER)).toEqual({ ok: true, already: false });
    expect(await service.acknowledge(FINDING, RESPONDER)).toEqual({ ok: true, already: true });
    h.advance(3600);
    expect(await service.tick()).toBe(0);

    expect(notices.methods()).toEqual(['escalationMentioned', 'escalationCirtProposed', 'escalationProposalSettled', 'escalationAcknowledged']);
    const escalation = { findingId: FINDING, channel: FINDINGS_CHANNEL, threadTs: ROOT_TS, notify: ['S0ONCALL'] };
    expect(notices.callsTo('escalationMentioned')[0]?.[0]).toMatchObject({ escalation, nextSeconds: 600, autoOpenCase: false });
    expect(notices.callsTo('escalationCirtProposed')[0]?.[0]).toMatchObject({
      escalation,
      offers: { caseCirt: OfferBook.idOf(FINDING, 'case-cirt'), acknowledge: OfferBook.idOf(FINDING, 'acknowledge') },
    });
    expect(notices.callsTo('escalationProposalSettled')[0]?.[0]).toMatchObject({ outcome: { acknowledgedBy: RESPONDER } });
    expect(notices.callsTo('escalationAcknowledged')[0]?.[0]).toMatchObject({ escalation, by: RESPONDER });
    expect((await h.store.actions.getEscalation(FINDING))?.stage).toBe('acknowledged');
    expect(auditLines(await h.auditTrail())).toEqual([
      'sirbot escalation.mention executed',
      'sirbot escalation.propose-cirt executed',
      `${RESPONDER} acknowledge executed`,
    ]);
    // Armed, mentioned, proposed, acknowledged: the root shows each.
    expect(h.redrawn).toEqual([FINDING, FINDING, FINDING, FINDING]);
  });

  it('opens the case itself when the rule says so, and says so when it cannot', async () => {
    const opened = escalationService();
    await opened.service.arm(FINDING, FINDINGS_CHANNEL, ROOT_TS, policy({ autoOpenCase: true }));
    opened.h.advance(300);
    await opened.service.tick();
    opened.h.advance(600);
    await opened.service.tick();
    expect(opened.asked).toEqual([FINDING]);
    expect(opened.notices.methods()).toEqual(['escalationMentioned']);

    const refused = escalationService({ openCirtCase: async () => ({ ok: false, kind: 'invalid', reason: 'the finding is no longer known' }) });
    await refused.service.arm(FINDING, FINDINGS_CHANNEL, ROOT_TS, policy({ autoOpenCase: true }));
    refused.h.advance(300);
    await refused.service.tick();
    refused.h.advance(600);
    await refused.service.tick();
    expect(refused.notices.methods()).toEqual(['escalationMentioned', 'escalationCaseNotOpened']);
    expect(refused.notices.callsTo('escalationCaseNotOpened')[0]?.[0]).toMatchObject({ reason: 'the finding is no longer known' });
    expect(auditLines(await refused.h.auditTrail()).at(-1)).toBe('sirbot escalation.case executed');
  });

  it('refuses an acknowledgement from someone without the role, audited, and keeps the clock running', async () => {
    const { h, notices, service } = escalationService();
    await service.arm(FINDING, FINDINGS_CHANNEL, ROOT_TS, policy());

    expect(await service.acknowledge(FINDING, OUTSIDER)).toMatchObject({ ok: false, kind: 'refused' });

    expect((await h.store.actions.getEscalation(FINDING))?.stage).toBe('waiting');
    expect(notices.calls).toHaveLength(0);
    expect(auditLines(await h.auditTrail())).toEqual([`${OUTSIDER} acknowledge refused`]);
  });

  it('gives a step back when the thread cannot be told, and takes it a minute later, once', async () => {
    let down = true;
    const { h, notices, service } = escalationService({
      notices: {
        escalationMentioned: async () => {
          if (down) throw new Error('slack down');
        },
      },
    });
    await service.arm(FINDING, FINDINGS_CHANNEL, ROOT_TS, policy());
    h.advance(300);

    expect(await service.tick()).toBe(0);
    expect((await h.store.actions.getEscalation(FINDING))?.stage).toBe('waiting');
    down = false;
    expect(await service.tick()).toBe(0);
    h.advance(60);
    expect(await service.tick()).toBe(1);

    expect(notices.callsTo('escalationMentioned')).toHaveLength(2);
    expect(auditLines(await h.auditTrail())).toEqual(['sirbot escalation.mention executed']);
  });

  it('a case opened on the finding settles a proposal that is out', async () => {
    const { h, notices, service } = escalationService();
    await service.arm(FINDING, FINDINGS_CHANNEL, ROOT_TS, policy());
    h.advance(300);
    await service.tick();
    h.advance(600);
    await service.tick();

    await service.caseOpened(FINDING, '8403556001', RESPONDER);

    expect(notices.methods().at(-1)).toBe('escalationProposalSettled');
    expect(notices.callsTo('escalationProposalSettled')[0]?.[0]).toMatchObject({ outcome: { caseId: '8403556001', openedBy: RESPONDER } });
    expect((await h.store.actions.getEscalation(FINDING))?.stage).toBe('opened');
  });

  it('speaks in the new thread once the root was posted afresh', async () => {
    const { h, notices, service } = escalationService();
    await service.arm(FINDING, FINDINGS_CHANNEL, ROOT_TS, policy());

    await service.moveThread(FINDING, FINDINGS_CHANNEL, '1700000099.000100');
    h.advance(300);
    await service.tick();

    expect(notices.callsTo('escalationMentioned')[0]?.[0]).toMatchObject({ escalation: { threadTs: '1700000099.000100' } });
  });

  it('a finding resolved before anyone acknowledged stops its escalation: no mention, no CIRT step, once', async () => {
    const { h, notices, service } = escalationService();
    await service.arm(FINDING, FINDINGS_CHANNEL, ROOT_TS, policy());

    await service.findingClosed(FINDING, 'RESOLVED', RESPONDER);
    await service.findingClosed(FINDING, 'RESOLVED', null);
    h.advance(3600);
    expect(await service.tick()).toBe(0);

    expect(notices.methods()).toEqual([]);
    expect((await h.store.actions.getEscalation(FINDING))?.stage).toBe('closed');
    expect(auditLines(await h.auditTrail())).toEqual([`${RESPONDER} escalation.stop executed`]);
    expect(await service.hurry(FINDING)).toBe(false);
    expect(await service.acknowledge(FINDING, RESPONDER)).toEqual({ ok: true, already: true });
  });

  it('closed at its source while the CIRT proposal is out: the proposal loses its buttons and says why', async () => {
    const { h, notices, service } = escalationService();
    await service.arm(FINDING, FINDINGS_CHANNEL, ROOT_TS, policy());
    h.advance(300);
    await service.tick();
    h.advance(600);
    await service.tick();

    await service.findingClosed(FINDING, 'SUPPRESSED', null);

    expect(notices.methods()).toEqual(['escalationMentioned', 'escalationCirtProposed', 'escalationProposalSettled']);
    expect(notices.callsTo('escalationProposalSettled')[0]?.[0]).toMatchObject({ outcome: { closedAs: 'SUPPRESSED', closedBy: null } });
    expect(auditLines(await h.auditTrail()).at(-1)).toBe('sirbot escalation.stop executed');
  });

  it('an acknowledged escalation stays acknowledged when the finding is resolved', async () => {
    const { h, service } = escalationService();
    await service.arm(FINDING, FINDINGS_CHANNEL, ROOT_TS, policy());
    await service.acknowledge(FINDING, RESPONDER);
    await service.findingClosed(FINDING, 'RESOLVED', RESPONDER);
    expect((await h.store.actions.getEscalation(FINDING))?.stage).toBe('acknowledged');
  });
});
