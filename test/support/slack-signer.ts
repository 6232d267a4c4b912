import { createHmac } from 'node:crypto';

/** Slack's v0 signature: HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the signing secret. */
export function signSlackRequest(o: { signingSecret: string; body: string; timestamp?: number }): Record<string, string> {
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', o.signingSecret).update(`v0:${timestamp}:${o.body}`).digest('hex');
  return { 'x-slack-signature': `v0=${signature}`, 'x-slack-request-timestamp': String(timestamp) };
}

/** A slash command POST body, form-encoded as Slack sends it. */
export function slashCommandBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** An interaction (block_actions, view_submission…): `payload=<url-encoded JSON>`. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** An Events API `event_callback` envelope. */
export function eventCallbackBody(event: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: 'T0EMULATOR',
    api_app_id: 'A0SIRBOT',
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
    ...extra,
  });
}

export interface SignedPost {
  body: string;
  contentType: string;
  signingSecret: string;
  timestamp?: number;
  /** Sign this instead of `body`, to send a body that was changed after signing. */
  signedBody?: string;
  headers?: Record<string, string>;
}

export function postSignedToSlackReceiver(url: string, o: SignedPost): Promise<Response> {
  const signed = signSlackRequest({
    signingSecret: o.signingSecret,
    body: o.signedBody ?? o.body,
    ...(o.timestamp !== undefined ? { timestamp: o.timestamp } : {}),
  });
  return fetch(url, { method: 'POST', headers: { 'content-type': o.contentType, ...signed, ...o.headers }, body: o.body });
}
