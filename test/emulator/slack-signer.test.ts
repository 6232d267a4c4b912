import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidSlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventCallbackBody,
  interactionBody,
  postSignedToSlackReceiver,
  signSlackRequest,
  sirCommandBody,
  slashCommandBody,
  stateValues,
  viewSubmissionPayload,
} from '../support/slack-signer.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

describe('signSlackRequest', () => {
  it('matches an HMAC-SHA256 over v0:timestamp:body computed independently', () => {
    const body = 'token=x&command=%2Fsirbot&text=help';
    const headers = signSlackRequest({ signingSecret: SECRET, body, timestamp: 1_700_000_000 });
    const expected = createHmac('sha256', SECRET)
      .update(Buffer.from(`v0:1700000000:${body}`, 'utf8'))
      .digest('hex');
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

describe('modal and command payload builders', () => {
  const plain = (text: string) => ({ type: 'plain_text', text });
  const option = (value: string) => ({ text: plain(value), value });
  const input = (blockId: string, element: Record<string, unknown>) => ({
    type: 'input',
    block_id: blockId,
    label: plain(blockId),
    element: { action_id: 'v', ...element },
  });

  it('fills state.values from answers by block id; unanswered inputs keep their initial values', () => {
    const view = {
      blocks: [
        { type: 'section', text: plain('not an input'), accessory: { type: 'button', action_id: 'b', text: plain('b') } },
        input('text', { type: 'plain_text_input' }),
        input('date', { type: 'datepicker', initial_date: '2026-01-02' }),
        input('pick', { type: 'static_select', option_groups: [{ label: plain('g'), options: [option('a'), option('b')] }] }),
        input('ticks', { type: 'checkboxes', options: [option('x'), option('y')], initial_options: [option('x')] }),
        input('areas', { type: 'multi_static_select', options: [option('iam'), option('s3')] }),
        input('owner', { type: 'users_select' }),
        input('watchers', { type: 'multi_users_select', initial_users: ['U1'] }),
      ],
    };
    expect(stateValues(view, { text: 'typed', pick: { option: 'b' }, areas: { options: ['s3', 'iam'] }, owner: { user: 'U2' } })).toEqual({
      text: { v: { type: 'plain_text_input', value: 'typed' } },
      date: { v: { type: 'datepicker', selected_date: '2026-01-02' } },
      pick: { v: { type: 'static_select', selected_option: option('b') } },
      ticks: { v: { type: 'checkboxes', selected_options: [option('x')] } },
      areas: { v: { type: 'multi_static_select', selected_options: [option('s3'), option('iam')] } },
      owner: { v: { type: 'users_select', selected_user: 'U2' } },
      watchers: { v: { type: 'multi_users_select', selected_users: ['U1'] } },
    });
  });

  it('submits the view as the emulator holds it, for the person whose screen it is on', () => {
    const view = {
      id: 'V1',
      user: 'U0ALICE',
      callback_id: 'cb',
      private_metadata: 'pm',
      hash: '1.a',
      blocks: [input('text', { type: 'plain_text_input' })],
      state: { values: {} },
    };
    const payload = viewSubmissionPayload({ view: view as never, answers: { text: 'hi' }, triggerId: '1.2.abc' }) as any;
    expect(payload).toMatchObject({ type: 'view_submission', trigger_id: '1.2.abc', user: { id: 'U0ALICE' }, team: { id: 'T0EMULATOR', domain: 'emulator' } });
    expect(payload.view).toEqual({
      id: 'V1',
      callback_id: 'cb',
      private_metadata: 'pm',
      hash: '1.a',
      blocks: view.blocks,
      state: { values: { text: { v: { type: 'plain_text_input', value: 'hi' } } } },
    });
  });

  it('sends /sir with the trigger id it is given', () => {
    const fields = new URLSearchParams(sirCommandBody('status GD-1', { triggerId: '9.9.ff', user: 'U0BOB', channel: { id: 'C0TEAM', name: 'team' } }));
    expect(Object.fromEntries(fields)).toMatchObject({
      command: '/sir',
      text: 'status GD-1',
      trigger_id: '9.9.ff',
      user_id: 'U0BOB',
      channel_id: 'C0TEAM',
      channel_name: 'team',
    });
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

    await postSignedToSlackReceiver(url, {
      body: `${body} `,
      signedBody: body,
      contentType: 'application/json',
      signingSecret: SECRET,
      timestamp: 1_700_000_000,
    });
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
