/**
 * The payloads Slack sends an app when people use its interactive surfaces: modal
 * submissions and closes, shortcuts, slash commands, App Home. Shapes follow Slack's
 * documented payloads (and Bolt's types of them); the emulated people and the tests
 * build theirs here, so both send what Slack would.
 */
import type { EmulatedView } from '../views-state.ts';

// biome-ignore lint/suspicious/noExplicitAny: Slack's payloads are read field by field as Slack documents them; each use is shape-checked where it matters.
type Json = Record<string, any>;

export const APP_ID = 'A0SIRBOT';
export const LEGACY_TOKEN = 'legacy-verification-token';

/** Whose interaction it is, and in which workspace. */
export interface Actor {
  user: string;
  /** The person's handle; their id in lower case unless given. */
  userName?: string;
  teamId?: string;
  teamDomain?: string;
}

/**
 * An answer given to one input of a modal, by block id: text, a chosen option's value, a
 * date, several options (checkboxes, multi-selects), a person, several people.
 */
export type InputValue = string | { option: string } | { date: string } | { options: string[] } | { user: string } | { users: string[] };

/** What one input holds in `view.state.values[block_id][action_id]`. */
export type StateValue = Json & { type: string };

/** Slack's `view.state.values`: block id → action id → the element's state. */
export type StateValues = Record<string, Record<string, StateValue>>;

const team = (a: Actor) => ({ id: a.teamId ?? 'T0EMULATOR', domain: a.teamDomain ?? 'emulator' });
const name = (a: Actor) => a.userName ?? a.user.toLowerCase();
const userOf = (a: Actor) => ({ id: a.user, username: name(a), name: name(a), team_id: a.teamId ?? 'T0EMULATOR' });
export const actionTs = () => `${Date.now() / 1000}`;

/** A view as Slack shows it in payloads: without the emulator's note of whose screen it is on. */
export function payloadView(view: EmulatedView | Json, values: StateValues = {}): Json {
  const { user: _user, ...rest } = view as Json;
  return { ...rest, state: { values } };
}

/** Every interactive element in a list of blocks, with the block it sits in. */
export function elementsOf(blocks: unknown[] | undefined): Array<{ block: Json; element: Json }> {
  const out: Array<{ block: Json; element: Json }> = [];
  for (const block of (blocks ?? []) as Json[]) {
    if (block.type === 'actions') for (const element of block.elements ?? []) out.push({ block, element });
    if (block.type === 'section' && block.accessory) out.push({ block, element: block.accessory });
    if (block.type === 'input' && block.element) out.push({ block, element: block.element });
  }
  return out;
}

const optionIn = (element: Json, value: string): Json => {
  const all = [...(element.options ?? []), ...((element.option_groups ?? []) as Json[]).flatMap((g) => g.options ?? [])] as Json[];
  return all.find((o) => o.value === value) ?? { value };
};

/** One input's state: the answer given, or what the modal showed initially. */
function inputState(element: Json, given: InputValue | undefined): StateValue {
  const s: StateValue = { type: String(element.type) };
  const pick = <K extends string>(key: K): unknown => (given && typeof given === 'object' && key in given ? (given as Record<K, unknown>)[key] : undefined);
  switch (element.type) {
    case 'plain_text_input':
      s.value = typeof given === 'string' ? given : (element.initial_value ?? null);
      break;
    case 'datepicker':
      s.selected_date = pick('date') ?? element.initial_date ?? null;
      break;
    case 'checkboxes':
    case 'multi_static_select': {
      const wanted = pick('options') as string[] | undefined;
      s.selected_options = wanted ? wanted.map((v) => optionIn(element, v)) : (element.initial_options ?? []);
      break;
    }
    case 'users_select':
      s.selected_user = pick('user') ?? element.initial_user ?? null;
      break;
    case 'multi_users_select':
      s.selected_users = pick('users') ?? element.initial_users ?? [];
      break;
    default: {
      // static_select, radio_buttons and the like: one chosen option.
      const wanted = pick('option') as string | undefined;
      s.selected_option = wanted ? optionIn(element, wanted) : (element.initial_option ?? null);
    }
  }
  return s;
}

/** `state.values` of a modal: its inputs keep their initial values unless `answers` (by block id) says otherwise. */
export function stateValues(view: { blocks: unknown[] }, answers: Record<string, InputValue> = {}): StateValues {
  const state: StateValues = {};
  for (const { block, element } of elementsOf(view.blocks)) {
    if (block.type !== 'input') continue;
    state[block.block_id] = { [element.action_id]: inputState(element, answers[block.block_id]) };
  }
  return state;
}

