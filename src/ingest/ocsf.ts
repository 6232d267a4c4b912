import * as z from 'zod';
import type { Finding, RecordState, Resource, SeverityLabel, WorkflowStatus } from '../domain/finding.ts';
import { scoreForLabel } from '../domain/severity.ts';
import { partitionOfArn, securityHubV2FindingUrl } from '../domain/console-links.ts';
import { epochMillis, firstDefined, isoDate, nonEmpty, toIso } from './fields.ts';

/**
 * OCSF findings as the new Security Hub emits them (Detection Finding 2004,
 * Compliance Finding 2003, Vulnerability Finding 2002, …), and as Security Lake keeps
 * Security Hub's findings (OCSF 1.1). Times come as epoch milliseconds (`*_time`,
 * `timestamp_t`) and/or `*_time_dt` (`datetime_t`): RFC 3339 text in the schema, but a
 * Parquet timestamp in Security Lake, which JSON exports of it write as epoch
 * milliseconds. Every spelling is accepted.
 */
const tag = z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).nullish() });

const ocsfResource = z.object({
  uid: z.string().optional(),
  name: z.string().optional(),
  type: z.string().optional(),
  region: z.string().optional(),
  cloud_partition: z.string().optional(),
  tags: z.array(tag).optional(),
});

const datetime = z.union([isoDate, epochMillis]);

const time = (name: string) => ({
  [`${name}`]: epochMillis.optional(),
  [`${name}_dt`]: datetime.optional(),
});

export const ocsfSchema = z.object({
  class_uid: z.number().int().optional(),
  activity_id: z.number().int().optional(),
  activity_name: z.string().optional(),
  severity_id: z.number().int().min(0).max(99),
  severity: z.string().optional(),
  status_id: z.number().int().optional(),
  status: z.string().optional(),
  ...time('time'),
  metadata: z.object({
    uid: z.string().optional(),
    product: z.object({ name: z.string().optional(), uid: z.string().optional(), vendor_name: z.string().optional() }).optional(),
  }),
  finding_info: z.object({
    uid: nonEmpty,
    title: z.string().optional(),
    desc: z.string().optional(),
    types: z.array(z.string()).optional(),
    src_url: z.string().optional(),
    ...time('created_time'),
    ...time('modified_time'),
    ...time('first_seen_time'),
    ...time('last_seen_time'),
  }),
  cloud: z.object({
    account: z.object({ uid: nonEmpty, name: z.string().optional() }),
    region: z.string().optional(),
    provider: z.string().optional(),
  }),
  compliance: z.object({ control: z.string().optional(), status: z.string().optional() }).optional(),
  resources: z.array(ocsfResource).optional(),
  vendor_attributes: z.object({ severity: z.string().optional(), severity_id: z.number().optional() }).optional(),
});

export type OcsfFinding = z.infer<typeof ocsfSchema>;

/** OCSF severity_id: 0 Unknown, 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical, 6 Fatal, 99 Other. */
const SEVERITY_BY_ID: Record<number, SeverityLabel> = { 1: 'INFORMATIONAL', 2: 'LOW', 3: 'MEDIUM', 4: 'HIGH', 5: 'CRITICAL', 6: 'CRITICAL' };

/** OCSF status_id: 1 New, 2 In Progress, 3 Suppressed, 4 Resolved, 5 Archived, 99 Other. */
const STATUS_BY_ID: Record<number, WorkflowStatus> = { 1: 'NEW', 2: 'NOTIFIED', 3: 'SUPPRESSED', 4: 'RESOLVED' };

const ARCHIVED_STATUS_ID = 5;
/** activity_id 3 ("Close") is how OCSF says the finding is no longer active. */
const CLOSE_ACTIVITY_ID = 3;

/**
 * OCSF gives a time as `<name>_dt` (ISO text or epoch ms) and/or `<name>` (epoch ms);
 * either will do. Both keys are written out at each call: a key built per call cost more
 * than the rest of the mapping.
 */
function dt(obj: Record<string, unknown>, dtKey: `${string}_dt`, msKey: string): string | null {
  return toIso(firstDefined<string | number>(obj[dtKey] as string | number | undefined, obj[msKey] as number | undefined));
}

function tagsOf(tags: z.infer<typeof tag>[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) out[t.name] = t.value === null || t.value === undefined ? '' : String(t.value);
  return out;
}

export function normalizeOcsf(doc: OcsfFinding, raw: unknown, fallbackRegion: string | null): Finding {
  const info = doc.finding_info;
  const severityLabel: SeverityLabel = SEVERITY_BY_ID[doc.severity_id] ?? SEVERITY_BY_ID[doc.vendor_attributes?.severity_id ?? -1] ?? 'INFORMATIONAL';
  const region = firstDefined(doc.cloud.region, doc.resources?.[0]?.region, fallbackRegion) ?? 'unknown';
  const resources: Resource[] = (doc.resources ?? []).map((r) => ({
    type: r.type ?? 'Other',
    id: r.uid ?? r.name ?? '(unnamed)',
    region: r.region ?? null,
    tags: tagsOf(r.tags),
  }));
  const recordState: RecordState = doc.status_id === ARCHIVED_STATUS_ID || doc.activity_id === CLOSE_ACTIVITY_ID ? 'ARCHIVED' : 'ACTIVE';
  const types = info.types ?? [];
  const productUid = doc.metadata.product?.uid ?? null;
  const infoTimes = info as Record<string, unknown>;
  const createdAt = dt(infoTimes, 'created_time_dt', 'created_time');
  return {
    id: info.uid,
    schema: 'ocsf',
    product: doc.metadata.product?.name ?? 'unknown',
    productArn: productUid,
    type: types[0] ?? '',
    types,
    title: info.title ?? '',
    description: info.desc ?? '',
    severity: { label: severityLabel, score: scoreForLabel(severityLabel), original: doc.severity ?? doc.severity_id },
    accountId: doc.cloud.account.uid,
    region,
    resources,
    controlId: doc.compliance?.control ?? null,
    generatorId: null,
    createdAt,
    updatedAt: firstDefined(dt(infoTimes, 'modified_time_dt', 'modified_time'), dt(doc as Record<string, unknown>, 'time_dt', 'time'), createdAt),
    firstSeenAt: dt(infoTimes, 'first_seen_time_dt', 'first_seen_time'),
    lastSeenAt: dt(infoTimes, 'last_seen_time_dt', 'last_seen_time'),
    workflowStatus: STATUS_BY_ID[doc.status_id ?? 1] ?? 'NEW',
    recordState,
    consoleUrl: securityHubV2FindingUrl(info.src_url, region, partitionOfArn(productUid)),
    raw,
  };
}
