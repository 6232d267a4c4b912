import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { OfferBook } from '../../src/actions/offers.ts';
import { startFakeOpsgenie, type FakeOpsgenie } from '../../src/emulator/paging/opsgenie.ts';
import { startFakePagerDuty, type FakePagerDuty } from '../../src/emulator/paging/pagerduty.ts';
import { OpsgenieAlerts } from '../../src/paging/opsgenie.ts';
import { PagerDutyEvents } from '../../src/paging/pagerduty.ts';
import { checkOpsgenieWebhook, checkPagerDutyWebhook, pagerDutySignatureValid } from '../../src/paging/webhooks.ts';
import { PagerError } from '../../src/ports/pager.ts';
import { makeFinding } from '../support/findings.ts';

const KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
const finding = makeFinding({ title: 'x'.repeat(2000) });
const page = { key: OfferBook.idOf(finding.id, 'page'), finding, threadLink: 'https://example.slack.com/archives/C1/p1' };

let pd: FakePagerDuty | undefined;
let og: FakeOpsgenie | undefined;
afterEach(async () => {
  await pd?.close();
  await og?.close();
  pd = og = undefined;
});

describe('PagerDuty Events v2 adapter against the fake', () => {
  it('triggers, acknowledges and resolves one incident by dedup key; a retried trigger joins it', async () => {
    pd = await startFakePagerDuty({ routingKeys: [KEY] });
    const pager = new PagerDutyEvents(KEY, pd.url);
    await pager.trigger(page);
    await pager.trigger(page);
    expect(pd.incidents).toEqual([expect.objectContaining({ dedupKey: page.key, alerts: 2, status: 'triggered' })]);
    expect(pd.incidents[0]?.title.length).toBeLessThanOrEqual(1024);
    await pager.acknowledge(page.key);
    expect(pd.incidents[0]?.status).toBe('acknowledged');
    await pager.resolve(page.key);
    expect(pd.incidents[0]?.status).toBe('resolved');
  });

  it('a refused event is a permanent PagerError, a rate limit a transient one, an unreachable service too', async () => {
    pd = await startFakePagerDuty({ routingKeys: [KEY] });
    const wrongKey = new PagerDutyEvents('X'.repeat(32), pd.url);
    await expect(wrongKey.trigger(page)).rejects.toMatchObject({ status: 400, transient: false });
    pd.throttleNext(1);
    await expect(new PagerDutyEvents(KEY, pd.url).trigger(page)).rejects.toMatchObject({ status: 429, transient: true });
    const url = pd.url;
    await pd.close();
    pd = undefined;
    const err = await new PagerDutyEvents(KEY, url, { timeoutMs: 2000 }).acknowledge(page.key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PagerError);
    expect(err).toMatchObject({ status: null, transient: true });
  });
});

describe('Opsgenie Alert API adapter against the fake', () => {
  it('creates one alert by alias, acknowledges and closes it; a wrong key is refused for good', async () => {
    og = await startFakeOpsgenie({ apiKeys: ['genie-key'] });
    const pager = new OpsgenieAlerts('genie-key', og.url);
    await pager.trigger(page);
    await pager.trigger(page);
    expect(og.alerts).toEqual([expect.objectContaining({ alias: page.key, count: 2, status: 'open' })]);
    expect(og.alerts[0]?.message.length).toBeLessThanOrEqual(130);
    await pager.acknowledge(page.key);
    await pager.resolve(page.key);
    expect(og.alerts[0]).toMatchObject({ acknowledged: true, status: 'closed' });
    expect(og.requests.map((r) => r.path)).toEqual([
      '/v2/alerts',
      '/v2/alerts',
      `/v2/alerts/${page.key}/acknowledge?identifierType=alias`,
      `/v2/alerts/${page.key}/close?identifierType=alias`,
    ]);
    await expect(new OpsgenieAlerts('other', og.url).trigger(page)).rejects.toMatchObject({ status: 401, transient: false });
  });
});

describe('webhook checks', () => {
  const body = '{"a":1}';
  const sig = (secret: string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

  it('PagerDuty: any of several v1 signatures; none, a wrong one or a wrong secret fails', () => {
    expect(pagerDutySignatureValid(body, sig('s'), 's')).toBe(true);
    expect(pagerDutySignatureValid(body, `v1=abc, ${sig('s')}`, 's')).toBe(true);
    expect(pagerDutySignatureValid(body, sig('other'), 's')).toBe(false);
    expect(pagerDutySignatureValid(body, undefined, 's')).toBe(false);
    expect(pagerDutySignatureValid(`${body} `, sig('s'), 's')).toBe(false);
    expect(checkPagerDutyWebhook(body, { 'x-pagerduty-signature': sig('s') }, undefined)).toMatchObject({ ok: false, status: 401 });
  });

  it('Opsgenie: the token header, compared whole; Acknowledge and Close count, other actions are ignored', () => {
    const token = 'opsgenie-token-0123456789';
    const alert = (action: string) => JSON.stringify({ action, alert: { alertId: 'a1', alias: page.key, username: 'jane@example.com' } });
    expect(checkOpsgenieWebhook(alert('Acknowledge'), { 'x-sirbot-webhook-token': token.slice(0, -1) }, token)).toMatchObject({ ok: false, status: 401 });
    expect(checkOpsgenieWebhook(alert('Acknowledge'), { 'x-sirbot-webhook-token': token }, token)).toEqual({
      ok: true,
      webhook: { kind: 'ack', ack: { pager: 'opsgenie', key: page.key, by: 'jane@example.com', how: 'acknowledged', incident: 'a1' } },
    });
    expect(checkOpsgenieWebhook(alert('Close'), { 'x-sirbot-webhook-token': token }, token)).toMatchObject({ webhook: { ack: { how: 'resolved' } } });
    expect(checkOpsgenieWebhook(alert('AddNote'), { 'x-sirbot-webhook-token': token }, token)).toMatchObject({ webhook: { kind: 'ignored' } });
    expect(checkOpsgenieWebhook('[1]', { 'x-sirbot-webhook-token': token }, token)).toMatchObject({ ok: false, status: 400, deadLetter: true });
  });
});