/** `view_submission`: the person pressed the modal's submit button. */
export function viewSubmissionPayload(a: Actor & { view: EmulatedView | Json; values?: StateValues; triggerId: string }): Json {
  return {
    type: 'view_submission',
    team: team(a),
    user: userOf(a),
    api_app_id: APP_ID,
    token: LEGACY_TOKEN,
    trigger_id: a.triggerId,
    view: payloadView(a.view, a.values),
    response_urls: [],
    is_enterprise_install: false,
  };
}

/** `view_closed`: the person cancelled a modal whose view asked for `notify_on_close`. */
export function viewClosedPayload(a: Actor & { view: EmulatedView | Json; isCleared?: boolean }): Json {
  return {
    type: 'view_closed',
    team: team(a),
    user: userOf(a),
    api_app_id: APP_ID,
    token: LEGACY_TOKEN,
    view: payloadView(a.view, (a.view as Json).state?.values ?? {}),
    is_cleared: a.isCleared ?? false,
    is_enterprise_install: false,
  };
}

/** What a message shortcut says about the message it was used on. */
export interface ShortcutMessage {
  ts: string;
  text?: string;
  user?: string;
  thread_ts?: string;
  blocks?: unknown[];
  files?: Array<{ id: string; name: string; title: string }>;
}

/** `message_action`: a message shortcut used on a message. */
export function messageShortcutPayload(
  a: Actor & { callbackId: string; message: ShortcutMessage; channel: { id: string; name: string }; triggerId: string; responseUrl?: string },
): Json {
  const m = a.message;
  return {
    type: 'message_action',
    callback_id: a.callbackId,
    team: team(a),
    user: userOf(a),
    api_app_id: APP_ID,
    token: LEGACY_TOKEN,
    trigger_id: a.triggerId,
    action_ts: actionTs(),
    channel: a.channel,
    message: {
      type: 'message',
      ts: m.ts,
      text: m.text ?? '',
      ...(m.user ? { user: m.user } : {}),
      ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
      ...(m.blocks ? { blocks: m.blocks } : {}),
      // Shared files as Slack puts them in the payload: ids and names (their bytes are behind files.info).
      ...(m.files ? { files: m.files.map((f) => ({ id: f.id, name: f.name, title: f.title })) } : {}),
    },
    message_ts: m.ts,
    response_url: a.responseUrl ?? 'https://hooks.slack.invalid/actions/T0EMULATOR/2/shortcut',
  };
}

/** `shortcut`: a global shortcut, from the composer or search; it has no message and no channel. */
export function globalShortcutPayload(a: Actor & { callbackId: string; triggerId: string }): Json {
  return {
    type: 'shortcut',
    callback_id: a.callbackId,
    team: team(a),
    user: userOf(a),
    api_app_id: APP_ID,
    token: LEGACY_TOKEN,
    trigger_id: a.triggerId,
    action_ts: actionTs(),
  };
}

/** A slash command's form fields, as Slack posts them. */
export function slashCommandFields(
  a: Actor & { command: string; text: string; channel: { id: string; name: string }; triggerId: string; responseUrl?: string },
): Record<string, string> {
  return {
    token: LEGACY_TOKEN,
    team_id: a.teamId ?? 'T0EMULATOR',
    team_domain: a.teamDomain ?? 'emulator',
    channel_id: a.channel.id,
    channel_name: a.channel.name,
    user_id: a.user,
    user_name: name(a),
    command: a.command,
    text: a.text,
    api_app_id: APP_ID,
    response_url: a.responseUrl ?? 'https://hooks.slack.invalid/commands/T0EMULATOR/1/command',
    trigger_id: a.triggerId,
  };
}

/** `app_home_opened`: the person opened the app's Home tab; `view` is the Home published for them, if any. */
export function appHomeOpenedEvent(o: { user: string; view?: EmulatedView | Json; tab?: 'home' | 'messages'; channel?: string }): Json {
  return {
    type: 'app_home_opened',
    user: o.user,
    channel: o.channel ?? 'D0SIRBOT',
    tab: o.tab ?? 'home',
    event_ts: actionTs(),
    ...(o.view ? { view: payloadView(o.view, (o.view as Json).state?.values ?? {}) } : {}),
  };
}
