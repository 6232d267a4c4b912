import { errorText } from '../lib/error-text.ts';
import { BODY_BOUNDS, boundInPlace } from '../ingest/bounds.ts';
import type { CaseEvent } from '../domain/actions/case-event.ts';
import type { FollowUpRequest } from '../domain/routing/custom-actions.ts';
import type { IngestError } from '../ingest/errors.ts';
import { caseEventDocument } from '../ingest/security-ir-events.ts';
import { normalizeInput, normalizeText, type NormalizeResult } from '../ingest/normalize.ts';
import type { Logger } from '../ports/logger.ts';
import type { Store } from '../ports/store.ts';
import type { Deliverer, DeliveryResult } from './deliver.ts';

export interface IngestReport {
  received: number;
  /** Findings and case events taken. */
  accepted: number;
  /** Of which Security IR case events. */
  caseEvents: number;
  /** Events of a known source about nothing sirbot follows (a membership's), taken and left alone. */
  ignored: number;
  /** The first rejections, each with the field that broke it (at most REPORTED_REJECTIONS). */
  rejected: Array<{ path: string; error: string }>;
  /** Every rejection, counted. */
  rejectedCount: number;
}

export interface Ingested {
  report: IngestReport;
  /**
   * Settles when every accepted finding has been delivered, or, where delivery happens
   * elsewhere (the Lambda ingest), stored for it (outcome `received`).
   */
  delivered: Promise<DeliveryResult[]>;
}

/**
 * Where Security IR's case events go: `here` when this process shows them (the local
 * runtime, the worker), or handed on (the Lambda ingest queues them for the worker). A
 * rejection is that event's failure: it is dead-lettered here, or retried by the queue.
 */
export type CaseEventSink = (event: CaseEvent, here: boolean) => Promise<unknown>;

/**
 * Where a Security Hub custom action's request goes once its finding is delivered (or,
 * `here` false, stored for delivery elsewhere: then it is handed on, to wait for it).
 */
export type CustomActionSink = (findingId: string, request: FollowUpRequest, here: boolean) => Promise<unknown>;

export interface IngestOptions {
  /** Absent where the runtime cannot act: custom actions then only post their findings. */
  customActions?: CustomActionSink;
  /** Absent where the runtime cannot read cases (no AWS access): case events are then logged and dead-lettered. */
  caseEvents?: CaseEventSink;
  /** Dead letters one origin may write per minute; past it they are counted in the log, not stored. */
  deadLettersPerMinute?: number;
  clock?: () => number;
}

const MAX_DEAD_LETTER_PAYLOAD = 256 * 1024;
const REPORTED_REJECTIONS = 100;
/** Rejections named in a dead letter's error and in the log line. */
const NAMED_REJECTIONS = 5;

/** A fixed one-minute window per origin; a flood of origins is forgotten rather than kept. */
class PerOriginLimit {
  private readonly windows = new Map<string, { start: number; used: number; refused: number }>();

  constructor(private readonly perMinute: number) {}

  take(origin: string, now: number): { allowed: boolean; refusedBefore: number } {
    if (this.windows.size > 1000) this.windows.clear();
    let w = this.windows.get(origin);
    let refusedBefore = 0;
    if (!w || now - w.start >= 60_000) {
      refusedBefore = w?.refused ?? 0;
      w = { start: now, used: 0, refused: 0 };
      this.windows.set(origin, w);
    }
    if (w.used >= this.perMinute) {
      w.refused++;
      return { allowed: false, refusedBefore };
    }
    w.used++;
    return { allowed: true, refusedBefore };
  }
}

/**
 * The one use case every entry point shares (HTTP, Lambda EventBridge, SNS): normalize,
 * dead-letter what cannot be read, deliver (or store for delivery) the rest. Bad
 * findings never hold up their batch; all of one body's bad findings make one dead
 * letter (with their count and the first reasons), and each origin may write only so
 * many dead letters a minute, so a hostile body cannot fill the store or the log.
 */
export class IngestFindings {
  private readonly clock: () => number;
  private readonly limit: PerOriginLimit;

  constructor(
    private readonly store: Store,
    private readonly deliverer: Deliverer,
    private readonly logger: Logger,
    private readonly options: IngestOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.limit = new PerOriginLimit(options.deadLettersPerMinute ?? 60);
  }

  /** A request body or file: delivered here. */
  fromText(text: string, origin: string): Promise<Ingested> {
    return this.handle(normalizeText(text), origin, true);
  }

  /** An event already parsed: delivered here. */
  fromEvent(event: unknown, origin: string): Promise<Ingested> {
    return this.handle(normalizeInput(event), origin, true);
  }

  /** An event whose findings are only stored here, for a worker to deliver (the Lambda ingest). */
  storeEvent(event: unknown, origin: string): Promise<Ingested> {
    return this.handle(normalizeInput(event), origin, false);
  }

