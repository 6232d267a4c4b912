import type { ArchiveSettings, ArchiveStore } from '../aws/evidence/archive-settings.ts';
import type { TrailConfig } from '../emulator/aws/trail-config.ts';
import type { Env } from './env.ts';

type ArchiveEnv = Pick<
  Env,
  | 'SIRBOT_ARCHIVE_LAKE_EVENT_DATA_STORE'
  | 'SIRBOT_ARCHIVE_ATHENA_TABLE'
  | 'SIRBOT_ARCHIVE_ATHENA_WORKGROUP'
  | 'SIRBOT_ARCHIVE_ATHENA_OUTPUT'
  | 'SIRBOT_ARCHIVE_BUCKET'
  | 'SIRBOT_ARCHIVE_PREFIX'
  | 'SIRBOT_ARCHIVE_ORG_ID'
  | 'SIRBOT_ARCHIVE_ACCOUNT'
  | 'SIRBOT_ARCHIVE_REGION'
  | 'SIRBOT_ARCHIVE_DATA_EVENTS'
  | 'SIRBOT_ARCHIVE_MAX_BYTES'
  | 'SIRBOT_ARCHIVE_MAX_OBJECTS'
  | 'SIRBOT_ARCHIVE_MAX_RECORDS'
>;

/** The configured store, the most capable first: Lake (SQL, no partitions to manage), then Athena, then the bucket itself. */
function storeOf(env: ArchiveEnv): ArchiveStore | null {
  if (env.SIRBOT_ARCHIVE_LAKE_EVENT_DATA_STORE) return { kind: 'lake', eventDataStore: env.SIRBOT_ARCHIVE_LAKE_EVENT_DATA_STORE };
  if (env.SIRBOT_ARCHIVE_ATHENA_TABLE) {
    const [database, table] = env.SIRBOT_ARCHIVE_ATHENA_TABLE.split('.') as [string, string];
    return {
      kind: 'athena',
      database,
      table,
      workGroup: env.SIRBOT_ARCHIVE_ATHENA_WORKGROUP,
      ...(env.SIRBOT_ARCHIVE_ATHENA_OUTPUT ? { outputLocation: env.SIRBOT_ARCHIVE_ATHENA_OUTPUT } : {}),
    };
  }
  if (env.SIRBOT_ARCHIVE_BUCKET)
    return {
      kind: 's3',
      bucket: env.SIRBOT_ARCHIVE_BUCKET,
      ...(env.SIRBOT_ARCHIVE_PREFIX ? { keyPrefix: env.SIRBOT_ARCHIVE_PREFIX } : {}),
      ...(env.SIRBOT_ARCHIVE_ORG_ID ? { organizationId: env.SIRBOT_ARCHIVE_ORG_ID } : {}),
    };
  return null;
}

const boundsOf = (env: ArchiveEnv) => ({
  maxBytesScanned: env.SIRBOT_ARCHIVE_MAX_BYTES,
  maxObjects: env.SIRBOT_ARCHIVE_MAX_OBJECTS,
  maxRecords: env.SIRBOT_ARCHIVE_MAX_RECORDS,
});

/** The long-term store the environment configures, or null: investigations then keep to event history's 90 days. */
export function archiveSettingsOf(env: ArchiveEnv, region: string): ArchiveSettings | null {
  const store = storeOf(env);
  if (!store) return null;
  return {
    store,
    account: env.SIRBOT_ARCHIVE_ACCOUNT ?? null,
    region: env.SIRBOT_ARCHIVE_REGION ?? region,
    dataEvents: env.SIRBOT_ARCHIVE_DATA_EVENTS,
    bounds: boundsOf(env),
  };
}

/**
 * The fake AWS's stores for a scenario's trail (the workbench, `sirbot investigate`): the
 * kind asked for, else Lake when the scenario declares a trail, else none (the bundled
 * scenarios written before the archive keep to event history, as they always did).
 */
export function fakeArchiveSettings(env: ArchiveEnv & Pick<Env, 'SIRBOT_FAKE_ARCHIVE'>, trail: TrailConfig, region: string): ArchiveSettings | null {
  const kind = env.SIRBOT_FAKE_ARCHIVE ?? (trail.declared ? 'lake' : 'none');
  if (kind === 'none') return null;
  const store: ArchiveStore =
    kind === 'lake'
      ? { kind, eventDataStore: trail.eventDataStore }
      : kind === 'athena'
        ? { kind, database: trail.athena.database, table: trail.athena.table, workGroup: trail.athena.workGroup }
        : {
            kind,
            bucket: trail.bucket,
            ...(trail.keyPrefix ? { keyPrefix: trail.keyPrefix } : {}),
            ...(trail.organizationId ? { organizationId: trail.organizationId } : {}),
          };
  return { store, account: trail.account, region, dataEvents: trail.dataEvents, bounds: boundsOf(env), pollMs: 50 };
}
