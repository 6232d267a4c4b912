import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger, startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { SlackUser } from '../support/slack-user.ts';
import {
  appHomeOpenedBody,
  blockActionPayload,
  globalShortcutPayload,
  interactionBody,
  messageShortcutPayload,
  postSignedToSlackReceiver,
  sirCommandBody,
  viewClosedPayload,
  viewSubmissionPayload,
} from '../support/slack-signer.ts';

const SECRET = 'interactions-signing-secret';
const plain = (text: string) => ({ type: 'plain_text' as const, text });
const option = (value: string) => ({ text: plain(value), value });

/**
 * A small Bolt app on the emulator, standing in for sirbot's coming features: the payload
 * builders must be what Bolt routes, and the trigger ids in them what views.open takes.
 */
let fake: FakeSlack;
let server: Server;
let url: string;
const seen: Array<{ kind: string; body: any }> = [];
const failures: string[] = [];

function modal(callbackId: string) {
  return {
    type: 'modal' as const,
    callback_id: callbackId,
    private_metadata: JSON.stringify({ from: callbackId }),
    notify_on_close: true,
    title: plain('Declare incident'),
    submit: plain('Declare'),
    blocks: [
      {
        type: 'input',
        block_id: 'summary',
        label: plain('Summary'),
        element: { type: 'plain_text_input', action_id: 'value', initial_value: 'from the emulator' },
      },
      {
        type: 'input',
        block_id: 'severity',
        label: plain('Severity'),
        element: { type: 'static_select', action_id: 'value', options: [option('low'), option('high')], initial_option: option('low') },
      },
    ],
  };
}

