import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { RawRecord, Scenario } from './scenario.ts';
import { accountOf } from './scenario.ts';

export type { TrailConfig } from './trail-config.ts';

export interface TrailObject {
  key: string;
  body: Buffer;
  etag: string;
  lastModified: string;
  /** The records in it, and the day folder (Athena's `timestamp` partition). */
  records: RawRecord[];
  day: string;
}

const FIVE_MINUTES = 300_000;

/** Data events: S3 object access, Lambda invokes. */
export const isDataRecord = (r: RawRecord) => r.eventCategory === 'Data' || r.managementEvent === false;

/** The records the trail kept: all of them, less data events when it does not record those. */
export function trailRecords(scenario: Scenario): RawRecord[] {
  const all = [...scenario.cloudtrail.values()].flat();
  const kept = scenario.trail.dataEvents ? all : all.filter((r) => !isDataRecord(r));
  return kept.sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime) || a.eventID.localeCompare(b.eventID));
}

/**
 * The trail's objects as CloudTrail delivers them: per account and region, about every five
 * minutes, `[prefix/]AWSLogs/[orgId/]account/CloudTrail/region/yyyy/mm/dd/account_CloudTrail_region_yyyymmddThhmmZ_unique.json.gz`,
 * each a gzipped `{"Records": […]}`. Keys sorted, as ListObjectsV2 lists them.
 */
export function trailObjects(scenario: Scenario): TrailObject[] {
  const t = scenario.trail;
  const groups = new Map<string, RawRecord[]>();
  for (const r of trailRecords(scenario)) {
    const delivered = Math.ceil((Date.parse(r.eventTime) + 1) / FIVE_MINUTES) * FIVE_MINUTES;
    const k = `${accountOf(r)}|${r.awsRegion}|${delivered}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const objects: TrailObject[] = [];
  for (const [k, records] of groups) {
    const [account, region, at] = k.split('|') as [string, string, string];
    const d = new Date(Number(at)).toISOString();
    const day = d.slice(0, 10).replaceAll('-', '/');
    const stamp = `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)}T${d.slice(11, 13)}${d.slice(14, 16)}Z`;
    const unique = createHash('sha256').update(k).digest('hex').slice(0, 16);
    const head = [t.keyPrefix, 'AWSLogs', t.organizationId, account, 'CloudTrail', region, day].filter(Boolean).join('/');
    const body = gzipSync(JSON.stringify({ Records: records }));
    objects.push({
      key: `${head}/${account}_CloudTrail_${region}_${stamp}_${unique}.json.gz`,
      body,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      lastModified: new Date(Number(at) + 60_000).toISOString(),
      records,
      day,
    });
  }
  return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
