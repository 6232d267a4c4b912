import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readShared } from '../support/fixtures.ts';
import { postSignedToSlackReceiver } from '../support/slack-signer.ts';
import { SIGNING_SECRET, startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t.close();
});

const challenge = () => JSON.parse(readShared('slack/bolt-python-test-payloads/url_verification.json')) as { challenge: string };

describe('Slack request signatures on /slack/events', () => {
  const url = () => `${t.runtime.url}/slack/events`;
  const body = () => JSON.stringify(challenge());

  it('accepts a correctly signed request (url_verification answers its challenge)', async () => {
    const res = await postSignedToSlackReceiver(url(), { body: body(), contentType: 'application/json', signingSecret: SIGNING_SECRET });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(challenge().challenge);
  });

  it('refuses a signature made with another secret', async () => {
    const res = await postSignedToSlackReceiver(url(), { body: body(), contentType: 'application/json', signingSecret: 'not-the-secret' });
    expect(res.status).toBe(401);
  });

  it('refuses a request with no signature', async () => {
    const res = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() });
    expect(res.status).toBe(401);
  });

  it('refuses a correctly signed request older than five minutes', async () => {
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await postSignedToSlackReceiver(url(), {
      body: body(),
      contentType: 'application/json',
      signingSecret: SIGNING_SECRET,
      timestamp: stale,
    });
    expect(res.status).toBe(401);
  });

  it('refuses a body changed after signing', async () => {
    const res = await postSignedToSlackReceiver(url(), {
      body: body().replace('"challenge"', '"challenge" '),
      contentType: 'application/json',
      signingSecret: SIGNING_SECRET,
      signedBody: body(),
    });
    expect(res.status).toBe(401);
  });
});

describe('Slack request timestamps, both ways', () => {
  const url = () => `${t.runtime.url}/slack/events`;
  const now = () => Math.floor(Date.now() / 1000);
  const send = (timestamp: number) =>
    postSignedToSlackReceiver(url(), { body: JSON.stringify(challenge()), contentType: 'application/json', signingSecret: SIGNING_SECRET, timestamp });

  it('refuses a correctly signed request dated an hour, or six minutes, in the future', async () => {
    for (const ahead of [3600, 6 * 60]) {
      const res = await send(now() + ahead);
      expect(res.status, `${ahead} s ahead`).toBe(401);
      expect(await res.text()).toBe('');
    }
  });

  it('accepts a clock four minutes ahead or behind', async () => {
    for (const skew of [240, -240]) {
      const res = await send(now() + skew);
      expect(res.status, `${skew} s`).toBe(200);
      expect(await res.text()).toContain(challenge().challenge);
    }
  });

  it('refuses a signature header of another version or shape', async () => {
    for (const signature of ['v1=abc', `v0=${'0'.repeat(63)}`, `v0=${'G'.repeat(64)}`, '']) {
      const res = await postSignedToSlackReceiver(url(), {
        body: JSON.stringify(challenge()),
        contentType: 'application/json',
        signingSecret: SIGNING_SECRET,
        signature,
      });
      expect(res.status, signature).toBe(401);
    }
  });

  it("answers Slack's unsigned ssl_check probe, and nothing smuggled in it runs", async () => {
    const before = t.slack.state.allMessages().length;
    const res = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        ssl_check: '1',
        payload: JSON.stringify({ type: 'event_callback', event: { type: 'app_mention', channel: 'C1', ts: '1.1', text: 'x' } }),
      }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(t.slack.state.allMessages()).toHaveLength(before);
  });

  it('answers an identical replay with an empty 200: the challenge is not answered twice', async () => {
    const timestamp = now();
    const body = JSON.stringify({ ...challenge(), challenge: 'replay-me-once' });
    const sendThis = () => postSignedToSlackReceiver(url(), { body, contentType: 'application/json', signingSecret: SIGNING_SECRET, timestamp });
    const first = await sendThis();
    expect(await first.text()).toContain('replay-me-once');
    const replay = await sendThis();
    expect(replay.status).toBe(200);
    expect(await replay.text()).toBe('');
  });
});
