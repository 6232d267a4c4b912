import {
  appHomeOpenedEvent,
  globalShortcutPayload as globalShortcut,
  messageShortcutPayload as messageShortcut,
  slashCommandFields,
  stateValues,
  viewClosedPayload as viewClosed,
  viewSubmissionPayload as viewSubmission,
  type InputValue,
  type ShortcutMessage,
  type StateValues,
} from '../../src/emulator/slack/people/payloads.ts';
import { eventCallbackBody as envelope, signSlackRequest } from '../../src/emulator/slack/people/sign.ts';
import type { EmulatedView } from '../../src/emulator/slack/views-state.ts';

// The emulator signs its people's requests the way Slack does; tests sign theirs with the same code.
export { interactionBody, signSlackRequest } from '../../src/emulator/slack/people/sign.ts';
export { appHomeOpenedEvent, stateValues, type InputValue, type StateValues } from '../../src/emulator/slack/people/payloads.ts';

/** What the builders below put where a test names no trigger: fine for Bolt, refused by views.open (ask the emulator for one). */
export const PLACEHOLDER_TRIGGER_ID = '1234567890.1234567890.abcdef';
const TEAM = { teamId: 'T0EMULATOR', teamDomain: 'emulator' };

/** A slash command POST body, form-encoded as Slack sends it; `fields` override the usual ones. */
export function slashCommandBody(fields: Record<string, string> = {}): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0EMULATOR',
    team_domain: 'emulator',
    channel_id: 'C0SECALERTS',
    channel_name: 'sec-alerts',
    user_id: 'U0RESPONDER',
    user_name: 'responder',
    command: '/sirbot',
    text: '',
    api_app_id: 'A0SIRBOT',
    response_url: 'https://hooks.slack.invalid/commands/T0EMULATOR/1/xyz',
    trigger_id: PLACEHOLDER_TRIGGER_ID,
    ...fields,
  }).toString();
}

/** An Events API `event_callback` envelope around `event`; `extra` overrides envelope fields. */
export function eventCallbackBody(event: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return envelope(event, 'T0EMULATOR', extra);
}

export interface SignedPost {
  body: string;
  contentType: string;
  signingSecret: string;
  /** Unix seconds; an old one makes a stale request. */
  timestamp?: number;
  /** Sign this instead of `body`, to send a body that was changed after signing. */
  signedBody?: string;
  /** Sent instead of the computed `X-Slack-Signature`; null sends none. */
  signature?: string | null;
  headers?: Record<string, string>;
}

/** POSTs to a Slack request receiver (Bolt's /slack/events…) as Slack would, or with the signature spoiled. */
export function postSignedToSlackReceiver(url: string, o: SignedPost): Promise<Response> {
  const signed = signSlackRequest({
    signingSecret: o.signingSecret,
    body: o.signedBody ?? o.body,
    ...(o.timestamp !== undefined ? { timestamp: o.timestamp } : {}),
  });
  if (o.signature === null) delete signed['x-slack-signature'];
  else if (o.signature !== undefined) signed['x-slack-signature'] = o.signature;
  return fetch(url, { method: 'POST', headers: { 'content-type': o.contentType, ...signed, ...o.headers }, body: o.body });
}

/** A block_actions interaction on a message in a thread, as Slack sends it. */
export function blockActionPayload(o: {
  actionId: string;
  channel: string;
  messageTs: string;
  threadTs?: string;
  user?: string;
  value?: string;
  selectedDate?: string;
  selectedOption?: string;
  triggerId?: string;
}): Record<string, unknown> {
  const action: Record<string, unknown> = { action_id: o.actionId, block_id: 'b1', action_ts: `${Math.floor(Date.now() / 1000)}.000100` };
  if (o.selectedDate !== undefined) Object.assign(action, { type: 'datepicker', selected_date: o.selectedDate });
  else if (o.selectedOption !== undefined)
    Object.assign(action, { type: 'static_select', selected_option: { value: o.selectedOption, text: { type: 'plain_text', text: o.selectedOption } } });
  else Object.assign(action, { type: 'button', value: o.value ?? '' });
  return {
    type: 'block_actions',
    team: { id: 'T0EMULATOR', domain: 'emulator' },
    user: { id: o.user ?? 'U0RESPONDER', username: 'responder', team_id: 'T0EMULATOR' },
    api_app_id: 'A0SIRBOT',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: o.messageTs, channel_id: o.channel, is_ephemeral: false, thread_ts: o.threadTs },
    trigger_id: o.triggerId ?? PLACEHOLDER_TRIGGER_ID,
    channel: { id: o.channel, name: 'security-incidents' },
    message: { type: 'message', ts: o.messageTs, ...(o.threadTs ? { thread_ts: o.threadTs } : {}), text: '' },
    response_url: 'https://hooks.slack.invalid/actions/T0EMULATOR/1/xyz',
    actions: [action],
  };
}

