import { describe, expect, it } from 'vitest';
import { EscalationService } from '../../src/actions/escalations.ts';
import { OfferBook } from '../../src/actions/offers.ts';
import type { AckPolicy } from '../../src/domain/routing/rules.ts';
import { type PageRequest, type Pager, PagerError } from '../../src/ports/pager.ts';
import { makeFinding } from '../support/findings.ts';
import { FINDINGS_CHANNEL, RESPONDER, ROOT_TS, actionHarness, auditLines } from '../support/action-harness.ts';

/** A pager that records what it was asked, failing the calls a test queues failures for. */
class RecordingPager implements Pager {
  calls: string[] = [];
  failures: PagerError[] = [];
  private go(what: string) {
    const failure = this.failures.shift();
    this.calls.push(`${what}${failure ? ' (failed)' : ''}`);
    if (failure) throw failure;
  }
  async trigger(page: PageRequest) {
    this.go(`trigger ${page.key} ${page.finding.id}`);
  }
  async acknowledge(key: string) {
    this.go(`acknowledge ${key}`);
  }
  async resolve(key: string) {
    this.go(`resolve ${key}`);
  }
}

const policy = (o: Partial<AckPolicy> = {}): AckPolicy => ({
  withinSeconds: 300,
  notify: ['S0ONCALL'],
  cirtAfterSeconds: 600,
  autoOpenCase: false,
  page: { pager: 'pagerduty', at: 'mention' },
  ...o,
});

async function setup() {
  const h = actionHarness();
  const pager = new RecordingPager();
  const service = new EscalationService({
    store: h.store,
    access: h.access,
    audit: h.audit,
    notices: h.notices.port,
    offers: new OfferBook(h.store, h.audit, h.clock),
    refreshRoot: h.refreshRoot,
    openCirtCase: async () => ({ ok: true, caseId: '8403556001', already: false }),
    logger: h.logger,
    clock: h.clock,
    pagers: { pagerduty: pager },
  });
  const finding = await h.deliver(makeFinding());
  const key = OfferBook.idOf(finding.id, 'page');
  return { h, pager, service, finding, key };
}

