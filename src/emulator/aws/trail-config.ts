/**
 * Where a scenario's trail keeps its records for the long term, as `scenario.json`'s
 * `trail` describes it (every field optional):
 * `{"account", "bucket", "keyPrefix", "organizationId", "dataEvents", "eventDataStore", "athena": {"database", "table", "workGroup", "outputLocation"}}`.
 * The same records are served three ways: the trail's S3 objects (trail-objects.ts), a
 * CloudTrail Lake event data store (lake.ts) and an Athena table (athena.ts). Event
 * history (LookupEvents) serves only the last 90 days of management events.
 */
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

export function trailConfig(
  raw: Partial<TrailConfig> & { athena?: Partial<TrailConfig['athena']> },
  accounts: string[],
  region: string,
  declared = false,
): TrailConfig {
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
