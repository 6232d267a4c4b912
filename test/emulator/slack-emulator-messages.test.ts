import { afterEach, describe, expect, it } from 'vitest';
import { slackError, startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.emulator.close();
  fake = undefined;
});

async function start(options: Parameters<typeof startFakeSlack>[0] = {}): Promise<FakeSlack> {
  fake = await startFakeSlack({ limits: false, ...options });
  return fake;
}

describe('Slack emulator: messages and threads through the real WebClient', () => {
  it('posts, threads, updates and reads a thread back; channel names resolve to one id', async () => {
    const { webClient, emulator } = await start({ token: 'xoxb-t' });
    const client = webClient();
    const root = await client.chat.postMessage({ channel: '#sec-alerts', text: 'root' });
    const channel = root.channel as string;
    expect(channel).toMatch(/^C[A-Z0-9]{10}$/);
    expect(root.ts).toMatch(/^\d{10}\.\d{6}$/);

    const r1 = await client.chat.postMessage({ channel, thread_ts: root.ts as string, text: 'reply 1' });
    const r2 = await client.chat.postMessage({ channel: 'sec-alerts', thread_ts: root.ts as string, text: 'reply 2' });
    expect(r1.channel).toBe(channel);
    expect(r2.channel).toBe(channel);
    expect(Number(r2.ts)).toBeGreaterThan(Number(r1.ts));

    const updated = await client.chat.update({ channel, ts: root.ts as string, text: 'root, edited' });
    expect(updated.text).toBe('root, edited');
    expect(updated.message?.edited?.user).toBe('U0SIRBOT');

    const replies = await client.conversations.replies({ channel, ts: root.ts as string });
    expect(replies.messages?.map((m) => m.text)).toEqual(['root, edited', 'reply 1', 'reply 2']);
    const parent = replies.messages?.[0];
    expect(parent?.reply_count).toBe(2);
    expect(parent?.reply_users).toEqual(['U0SIRBOT']);
    expect(parent?.latest_reply).toBe(r2.ts);
    expect(parent?.thread_ts).toBe(root.ts);

    expect(emulator.state.channelId('#sec-alerts')).toBe(channel);
    expect(emulator.state.messages('sec-alerts').map((m) => m.text)).toEqual(['root, edited']);
    expect(emulator.state.thread(channel, root.ts as string)).toHaveLength(3);
    expect(emulator.state.allMessages()).toHaveLength(3);
  });

  it('gives a channel the same id in every emulator, and lets tests create channels up front', async () => {
    const first = await start();
    const id = first.emulator.state.createChannel('sec-team');
    expect(first.emulator.state.createChannel('#sec-team')).toBe(id);
    const posted = await first.webClient().chat.postMessage({ channel: id, text: 'to a pre-created channel' });
    expect(posted.channel).toBe(id);
    await first.emulator.close();

    const second = await start();
    const again = await second.webClient().chat.postMessage({ channel: '#sec-team', text: 'x' });
    expect(again.channel).toBe(id);
  });

  it('answers conversations.replies by any ts in the thread, and thread_not_found otherwise', async () => {
    const client = (await start()).webClient();
    const root = await client.chat.postMessage({ channel: '#t', text: 'root' });
    const reply = await client.chat.postMessage({ channel: '#t', thread_ts: root.ts as string, text: 'reply' });
    const byReply = await client.conversations.replies({ channel: root.channel as string, ts: reply.ts as string });
    expect(byReply.messages?.map((m) => m.text)).toEqual(['root', 'reply']);
    const lonely = await client.chat.postMessage({ channel: '#t', text: 'no replies' });
    const single = await client.conversations.replies({ channel: root.channel as string, ts: lonely.ts as string });
    expect(single.messages?.map((m) => m.text)).toEqual(['no replies']);
    expect((await slackError(client.conversations.replies({ channel: root.channel as string, ts: '1.000001' }))).error).toBe('thread_not_found');
  });

  it('paginates conversations.replies with cursors', async () => {
    const client = (await start()).webClient();
    const root = await client.chat.postMessage({ channel: '#t', text: 'root' });
    for (let i = 0; i < 7; i++) await client.chat.postMessage({ channel: '#t', thread_ts: root.ts as string, text: `r${i}` });
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversations.replies({ channel: root.channel as string, ts: root.ts as string, limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push((page.messages ?? []).map((m) => m.text as string));
      expect(page.has_more).toBe(Boolean(page.response_metadata?.next_cursor));
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    expect(pages).toEqual([
      ['root', 'r0', 'r1'],
      ['r2', 'r3', 'r4'],
      ['r5', 'r6'],
    ]);
    const whole = await client.conversations.replies({ channel: root.channel as string, ts: root.ts as string });
    expect(whole.messages).toHaveLength(8);
    expect(whole.has_more).toBe(false);
    const bad = await slackError(client.conversations.replies({ channel: root.channel as string, ts: root.ts as string, cursor: 'bm9wZQ==' }));
    expect(bad.error).toBe('invalid_cursor');
  });

  it('lists history newest first, top level only, within oldest/latest, in pages', async () => {
    const client = (await start()).webClient();
    const posted: string[] = [];
    for (let i = 0; i < 5; i++) posted.push((await client.chat.postMessage({ channel: '#h', text: `m${i}` })).ts as string);
    await client.chat.postMessage({ channel: '#h', thread_ts: posted[0] as string, text: 'hidden reply' });
    await client.chat.postMessage({ channel: '#h', thread_ts: posted[0] as string, text: 'broadcast reply', reply_broadcast: true });
    const channel = (await client.conversations.info({ channel: 'h' })).channel?.id as string;

    const first = await client.conversations.history({ channel, limit: 4 });
    expect(first.messages?.map((m) => m.text)).toEqual(['broadcast reply', 'm4', 'm3', 'm2']);
    expect(first.messages?.[0]?.subtype).toBe('thread_broadcast');
    expect(first.has_more).toBe(true);
    const second = await client.conversations.history({ channel, limit: 4, cursor: first.response_metadata?.next_cursor as string });
    expect(second.messages?.map((m) => m.text)).toEqual(['m1', 'm0']);
    expect(second.has_more).toBe(false);

    const between = await client.conversations.history({ channel, oldest: posted[1] as string, latest: posted[3] as string });
    expect(between.messages?.map((m) => m.text)).toEqual(['m2']);
    const inclusive = await client.conversations.history({ channel, oldest: posted[1] as string, latest: posted[3] as string, inclusive: true });
    expect(inclusive.messages?.map((m) => m.text)).toEqual(['m3', 'm2', 'm1']);
  });

  it('accepts a reply to a ts that matches no message and keeps it out of the channel view', async () => {
    const { webClient, emulator } = await start();
    const res = await webClient().chat.postMessage({ channel: '#orphans', thread_ts: '1700000000.000100', text: 'lost' });
    expect(res.ok).toBe(true);
    expect(emulator.state.messages('#orphans')).toEqual([]);
    expect(emulator.state.allMessages().map((m) => [m.text, m.thread_ts])).toEqual([['lost', '1700000000.000100']]);
  });

  it('keeps blocks an update omits and drops them for an empty array', async () => {
    const { webClient, emulator } = await start();
    const client = webClient();
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*one*' } }];
    const root = await client.chat.postMessage({ channel: '#u', text: 'one', blocks });
    await client.chat.update({ channel: root.channel as string, ts: root.ts as string, text: 'two' });
    expect(emulator.state.messages('#u')[0]).toMatchObject({ text: 'two', blocks });
    await client.chat.update({ channel: root.channel as string, ts: root.ts as string, text: 'three', blocks: [] });
    expect(emulator.state.messages('#u')[0]?.blocks).toBeUndefined();
  });

  it('keeps ephemeral messages apart, per user', async () => {
    const { webClient, emulator } = await start();
    const client = webClient();
    const root = await client.chat.postMessage({ channel: '#e', text: 'root' });
    const eph = await client.chat.postEphemeral({ channel: root.channel as string, user: 'U0RESPONDER', thread_ts: root.ts as string, text: 'only you' });
    expect(eph.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(emulator.state.ephemerals()).toEqual([{ channel: root.channel, user: 'U0RESPONDER', ts: eph.message_ts, text: 'only you', thread_ts: root.ts }]);
    expect(emulator.state.allMessages()).toHaveLength(1);
  });

  it("builds Slack's permalinks on the workspace's domain, with the thread for replies", async () => {
    const { webClient } = await start({ teamDomain: 'acme-sec' });
    const client = webClient();
    const root = await client.chat.postMessage({ channel: '#p', text: 'root' });
    const reply = await client.chat.postMessage({ channel: '#p', thread_ts: root.ts as string, text: 'reply' });
    const link = await client.chat.getPermalink({ channel: root.channel as string, message_ts: root.ts as string });
    expect(link).toMatchObject({ ok: true, channel: root.channel });
    expect(link.permalink).toBe(`https://acme-sec.slack.com/archives/${root.channel}/p${(root.ts as string).replace('.', '')}`);
    const replyLink = await client.chat.getPermalink({ channel: root.channel as string, message_ts: reply.ts as string });
    expect(replyLink.permalink).toBe(
      `https://acme-sec.slack.com/archives/${root.channel}/p${(reply.ts as string).replace('.', '')}?thread_ts=${root.ts}&cid=${root.channel}`,
    );
    expect((await slackError(client.chat.getPermalink({ channel: root.channel as string, message_ts: '1.000001' }))).error).toBe('message_not_found');
    expect((await slackError(client.chat.getPermalink({ channel: 'C0NOTREAL99', message_ts: root.ts as string }))).error).toBe('channel_not_found');
  });

  it('lists channels and describes one', async () => {
    const client = (await start()).webClient();
    const a = await client.chat.postMessage({ channel: '#alpha', text: 'x' });
    await client.chat.postMessage({ channel: '#beta', text: 'x' });
    const list = await client.conversations.list();
    expect(list.channels?.map((c) => c.name).sort()).toEqual(['alpha', 'beta']);
    const info = await client.conversations.info({ channel: a.channel as string });
    expect(info.channel).toMatchObject({ id: a.channel, name: 'alpha', is_channel: true, is_member: true });
    expect((await slackError(client.conversations.info({ channel: 'C0NOTREAL99' }))).error).toBe('channel_not_found');
  });

  it('refuses what Slack refuses', async () => {
    const { webClient } = await start({ token: 'xoxb-right' });
    expect((await slackError(webClient('xoxb-wrong').auth.test())).error).toBe('invalid_auth');
    const client = webClient();
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: 'U0SIRBOT', team_id: 'T0EMULATOR', bot_id: expect.any(String) });
    expect((await slackError(client.chat.postMessage({ channel: 'C0NOTREAL99', text: 'x' }))).error).toBe('channel_not_found');
    const root = await client.chat.postMessage({ channel: '#x', text: 'x' });
    expect((await slackError(client.chat.update({ channel: root.channel as string, ts: '1.000001', text: 'y' }))).error).toBe('message_not_found');
    expect((await slackError(client.chat.postMessage({ channel: '#x', text: '' }))).error).toBe('no_text');
    expect((await slackError(client.chat.postMessage({ channel: '#x', text: 'y'.repeat(40_001) }))).error).toBe('msg_too_long');
    expect((await slackError(client.apiCall('chat.unheardOf', {}))).error).toBe('unknown_method');
  });

  it('takes JSON bodies and tokens in the body, as Slack does', async () => {
    const { emulator } = await start({ token: 'xoxb-json' });
    const res = await fetch(`${emulator.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ token: 'xoxb-json', channel: '#json', text: 'hi', blocks: [{ type: 'divider' }] }),
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { channel: string };
    expect(answer).toMatchObject({ ok: true, message: { text: 'hi', blocks: [{ type: 'divider' }] } });
    const missing = await fetch(`${emulator.url}auth.test`, { method: 'POST' });
    expect(await missing.json()).toEqual({ ok: false, error: 'not_authed' });
    const viaQuery = await fetch(`${emulator.url}conversations.history?channel=${answer.channel}&token=xoxb-json`);
    expect(await viaQuery.json()).toMatchObject({ ok: true, messages: [{ text: 'hi' }] });
    // Like Slack's, history takes a conversation id, not a name.
    expect(await (await fetch(`${emulator.url}conversations.history?channel=json&token=xoxb-json`)).json()).toEqual({ ok: false, error: 'channel_not_found' });
    expect(await (await fetch(`${emulator.url}constructor`, { method: 'POST' })).json()).toEqual({ ok: false, error: 'unknown_method' });
  });

  it('logs every call and serves its state as JSON for scripts', async () => {
    const { webClient, emulator } = await start();
    const client = webClient();
    const root = await client.chat.postMessage({ channel: '#json', text: 'root' });
    await client.chat.postMessage({ channel: '#json', thread_ts: root.ts as string, text: 'reply' });
    await slackError(client.chat.update({ channel: root.channel as string, ts: '1.000001', text: 'y' }));

    expect(emulator.state.calls().map((c) => [c.method, c.channel, c.ok, c.error, c.status])).toEqual([
      ['chat.postMessage', root.channel, true, undefined, 200],
      ['chat.postMessage', root.channel, true, undefined, 200],
      ['chat.update', root.channel, false, 'message_not_found', 200],
    ]);
    expect(emulator.state.stats()).toEqual({ calls: { 'chat.postMessage': 2, 'chat.update': 1 }, rateLimited: 0, invalidBlocks: 0 });

    const base = emulator.url.replace(/\/api\/$/, '');
    const list = (await (await fetch(`${base}/api/conversations`)).json()) as { channels: Array<{ id: string; name: string; messages: number }> };
    expect(list.channels).toEqual([expect.objectContaining({ id: root.channel, name: 'json', messages: 1 })]);
    const messages = (await (await fetch(`${base}/api/conversations/json/messages`)).json()) as {
      channel: string;
      messages: Array<{ text: string; reply_count: number; replies: Array<{ text: string }> }>;
    };
    expect(messages.channel).toBe(root.channel);
    expect(messages.messages.map((m) => [m.text, m.reply_count, m.replies.map((r) => r.text)])).toEqual([['root', 1, ['reply']]]);
    expect((await fetch(`${base}/api/conversations/nowhere/messages`)).status).toBe(404);

    emulator.reset();
    expect(emulator.state.channels()).toEqual([]);
    expect(emulator.state.calls()).toEqual([]);
  });
});
