import { UNATTEMPTED } from '../delivery/finding-records.ts';
import { type AdHocWindow, type InvestigationTarget, subjectOfTarget } from '../domain/investigation/ad-hoc.ts';
import type { Finding } from '../domain/finding.ts';
import type { Collector } from '../ports/collector.ts';
import type { Logger } from '../ports/logger.ts';
import type { FindingRecord } from '../ports/store.ts';
import { hashedId } from '../lib/hashed-id.ts';

/** The finding id of an ad-hoc investigation: the same request id is the same investigation. */
export function adHocFindingId(requestId: string): string {
  return hashedId('sirbot-adhoc', requestId, 24);
}

/**
 * Where an ad-hoc investigation looks: where the person said, else around the newest
 * event CloudTrail holds for the target — the data is where it last acted, not in the
 * last hours of the clock; for an IP, the newest call from it in the trail's long-term
 * store — else the last day (saying there was nothing, or that an IP cannot be looked up
 * without such a store).
 */
export async function adHocWindow(
  o: { target: InvestigationTarget; account: string; region: string; since: string | null; sinceHours?: number },
  awsNow: number,
  collectors: Collector[],
  logger: Logger,
): Promise<AdHocWindow> {
  if (o.since) return { how: 'asked', start: o.since };
  if (o.sinceHours) return { how: 'asked', start: new Date(awsNow - o.sinceHours * 3_600_000).toISOString() };
  const subject = subjectOfTarget(o.target);
  // Event history cannot be searched by source IP; a trail's long-term store (the archive collector) can.
  if (!subject || (subject.kind === 'ip' && !collectors.some((c) => c.id === 'archive'))) return { how: 'not-searchable' };
  for (const c of collectors) {
    if (!c.lastActivity) continue;
    const last = await c.lastActivity(subject, o.account, o.region, awsNow).catch((err: unknown) => {
      logger.warn({ err, target: o.target }, 'could not look for the last activity of an ad-hoc target');
      return null;
    });
    if (last) return { how: 'last-activity', lastActivity: last };
  }
  return { how: 'no-activity' };
}

/** The record of an ad-hoc finding: not a delivery sirbot resumes, so `posted` from the start; it only gains its thread. */
export function adHocFindingRecord(finding: Finding, channel: string, nowIso: string): FindingRecord {
  return {
    findingId: finding.id,
    fingerprint: 'ad-hoc',
    updatedAt: finding.updatedAt,
    channel,
    ts: null,
    digestId: null,
    suppressed: false,
    severity: finding.severity.label,
    workflowStatus: finding.workflowStatus,
    recordState: finding.recordState,
    deliveredAt: nowIso,
    snapshot: finding,
    state: 'posted',
    ...UNATTEMPTED,
  };
}
