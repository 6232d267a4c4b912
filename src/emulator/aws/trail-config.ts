/**
 * Where a scenario's trail keeps its records for the long term, as `scenario.json`'s
 * `trail` describes it (every field optional):
 * `{"account", "bucket", "keyPrefix", "organizationId", "dataEvents", "eventDataStore", "athena": {"database", "table", "workGroup", "outputLocation"}}`.
 * The same records are served three ways: the trail's S3 objects (trail-objects.ts), a
 * CloudTrail Lake event data store (lake.ts) and an Athena table (athena.ts). Event
 * history (LookupEvents) serves only the last 90 days of management events.
 */
import * as z from 'zod';

export interface TrailConfig {
  /** The account that owns the bucket, the event data store and the Athena table (a log archive account). */
  account: string;
  bucket: string;
  keyPrefix?: string;
  organizationId?: string;
  /** Whether the trail records data events: without, the scenario's data events are in no archive. */
  dataEvents: boolean;
  eventDataStore: string;
  athena: { database: string; table: string; workGroup: string; outputLocation: string };
  /** Whether `scenario.json` describes the trail (the workbench then searches its store by default). */
  declared: boolean;
}

const name = (re: RegExp, what: string) => z.string().regex(re, `must be ${what}`);

/** `scenario.json`'s clock and the trail's long-term store; names as AWS allows them, since they end up in SQL and S3 keys. */
export const scenarioFileSchema = z
  .object({
    now: z.iso.datetime({ offset: true }).optional(),
    trail: z
      .object({
        account: name(/^\d{12}$/, 'a 12-digit account id').optional(),
        bucket: name(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name').optional(),
        keyPrefix: name(/^[\w!.*'()/-]{1,200}$/, 'an S3 key prefix').optional(),
        organizationId: name(/^o-[a-z0-9]{10,32}$/, 'an organization id').optional(),
        dataEvents: z.boolean().optional(),
        eventDataStore: name(/^arn:aws[\w-]*:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore\/[A-Za-z0-9-]{1,128}$/, 'an event data store ARN').optional(),
        athena: z
          .object({
            database: name(/^[A-Za-z0-9_]{1,255}$/, 'a Glue database name').optional(),
            table: name(/^[A-Za-z0-9_]{1,255}$/, 'a Glue table name').optional(),
            workGroup: name(/^[A-Za-z0-9._-]{1,128}$/, 'a work group name').optional(),
            outputLocation: name(/^s3:\/\/.+/, 'an s3:// location').optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  // Other keys are other readers' (`regions`: scenario-regions.ts).
  .loose();

export function trailConfig(raw: NonNullable<z.infer<typeof scenarioFileSchema>['trail']>, accounts: string[], region: string, declared = false): TrailConfig {
  const account = raw.account ?? accounts[0] ?? '000000000000';
  return {
    declared,
    account,
    bucket: raw.bucket ?? `aws-cloudtrail-logs-${account}-sirbot`,
    ...(raw.keyPrefix ? { keyPrefix: raw.keyPrefix } : {}),
    ...(raw.organizationId ? { organizationId: raw.organizationId } : {}),
    dataEvents: raw.dataEvents ?? true,
    eventDataStore: raw.eventDataStore ?? `arn:aws:cloudtrail:${region}:${account}:eventdatastore/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111`,
    athena: {
      database: raw.athena?.database ?? 'security_logs',
      table: raw.athena?.table ?? 'cloudtrail_logs',
      workGroup: raw.athena?.workGroup ?? 'primary',
      outputLocation: raw.athena?.outputLocation ?? `s3://aws-athena-query-results-${account}-${region}/`,
    },
  };
}
