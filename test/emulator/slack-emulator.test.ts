import { createHmac } from 'node:crypto';
import { ErrorCode, type WebAPIPlatformError } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../support/fake-slack.ts';
import { signSlackRequest } from '../support/slack-signer.ts';

type Fake = Awaited<ReturnType<typeof startFakeSlack>>;
let fake: Fake | undefined;
afterEach(async () => {
  await fake?.emulator.close();
  fake = undefined;
});

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

async function platformError(p: Promise<unknown>): Promise<WebAPIPlatformError> {
  try {
    await p;
  } catch (err) {
    expect((err as WebAPIPlatformError).code).toBe(ErrorCode.PlatformError);
    return err as WebAPIPlatformError;
  }
  throw new Error('expected a Slack platform error');
}

describe('Slack Web API emulator, driven by the real WebClient', () => {
  it('posts, threads, updates and reads back replies; channel names resolve to ids', async () => {
    fake = await startFakeSlack({ token: 'xoxb-t', limits: false });
    const client = fake.webClient();
    const root = await client.chat.postMessage({ channel: '#sec-alerts', text: 'root' });
    expect(root.channel).toMatch(/^C[A-Z0-9]{10}$/);
    await client.chat.postMessage({ channel: root.channel as string, thread_ts: root.ts as string, text: 'reply 1' });
    await client.chat.postMessage({ channel: '#sec-alerts', thread_ts: root.ts as string, text: 'reply 2' });
    await client.chat.update({ channel: root.channel as string, ts: root.ts as string, text: 'root, edited' });
    const replies = await client.conversations.replies({ channel: root.channel as string, ts: root.ts as string });
    expect(replies.messages?.map((m) => m.text)).toEqual(['root, edited', 'reply 1', 'reply 2']);
    expect(replies.messages?.[0]?.reply_count).toBe(2);
    expect(fake.emulator.state.messages('sec-alerts')).toHaveLength(1);
    const permalink = await client.chat.getPermalink({ channel: root.channel as string, message_ts: root.ts as string });
    expect(permalink.permalink).toContain(`/archives/${root.channel}/p`);
  });

  it('paginates conversations.replies with cursors', async () => {
    fake = await startFakeSlack({ limits: false });
    const client = fake.webClient();
    const root = await client.chat.postMessage({ channel: '#t', text: 'root' });
    for (let i = 0; i < 7; i++) await client.chat.postMessage({ channel: '#t', thread_ts: root.ts as string, text: `r${i}` });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversations.replies({ channel: root.channel as string, ts: root.ts as string, limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...(page.messages ?? []).map((m) => m.text as string));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    expect(seen).toEqual(['root', 'r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
  });

  it('refuses bad tokens, unknown channel ids, missing messages', async () => {
    fake = await startFakeSlack({ token: 'xoxb-right', limits: false });
    expect((await platformError(fake.webClient('xoxb-wrong').auth.test())).data.error).toBe('invalid_auth');
    const client = fake.webClient();
    expect((await platformError(client.chat.postMessage({ channel: 'C0NOTREAL99', text: 'x' }))).data.error).toBe('channel_not_found');
    const root = await client.chat.postMessage({ channel: '#x', text: 'x' });
    expect((await platformError(client.chat.update({ channel: root.channel as string, ts: '1.000001', text: 'y' }))).data.error).toBe(
      'message_not_found',
    );
    expect((await platformError(client.chat.postMessage({ channel: '#x', text: '' }))).data.error).toBe('no_text');
  });

  describe('Block Kit validation fails like Slack', () => {
    const cases: Array<[string, unknown[], string]> = [
      ['section text over 3,000 characters', [section('x'.repeat(3001))], 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      ['51 blocks', Array.from({ length: 51 }, () => section('x')), 'must have at most 50 items [json-pointer:/blocks]'],
      ['header over 150 characters', [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }], '[json-pointer:/blocks/0/text/text]'],
      ['header in mrkdwn', [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }], 'must be plain_text [json-pointer:/blocks/0/text/type]'],
      [
        'duplicate action_id',
        [
          {
            type: 'actions',
            elements: [
              { type: 'button', text: { type: 'plain_text', text: 'a' }, action_id: 'same' },
              { type: 'button', text: { type: 'plain_text', text: 'b' }, action_id: 'same' },
            ],
          },
        ],
        'action_id "same" is already used [json-pointer:/blocks/0/elements/1/action_id]',
      ],
      ['eleven fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }], '[json-pointer:/blocks/0/fields]'],
      ['unknown text type', [{ type: 'section', text: { type: 'html', text: '<b>x</b>' } }], 'must be one of: plain_text, mrkdwn'],
      ['unknown block type', [{ type: 'marquee' }], 'unsupported type: marquee [json-pointer:/blocks/0/type]'],
    ];
    for (const [name, blocks, message] of cases) {
      it(name, async () => {
        fake = await startFakeSlack({ limits: false });
        const err = await platformError(fake.webClient().chat.postMessage({ channel: '#v', text: 'fallback', blocks: blocks as never }));
        expect(err.data.error).toBe('invalid_blocks');
        expect((err.data as unknown as { errors: string[] }).errors.join('\n')).toContain(message);
        expect(fake.emulator.state.allMessages()).toHaveLength(0);
      });
    }
  });

  it('answers 429 with Retry-After per channel; another channel is still served; the WebClient retries', async () => {
    fake = await startFakeSlack({ limits: { 'chat.postMessage': { limit: 2, windowMs: 1000, scope: 'channel' } } });
    const raw = (channel: string) =>
      fetch(`${fake!.emulator.url}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ channel, text: 'x' }),
      });
    expect((await raw('#a')).status).toBe(200);
    expect((await raw('#a')).status).toBe(200);
    const limited = await raw('#a');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect((await raw('#b')).status).toBe(200);

    const started = Date.now();
    const res = await fake.webClient().chat.postMessage({ channel: '#a', text: 'after waiting' });
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(fake.emulator.state.stats().rateLimited).toBeGreaterThanOrEqual(2);
    expect(fake.emulator.state.messages('#a')).toHaveLength(3);
  });

  it('serves its state as JSON for scripts', async () => {
    fake = await startFakeSlack({ limits: false });
    const client = fake.webClient();
    const root = await client.chat.postMessage({ channel: '#json', text: 'root' });
    await client.chat.postMessage({ channel: '#json', thread_ts: root.ts as string, text: 'reply' });
    const base = fake.emulator.url.replace(/\/api\/$/, '');
    const list = (await (await fetch(`${base}/api/conversations`)).json()) as { channels: Array<{ name: string; messages: number }> };
    expect(list.channels).toEqual([expect.objectContaining({ name: 'json', messages: 1 })]);
    const messages = (await (await fetch(`${base}/api/conversations/json/messages`)).json()) as {
      messages: Array<{ text: string; replies: Array<{ text: string }> }>;
    };
    expect(messages.messages[0]?.text).toBe('root');
    expect(messages.messages[0]?.replies.map((r) => r.text)).toEqual(['reply']);
  });
});

describe('request signer', () => {
  it('matches an independently computed HMAC-SHA256 over v0:timestamp:body', () => {
    const body = 'token=x&command=%2Fsir&text=help';
    const headers = signSlackRequest({ signingSecret: 's3cr3t', body, timestamp: 1_700_000_000 });
    const expected = createHmac('sha256', 's3cr3t').update(`v0:1700000000:${body}`).digest('hex');
    expect(headers).toEqual({ 'x-slack-signature': `v0=${expected}`, 'x-slack-request-timestamp': '1700000000' });
  });
});
