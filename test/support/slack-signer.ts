import { eventCallbackBody as envelope, signSlackRequest } from '../../src/emulator/slack/people/sign.ts';

// The emulator signs its people's requests the way Slack does; tests sign theirs with the same code.
export { interactionBody, signSlackRequest } from '../../src/emulator/slack/people/sign.ts';

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
    trigger_id: '1234567890.1234567890.abcdef',
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
}): Record<string, unknown> {
  const action: Record<string, unknown> = { action_id: o.actionId, block_id: 'b1', action_ts: `${Math.floor(Date.now() / 1000)}.000100` };
  if (o.selectedDate !== undefined) Object.assign(action, { type: 'datepicker', selected_date: o.selectedDate });
  else if (o.selectedOption !== undefined) Object.assign(action, { type: 'static_select', selected_option: { value: o.selectedOption, text: { type: 'plain_text', text: o.selectedOption } } });
  else Object.assign(action, { type: 'button', value: o.value ?? '' });
  return {
    type: 'block_actions',
    team: { id: 'T0EMULATOR', domain: 'emulator' },
    user: { id: o.user ?? 'U0RESPONDER', username: 'responder', team_id: 'T0EMULATOR' },
    api_app_id: 'A0SIRBOT',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: o.messageTs, channel_id: o.channel, is_ephemeral: false, thread_ts: o.threadTs },
    trigger_id: '1234567890.1234567890.abcdef',
    channel: { id: o.channel, name: 'security-incidents' },
    message: { type: 'message', ts: o.messageTs, ...(o.threadTs ? { thread_ts: o.threadTs } : {}), text: '' },
    response_url: 'https://hooks.slack.invalid/actions/T0EMULATOR/1/xyz',
    actions: [action],
  };
}