  private async handle(normalized: NormalizeResult, origin: string, deliverHere: boolean): Promise<Ingested> {
    const { errors, findings, caseEvents, ignored } = normalized;
    if (errors.length > 0) await this.deadLetter(errors, origin);
    if (ignored.length > 0) this.logger.info({ origin, detailTypes: [...new Set(ignored)] }, 'Security IR events about no case: left alone');
    const asked = normalized.items.flatMap((i): Array<{ findingId: string; request: FollowUpRequest }> => {
      if (!i.ok) return [];
      if (i.customAction) return [{ findingId: i.finding.id, request: { actionName: i.customAction } }];
      return i.investigateAtOnce ? [{ findingId: i.finding.id, request: { investigateBecause: i.investigateAtOnce } }] : [];
    });
    const findingsDone = (deliverHere ? this.deliverer.deliver(findings) : this.deliverer.receive(findings)).then(async (results) => {
      await Promise.all(asked.map((a) => this.followUp(a.findingId, a.request, origin, deliverHere)));
      return results;
    });
    const casesDone = Promise.all(caseEvents.map((e) => this.caseEvent(e, origin, deliverHere)));
    return {
      report: {
        received: normalized.items.length + normalized.events,
        accepted: findings.length + caseEvents.length,
        caseEvents: caseEvents.length,
        ignored: ignored.length,
        rejected: errors.slice(0, REPORTED_REJECTIONS).map((e) => ({ path: e.path, error: e.message })),
        rejectedCount: errors.length,
      },
      delivered: Promise.all([findingsDone, casesDone]).then(([results]) => results),
    };
  }

  /** What a finding asks beyond its delivery: done here (a failure is logged: its finding is posted), or handed on (a failure is the caller's). */
  private async followUp(findingId: string, request: FollowUpRequest, origin: string, here: boolean): Promise<void> {
    const sink = this.options.customActions;
    if (!sink) return;
    try {
      await sink(findingId, request, here);
    } catch (err) {
      if (!here) throw err;
      this.logger.error({ err, origin, findingId, request }, 'what the finding asked beyond its delivery was not done');
    }
  }

  /**
   * One case event to its sink. Shown here, a failure is logged and the event
   * dead-lettered as received, to be replayed; handed on, a failure to hand it on is the
   * caller's (the Lambda ingest fails, and EventBridge delivers again).
   */
  private async caseEvent(e: CaseEvent, origin: string, here: boolean): Promise<void> {
    const sink = this.options.caseEvents;
    try {
      if (!sink) throw new Error('this runtime has no access to Security IR (no AWS settings): the case cannot be read');
      await sink(e, here);
    } catch (err) {
      if (!here) throw err;
      const error = `Security IR ${e.kind} event for case ${e.caseId} not shown: ${errorText(err)}`;
      this.logger.error({ err, origin, caseId: e.caseId, eventId: e.eventId }, 'Security IR case event failed; dead-lettered');
      await this.store
        .addDeadLetter({
          receivedAt: new Date(this.clock()).toISOString(),
          origin,
          path: `case ${e.caseId}`,
          error,
          payload: JSON.stringify(caseEventDocument(e)),
          count: 1,
        })
        .catch((deadErr: unknown) => this.logger.error({ err: deadErr, eventId: e.eventId }, 'could not dead-letter the case event'));
    }
  }

  /** One dead letter for all of a body's bad findings: the first reasons, the count, their inputs (capped). */
  private async deadLetter(errors: IngestError[], origin: string): Promise<void> {
    const now = this.clock();
    const named = errors.slice(0, NAMED_REJECTIONS).map((e) => `${e.path}: ${e.message}`);
    const more = errors.length - named.length;
    const error = errors.length === 1 ? (errors[0] as IngestError).message : more > 0 ? `${named.join('; ')}; and ${more} more` : named.join('; ');
    this.logger.error(
      { origin, rejected: errors.length, first: errors.slice(0, 3).map((e) => ({ path: e.path, error: e.message })) },
      'rejected malformed finding input; dead-lettered',
    );
    const { allowed, refusedBefore } = this.limit.take(origin, now);
    if (refusedBefore > 0)
      this.logger.warn({ origin, refused: refusedBefore }, 'dead letters from this origin were over the rate limit last minute and were not stored');
    if (!allowed) return;
    const inputs = errors.map((e) => boundInPlace(e.input, BODY_BOUNDS).value);
    const payload = errors.length === 1 ? stringOf(inputs[0]) : JSON.stringify(inputs);
    await this.store.addDeadLetter({
      receivedAt: new Date(now).toISOString(),
      origin,
      path: errors.length === 1 ? (errors[0] as IngestError).path : `${errors.length} inputs, first at ${(errors[0] as IngestError).path}`,
      error,
      payload: payload.length > MAX_DEAD_LETTER_PAYLOAD ? `${payload.slice(0, MAX_DEAD_LETTER_PAYLOAD)}…(truncated)` : payload,
      count: errors.length,
    });
  }
}

const stringOf = (input: unknown) => (typeof input === 'string' ? input : (JSON.stringify(input) ?? 'undefined'));
