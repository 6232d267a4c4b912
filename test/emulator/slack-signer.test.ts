import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidSlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCallbackBody, interactionBody, postSignedToSlackReceiver, signSlackRequest, slashCommandBody } from '../support/slack-signer.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

describe('signSlackRequest', () => {
  it('matches an HMAC-SHA256 over v0:timestamp:body computed independently', () => {
    const body = 'token=x&command=%2Fsirbot&text=help';
    const headers = signSlackRequest({ signingSecret: SECRET, body, timestamp: 1_700_000_000 });
    const expected = createHmac('sha256', SECRET).update(Buffer.from(`v0:1700000000:${body}`, 'utf8')).digest('hex');
    expect(headers).toEqual({ 'x-slack-signature': `v0=${expected}`, 'x-slack-request-timestamp': '1700000000' });
  });

  it("passes Bolt's own verification, now and not five minutes later", () => {
    const body = eventCallbackBody({ type: 'app_mention', text: 'hi' });
    const headers = signSlackRequest({ signingSecret: SECRET, body });
    const verify = (nowMilliseconds: number, signingSecret = SECRET) =>
      isValidSlackRequest({
        signingSecret,
        body,
        headers: { 'x-slack-signature': headers['x-slack-signature'] as string, 'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']) },
        nowMilliseconds,
      });
    expect(verify(Date.now())).toBe(true);
    expect(verify(Date.now(), 'another-secret')).toBe(false);
    expect(verify(Date.now() + 6 * 60_000)).toBe(false);
  });
});

describe('Slack request bodies', () => {
  it('form-encodes slash commands with the fields Slack sends', () => {
    const fields = new URLSearchParams(slashCommandBody({ command: '/sirbot', text: 'status GD-123 & more' }));
    expect(fields.get('command')).toBe('/sirbot');
    expect(fields.get('text')).toBe('status GD-123 & more');
    for (const key of ['team_id', 'channel_id', 'user_id', 'response_url', 'trigger_id', 'api_app_id']) expect(fields.get(key)).toBeTruthy();
  });

  it('wraps interactions as payload=<url-encoded JSON>', () => {
    const payload = { type: 'block_actions', actions: [{ action_id: 'ack', value: 'a&b=c' }] };
    const body = interactionBody(payload);
    expect(body.startsWith('payload=')).toBe(true);
    expect(JSON.parse(new URLSearchParams(body).get('payload') as string)).toEqual(payload);
  });

  it('wraps events in an event_callback envelope with unique event ids', () => {
    const event = { type: 'app_mention', user: 'U1', text: '<@U0SIRBOT> hi', channel: 'C1', ts: '1.000100' };
    const first = JSON.parse(eventCallbackBody(event));
    const second = JSON.parse(eventCallbackBody(event, { team_id: 'T0OTHER' }));
    expect(first).toMatchObject({ type: 'event_callback', team_id: 'T0EMULATOR', api_app_id: expect.any(String), event });
    expect(first.event_id).toMatch(/^Ev[A-Z0-9]+$/);
    expect(Math.abs(first.event_time - Date.now() / 1000)).toBeLessThan(5);
    expect(second.team_id).toBe('T0OTHER');
    expect(second.event_id).not.toBe(first.event_id);
  });
});

describe('postSignedToSlackReceiver', () => {
  let server: Server;
  let url: string;
  let received: { headers: IncomingHttpHeaders; body: string } | undefined;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const signatureOf = (timestamp: string, body: string) => `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;

  it('sends the body as given, with a signature over exactly those bytes', async () => {
    const body = interactionBody({ type: 'block_actions', text: 'ünïcode' });
    const res = await postSignedToSlackReceiver(url, { body, contentType: 'application/x-www-form-urlencoded', signingSecret: SECRET });
    expect(res.status).toBe(200);
    expect(received?.body).toBe(body);
    expect(received?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const timestamp = received?.headers['x-slack-request-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
    expect(received?.headers['x-slack-signature']).toBe(signatureOf(timestamp, body));
  });

  it('can send stale, tampered, overridden or missing signatures', async () => {
    const body = eventCallbackBody({ type: 'app_mention' });
    await postSignedToSlackReceiver(url, { body, contentType: 'application/json', signingSecret: SECRET, timestamp: 1_600_000_000 });
    expect(received?.headers['x-slack-request-timestamp']).toBe('1600000000');
    expect(received?.headers['x-slack-signature']).toBe(signatureOf('1600000000', body));

    await postSignedToSlackReceiver(url, { body: `${body} `, signedBody: body, contentType: 'application/json', signingSecret: SECRET, timestamp: 1_700_000_000 });
    expect(received?.body).toBe(`${body} `);
    expect(received?.headers['x-slack-signature']).toBe(signatureOf('1700000000', body));

    await postSignedToSlackReceiver(url, { body, contentType: 'application/json', signingSecret: SECRET, signature: 'v0=deadbeef' });
    expect(received?.headers['x-slack-signature']).toBe('v0=deadbeef');

    await postSignedToSlackReceiver(url, { body, contentType: 'application/json', signingSecret: SECRET, signature: null, headers: { 'x-extra': '1' } });
    expect(received?.headers['x-slack-signature']).toBeUndefined();
    expect(received?.headers['x-slack-request-timestamp']).toBeDefined();
    expect(received?.headers['x-extra']).toBe('1');
  });
});
