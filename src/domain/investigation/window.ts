import type { Finding } from '../finding.ts';
import type { LimitingFactor } from './limiting.ts';
import type { Answers, Playbook } from './playbooks.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** CloudTrail event history keeps 90 days. */
export const CLOUDTRAIL_RETENTION_DAYS = 90;

export interface InvestigationWindow {
  start: string;
  end: string;
}

/**
 * The window comes from the finding and the answers, never from the wall clock alone:
 * from the exposure answer (or first sighting minus the playbook's lookback) to the
 * playbook's follow-up (an hour, a day for defense evasion) after the last sighting.
 * `now` only caps the end and tells what CloudTrail still holds: without a long-term store
 * (`archive`), the window starts no earlier than event history does, and says so.
 */
export function investigationWindow(
  finding: Finding,
  answers: Answers,
  playbook: Playbook,
  now: number,
  options: { archive?: boolean } = {},
): { window: InvestigationWindow; limitingFactors: LimitingFactor[] } {
  const firstSeen = Date.parse(finding.firstSeenAt ?? finding.createdAt ?? finding.updatedAt ?? new Date(now).toISOString());
  const lastSeen = Date.parse(finding.lastSeenAt ?? finding.updatedAt ?? new Date(firstSeen).toISOString());
  const exposed = answers.exposedAt ? Date.parse(answers.exposedAt) : Number.NaN;
  let start = Number.isNaN(exposed) ? firstSeen - playbook.lookbackDays * DAY : Math.min(exposed, firstSeen);
  const end = Math.min(Math.max(lastSeen, firstSeen) + playbook.followUpHours * HOUR, now);
  const limitingFactors: LimitingFactor[] = [];
  const oldest = now - CLOUDTRAIL_RETENTION_DAYS * DAY;
  if (start < oldest && !options.archive) {
    limitingFactors.push({
      source: 'cloudtrail',
      reason: 'out-of-window',
      detail: `CloudTrail event history keeps ${CLOUDTRAIL_RETENTION_DAYS} days; events before ${new Date(oldest).toISOString()} need the trail's S3 logs`,
    });
    start = oldest;
  }
  return { window: { start: new Date(start).toISOString(), end: new Date(Math.max(end, start)).toISOString() }, limitingFactors };
}
