import type { LimitingFactor } from './limiting.ts';

/**
 * Which regions of one account CloudTrail was searched in, against the regions the
 * account has enabled: so the summary can say "every enabled region" when it is true,
 * and name the regions that were not (could not be listed, denied, opt-in disabled).
 */
export interface RegionCoverage {
  accountId: string;
  /** The account's enabled regions; null when they could not be learned. */
  enabled: string[] | null;
  /** How they were learned (`account:ListRegions`, `ec2:DescribeRegions`), or why they could not be. */
  via: string;
  /** Regions whose lookups all answered. */
  searched: string[];
  /** Regions where a lookup failed, with why. */
  failed: Array<{ region: string; detail: string }>;
}

const list = (items: string[]) => items.join(', ');
/** At most six names in a sentence (a 17-region account's list is in `regionsSearched`). */
const some = (items: string[], max = 6) => (items.length <= max ? list(items) : `${list(items.slice(0, max))} and ${items.length - max} more`);

/** Whether every enabled region answered. */
export function coversEveryRegion(c: RegionCoverage): boolean {
  return c.enabled !== null && c.failed.length === 0 && c.enabled.every((r) => c.searched.includes(r));
}

/** One line per account: where CloudTrail was searched. */
export function coverageLine(c: RegionCoverage): string {
  if (coversEveryRegion(c)) return `CloudTrail was searched in every enabled region of ${c.accountId} (${some(c.searched)}).`;
  return `CloudTrail was searched in ${c.accountId}'s ${some(c.searched)}${c.failed.length ? `; not in ${list(c.failed.map((f) => f.region))}` : ''}.`;
}

/**
 * What the regions searched could not see: the regions never listed, and enabled regions
 * left out. A region that failed is the collector's own limiting factor, one per region.
 */
export function coverageFactors(c: RegionCoverage): LimitingFactor[] {
  const out: LimitingFactor[] = [];
  if (c.enabled === null) {
    out.push({
      source: 'cloudtrail',
      reason: 'not-searched',
      detail: `the enabled regions of ${c.accountId} could not be listed (${c.via}): only ${list(c.searched)} ${c.searched.length > 1 ? 'were' : 'was'} searched; activity in other regions is not in these results`,
    });
  }
  const missing = (c.enabled ?? []).filter((r) => !c.searched.includes(r) && !c.failed.some((f) => f.region === r));
  if (missing.length > 0) {
    out.push({ source: 'cloudtrail', reason: 'not-searched', detail: `${c.accountId}'s enabled regions ${list(missing)} were not searched` });
  }
  return out;
}
