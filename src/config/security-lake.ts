import type { SecurityLakeSettings } from '../aws/evidence/security-lake-settings.ts';
import type { FakeSecurityLake } from '../emulator/aws/security-lake.ts';
import type { TrailConfig } from '../emulator/aws/trail-config.ts';
import type { Env } from './env.ts';

type SecurityLakeEnv = Pick<
  Env,
  | 'SIRBOT_SECURITY_LAKE_DATABASE'
  | 'SIRBOT_SECURITY_LAKE_FLOW_TABLE'
  | 'SIRBOT_SECURITY_LAKE_DNS_TABLE'
  | 'SIRBOT_SECURITY_LAKE_WORKGROUP'
  | 'SIRBOT_SECURITY_LAKE_OUTPUT'
  | 'SIRBOT_SECURITY_LAKE_ACCOUNT'
  | 'SIRBOT_SECURITY_LAKE_REGION'
  | 'SIRBOT_SECURITY_LAKE_MAX_ROWS'
  | 'SIRBOT_SECURITY_LAKE_MAX_BYTES'
>;

/** The region part of Security Lake's names (`us_east_1`), from its database name or a region. */
const regionPart = (database: string, region: string) => /^amazon_security_lake_glue_db_(\w+)$/.exec(database)?.[1] ?? region.replaceAll('-', '_');

/**
 * The table names Security Lake gives its AWS sources at source version 2 (OCSF 1.1):
 * `amazon_security_lake_table_<region>_vpc_flow_2_0` and `…_route53_2_0`.
 */
export const securityLakeTables = (database: string, region: string) => ({
  flow: `amazon_security_lake_table_${regionPart(database, region)}_vpc_flow_2_0`,
  dns: `amazon_security_lake_table_${regionPart(database, region)}_route53_2_0`,
});

/** Security Lake as the environment configures it, or null: network evidence is then not searched (and the investigation says so). */
export function securityLakeSettingsOf(env: SecurityLakeEnv, region: string): SecurityLakeSettings | null {
  const database = env.SIRBOT_SECURITY_LAKE_DATABASE;
  if (!database) return null;
  const lakeRegion = env.SIRBOT_SECURITY_LAKE_REGION ?? region;
  const names = securityLakeTables(database, lakeRegion);
  return {
    flowTable: { database, table: env.SIRBOT_SECURITY_LAKE_FLOW_TABLE ?? names.flow },
    dnsTable: { database, table: env.SIRBOT_SECURITY_LAKE_DNS_TABLE ?? names.dns },
    workGroup: env.SIRBOT_SECURITY_LAKE_WORKGROUP,
    ...(env.SIRBOT_SECURITY_LAKE_OUTPUT ? { outputLocation: env.SIRBOT_SECURITY_LAKE_OUTPUT } : {}),
    account: env.SIRBOT_SECURITY_LAKE_ACCOUNT ?? null,
    region: lakeRegion,
    maxRows: env.SIRBOT_SECURITY_LAKE_MAX_ROWS,
    maxBytesScanned: env.SIRBOT_SECURITY_LAKE_MAX_BYTES,
  };
}

/**
 * The fake AWS's Security Lake for a scenario (security-lake.ts in the emulator): its
 * tables when the scenario has `securitylake/` records, served by the fake's Athena in the
 * trail's work group; null without, as when Security Lake is not configured.
 */
export function fakeSecurityLakeSettings(
  env: Pick<Env, 'SIRBOT_SECURITY_LAKE_MAX_ROWS' | 'SIRBOT_SECURITY_LAKE_MAX_BYTES'>,
  lake: FakeSecurityLake | null,
  trail: TrailConfig,
): SecurityLakeSettings | null {
  if (!lake) return null;
  return {
    flowTable: { database: lake.database, table: lake.flowTable },
    dnsTable: { database: lake.database, table: lake.dnsTable },
    workGroup: trail.athena.workGroup,
    account: null,
    region: lake.region,
    maxRows: env.SIRBOT_SECURITY_LAKE_MAX_ROWS,
    maxBytesScanned: env.SIRBOT_SECURITY_LAKE_MAX_BYTES,
    pollMs: 50,
  };
}
