import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { type FakeReply, type FakeRequest, parseJsonBody, sendWebhook, serveJson } from './server.ts';

/**
 * A local Opsgenie: the Alert API calls sirbot makes (docs.opsgenie.com, "Alert API"):
 * create (`POST /v2/alerts`), acknowledge and close (`POST /v2/alerts/{identifier}/
 * acknowledge|close?identifierType=id|alias|tiny`), each answered 202 `{result, took,
 * requestId}`; 401 without `Authorization: GenieKey <known key>`; 422 for a body Opsgenie
 * would not process (message missing or over 130 characters, alias over 512, description
 * over 15000, a priority other than P1–P5, more than 20 tags or a tag over 50 characters).
 * A create with the alias of an open alert only counts it again, as Opsgenie de-duplicates.
 * Acknowledging an alert "in Opsgenie" posts the outgoing webhook to the bot, with the
 * custom header its integration is configured with.
 */

export interface FakeAlert {
  id: string;
  tinyId: string;
  alias: string;
  message: string;
  priority: string;
  status: 'open' | 'closed';
  acknowledged: boolean;
  count: number;
  createdAt: number;
  by: string | null;
}

export interface FakeOpsgenieOptions {
  apiKeys: string[];
  /** The outgoing webhook integration: where it posts, and the custom header it adds. */
  webhook?: { url: string; headers: Record<string, string> };
  port?: number;
  host?: string;
}

const createSchema = z.strictObject({
  message: z.string().trim().min(1).max(130),
  alias: z.string().max(512).optional(),
  description: z.string().max(15_000).optional(),
  responders: z.array(z.record(z.string(), z.string())).optional(),
  visibleTo: z.array(z.record(z.string(), z.string())).optional(),
  actions: z.array(z.string().max(50)).max(10).optional(),
  tags: z.array(z.string().max(50)).max(20).optional(),
  details: z
    .record(z.string(), z.string())
    .refine((d) => JSON.stringify(d).length <= 8000, 'details are over 8000 characters')
    .optional(),
  entity: z.string().max(512).optional(),
  source: z.string().max(100).optional(),
  priority: z.enum(['P1', 'P2', 'P3', 'P4', 'P5']).optional(),
  user: z.string().max(100).optional(),
  note: z.string().max(25_000).optional(),
});
const followUpSchema = z.strictObject({
  user: z.string().max(100).optional(),
  source: z.string().max(100).optional(),
  note: z.string().max(25_000).optional(),
});

export class FakeOpsgenie {
  readonly alerts: FakeAlert[] = [];
  /** Every request with its answer's status (refused ones too). */
  readonly requests: Array<{ method: string; path: string; status: number; body: string }> = [];
  url = '';
  close: () => Promise<void> = async () => undefined;

  /** Where acknowledgements made here are sent (set once the bot's address is known). */
  webhook: { url: string; headers: Record<string, string> } | undefined;

  constructor(private readonly o: FakeOpsgenieOptions) {
    this.webhook = o.webhook;
  }

  handle(req: FakeRequest): FakeReply {
    const reply = this.answer(req);
    this.requests.push({ method: req.method, path: `${req.url.pathname}${req.url.search}`, status: reply.status, body: req.body });
    return reply;
  }

  private answer(req: FakeRequest): FakeReply {
    const requestId = randomUUID();
    const took = 0.01;
    const auth = /^GenieKey (.+)$/.exec(String(req.headers.authorization ?? ''));
    if (!auth || !this.o.apiKeys.includes(auth[1] ?? '')) return { status: 401, body: { message: 'Could not authenticate', took, requestId } };
    const unprocessable = (errors: Record<string, string>) => ({
      status: 422,
      body: { message: 'Request body is not processable. Please check the errors.', errors, took, requestId },
    });
    if (req.method !== 'POST') return { status: 404, body: { message: 'Not found', took, requestId } };
    const json = parseJsonBody(req.body || '{}');
    if (!json.ok) return { status: 400, body: { message: 'Could not parse the request body', took, requestId } };
    const accepted = { status: 202, body: { result: 'Request will be processed', took, requestId } };
    if (req.url.pathname === '/v2/alerts') {
      const parsed = createSchema.safeParse(json.value);
      if (!parsed.success) return unprocessable(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.message])));
      const a = parsed.data;
      const alias = a.alias ?? randomUUID();
      const open = this.alerts.find((x) => x.alias === alias && x.status === 'open');
      if (open) open.count++;
      else {
        this.alerts.push({
          id: randomUUID(),
          tinyId: String(this.alerts.length + 1),
          alias,
          message: a.message,
          priority: a.priority ?? 'P3',
          status: 'open',
          acknowledged: false,
          count: 1,
          createdAt: Date.now(),
          by: null,
        });
      }
      return accepted;
    }
    const action = /^\/v2\/alerts\/([^/]+)\/(acknowledge|close)$/.exec(req.url.pathname);
    if (!action) return { status: 404, body: { message: 'Not found', took, requestId } };
    const type = req.url.searchParams.get('identifierType') ?? 'id';
    if (!['id', 'alias', 'tiny'].includes(type)) return unprocessable({ identifierType: 'must be id, alias or tiny' });
    const parsed = followUpSchema.safeParse(json.value);
    if (!parsed.success) return unprocessable(Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || 'body', i.message])));
    const identifier = decodeURIComponent(action[1] ?? '');
    const alert = this.alerts.find((x) => (type === 'alias' ? x.alias : type === 'tiny' ? x.tinyId : x.id) === identifier && x.status === 'open');
    // Opsgenie processes these asynchronously: an unknown alert is still answered 202.
    if (alert) {
      if (action[2] === 'acknowledge') alert.acknowledged = true;
      else alert.status = 'closed';
      alert.by = parsed.data.user ?? 'API';
    }
    return accepted;
  }

  /** Someone acknowledges (or closes) the alert in Opsgenie: the outgoing webhook goes to the bot. */
  async act(
    alertId: string,
    username: string,
    how: 'Acknowledge' | 'Close' = 'Acknowledge',
    o: { headers?: Record<string, string> } = {},
  ): Promise<number | null> {
    const alert = this.alerts.find((x) => x.id === alertId);
    if (!alert) throw new Error(`no alert ${alertId}`);
    if (how === 'Acknowledge') alert.acknowledged = true;
    else alert.status = 'closed';
    alert.by = username;
    if (!this.webhook) return null;
    const body = JSON.stringify({
      action: how,
      alert: {
        alertId: alert.id,
        message: alert.message,
        tags: ['sirbot'],
        tinyId: alert.tinyId,
        entity: '',
        alias: alert.alias,
        createdAt: alert.createdAt,
        updatedAt: Date.now(),
        username,
        userId: randomUUID(),
      },
      source: { name: '', type: 'web' },
      integrationName: 'Webhook',
      integrationId: 'b7e8a7b0-0000-4000-8000-000000000001',
      integrationType: 'Webhook',
    });
    return sendWebhook(this.webhook.url, body, o.headers ?? this.webhook.headers);
  }
}

export async function startFakeOpsgenie(o: FakeOpsgenieOptions): Promise<FakeOpsgenie> {
  const fake = new FakeOpsgenie(o);
  const served = await serveJson((req) => fake.handle(req), o);
  fake.url = served.url;
  fake.close = served.close;
  return fake;
}
