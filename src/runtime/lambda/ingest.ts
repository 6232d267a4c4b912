import { DELIVERY_BATCH } from '../../jobs/job.ts';
import { lambdaContext } from './context.ts';

/**
 * EventBridge (Security Hub, GuardDuty) and SNS deliveries. The function only
 * validates, stores and enqueues, so it is quick and cannot lose what it accepted: the
 * worker posts to Slack. Malformed findings are dead-lettered and logged. If storing
 * or enqueuing fails the invocation fails, and Lambda's asynchronous retries (then the
 * on-failure queue) redeliver the event; a redelivered finding whose delivery is not
 * complete is enqueued again, never taken for a duplicate.
 */
export async function handler(event: unknown): Promise<{ received: number; accepted: number; rejected: number; queued: number }> {
  const { core, logger, jobs } = await lambdaContext();
  const origin = isSns(event) ? 'sns' : 'eventbridge';
  const { report, delivered } = await core.ingest.storeEvent(event, origin);
  const results = await delivered;
  const unstored = results.filter((r) => r.outcome === 'pending');
  const toDeliver = results.filter((r) => r.outcome === 'received').map((r) => r.findingId);
  for (let i = 0; i < toDeliver.length; i += DELIVERY_BATCH) {
    await jobs.run({ kind: 'delivery.complete', findingIds: toDeliver.slice(i, i + DELIVERY_BATCH) });
  }
  logger.info(
    {
      origin,
      received: report.received,
      accepted: report.accepted,
      caseEvents: report.caseEvents,
      rejected: report.rejectedCount,
      queued: toDeliver.length,
      unstored: unstored.length,
    },
    'ingested',
  );
  if (unstored.length > 0) throw new Error(`${unstored.length} finding(s) could not be stored: ${unstored[0]?.error ?? 'unknown error'}`);
  return { received: report.received, accepted: report.accepted, rejected: report.rejectedCount, queued: toDeliver.length };
}

function isSns(event: unknown): boolean {
  return typeof event === 'object' && event !== null && Array.isArray((event as { Records?: unknown }).Records);
}
