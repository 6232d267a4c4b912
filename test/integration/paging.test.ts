import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeOpsgenie, startFakeOpsgenie } from '../../src/emulator/paging/opsgenie.ts';
import { type FakePagerDuty, startFakePagerDuty } from '../../src/emulator/paging/pagerduty.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, unknown>;
const FINDING_ID = String(FINDING.id);
const MINUTE = 60_000;
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
const PD_SECRET = 'pagerduty-webhook-secret-0123456789';
const GENIE_KEY = 'eb243592-faa2-4ba2-a551-1afdf565c889';
const GENIE_TOKEN = 'opsgenie-webhook-token-0123456789';

let t: TestRuntime | undefined;
let pd: FakePagerDuty | undefined;
let og: FakeOpsgenie | undefined;
let dir = '';
afterEach(async () => {
  await t?.close();
  await pd?.close();
  await og?.close();
  t = pd = og = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(page: 'pagerduty' | 'opsgenie', clock: { now: number }) {
  dir = mkdtempSync(path.join(tmpdir(), 'sirbot-page-'));
  const rules = path.join(dir, 'rules.yml');
  writeFileSync(
    rules,
    [
      'rules:',
      '  - RuleName: high-pages',
      '    RuleOrder: 1',
      '    Criteria:',
      '      SeverityLabel: [{ Value: HIGH, Comparison: EQUALS }]',
      '    Actions:',
      '      Channel: "#security-incidents"',
      `      Acknowledge: { Within: 15m, Notify: S0ONCALL, CirtAfter: 15m, Page: ${page} }`,
    ].join('\n'),
  );
  pd = await startFakePagerDuty({ routingKeys: [ROUTING_KEY] });
  og = await startFakeOpsgenie({ apiKeys: [GENIE_KEY] });
  t = await startTestRuntime({
    scenario: SCENARIO,
    clock: () => clock.now,
    env: {
      SIRBOT_RULES: rules,
      SIRBOT_RESPONDERS: 'U0ALICE',
      SIRBOT_ESCALATION_TICK_SECONDS: '3600',
      SIRBOT_PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
      SIRBOT_PAGERDUTY_EVENTS_URL: pd.url,
      SIRBOT_PAGERDUTY_WEBHOOK_SECRET: PD_SECRET,
      SIRBOT_OPSGENIE_API_KEY: GENIE_KEY,
      SIRBOT_OPSGENIE_API_URL: og.url,
      SIRBOT_OPSGENIE_WEBHOOK_TOKEN: GENIE_TOKEN,
    },
  });
  pd.webhook = { url: `${t.runtime.url}/pager/pagerduty`, secret: PD_SECRET };
  og.webhook = { url: `${t.runtime.url}/pager/opsgenie`, headers: { 'x-sirbot-webhook-token': GENIE_TOKEN } };
  await t.ingest(FINDING);
  await expect.poll(() => JSON.stringify(root(t!).blocks)).toContain('finding_acknowledge');
  return t;
}

const root = (rt: TestRuntime) => rt.slack.state.messages('#security-incidents')[0]!;
const thread = (rt: TestRuntime) =>
  rt.slack.state
    .allMessages()
    .filter((m) => m.thread_ts && m.thread_ts !== m.ts)
    .map((m) => messageTexts(m).join('\n'));
const tick = (rt: TestRuntime) => rt.runtime.core.actions!.escalations.tick();
const escalation = (rt: TestRuntime) => rt.runtime.core.store.actions.getEscalation(FINDING_ID);
const audit = async (rt: TestRuntime) => (await rt.runtime.core.store.actions.listAudit()).map((a) => `${a.actor} ${a.action} ${a.outcome}`);

async function setResolved(rt: TestRuntime) {
  const alice = rt.user('U0ALICE', 'alice');
  await alice.click(root(rt), 'finding_set_status');
  await alice.waitForModal('status_modal');
  await alice.submit({ status: { option: 'RESOLVED' }, note: 'key rotated' });
}

describe('paging on-call outside Slack', () => {
  it('PagerDuty: one incident even when the step is retried; acknowledged there, the thread says so and the escalation stops; RESOLVED resolves it', async () => {
    const clock = { now: Date.parse('2026-11-22T12:00:00Z') };
    const rt = await start('pagerduty', clock);

    // The first trigger meets PagerDuty's rate limit: the step is given back and retried a minute later.
    pd!.throttleNext(1);
    clock.now += 16 * MINUTE;
    expect(await tick(rt)).toBe(0);
    clock.now += MINUTE;
    expect(await tick(rt)).toBe(1);
    expect(await tick(rt)).toBe(0);
    await rt.runtime.idle();
    expect(pd!.requests.map((r) => r.status)).toEqual([429, 202]);
    expect(pd!.incidents).toHaveLength(1);
    const incident = pd!.incidents[0]!;
    expect(incident).toMatchObject({ status: 'triggered', severity: 'error', alerts: 1 });
    expect(incident.dedupKey).toMatch(/^offer-[0-9a-f]{32}$/);
    expect(pd!.events[0]).toMatchObject({ event_action: 'trigger', payload: { custom_details: { finding_id: FINDING_ID } } });
    // Mentioned once, though the step ran twice.
    expect(thread(rt).filter((m) => m.includes('nobody has acknowledged this finding in time'))).toHaveLength(1);

    // A webhook with a wrong signature changes nothing.
    expect(await pd!.act(incident.id, 'Mallory', 'acknowledged', { secret: 'not-the-secret' })).toBe(401);
    expect((await escalation(rt))?.stage).toBe('mentioned');

    // Acknowledged in PagerDuty: the signed webhook reaches sirbot.
    expect(await pd!.act(incident.id, 'Jane <!channel> Doe')).toBe(200);
    await expect.poll(() => thread(rt).join('\n')).toContain('Acknowledged in PagerDuty by `Jane &lt;!channel&gt; Doe`');
    expect(await escalation(rt)).toMatchObject({ stage: 'acknowledged', ackedBy: 'pagerduty:Jane <!channel> Doe', nextAt: null });
    expect(await pd!.act(incident.id, 'Jane <!channel> Doe')).toBe(200); // a replay: nothing new
    await rt.runtime.idle();
    expect(thread(rt).filter((m) => m.includes('Acknowledged in PagerDuty'))).toHaveLength(1);
    const said = thread(rt).length;
    clock.now += 60 * MINUTE;
    expect(await tick(rt)).toBe(0);
    await rt.runtime.idle();
    expect(thread(rt)).toHaveLength(said); // no CIRT proposal

    await setResolved(rt);
    await expect.poll(() => pd!.events.map((e) => e.event_action)).toEqual(['trigger', 'resolve']);
    expect(incident.status).toBe('resolved');
    // The resolve is audited once PagerDuty has answered it, a moment after the fake counts the event.
    await expect
      .poll(() => audit(rt))
      .toEqual(
        expect.arrayContaining([
          'sirbot page.trigger failed',
          'sirbot page.trigger executed',
          'pagerduty:Jane <!channel> Doe acknowledge executed',
          'sirbot page.resolve executed',
        ]),
      );
  });

  it('PagerDuty: acknowledged in Slack acknowledges the incident; malformed webhooks are refused and dead-lettered', async () => {
    const clock = { now: Date.parse('2026-11-22T12:00:00Z') };
    const rt = await start('pagerduty', clock);
    clock.now += 16 * MINUTE;
    expect(await tick(rt)).toBe(1);
    await rt.user('U0ALICE').click(root(rt), 'finding_acknowledge');
    await expect.poll(() => pd!.incidents[0]?.status).toBe('acknowledged');
    expect(pd!.events.map((e) => e.event_action)).toEqual(['trigger', 'acknowledge']);

    const hook = (body: string, signature?: string) =>
      fetch(`${rt.runtime.url}/pager/pagerduty`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature ? { 'x-pagerduty-signature': signature } : {}) },
        body,
      });
    const { createHmac } = await import('node:crypto');
    const sign = (body: string) => `v1=${createHmac('sha256', PD_SECRET).update(body).digest('hex')}`;
    expect((await hook('{"event":{}}')).status).toBe(401);
    const malformed = '{"event":{"event_type":"incident.acknowledged"}}';
    const refused = await hook(malformed, `v1=00, ${sign(malformed)}`);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toContain('not a PagerDuty V3 webhook');
    const letters = await rt.runtime.core.store.listDeadLetters();
    expect(letters).toEqual([expect.objectContaining({ origin: 'pager:pagerduty', path: '/pager/pagerduty', payload: malformed })]);
    const ping = JSON.stringify({
      event: { id: '1', event_type: 'pagey.ping', resource_type: 'pagey', occurred_at: '2026-11-22T12:00:00Z', agent: null, data: { id: 'x', type: 'ping' } },
    });
    expect((await hook(ping, sign(ping))).status).toBe(200);

    // A replay sends a pager's dead letter back to the webhook's reading (not to ingest): still unreadable, it stays.
    const replay = (id: number) =>
      fetch(`${rt.runtime.url}/dead-letters/${id}/replay`, { method: 'POST', headers: { authorization: `Bearer ${rt.runtime.admin.token}` } });
    const stillBad = await replay(letters[0]!.id);
    expect(stillBad.status).toBe(422);
    expect(await stillBad.json()).toMatchObject({ error: expect.stringContaining('not a PagerDuty V3 webhook'), removed: false });
    // One kept by an older, stricter reading that reads now: acted on (already acknowledged here) and removed.
    const incident = pd!.incidents[0]!;
    const readable = JSON.stringify({
      event: {
        id: '2',
        event_type: 'incident.acknowledged',
        resource_type: 'incident',
        occurred_at: '2026-11-22T12:20:00Z',
        agent: { summary: 'Jane Doe' },
        data: { id: incident.id, type: 'incident', incident_key: incident.dedupKey },
      },
    });
    await rt.runtime.core.store.addDeadLetter({
      origin: 'pager:pagerduty',
      path: '/pager/pagerduty',
      error: 'older reading',
      payload: readable,
      receivedAt: new Date(clock.now).toISOString(),
      count: 1,
    });
    const kept = (await rt.runtime.core.store.listDeadLetters()).find((l) => l.payload === readable)!;
    const replayed = await replay(kept.id);
    expect(await replayed.json()).toEqual({ acknowledged: FINDING_ID, already: true, removed: true });
    expect((await rt.runtime.core.store.listDeadLetters()).map((l) => l.id)).toEqual([letters[0]!.id]);
  });

  it('Opsgenie: the alert is created once with its alias, acknowledged there shows in the thread, RESOLVED closes it; a wrong token is refused', async () => {
    const clock = { now: Date.parse('2026-11-22T12:00:00Z') };
    const rt = await start('opsgenie', clock);
    clock.now += 16 * MINUTE;
    expect(await tick(rt)).toBe(1);
    await rt.runtime.idle();
    expect(og!.alerts).toHaveLength(1);
    const alert = og!.alerts[0]!;
    expect(alert).toMatchObject({ priority: 'P2', status: 'open', count: 1 });
    expect(alert.message.length).toBeLessThanOrEqual(130);
    expect(og!.requests.map((r) => `${r.path} ${r.status}`)).toEqual(['/v2/alerts 202']);

    expect(await og!.act(alert.id, 'mallory@example.com', 'Acknowledge', { headers: { 'x-sirbot-webhook-token': 'wrong-token-0123456789' } })).toBe(401);
    expect((await escalation(rt))?.stage).toBe('mentioned');
    expect(await og!.act(alert.id, 'oncall@example.com')).toBe(200);
    await expect.poll(() => thread(rt).join('\n')).toContain('Acknowledged in Opsgenie by `oncall@example.com`');
    expect(await escalation(rt)).toMatchObject({ stage: 'acknowledged', ackedBy: 'opsgenie:oncall@example.com' });

    await setResolved(rt);
    await expect
      .poll(() => og!.requests.map((r) => `${r.path} ${r.status}`))
      .toEqual(['/v2/alerts 202', `/v2/alerts/${alert.alias}/close?identifierType=alias 202`]);
    expect(alert.status).toBe('closed');
  });
});
