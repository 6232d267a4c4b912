/**
 * Faults the emulated Slack can be told to inject, so tests show what sirbot does when
 * Slack misbehaves the ways it really does: a 5xx from a bad deploy, a 429 beyond the
 * published limits, an answer that is slow, or one that never comes — sometimes after
 * the call took effect (the message was posted, the answer was lost on the way back).
 */
export type Fault =
  /** Answer with this HTTP status (500, 502, 503…) and an HTML-ish body, as a load balancer would; nothing happens. */
  | { kind: 'status'; status: number }
  /** Slack's own refusal (HTTP 200, `ok: false`), e.g. `is_archived`; nothing happens. */
  | { kind: 'error'; error: string }
  /** 429 with this Retry-After; nothing happens. */
  | { kind: 'ratelimit'; retryAfterSeconds: number }
  /** Never answer. With `applied`, the call takes effect first and only its answer is lost. */
  | { kind: 'hang'; applied: boolean }
  /** Answer normally, this much later; with `applied`, the call takes effect at once and only the answer waits. */
  | { kind: 'delay'; ms: number; applied?: boolean };

export interface FaultRule {
  /** Web API method, e.g. `chat.postMessage`. */
  method: string;
  fault: Fault;
  /** How many calls it hits; every call when unset. */
  times?: number;
  /** Only calls naming this channel (name or id, as the call gives it). */
  channel?: string;
}

interface ArmedRule extends FaultRule {
  remaining: number;
}

/** The rules in force; the first matching rule with calls left applies to a call. */
export class Faults {
  private rules: ArmedRule[] = [];
  private readonly hits = new Map<string, number>();

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  /** How many calls each fault kind has hit, per method (`chat.postMessage:hang`). */
  injected(): Record<string, number> {
    return Object.fromEntries(this.hits);
  }

  take(method: string, channel: string | undefined): Fault | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && r.method === method && (r.channel === undefined || r.channel === channel));
    if (!rule) return undefined;
    rule.remaining--;
    const key = `${method}:${rule.fault.kind}`;
    this.hits.set(key, (this.hits.get(key) ?? 0) + 1);
    return rule.fault;
  }
}
