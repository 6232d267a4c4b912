import { createHmac, randomBytes } from 'node:crypto';
import { APP_ID, LEGACY_TOKEN } from './payloads.ts';

/** Slack's v0 signature: HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the app's signing secret. */
export function signSlackRequest(o: { signingSecret: string; body: string; timestamp?: number }): Record<string, string> {
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', o.signingSecret).update(`v0:${timestamp}:${o.body}`).digest('hex');
  return { 'x-slack-signature': `v0=${signature}`, 'x-slack-request-timestamp': String(timestamp) };
}

/** An interaction (block_actions, view_submission…) as Slack posts it: `payload=<JSON>`, form-encoded. */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** An Events API `event_callback` envelope around `event`. */
export function eventCallback(event: Record<string, unknown>, teamId = 'T0EMULATOR', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    token: LEGACY_TOKEN,
    team_id: teamId,
    api_app_id: APP_ID,
    type: 'event_callback',
    event_id: `Ev${randomBytes(6).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
    ...extra,
  };
}

/** The same, as the JSON body Slack posts over HTTP. */
export function eventCallbackBody(event: Record<string, unknown>, teamId = 'T0EMULATOR', extra: Record<string, unknown> = {}): string {
  return JSON.stringify(eventCallback(event, teamId, extra));
}
