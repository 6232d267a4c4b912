import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionPayload, eventCallbackBody, interactionBody, postSignedToSlackReceiver, sirCommandBody } from '../support/slack-signer.ts';
import { SIGNING_SECRET, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const GUARDDUTY = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, any>;

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime({ scenario: SCENARIO, env: { SIRBOT_RESPONDERS: 'U0ALICE' } });
  await t.ingest(GUARDDUTY);
});
afterAll(async () => {
  await t?.close();
});

/** The same signed request (same body, same timestamp, same signature) sent twice, as an attacker who captured it would. */
async function sendTwice(body: string, contentType: string): Promise<[Response, Response]> {
  const timestamp = Math.floor(Date.now() / 1000);
  const send = () => postSignedToSlackReceiver(`${t.runtime.url}/slack/events`, { body, contentType, signingSecret: SIGNING_SECRET, timestamp });
  const first = await send();
  const replay = await send();
  return [first, replay];
}

const FORM = 'application/x-www-form-urlencoded';
const ephemeralsOf = (user: string) => t.slack.state.ephemerals({ user }).length;
const refusals = async () => (await t.runtime.core.store.actions.listAudit()).filter((a) => a.outcome === 'refused').length;

describe('a replayed signed request has no effect', () => {
  it('block action: the refusal is answered and audited once', async () => {
    const [root] = t.slack.state.messages('#security-incidents');
    const payload = blockActionPayload({ actionId: 'finding_set_status', channel: root!.channel, messageTs: root!.ts, user: 'U0EVE', value: GUARDDUTY.id });
    const [first, replay] = await sendTwice(interactionBody(payload), FORM);
    expect(first.status).toBe(200);
    await expect.poll(() => ephemeralsOf('U0EVE'), { timeout: 5000 }).toBe(1);
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe('');
    await t.runtime.idle();
    expect(ephemeralsOf('U0EVE')).toBe(1);
    expect(await refusals()).toBe(1);
  });

  it('slash command: the job runs once, one private answer', async () => {
    const channel = t.slack.state.createChannel('sec-replay');
    const body = sirCommandBody('cases', {
      triggerId: t.slack.state.surfaces.issueTrigger(Date.now(), 'U0ALICE'),
      user: 'U0ALICE',
      channel: { id: channel, name: 'sec-replay' },
    });
    const [first, replay] = await sendTwice(body, FORM);
    expect(first.status).toBe(200);
    await expect.poll(() => ephemeralsOf('U0ALICE'), { timeout: 5000 }).toBe(1);
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe('');
    await t.runtime.idle();
    expect(ephemeralsOf('U0ALICE')).toBe(1);
  });

  it('a refused slash command is not answered again: the replay gets no reply at all', async () => {
    const body = sirCommandBody('status 0123 RESOLVED', { triggerId: t.slack.state.surfaces.issueTrigger(Date.now(), 'U0EVE'), user: 'U0EVE' });
    const before = await refusals();
    const [first, replay] = await sendTwice(body, FORM);
    expect(await first.text()).toContain('Not allowed');
    expect(await replay.text()).toBe('');
    expect(await refusals()).toBe(before + 1);
  });

  it('event: the mention is answered with one message', async () => {
    const channel = t.slack.state.createChannel('sec-mention');
    const event = { type: 'app_mention', user: 'U0ALICE', text: '<@U0SIRBOT> help', channel, ts: '1700000000.000200', event_ts: '1700000000.000200' };
    const [first, replay] = await sendTwice(eventCallbackBody(event), 'application/json');
    expect(first.status).toBe(200);
    await expect.poll(() => t.slack.state.allMessages().filter((m) => m.channel === channel).length, { timeout: 5000 }).toBe(1);
    expect(replay.status).toBe(200);
    await t.runtime.idle();
    expect(t.slack.state.allMessages().filter((m) => m.channel === channel)).toHaveLength(1);
  });
});
