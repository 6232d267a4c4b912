import { ErrorCode, WebClient, WebClientEvent, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/emulator/slack/index.ts';
import { silentLogger, startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.emulator.close();
  fake = undefined;
});

function post(url: string, method: string, args: Record<string, unknown>): Promise<Response> {
  return fetch(`${url}${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
}

describe('Slack emulator rate limits', () => {
  it("defaults to Slack's documented limits", () => {
    expect(DEFAULT_LIMITS['chat.postMessage']).toEqual({ limit: 1, windowMs: 1000, scope: 'channel' });
    for (const m of ['chat.update', 'chat.postEphemeral', 'conversations.replies', 'conversations.history']) {
      expect(DEFAULT_LIMITS[m]).toEqual({ limit: 50, windowMs: 60_000, scope: 'workspace' });
    }
    for (const m of ['auth.test', 'chat.getPermalink', 'conversations.info', 'views.open', 'views.push', 'views.update', 'views.publish', 'users.info']) {
      expect(DEFAULT_LIMITS[m]).toEqual({ limit: 100, windowMs: 60_000, scope: 'workspace' });
    }
    for (const m of ['conversations.list', 'usergroups.users.list']) expect(DEFAULT_LIMITS[m]).toEqual({ limit: 20, windowMs: 60_000, scope: 'workspace' });
  });

  it('answers 429 with Retry-After once a channel is over its limit, while another channel is still served', async () => {
    fake = await startFakeSlack({ limits: { 'chat.postMessage': { limit: 2, windowMs: 1000, scope: 'channel' } } });
    const { url, state } = fake.emulator;
    expect((await post(url, 'chat.postMessage', { channel: '#a', text: '1' })).status).toBe(200);
    // The same channel by id shares the window with its name.
    expect((await post(url, 'chat.postMessage', { channel: state.channelId('#a'), text: '2' })).status).toBe(200);
    const limited = await post(url, 'chat.postMessage', { channel: 'a', text: '3' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect((await post(url, 'chat.postMessage', { channel: '#b', text: 'other channel' })).status).toBe(200);

    expect(state.messages('#a').map((m) => m.text)).toEqual(['1', '2']);
    expect(state.stats().rateLimited).toBe(1);
    expect(state.calls().filter((c) => c.status === 429)).toEqual([
      expect.objectContaining({ method: 'chat.postMessage', channel: state.channelId('#a'), ok: false, error: 'ratelimited' }),
    ]);
  });

  it('rounds Retry-After up to whole seconds until the oldest call leaves the window', async () => {
    fake = await startFakeSlack({ limits: { 'chat.update': { limit: 1, windowMs: 2500, scope: 'workspace' } } });
    const { url } = fake.emulator;
    const root = (await (await post(url, 'chat.postMessage', { channel: '#a', text: 'x' })).json()) as { channel: string; ts: string };
    expect((await post(url, 'chat.update', { channel: root.channel, ts: root.ts, text: 'y' })).status).toBe(200);
    // Workspace-wide: a different channel does not help.
    const other = await post(url, 'chat.update', { channel: '#elsewhere', ts: '1.000001', text: 'z' });
    expect(other.status).toBe(429);
    expect(other.headers.get('retry-after')).toBe('3');
  });

  it('lets the real WebClient wait out Retry-After and succeed', async () => {
    fake = await startFakeSlack({ limits: { 'chat.postMessage': { limit: 1, windowMs: 1000, scope: 'channel' } } });
    const client = fake.webClient();
    const waits: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => waits.push(seconds));
    await client.chat.postMessage({ channel: '#a', text: 'first' });
    const started = Date.now();
    const second = await client.chat.postMessage({ channel: '#a', text: 'second' });
    expect(second.ok).toBe(true);
    expect(waits).toEqual([1]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.emulator.state.messages('#a').map((m) => m.text)).toEqual(['first', 'second']);
    expect(fake.emulator.state.stats().rateLimited).toBe(1);
  });

  it('tells a WebClient that rejects rate-limited calls how long to wait', async () => {
    fake = await startFakeSlack({ limits: { 'auth.test': { limit: 1, windowMs: 60_000, scope: 'workspace' } } });
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.emulator.url, rejectRateLimitedCalls: true, logger: silentLogger });
    await client.auth.test();
    const err = (await client.auth.test().catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(60);
  });

  it('does not limit at all with limits: false', async () => {
    fake = await startFakeSlack({ limits: false });
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => post(fake!.emulator.url, 'chat.postMessage', { channel: '#a', text: `${i}` }).then((r) => r.status)),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(fake.emulator.state.messages('#a')).toHaveLength(30);
  });
});
