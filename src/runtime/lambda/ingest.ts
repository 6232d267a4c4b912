import { lambdaContext } from './context.ts';

/**
 * EventBridge (Security Hub, GuardDuty) and SNS deliveries. Malformed findings are
 * dead-lettered and logged; if Slack delivery fails the invocation fails so Lambda
 * retries it, which is safe because redeliveries are deduplicated.
 */
export async function handler(event: unknown): Promise<{ received: number; accepted: number; rejected: number }> {
  const { core, logger } = await lambdaContext();
  const origin = isSns(event) ? 'sns' : 'eventbridge';
  const { report, delivered } = await core.ingest.fromEvent(event, origin);
  const results = await delivered;
  // A function stops when it returns: questions posted and gathering queued first.
  await core.deliverer.idle();
  await core.investigations?.idle();
  const failed = results.filter((r) => r.outcome === 'failed');
  logger.info({ origin, ...report, rejected: report.rejected.length, failed: failed.length }, 'ingested');
  if (failed.length > 0) throw new Error(`${failed.length} finding(s) could not be delivered to Slack: ${failed[0]?.error}`);
  return { received: report.received, accepted: report.accepted, rejected: report.rejected.length };
}

function isSns(event: unknown): boolean {
  return typeof event === 'object' && event !== null && Array.isArray((event as { Records?: unknown }).Records);
}