/**
 * A `view_submission` of a modal as the emulator holds it (`fake.latestView(user)`): its
 * id, callback_id, private_metadata and hash, with `answers` by block id (the other inputs
 * keep their initial values) or raw `values` in Slack's `state.values` shape.
 */
export function viewSubmissionPayload(o: {
  view: EmulatedView;
  answers?: Record<string, InputValue>;
  values?: StateValues;
  /** Who submits; the person whose screen the modal is on by default. */
  user?: string;
  triggerId?: string;
}): Record<string, unknown> {
  const values = o.values ?? stateValues(o.view, o.answers);
  return viewSubmission({ ...TEAM, user: o.user ?? o.view.user, view: o.view, values, triggerId: o.triggerId ?? PLACEHOLDER_TRIGGER_ID });
}

/** A `view_closed` of a modal (sent when its view set `notify_on_close`); `isCleared` when the whole stack closed. */
export function viewClosedPayload(o: { view: EmulatedView; user?: string; isCleared?: boolean }): Record<string, unknown> {
  return viewClosed({ ...TEAM, user: o.user ?? o.view.user, view: o.view, ...(o.isCleared !== undefined ? { isCleared: o.isCleared } : {}) });
}

/** A message shortcut (`message_action`) used on `message` in `channel` (an id, or id and name). */
export function messageShortcutPayload(o: {
  callbackId: string;
  message: ShortcutMessage;
  channel: string | { id: string; name: string };
  triggerId?: string;
  user?: string;
  responseUrl?: string;
}): Record<string, unknown> {
  const channel = typeof o.channel === 'string' ? { id: o.channel, name: o.channel } : o.channel;
  return messageShortcut({
    ...TEAM,
    user: o.user ?? 'U0RESPONDER',
    callbackId: o.callbackId,
    message: o.message,
    channel,
    triggerId: o.triggerId ?? PLACEHOLDER_TRIGGER_ID,
    ...(o.responseUrl ? { responseUrl: o.responseUrl } : {}),
  });
}

/** A global shortcut (`shortcut`): no message, no channel. */
export function globalShortcutPayload(o: { callbackId: string; triggerId?: string; user?: string }): Record<string, unknown> {
  return globalShortcut({ ...TEAM, user: o.user ?? 'U0RESPONDER', callbackId: o.callbackId, triggerId: o.triggerId ?? PLACEHOLDER_TRIGGER_ID });
}

/** `/sir <text>` as Slack posts it, with a trigger id (one from the emulator lets the bot open a modal). */
export function sirCommandBody(text: string, o: { triggerId: string; user?: string; channel?: { id: string; name: string }; responseUrl?: string }): string {
  const fields = slashCommandFields({
    ...TEAM,
    user: o.user ?? 'U0RESPONDER',
    command: '/sir',
    text,
    channel: o.channel ?? { id: 'C0SECALERTS', name: 'sec-alerts' },
    triggerId: o.triggerId,
    ...(o.responseUrl ? { responseUrl: o.responseUrl } : {}),
  });
  return new URLSearchParams(fields).toString();
}

/** The `event_callback` of `user` opening the app's Home tab; `view` is the Home published for them, if any. */
export function appHomeOpenedBody(user: string, o: { view?: EmulatedView; tab?: 'home' | 'messages' } = {}): string {
  return eventCallbackBody(appHomeOpenedEvent({ user, ...o }));
}
