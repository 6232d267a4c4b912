import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedJson } from '../support/fixtures.ts';
import { eventCallbackBody, postSignedToSlackReceiver } from '../support/slack-signer.ts';
import { SIGNING_SECRET, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t.close();
});

describe('@sirbot mentions', () => {
  it("answers Slack's own app_mention payload in the mention's thread", async () => {
    const channel = t.slack.state.createChannel('sec-team');
    const sample = sharedJson<{ event: Record<string, unknown> }>('slack/bolt-python-test-payloads', 'event_callback_app_mention.json');
    const event = { ...sample.event, channel, ts: '1700000000.000100' };
    const res = await postSignedToSlackReceiver(`${t.runtime.url}/slack/events`, {
      body: eventCallbackBody(event),
      contentType: 'application/json',
      signingSecret: SIGNING_SECRET,
    });
    expect(res.status).toBe(200);
    await expect.poll(() => t.slack.state.allMessages().length, { timeout: 5000 }).toBe(1);
    const [reply] = t.slack.state.allMessages();
    expect(reply?.thread_ts).toBe('1700000000.000100');
    expect(messageTexts(reply!).join('\n')).toContain('routing rule(s) loaded');
  });
});
