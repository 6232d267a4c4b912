import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { type Job, jobSchema } from '../../jobs/job.ts';
import { type LambdaContext, lambdaContext } from './context.ts';

/** The fields of an SQS record the worker reads (the event carries more). */
interface SqsRecord {
  messageId: string;
  body: string;
  attributes?: { ApproximateReceiveCount?: string };
}

interface ScheduledEvent {
  source: 'aws.events';
  'detail-type': 'Scheduled Event';
}

export interface BatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/** A message that is not a job: retrying cannot help, SQS moves it to the dead-letter queue after its receives. */
class PoisonedMessage extends Error {
  override readonly name = 'PoisonedMessage';
}

/** Findings to deliver run on the deliverer; the rest are Slack interactions' jobs. */
async function run(job: Job, ctx: LambdaContext): Promise<void> {
  if (job.kind !== 'delivery.complete') return ctx.dispatch(job);
  const results = await Promise.all(job.findingIds.map((id) => ctx.core.deliverer.complete(id)));
  // Not finished (Slack failing, or another worker on it): SQS brings the message back later.
  const unfinished = results.filter((r) => r.outcome === 'pending');
  if (unfinished.length > 0) throw new Error(`${unfinished.length} delivery(ies) not finished: ${unfinished[0]?.error ?? 'in progress elsewhere'}`);
}

/** The job a message carries, validated at the queue's boundary; throws `PoisonedMessage` when there is none. */
function jobOf(record: SqsRecord, ctx: LambdaContext): Job {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    body = undefined;
  }
  const parsed = jobSchema.safeParse(body);
  if (!parsed.success) {
    ctx.logger.error({ messageId: record.messageId, issues: parsed.error.issues.slice(0, 3) }, 'work queue message is not a job');
    throw new PoisonedMessage(`message ${record.messageId} is not a job`);
  }
  // A redelivered gathering was interrupted (timeout, crash): it resumes instead of finding itself busy.
  return parsed.data.kind === 'investigation.gather' && Number(record.attributes?.ApproximateReceiveCount ?? '1') > 1
    ? { ...parsed.data, resuming: true }
    : parsed.data;
}

async function runRecord(record: SqsRecord, ctx: LambdaContext): Promise<void> {
  const job = jobOf(record, ctx);
  try {
    await run(job, ctx);
  } catch (err) {
    ctx.logger.error({ err, messageId: record.messageId, job: job.kind }, 'job failed');
    throw err;
  }
}

// A standard (not FIFO) queue: Powertools' BatchProcessor reports each failed record's messageId.
const processor = new BatchProcessor(EventType.SQS);

function isScheduled(event: unknown): event is ScheduledEvent {
  return typeof event === 'object' && event !== null && (event as ScheduledEvent)['detail-type'] === 'Scheduled Event';
}

/**
 * The work queue's consumer (investigations, cases, status changes, remediations) and,
 * on its schedule, the escalation clock, the snoozes' expiries and the weekly numbers. A message that is not a job, or whose job
 * fails, is reported as a batch item failure: SQS retries it, then moves it to the
 * dead-letter queue; the rest of the batch is done.
 */
export async function handler(
  event: { Records?: SqsRecord[] } | ScheduledEvent,
): Promise<BatchResponse | { steps: number; snoozesEnded: number; weeklyStats: boolean; resumed: number }> {
  const ctx = await lambdaContext();
  if (isScheduled(event)) {
    const steps = (await ctx.core.actions?.escalations.tick()) ?? 0;
    // The investigative agent's results carry no event: open cases are looked at on the clock.
    await ctx.core.actions?.agentWork.poll();
    // Snoozes whose time is up are announced where they were made, with what they held back.
    const snoozesEnded = (await ctx.core.actions?.snoozes.tick()) ?? 0;
    // "Was this you?" questions nobody answered in time escalate their findings.
    await ctx.core.actions?.principalCheck?.tick();
    // The weekly numbers (SIRBOT_STATS_CHANNEL), once per ISO week; no chart here (the bundles carry no renderer).
    const weeklyStats = (await ctx.core.actions?.stats.tick()) ?? false;
    // Deliveries left unfinished (a worker that timed out, Slack down for a while) are completed here too.
    const resumed = await ctx.core.deliverer.resume();
    await ctx.core.deliverer.idle();
    return { steps, snoozesEnded, weeklyStats, resumed: resumed.findings + resumed.digests };
  }
  const response = await processPartialResponse({ Records: event.Records ?? [] }, (record: SqsRecord) => runRecord(record, ctx), processor, {
    // One job at a time, in the queue's order, as before: jobs on one finding must not race.
    processInParallel: false,
    // A batch where every message failed is reported message by message too (Powertools would throw instead).
    throwOnFullBatchFailure: false,
  });
  // A function stops when it returns: what the jobs set going (queued gathering, posts) finishes first.
  await ctx.core.investigations?.idle();
  await ctx.core.deliverer.idle();
  // A fresh object: Powertools hands back a shared default when nothing failed.
  return { batchItemFailures: [...response.batchItemFailures] };
}
