import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import type { PagerAck, PagerAckResult } from '../actions/escalations.ts';
import type { PagerName } from '../domain/actions/paging.ts';

/**
 * Acknowledgements coming back from PagerDuty and Opsgenie, checked at the edge: who
 * sent it (a signature, a shared token), then its shape (zod), then what it names.
 *
 * PagerDuty V3 webhooks (developer.pagerduty.com, "Webhooks Overview", "Verifying
 * Signatures"): the body is `{event: {id, event_type, resource_type, occurred_at, agent,
 * client, data}}`; for incident events `data` is the incident, whose `incident_key` is the
 * Events API v2 `dedup_key` it was triggered with. `X-PagerDuty-Signature` holds one or more
 * comma-separated `v1=<hex HMAC-SHA256 of the raw body>` (several while a secret is rotated).
 *
 * Opsgenie outgoing webhooks (docs.opsgenie.com, "Webhook Integration"): `{action, alert:
 * {alertId, alias, message, username, …}, source, integrationName, …}`, with `action`
 * `Acknowledge`, `Close`, `Create`…. They are not signed: the integration sends custom
 * headers, so sirbot requires `X-Sirbot-Webhook-Token` to be its SIRBOT_OPSGENIE_WEBHOOK_TOKEN
 * (compared in constant time), and the route should be reached over HTTPS only.
 */

export const OPSGENIE_TOKEN_HEADER = 'x-sirbot-webhook-token';
export const PAGERDUTY_SIGNATURE_HEADER = 'x-pagerduty-signature';

/** Webhook bodies are small; anything larger is refused before it is read further. */
export const WEBHOOK_BODY_LIMIT = 256 * 1024;

