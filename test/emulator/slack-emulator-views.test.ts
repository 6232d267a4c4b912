import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_STACK, TRIGGER_TTL_MS } from '../../src/emulator/slack/index.ts';
import { slackError, startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack({ limits: false });
});
afterAll(async () => {
  await fake.emulator.close();
});
beforeEach(() => fake.emulator.reset());

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const option = (value: string, text = value) => ({ text: plain(text), value });
const section = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } });
const input = (blockId: string, element: Record<string, unknown>, label = 'Label') => ({
  type: 'input',
  block_id: blockId,
  label: plain(label),
  element: { action_id: 'value', ...element },
});

/** A modal using every element sirbot's modals use. */
function modal(extra: Record<string, unknown> = {}) {
  return {
    type: 'modal',
    callback_id: 'case_modal',
    private_metadata: '{"finding":"f-1"}',
    title: plain('Open a case'),
    submit: plain('Open'),
    close: plain('Cancel'),
    blocks: [
      section('About *this* finding'),
      input('summary', { type: 'plain_text_input', multiline: true, max_length: 3000, initial_value: 'Keys leaked' }),
      input('severity', { type: 'static_select', options: [option('low'), option('high')], initial_option: option('high') }),
      input('areas', { type: 'multi_static_select', options: [option('iam'), option('s3')], initial_options: [option('s3')], max_selected_items: 2 }),
      input('start', { type: 'datepicker', initial_date: '2026-11-21' }),
      input('notify', { type: 'checkboxes', options: [option('cirt', 'Tell *CIRT*')], initial_options: [option('cirt', 'Tell *CIRT*')] }),
      input('resolver', { type: 'radio_buttons', options: [option('Self'), option('AWS')], initial_option: option('Self') }),
      input('owner', { type: 'users_select', initial_user: 'U0ALICE' }),
      input('watchers', { type: 'multi_users_select', initial_users: ['U0ALICE', 'U0BOB'], max_selected_items: 5 }),
    ],
    ...extra,
  };
}

const open = (view: unknown, trigger = fake.issueTriggerId('U0ALICE')) => fake.webClient().views.open({ trigger_id: trigger, view: view as never });
const messages = async (call: Promise<unknown>) => {
  const data = await slackError(call);
  expect(data.error).toBe('invalid_arguments');
  return data.response_metadata?.messages;
};

