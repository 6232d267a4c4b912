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