/** The page keys sirbot issues (`page` offer ids); anything else was not paged by sirbot. */
const PAGE_KEY = /^offer-[0-9a-f]{32}$/;

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether any of the header's `v1=` signatures is the body's HMAC-SHA256 with the secret. */
export function pagerDutySignatureValid(rawBody: string, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = `v1=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
  return header
    .split(',')
    .map((s) => s.trim())
    .some((signature) => sameSecret(signature, expected));
}

/** The signature header PagerDuty would send for a body (the fake PagerDuty signs with it). */
export function pagerDutySignature(rawBody: string, secret: string): string {
  return `v1=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

const text = (max: number) => z.string().max(max);

const pagerDutyWebhookSchema = z.object({
  event: z.object({
    id: text(100),
    event_type: text(100),
    resource_type: text(50),
    occurred_at: text(64),
    agent: z.object({ id: text(100).optional(), summary: text(500).optional(), type: text(100).optional() }).nullish(),
    data: z.object({ id: text(100), type: text(100), incident_key: text(255).nullish(), html_url: text(2000).optional() }),
  }),
});

const opsgenieWebhookSchema = z.object({
  action: text(100),
  alert: z.object({
    alertId: text(200),
    alias: text(512).nullish(),
    username: text(500).nullish(),
    userId: text(200).nullish(),
  }),
});

/** What a webhook asks, once authentic and readable. */
export type PagerWebhook = { kind: 'ack'; ack: PagerAck } | { kind: 'ignored'; reason: string };

export type WebhookCheck =
  | { ok: true; webhook: PagerWebhook }
  | { ok: false; status: 401 | 400; reason: string /** Authentic but unreadable: kept as a dead letter. */; deadLetter: boolean };

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function problems(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

type Headers = Record<string, string | string[] | undefined>;
type Read = { ok: true; webhook: PagerWebhook } | { ok: false; reason: string };

/** What an authentic PagerDuty V3 webhook asks. */
function readPagerDutyWebhook(raw: string): Read {
  const parsed = pagerDutyWebhookSchema.safeParse(parseJson(raw));
  if (!parsed.success) return { ok: false, reason: `not a PagerDuty V3 webhook: ${problems(parsed.error)}` };
  const { event } = parsed.data;
  const how = event.event_type === 'incident.acknowledged' ? 'acknowledged' : event.event_type === 'incident.resolved' ? 'resolved' : null;
  if (!how) return { ok: true, webhook: { kind: 'ignored', reason: `${event.event_type} is not an acknowledgement` } };
  const key = event.data.incident_key ?? '';
  if (!PAGE_KEY.test(key)) return { ok: true, webhook: { kind: 'ignored', reason: 'the incident was not paged by sirbot' } };
  return {
    ok: true,
    webhook: { kind: 'ack', ack: { pager: 'pagerduty', key, by: event.agent?.summary || event.agent?.id || 'someone', how, incident: event.data.id } },
  };
}

/** What an authentic Opsgenie alert webhook asks. */
function readOpsgenieWebhook(raw: string): Read {
  const parsed = opsgenieWebhookSchema.safeParse(parseJson(raw));
  if (!parsed.success) return { ok: false, reason: `not an Opsgenie alert webhook: ${problems(parsed.error)}` };
  const { action, alert } = parsed.data;
  const how = action === 'Acknowledge' ? 'acknowledged' : action === 'Close' ? 'resolved' : null;
  if (!how) return { ok: true, webhook: { kind: 'ignored', reason: `${action} is not an acknowledgement` } };
  const key = alert.alias ?? '';
  if (!PAGE_KEY.test(key)) return { ok: true, webhook: { kind: 'ignored', reason: 'the alert was not created by sirbot' } };
  return { ok: true, webhook: { kind: 'ack', ack: { pager: 'opsgenie', key, by: alert.username || alert.userId || 'someone', how, incident: alert.alertId } } };
}

/** Authentic, then read: an unreadable authentic body is the one kept as a dead letter. */
function checked(authentic: string | null, read: () => Read): WebhookCheck {
  if (authentic !== null) return { ok: false, status: 401, reason: authentic, deadLetter: false };
  const r = read();
  return r.ok ? r : { ok: false, status: 400, reason: r.reason, deadLetter: true };
}

export function checkPagerDutyWebhook(raw: string, headers: Headers, secret: string | undefined): WebhookCheck {
  const header = headers[PAGERDUTY_SIGNATURE_HEADER];
  const authentic = !secret
    ? 'PagerDuty webhooks are not accepted: SIRBOT_PAGERDUTY_WEBHOOK_SECRET is not set'
    : pagerDutySignatureValid(raw, Array.isArray(header) ? header.join(',') : header, secret)
      ? null
      : 'missing or wrong X-PagerDuty-Signature';
  return checked(authentic, () => readPagerDutyWebhook(raw));
}

export function checkOpsgenieWebhook(raw: string, headers: Headers, token: string | undefined): WebhookCheck {
  const given = headers[OPSGENIE_TOKEN_HEADER];
  const authentic = !token
    ? 'Opsgenie webhooks are not accepted: SIRBOT_OPSGENIE_WEBHOOK_TOKEN is not set'
    : typeof given === 'string' && sameSecret(given, token)
      ? null
      : 'missing or wrong X-Sirbot-Webhook-Token';
  return checked(authentic, () => readOpsgenieWebhook(raw));
}

export interface PagerWebhookDeps {
  pagerDutySecret: string | undefined;
  opsgenieToken: string | undefined;
  /** The escalation's `acknowledgedInPager`; absent where the runtime cannot act. */
  acknowledge: ((ack: PagerAck) => Promise<PagerAckResult>) | undefined;
  deadLetter: (entry: { origin: string; error: string; payload: string }) => Promise<void>;
}

/**
 * One webhook, whatever carried it (the local server, a Lambda): the answer's status and
 * body. Unauthentic: 401, nothing kept. Authentic but unreadable: 400 and a dead letter.
 * An event that is not an acknowledgement of a sirbot page: 200 and ignored (so the
 * service does not retry or disable the subscription). A replay: 200, already.
 */
export async function handlePagerWebhook(pager: PagerName, raw: string, headers: Headers, d: PagerWebhookDeps) {
  const check = pager === 'pagerduty' ? checkPagerDutyWebhook(raw, headers, d.pagerDutySecret) : checkOpsgenieWebhook(raw, headers, d.opsgenieToken);
  if (!check.ok) {
    if (check.deadLetter) await d.deadLetter({ origin: `${PAGER_ORIGIN}${pager}`, error: check.reason, payload: raw });
    return { status: check.status, body: { error: check.reason } };
  }
  return act(check.webhook, d.acknowledge);
}

/** Where a pager's dead letters come from: `pager:pagerduty`, `pager:opsgenie`. */
export const PAGER_ORIGIN = 'pager:';

/**
 * A pager dead letter fed back (after the fix that makes it readable): only bodies that
 * were authentic when they came are kept (handlePagerWebhook checks first), and the
 * signature is over the raw body as received, which the letter keeps; so it is read and
 * acted on as then, without checking again. The admin endpoint that replays is itself
 * authenticated. 200 means done (or ignored for good); 400 still unreadable.
 */
export async function replayPagerWebhook(origin: string, raw: string, acknowledge: PagerWebhookDeps['acknowledge']) {
  const pager = origin.slice(PAGER_ORIGIN.length);
  if (pager !== 'pagerduty' && pager !== 'opsgenie') return { status: 400, body: { error: `no pager named ${pager}` } };
  const read = pager === 'pagerduty' ? readPagerDutyWebhook(raw) : readOpsgenieWebhook(raw);
  if (!read.ok) return { status: 400, body: { error: read.reason } };
  return act(read.webhook, acknowledge);
}

async function act(webhook: PagerWebhook, acknowledge: PagerWebhookDeps['acknowledge']) {
  if (webhook.kind === 'ignored') return { status: 200, body: { ignored: webhook.reason } };
  if (!acknowledge) return { status: 503, body: { error: 'this runtime does not act on findings' } };
  const result = await acknowledge(webhook.ack);
  if (!result.ok) return { status: 200, body: { ignored: result.reason } };
  return { status: 200, body: { acknowledged: result.findingId, already: result.already } };
}