describe('Slack emulator: modals through the real WebClient', () => {
  it('opens a modal on the screen of the person whose trigger it was, as Slack answers it', async () => {
    const res = await open(modal());
    const view = res.view!;
    expect(view).toMatchObject({
      type: 'modal',
      team_id: 'T0EMULATOR',
      callback_id: 'case_modal',
      private_metadata: '{"finding":"f-1"}',
      external_id: '',
      title: plain('Open a case'),
      submit: plain('Open'),
      close: plain('Cancel'),
      state: { values: {} },
      clear_on_close: false,
      notify_on_close: false,
      previous_view_id: null,
      app_id: expect.any(String),
      bot_id: expect.any(String),
    });
    expect(view.id).toMatch(/^V[A-Z0-9]+$/);
    expect(view.root_view_id).toBe(view.id);
    expect(view.hash).toMatch(/^\d+\.[0-9a-f]+$/);
    expect(view).not.toHaveProperty('user');
    expect(fake.latestView('U0ALICE')?.id).toBe(view.id);
    expect(fake.openModals('U0ALICE').map((v) => v.id)).toEqual([view.id]);
    expect(fake.latestView('U0BOB')).toBeUndefined();
  });

  it('answers null for the submit and close buttons a modal leaves out', async () => {
    const res = await open({ type: 'modal', title: plain('Status'), blocks: [section('x')] });
    expect(res.view).toMatchObject({ submit: null, close: null, callback_id: '', private_metadata: '' });
  });

  it('takes a trigger once, within 3 seconds, and only one it issued', async () => {
    const trigger = fake.issueTriggerId('U0ALICE');
    await open(modal(), trigger);
    expect((await slackError(open(modal(), trigger))).error).toBe('exchanged_trigger_id');
    const stale = fake.emulator.state.issueTriggerId('U0ALICE', Date.now() - TRIGGER_TTL_MS - 1);
    expect((await slackError(open(modal(), stale))).error).toBe('expired_trigger_id');
    expect((await slackError(open(modal(), '1234567890.1234567890.abcdef'))).error).toBe('invalid_trigger_id');
  });

  it('pushes up to three modals deep; each knows its root and the one under it', async () => {
    const client = fake.webClient();
    const root = (await open(modal())).view!;
    const second = (
      await client.views.push({ trigger_id: fake.issueTriggerId('U0ALICE'), view: { type: 'modal', title: plain('Second'), blocks: [section('2')] } })
    ).view!;
    const third = (
      await client.views.push({ trigger_id: fake.issueTriggerId('U0ALICE'), view: { type: 'modal', title: plain('Third'), blocks: [section('3')] } })
    ).view!;
    expect(second).toMatchObject({ root_view_id: root.id, previous_view_id: root.id });
    expect(third).toMatchObject({ root_view_id: root.id, previous_view_id: second.id });
    expect(fake.openModals('U0ALICE').map((v) => v.id)).toEqual([root.id, second.id, third.id]);
    expect(MAX_STACK).toBe(3);
    const fourth = client.views.push({ trigger_id: fake.issueTriggerId('U0ALICE'), view: { type: 'modal', title: plain('Fourth'), blocks: [section('4')] } });
    expect((await slackError(fourth)).error).toBe('push_limit_reached');
    // Nothing to push onto.
    const nothing = client.views.push({ trigger_id: fake.issueTriggerId('U0BOB'), view: { type: 'modal', title: plain('Lonely'), blocks: [section('x')] } });
    expect((await slackError(nothing)).error).toBe('not_found');
  });

  it('updates by view id or external id, refusing a stale hash', async () => {
    const client = fake.webClient();
    const opened = (await open(modal({ external_id: 'case-f-1' }))).view!;
    const byId = (
      await client.views.update({ view_id: opened.id!, hash: opened.hash!, view: { type: 'modal', title: plain('Working…'), blocks: [section('Preparing')] } })
    ).view!;
    expect(byId).toMatchObject({ id: opened.id, root_view_id: opened.id, title: plain('Working…'), external_id: '' });
    expect(byId.hash).not.toBe(opened.hash);
    const stale = client.views.update({ view_id: opened.id!, hash: opened.hash!, view: { type: 'modal', title: plain('Late'), blocks: [section('x')] } });
    expect((await slackError(stale)).error).toBe('hash_conflict');

    const tagged = (await open(modal({ external_id: 'case-f-2' }))).view!;
    const byExternal = (await client.views.update({ external_id: 'case-f-2', view: modal({ external_id: 'case-f-2', title: plain('Again') }) as never })).view!;
    expect(byExternal).toMatchObject({ id: tagged.id, title: plain('Again') });
    expect(fake.latestView('U0ALICE')?.title).toEqual(plain('Again'));

    expect((await slackError(client.views.update({ view_id: 'V0NOSUCHVIEW', view: modal() as never }))).error).toBe('not_found');
    expect((await slackError(client.views.update({ external_id: 'nobody', view: modal() as never }))).error).toBe('not_found');
    // A modal stays a modal.
    const turned = client.views.update({ view_id: tagged.id!, view: { type: 'home', blocks: [] } });
    expect(await messages(turned)).toContain('[ERROR] must be a valid enum value (modal) [json-pointer:/view/type]');
  });

  it('keeps external ids unique among the views on screen, and frees one when its modal closes', async () => {
    await open(modal({ external_id: 'only-one' }));
    expect((await slackError(open(modal({ external_id: 'only-one' }), fake.issueTriggerId('U0BOB')))).error).toBe('duplicate_external_id');
    fake.emulator.state.surfaces.close('U0ALICE');
    expect((await open(modal({ external_id: 'only-one' }), fake.issueTriggerId('U0BOB'))).ok).toBe(true);
  });

  it('publishes one Home view per person, replaced in place', async () => {
    const client = fake.webClient();
    const first = (await client.views.publish({ user_id: 'U0BOSS', view: { type: 'home', blocks: [section('Nothing waits for you.')] } })).view!;
    expect(first).toMatchObject({ type: 'home', team_id: 'T0EMULATOR', state: { values: {} }, previous_view_id: null });
    expect(first).not.toHaveProperty('title');
    const second = (
      await client.views.publish({
        user_id: 'U0BOSS',
        hash: first.hash!,
        view: { type: 'home', callback_id: 'home', blocks: [section('One approval waits.')] },
      })
    ).view!;
    expect(second.id).toBe(first.id);
    const stale = client.views.publish({ user_id: 'U0BOSS', hash: first.hash!, view: { type: 'home', blocks: [section('x')] } });
    expect((await slackError(stale)).error).toBe('hash_conflict');
    expect(fake.emulator.state.surfaces.home('U0BOSS')?.blocks).toEqual([section('One approval waits.')]);
    const modalAsHome = client.views.publish({ user_id: 'U0BOSS', view: modal() as never });
    expect(await messages(modalAsHome)).toContain('[ERROR] must be a valid enum value (home) [json-pointer:/view/type]');
  });

  it('serves open modals and Home views as JSON, and issues trigger ids over HTTP', async () => {
    const base = fake.emulator.url.replace(/\/api\/$/, '');
    const issued = (await (
      await fetch(`${base}/api/trigger`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'U0CAROL' }) })
    ).json()) as { ok: boolean; trigger_id: string };
    expect(issued).toEqual({ ok: true, trigger_id: expect.stringMatching(/^\d+\.\d+\.[0-9a-f]+$/) });
    const opened = (await open(modal(), issued.trigger_id)).view!;
    await fake.webClient().views.publish({ user_id: 'U0CAROL', view: { type: 'home', blocks: [section('home')] } });

    const all = (await (await fetch(`${base}/api/views`)).json()) as { modals: Record<string, Array<{ id: string }>>; homes: Record<string, { type: string }> };
    expect(all.modals.U0CAROL?.map((v) => v.id)).toEqual([opened.id]);
    expect(all.homes.U0CAROL?.type).toBe('home');
    const hers = (await (await fetch(`${base}/api/views?user=U0CAROL`)).json()) as {
      user: string;
      modals: Array<{ id: string }>;
      home: { type: string } | null;
    };
    expect(hers).toMatchObject({ user: 'U0CAROL', modals: [{ id: opened.id }], home: { type: 'home' } });
    expect(fake.emulator.state.views().modals.U0CAROL).toHaveLength(1);
  });
});