beforeAll(async () => {
  fake = await startFakeSlack({ limits: false, token: 'xoxb-interactions' });
  const app = new App({
    token: 'xoxb-interactions',
    receiver: new HTTPReceiver({ signingSecret: SECRET, endpoints: '/slack/events', logger: silentLogger }),
    logger: silentLogger,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.emulator.url },
  });
  const openModal = async (client: any, triggerId: string, callbackId: string) => {
    try {
      await client.views.open({ trigger_id: triggerId, view: modal(callbackId) });
    } catch (err) {
      failures.push((err as { data?: { error?: string } }).data?.error ?? String(err));
    }
  };
  app.command('/sir', async ({ ack, body, client }) => {
    await ack();
    seen.push({ kind: 'command', body });
    await openModal(client, body.trigger_id, 'sir_declare');
  });
  app.shortcut({ callback_id: 'declare_from_message', type: 'message_action' }, async ({ ack, body, client }) => {
    await ack();
    seen.push({ kind: 'message_action', body });
    await openModal(client, body.trigger_id, 'message_declare');
  });
  app.shortcut({ callback_id: 'declare', type: 'shortcut' }, async ({ ack, body }) => {
    await ack();
    seen.push({ kind: 'shortcut', body });
  });
  app.action('ack', async ({ ack, body, client }) => {
    await ack();
    seen.push({ kind: 'block_actions', body });
    await openModal(client, (body as { trigger_id: string }).trigger_id, 'action_declare');
  });
  app.view('sir_declare', async ({ ack, body, view }) => {
    await ack();
    seen.push({ kind: 'view_submission', body: { ...body, values: view.state.values } });
  });
  app.view({ callback_id: 'sir_declare', type: 'view_closed' }, async ({ ack, body }) => {
    await ack();
    seen.push({ kind: 'view_closed', body });
  });
  app.event('app_home_opened', async ({ event, client }) => {
    seen.push({ kind: 'app_home_opened', body: event });
    await client.views.publish({
      user_id: event.user,
      view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Hello <@${event.user}>` } }] },
    });
  });
  server = (await app.start(0)) as Server;
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await fake?.emulator.close();
});

beforeEach(() => {
  seen.length = 0;
  failures.length = 0;
});

const form = (body: string) => postSignedToSlackReceiver(url, { body, contentType: 'application/x-www-form-urlencoded', signingSecret: SECRET });
const interaction = (payload: unknown) => form(interactionBody(payload));
const kinds = () => seen.map((s) => s.kind);

describe('Slack emulator with a Bolt app: the payload builders and issued triggers', () => {
  it('/sir with an issued trigger opens a modal; its submission carries the view, metadata and answers', async () => {
    expect((await form(sirCommandBody('declare', { triggerId: fake.issueTriggerId('U0ALICE'), user: 'U0ALICE' }))).status).toBe(200);
    await expect.poll(() => fake.latestView('U0ALICE')?.callback_id).toBe('sir_declare');
    const view = fake.latestView('U0ALICE')!;
    expect(seen[0]?.body).toMatchObject({ command: '/sir', text: 'declare', user_id: 'U0ALICE', trigger_id: expect.any(String) });

    const submitted = viewSubmissionPayload({ view, answers: { severity: { option: 'high' } }, triggerId: fake.issueTriggerId('U0ALICE') });
    expect((await interaction(submitted)).status).toBe(200);
    await expect.poll(kinds).toContain('view_submission');
    const body = seen.find((s) => s.kind === 'view_submission')!.body;
    expect(body.user.id).toBe('U0ALICE');
    expect(body.view).toMatchObject({ id: view.id, callback_id: 'sir_declare', private_metadata: '{"from":"sir_declare"}', hash: view.hash });
    expect(body.view).not.toHaveProperty('user');
    expect(body.values).toEqual({
      summary: { value: { type: 'plain_text_input', value: 'from the emulator' } },
      severity: { value: { type: 'static_select', selected_option: option('high') } },
    });

    expect((await interaction(viewClosedPayload({ view, isCleared: true }))).status).toBe(200);
    await expect.poll(kinds).toContain('view_closed');
    expect(seen.find((s) => s.kind === 'view_closed')!.body).toMatchObject({ type: 'view_closed', is_cleared: true, view: { id: view.id } });
    expect(failures).toEqual([]);
  });

  it('a trigger the emulator did not issue is refused when the bot exchanges it', async () => {
    await form(sirCommandBody('declare', { triggerId: '1234567890.1234567890.abcdef', user: 'U0DAVE' }));
    await expect.poll(() => failures).toEqual(['invalid_trigger_id']);
    expect(fake.latestView('U0DAVE')).toBeUndefined();
  });

  it('a message shortcut and a button click open modals with their trigger ids; a global shortcut arrives', async () => {
    const posted = await fake.webClient().chat.postMessage({ channel: '#team-chat', text: 'AKIA… leaked?' });
    const message = { ts: posted.ts as string, text: 'AKIA… leaked?', user: 'U0CAROL' };
    const shortcut = messageShortcutPayload({
      callbackId: 'declare_from_message',
      message,
      channel: { id: posted.channel as string, name: 'team-chat' },
      triggerId: fake.issueTriggerId('U0BOB'),
      user: 'U0BOB',
    });
    expect((await interaction(shortcut)).status).toBe(200);
    await expect.poll(() => fake.latestView('U0BOB')?.callback_id).toBe('message_declare');
    expect(seen[0]?.body).toMatchObject({ type: 'message_action', message_ts: posted.ts, channel: { id: posted.channel }, message: { text: 'AKIA… leaked?' } });

    const click = blockActionPayload({
      actionId: 'ack',
      channel: posted.channel as string,
      messageTs: posted.ts as string,
      user: 'U0ERIN',
      triggerId: fake.issueTriggerId('U0ERIN'),
    });
    expect((await interaction(click)).status).toBe(200);
    await expect.poll(() => fake.latestView('U0ERIN')?.callback_id).toBe('action_declare');

    expect((await interaction(globalShortcutPayload({ callbackId: 'declare', user: 'U0BOB' }))).status).toBe(200);
    await expect.poll(kinds).toContain('shortcut');
    expect(failures).toEqual([]);
  });

  it('app_home_opened lets the bot publish Home, which the next opening carries', async () => {
    const post = (body: string) => postSignedToSlackReceiver(url, { body, contentType: 'application/json', signingSecret: SECRET });
    expect((await post(appHomeOpenedBody('U0BOSS'))).status).toBe(200);
    await expect.poll(() => fake.emulator.state.surfaces.home('U0BOSS')?.type).toBe('home');
    const home = fake.emulator.state.surfaces.home('U0BOSS')!;
    await post(appHomeOpenedBody('U0BOSS', { view: home }));
    await expect.poll(() => seen.filter((s) => s.kind === 'app_home_opened').length).toBe(2);
    expect(seen[1]?.body).toMatchObject({ type: 'app_home_opened', user: 'U0BOSS', tab: 'home', view: { id: home.id, type: 'home' } });
  });

  it('an emulated person submits and cancels modals the way Slack closes them', async () => {
    const frank = new SlackUser({ receiverUrl: url, signingSecret: SECRET, emulator: fake.emulator, id: 'U0FRANK' });
    const client = fake.webClient();
    await frank.command('declare', '#sec-alerts');
    const root = await frank.waitForModal('sir_declare');
    // Pushed on it, say by a button in the modal; a plain ack of its submission goes back to the root.
    const pushed = (await client.views.push({ trigger_id: fake.issueTriggerId('U0FRANK'), view: { ...modal('sir_declare'), notify_on_close: false } })).view!;
    expect(fake.openModals('U0FRANK').map((v) => v.id)).toEqual([root.id, pushed.id]);
    await frank.submit({ summary: 'pushed one' });
    expect(fake.openModals('U0FRANK').map((v) => v.id)).toEqual([root.id]);
    // Cancelling the root tells the bot (the view asked for notify_on_close) and closes it.
    const closed = await frank.cancel();
    expect(closed?.status).toBe(200);
    await expect.poll(kinds).toContain('view_closed');
    expect(seen.find((s) => s.kind === 'view_closed')!.body).toMatchObject({ is_cleared: false, view: { id: root.id }, user: { id: 'U0FRANK' } });
    expect(fake.openModals('U0FRANK')).toEqual([]);
    expect(fake.latestView('U0FRANK')?.id).toBe(pushed.id);
  });
});