describe('EscalationService paging', () => {
  it('pages once at the mention, acknowledges the page when acknowledged in Slack, resolves it when the finding is resolved', async () => {
    const { h, pager, service, finding, key } = await setup();
    await service.arm(finding.id, FINDINGS_CHANNEL, ROOT_TS, policy());
    h.advance(300);
    expect(await service.tick()).toBe(1);
    expect(await service.tick()).toBe(0);
    expect(await service.acknowledge(finding.id, RESPONDER)).toEqual({ ok: true, already: false });
    await service.findingClosed(finding.id, 'RESOLVED', RESPONDER);
    await service.findingClosed(finding.id, 'RESOLVED', RESPONDER);
    expect(pager.calls).toEqual([`trigger ${key} ${finding.id}`, `acknowledge ${key}`, `resolve ${key}`]);
    expect(auditLines(await h.auditTrail()).filter((l) => l.includes('page.'))).toEqual([
      'sirbot page.trigger executed',
      'sirbot page.acknowledge executed',
      'sirbot page.resolve executed',
    ]);
    expect((await h.store.actions.getOffer(key))?.findingId).toBe(finding.id);
  });

  it('acknowledged in the instant between the mention and the page: nobody is paged', async () => {
    const h = actionHarness();
    const pager = new RecordingPager();
    const finding = await h.deliver(makeFinding());
    const service: EscalationService = new EscalationService({
      store: h.store,
      access: h.access,
      audit: h.audit,
      notices: h.notices.port,
      offers: new OfferBook(h.store, h.audit, h.clock),
      // The step redraws the root before it pages: someone acknowledges right then (another process, the pager's webhook).
      refreshRoot: async () => {
        await h.store.actions.transitionEscalation(finding.id, ['mentioned'], { stage: 'acknowledged', nextAt: null, ackedBy: RESPONDER });
      },
      openCirtCase: async () => ({ ok: true, caseId: '8403556001', already: false }),
      logger: h.logger,
      clock: h.clock,
      pagers: { pagerduty: pager },
    });
    await service.arm(finding.id, FINDINGS_CHANNEL, ROOT_TS, policy());
    h.advance(300);
    await service.tick();
    expect(pager.calls).toEqual([]);
    expect((await h.store.actions.getEscalation(finding.id))?.stage).toBe('acknowledged');
  });

  it('a transient failure retries the step a minute later without paging twice; a refusal is audited and given up', async () => {
    const { h, pager, service, finding, key } = await setup();
    await service.arm(finding.id, FINDINGS_CHANNEL, ROOT_TS, policy());
    pager.failures.push(new PagerError('PagerDuty answered 429', 429, true));
    h.advance(300);
    expect(await service.tick()).toBe(0);
    expect((await h.store.actions.getEscalation(finding.id))?.stage).toBe('waiting');
    h.advance(60);
    expect(await service.tick()).toBe(1);
    expect(await service.tick()).toBe(0);
    expect(pager.calls).toEqual([`trigger ${key} ${finding.id} (failed)`, `trigger ${key} ${finding.id}`]);
    expect(h.notices.callsTo('escalationMentioned')).toHaveLength(2); // keyed in Slack: found, not posted again

    pager.failures.push(new PagerError('PagerDuty answered 400', 400, false));
    await service.acknowledge(finding.id, RESPONDER);
    h.advance(3600);
    expect(await service.tick()).toBe(0);
    expect(pager.calls.slice(2)).toEqual([`acknowledge ${key} (failed)`]);
    expect(auditLines(await h.auditTrail()).filter((l) => l.includes('page.'))).toEqual([
      'sirbot page.trigger failed',
      'sirbot page.trigger executed',
      'sirbot page.acknowledge failed',
    ]);
  });

  it('a failed follow-up is retried by the tick until it goes through', async () => {
    const { h, pager, service, finding, key } = await setup();
    await service.arm(finding.id, FINDINGS_CHANNEL, ROOT_TS, policy());
    h.advance(300);
    await service.tick();
    pager.failures.push(new PagerError('Opsgenie could not be reached', null, true));
    await service.acknowledge(finding.id, RESPONDER);
    expect((await h.store.actions.getEscalation(finding.id))?.page).toMatchObject({ want: 'acknowledged', sent: 'triggered' });
    h.advance(60);
    await service.tick();
    expect(pager.calls.slice(1)).toEqual([`acknowledge ${key} (failed)`, `acknowledge ${key}`]);
    expect(await h.store.actions.getEscalation(finding.id)).toMatchObject({ nextAt: null, page: { want: 'acknowledged', sent: 'acknowledged' } });
  });

  it('pages with the CIRT step when the rule says so, and never once acknowledged in time', async () => {
    const { h, pager, service, finding, key } = await setup();
    await service.arm(finding.id, FINDINGS_CHANNEL, ROOT_TS, policy({ page: { pager: 'pagerduty', at: 'cirt' } }));
    h.advance(300);
    await service.tick();
    expect(pager.calls).toEqual([]);
    h.advance(600);
    await service.tick();
    expect(pager.calls).toEqual([`trigger ${key} ${finding.id}`]);

    const other = await setup();
    await other.service.arm(other.finding.id, FINDINGS_CHANNEL, ROOT_TS, policy());
    await other.service.acknowledge(other.finding.id, RESPONDER);
    await other.service.findingClosed(other.finding.id, 'RESOLVED', RESPONDER);
    other.h.advance(3600);
    await other.service.tick();
    expect(other.pager.calls).toEqual([]);
  });

  it('an acknowledgement in PagerDuty stops the escalation, once, and only for the finding its key names', async () => {
    const { h, pager, service, finding, key } = await setup();
    await service.arm(finding.id, FINDINGS_CHANNEL, ROOT_TS, policy());
    h.advance(300);
    await service.tick();
    const ack = { pager: 'pagerduty' as const, key, by: 'Jane <!channel>', how: 'acknowledged' as const, incident: 'PGR0VU2' };
    expect(await service.acknowledgedInPager(ack)).toEqual({ ok: true, findingId: finding.id, already: false });
    expect(await service.acknowledgedInPager(ack)).toEqual({ ok: true, findingId: finding.id, already: true });
    expect(await service.acknowledgedInPager({ ...ack, key: OfferBook.idOf(finding.id, 'acknowledge') })).toMatchObject({ ok: false, kind: 'unknown' });
    expect(await h.store.actions.getEscalation(finding.id)).toMatchObject({
      stage: 'acknowledged',
      ackedBy: 'pagerduty:Jane <!channel>',
      page: { want: 'acknowledged', sent: 'acknowledged' },
    });
    expect(h.notices.callsTo('escalationAcknowledged')[0]?.[0]).toMatchObject({
      by: 'pagerduty:Jane <!channel>',
      elsewhere: { service: 'PagerDuty', name: 'Jane <!channel>', how: 'acknowledged' },
    });
    h.advance(3600);
    expect(await service.tick()).toBe(0);
    expect(pager.calls).toEqual([`trigger ${key} ${finding.id}`]);
    expect(auditLines(await h.auditTrail())).toContain('pagerduty:Jane <!channel> acknowledge executed');
  });

  it('a rule paging a pager this runtime has no credentials for is audited as failed, and the escalation goes on', async () => {
    const { h, service, finding } = await setup();
    await service.arm(finding.id, FINDINGS_CHANNEL, ROOT_TS, policy({ page: { pager: 'opsgenie', at: 'mention' } }));
    h.advance(300);
    expect(await service.tick()).toBe(1);
    const trail = await h.auditTrail();
    expect(auditLines(trail)).toContain('sirbot page.trigger failed');
    expect(JSON.stringify(trail.find((a) => a.action === 'page.trigger')?.result)).toContain('Opsgenie is not configured');
  });
});