describe('Slack emulator: views are validated like Slack', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['a title over 24 characters', modal({ title: plain('t'.repeat(25)) }), ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]']],
    [
      'a submit button over 24 characters',
      modal({ submit: plain('s'.repeat(25)) }),
      ['[ERROR] must be less than 25 characters [json-pointer:/view/submit/text]'],
    ],
    ['a close button in mrkdwn', modal({ close: { type: 'mrkdwn', text: 'Cancel' } }), ['[ERROR] must be a valid enum value [json-pointer:/view/close/type]']],
    ['no title', modal({ title: undefined }), ['[ERROR] missing required field: title [json-pointer:/view]']],
    ['inputs without a submit button', modal({ submit: undefined }), ['[ERROR] submit is required when an input block is present [json-pointer:/view/submit]']],
    [
      '101 blocks',
      modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }),
      ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]'],
    ],
    [
      'private_metadata over 3,000 characters',
      modal({ private_metadata: 'm'.repeat(3001) }),
      ['[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]'],
    ],
    ['callback_id over 255 characters', modal({ callback_id: 'c'.repeat(256) }), ['[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]']],
    ['notify_on_close that is not a boolean', modal({ notify_on_close: 'yes' }), ['[ERROR] must provide a boolean [json-pointer:/view/notify_on_close]']],
    [
      'an input label over 2,000 characters',
      modal({ blocks: [input('x', { type: 'plain_text_input' }, 'l'.repeat(2001))] }),
      ['[ERROR] must be less than 2001 characters [json-pointer:/view/blocks/0/label/text]'],
    ],
    [
      'a text input allowing more than 3,000 characters',
      modal({ blocks: [input('x', { type: 'plain_text_input', max_length: 3001 })] }),
      ['[ERROR] must be an integer between 1 and 3000 [json-pointer:/view/blocks/0/element/max_length]'],
    ],
    [
      'multiline that is not a boolean',
      modal({ blocks: [input('x', { type: 'plain_text_input', multiline: 'true' })] }),
      ['[ERROR] must provide a boolean [json-pointer:/view/blocks/0/element/multiline]'],
    ],
    [
      'a select with 101 options',
      modal({ blocks: [input('x', { type: 'static_select', options: Array.from({ length: 101 }, (_, i) => option(`o${i}`)) })] }),
      ['[ERROR] no more than 100 items allowed [json-pointer:/view/blocks/0/element/options]'],
    ],
    [
      'an option text over 75 characters',
      modal({ blocks: [input('x', { type: 'multi_static_select', options: [option('v', 'o'.repeat(76))] })] }),
      ['[ERROR] must be less than 76 characters [json-pointer:/view/blocks/0/element/options/0/text/text]'],
    ],
    [
      'an option value over 150 characters',
      modal({ blocks: [input('x', { type: 'radio_buttons', options: [option('v'.repeat(151), 'o')] })] }),
      ['[ERROR] must be less than 151 characters [json-pointer:/view/blocks/0/element/options/0/value]'],
    ],
    [
      'an initial option the select does not offer',
      modal({ blocks: [input('x', { type: 'static_select', options: [option('low')], initial_option: option('critical') })] }),
      ['[ERROR] must match one of the provided options [json-pointer:/view/blocks/0/element/initial_option]'],
    ],
    [
      'checkboxes initially ticking an option they do not have',
      modal({ blocks: [input('x', { type: 'checkboxes', options: [option('a')], initial_options: [option('a', 'A')] })] }),
      ['[ERROR] must match one of the provided options [json-pointer:/view/blocks/0/element/initial_options/0]'],
    ],
    [
      'eleven radio buttons',
      modal({ blocks: [input('x', { type: 'radio_buttons', options: Array.from({ length: 11 }, (_, i) => option(`r${i}`)) })] }),
      ['[ERROR] no more than 10 items allowed [json-pointer:/view/blocks/0/element/options]'],
    ],
    [
      'a datepicker with a date not in YYYY-MM-DD',
      modal({ blocks: [input('x', { type: 'datepicker', initial_date: '21/11/2026' })] }),
      ['[ERROR] must match format "YYYY-MM-DD" [json-pointer:/view/blocks/0/element/initial_date]'],
    ],
    [
      'a people picker allowing zero people',
      modal({ blocks: [input('x', { type: 'multi_users_select', max_selected_items: 0 })] }),
      ['[ERROR] must be an integer of at least 1 [json-pointer:/view/blocks/0/element/max_selected_items]'],
    ],
  ];

  it.each(cases)('refuses %s with invalid_arguments and pointers', async (_name, view, expected) => {
    const trigger = fake.issueTriggerId('U0ALICE');
    expect(await messages(open(view, trigger))).toEqual(expected);
    // The refused call leaves the trigger unused and the screen empty.
    expect(fake.openModals('U0ALICE')).toEqual([]);
    expect((await open(modal(), trigger)).ok).toBe(true);
  });

  it('accepts the modal with every element it uses', async () => {
    expect((await open(modal())).ok).toBe(true);
  });

  it('refuses a call without a trigger or without a view', async () => {
    expect(await messages(fake.webClient().apiCall('views.open', { view: modal() }))).toEqual(['[ERROR] missing required field: trigger_id']);
    expect(await messages(fake.webClient().apiCall('views.open', { trigger_id: fake.issueTriggerId() }))).toEqual(['[ERROR] missing required field: view']);
    expect(await messages(fake.webClient().apiCall('views.publish', { view: { type: 'home', blocks: [] } }))).toEqual([
      '[ERROR] missing required field: user_id',
    ]);
  });
});
