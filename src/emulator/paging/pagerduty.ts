import { createHmac, randomUUID } from 'node:crypto';
import * as z from 'zod';
import { type FakeReply, type FakeRequest, parseJsonBody, sendWebhook, serveJson } from './server.ts';

/**
 * A local PagerDuty: the Events API v2 (`POST /v2/enqueue`) as documented
 * (developer.pagerduty.com, "Send an Alert Event"), enforcing what the real one refuses
 * with 400 (a routing key that is not a known 32-character key, an unknown event_action,
 * a trigger without summary, source or a known severity, a summary over 1024 characters,
 * a dedup_key over 255), answering 202 `{status, message, dedup_key}`, and 429 while told
 * to. Incidents are kept by dedup key as PagerDuty does: a trigger with the key of an open
 * incident only adds an alert to it. Acknowledging an incident "in PagerDuty" sends the V3
 * webhook (`incident.acknowledged`, signed `X-PagerDuty-Signature: v1=<hmac>`) to the bot.
 */

export interface FakeIncident {
  id: string;
  number: number;
  dedupKey: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  title: string;
  severity: string;
  alerts: number;
  createdAt: string;
  /** Who acknowledged or resolved it, and how. */
  by: string | null;
}

export interface FakePagerDutyOptions {
  routingKeys: string[];
  /** Where the V3 webhook subscription delivers, and its secret. */
  webhook?: { url: string; secret: string };
  port?: number;
  host?: string;
}

const payloadSchema = z.strictObject({
  summary: z.string().min(1).max(1024),
  source: z.string().min(1).max(255),
  severity: z.enum(['critical', 'error', 'warning', 'info']),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  component: z.string().max(255).optional(),
  group: z.string().max(255).optional(),
  class: z.string().max(255).optional(),
  custom_details: z.record(z.string(), z.unknown()).optional(),
});
const eventSchema = z.discriminatedUnion('event_action', [
  z.strictObject({
    routing_key: z.string().length(32),
    event_action: z.literal('trigger'),
    dedup_key: z.string().min(1).max(255).optional(),
    payload: payloadSchema,
    client: z.string().optional(),
    client_url: z.url().optional(),
    links: z.array(z.strictObject({ href: z.url(), text: z.string().optional() })).optional(),
    images: z.array(z.strictObject({ src: z.url(), href: z.url().optional(), alt: z.string().optional() })).optional(),
  }),
  z.strictObject({ routing_key: z.string().length(32), event_action: z.enum(['acknowledge', 'resolve']), dedup_key: z.string().min(1).max(255) }),
]);

export type PagerDutyEvent = z.infer<typeof eventSchema>;

export class FakePagerDuty {
  readonly incidents: FakeIncident[] = [];
  /** Every accepted event, in order. */
  readonly events: PagerDutyEvent[] = [];
  /** Every request with its answer's status (refused ones too). */
  readonly requests: Array<{ status: number; body: string }> = [];
  private throttled = 0;
  url = '';
  close: () => Promise<void> = async () => undefined;

  /** Where acknowledgements made here are sent (set once the bot's address is known). */
  webhook: { url: string; secret: string } | undefined;

  constructor(private readonly o: FakePagerDutyOptions) {
    this.webhook = o.webhook;
  }

  /** The next `n` requests are answered 429, as when the rate limit is reached. */
  throttleNext(n: number): void {
    this.throttled = n;
  }

  handle(req: FakeRequest): FakeReply {
    const reply = this.answer(req);
    this.requests.push({ status: reply.status, body: req.body });
    return reply;
  }

  private answer(req: FakeRequest): FakeReply {
    if (req.method !== 'POST' || req.url.pathname !== '/v2/enqueue') return { status: 404, body: { status: 'not found' } };
    if (this.throttled > 0) {
      this.throttled--;
      return { status: 429, body: { status: 'throttle exceeded', message: 'Requests for this service are arriving too quickly. Please retry later.' } };
    }
    const invalid = (errors: string[]) => ({ status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } });
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return invalid(['Content-Type must be application/json']);
    const json = parseJsonBody(req.body);
    if (!json.ok) return invalid(['Malformed JSON']);
    const parsed = eventSchema.safeParse(json.value);
    if (!parsed.success) return invalid(parsed.error.issues.map((i) => `'${i.path.join('.')}' ${i.message}`));
    const event = parsed.data;
    if (!this.o.routingKeys.includes(event.routing_key)) return invalid(["'routing_key' is not a known integration key"]);
    this.events.push(event);
    const key = event.dedup_key ?? randomUUID().replace(/-/g, '');
    const open = this.incidents.find((i) => i.dedupKey === key && i.status !== 'resolved');
    if (event.event_action === 'trigger') {
      if (open) open.alerts++;
      else {
        this.incidents.push({
          id: `P${String(this.incidents.length + 1).padStart(6, '0')}`,
          number: this.incidents.length + 1,
          dedupKey: key,
          status: 'triggered',
          title: event.payload.summary,
          severity: event.payload.severity,
          alerts: 1,
          createdAt: new Date().toISOString(),
          by: null,
        });
      }
    } else if (open) {
      open.status = event.event_action === 'acknowledge' ? 'acknowledged' : 'resolved';
      open.by = 'sirbot (Events API)';
    }
    return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: key } };
  }

  /**
   * Someone acknowledges (or resolves) the incident in PagerDuty: its status changes and the
   * signed V3 webhook goes to the bot. Returns the bot's answer status (null without a webhook).
   */
  async act(incidentId: string, agent: string, how: 'acknowledged' | 'resolved' = 'acknowledged', o: { secret?: string } = {}): Promise<number | null> {
    const incident = this.incidents.find((i) => i.id === incidentId);
    if (!incident) throw new Error(`no incident ${incidentId}`);
    incident.status = how;
    incident.by = agent;
    if (!this.webhook) return null;
    const body = JSON.stringify({
      event: {
        id: randomUUID(),
        event_type: `incident.${how}`,
        resource_type: 'incident',
        occurred_at: new Date().toISOString(),
        agent: {
          html_url: 'https://example.pagerduty.com/users/PUSER01',
          id: 'PUSER01',
          self: 'https://api.pagerduty.com/users/PUSER01',
          summary: agent,
          type: 'user_reference',
        },
        client: null,
        data: {
          id: incident.id,
          type: 'incident',
          self: `https://api.pagerduty.com/incidents/${incident.id}`,
          html_url: `https://example.pagerduty.com/incidents/${incident.id}`,
          number: incident.number,
          status: how,
          incident_key: incident.dedupKey,
          created_at: incident.createdAt,
          title: incident.title,
          urgency: 'high',
        },
      },
    });
    const signature = `v1=${createHmac('sha256', o.secret ?? this.webhook.secret)
      .update(body)
      .digest('hex')}`;
    return sendWebhook(this.webhook.url, body, { 'x-pagerduty-signature': signature, 'user-agent': 'PagerDuty-Webhook/V3.0' });
  }
}

export async function startFakePagerDuty(o: FakePagerDutyOptions): Promise<FakePagerDuty> {
  const fake = new FakePagerDuty(o);
  const served = await serveJson((req) => fake.handle(req), o);
  fake.url = served.url;
  fake.close = served.close;
  return fake;
}
