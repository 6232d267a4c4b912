import { normalizeInput, normalizeText, type NormalizeResult } from '../ingest/normalize.ts';
import type { Logger } from '../runtime/logger.ts';
import type { Store } from '../store/store.ts';
import type { Deliverer, DeliveryResult } from './deliver.ts';

export interface IngestReport {
  received: number;
  accepted: number;
  rejected: Array<{ path: string; error: string }>;
}

export interface Ingested {
  report: IngestReport;
  /** Settles when every accepted finding has been delivered (or dead-lettered). */
  delivered: Promise<DeliveryResult[]>;
}

const MAX_DEAD_LETTER_PAYLOAD = 256 * 1024;

/**
 * The one use case every entry point shares (HTTP, Lambda EventBridge, SNS): normalize,
 * dead-letter what cannot be read, deliver the rest. A bad finding is logged with the
 * field that broke it and kept for replay; it never holds up its batch.
 */
export class IngestFindings {
  constructor(
    private readonly store: Store,
    private readonly deliverer: Deliverer,
    private readonly logger: Logger,
    private readonly clock: () => number = Date.now,
  ) {}

  fromText(text: string, origin: string): Promise<Ingested> {
    return this.handle(normalizeText(text), origin);
  }

  fromEvent(event: unknown, origin: string): Promise<Ingested> {
    return this.handle(normalizeInput(event), origin);
  }

  private async handle(normalized: NormalizeResult, origin: string): Promise<Ingested> {
    const receivedAt = new Date(this.clock()).toISOString();
    for (const e of normalized.errors) {
      this.logger.error({ origin, path: e.path, error: e.message }, 'rejected malformed finding input; dead-lettered');
      const payload = typeof e.input === 'string' ? e.input : JSON.stringify(e.input) ?? 'undefined';
      await this.store.addDeadLetter({
        receivedAt,
        origin,
        path: e.path,
        error: e.message,
        payload: payload.length > MAX_DEAD_LETTER_PAYLOAD ? `${payload.slice(0, MAX_DEAD_LETTER_PAYLOAD)}…(truncated)` : payload,
      });
    }
    return {
      report: {
        received: normalized.items.length,
        accepted: normalized.findings.length,
        rejected: normalized.errors.map((e) => ({ path: e.path, error: e.message })),
      },
      delivered: this.deliverer.deliver(normalized.findings),
    };
  }
}
