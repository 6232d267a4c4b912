import { interactionBody, signSlackRequest } from './sign.ts';

// biome-ignore lint/suspicious/noExplicitAny: Slack's payloads are read field by field as Slack documents them; each use is shape-checked where it matters.
type Json = Record<string, any>;

/** What Slack sends an app: Events API callbacks, interactions, slash commands (Socket Mode's envelope types). */
export type DeliveryKind = 'events_api' | 'interactive' | 'slash_commands';

export interface Answered {
  status: number;
  /** What the bot answered to Slack (empty on a plain ack; `response_action` or a message otherwise). */
  body: Json | null;
}

/** How Slack reaches the app: signed HTTP requests, or envelopes over a Socket Mode connection. */
export interface Delivery {
  deliver(kind: DeliveryKind, payload: Json): Promise<Answered>;
}

/**
 * Slack's HTTP delivery: events as JSON, interactions as a form with one `payload` field,
 * slash commands as form fields, each signed with the app's signing secret.
 */
export function httpDelivery(receiverUrl: string, signingSecret: string): Delivery {
  return {
    async deliver(kind, payload) {
      const [body, contentType] =
        kind === 'events_api'
          ? [JSON.stringify(payload), 'application/json']
          : kind === 'interactive'
            ? [interactionBody(payload), 'application/x-www-form-urlencoded']
            : [new URLSearchParams(payload as Record<string, string>).toString(), 'application/x-www-form-urlencoded'];
      const headers = { 'content-type': contentType, ...signSlackRequest({ signingSecret, body }) };
      const res = await fetch(receiverUrl, { method: 'POST', headers, body });
      const text = await res.text();
      let parsed: Json | null = null;
      try {
        parsed = text ? (JSON.parse(text) as Json) : null;
      } catch {
        parsed = { text };
      }
      return { status: res.status, body: parsed };
    },
  };
}
