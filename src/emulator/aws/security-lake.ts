import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Scenario } from './scenario.ts';

/**
 * A scenario's Amazon Security Lake: OCSF records as Security Lake writes them for its AWS
 * sources, in `securitylake/` (JSON lines, any file names): VPC flow logs (Network
 * Activity, class_uid 4001) and Route 53 resolver query logs (DNS Activity, class_uid
 * 4003). They are served as Security Lake's Glue tables at source version 2, in the rollup
 * region (the scenario's first region): `amazon_security_lake_glue_db_<region>`, tables
 * `amazon_security_lake_table_<region>_vpc_flow_2_0` and `…_route53_2_0`, partitioned
 * by `region`, `accountid` and `eventday` (yyyymmdd), which Security Lake derives from each
 * record's cloud.region, cloud.account.uid and time.
 */
export interface FakeSecurityLake {
  region: string;
  database: string;
  flowTable: string;
  dnsTable: string;
  flows: Array<Record<string, unknown>>;
  dns: Array<Record<string, unknown>>;
}

export const NETWORK_ACTIVITY = 4001;
export const DNS_ACTIVITY = 4003;

/** The scenario's Security Lake, or null when it has no `securitylake/` records. */
export function fakeSecurityLake(scenario: Pick<Scenario, 'dir' | 'cloudtrail' | 'problems'>): FakeSecurityLake | null {
  const dir = path.join(scenario.dir, 'securitylake');
  if (!existsSync(dir)) return null;
  const flows: FakeSecurityLake['flows'] = [];
  const dns: FakeSecurityLake['dns'] = [];
  // Read once by the engine and once by each runtime: a problem is said once.
  const problem = (text: string) => {
    if (!scenario.problems.includes(text)) scenario.problems.push(text);
  };
  for (const name of readdirSync(dir).sort()) {
    if (!/\.jsonl?$/.test(name)) continue;
    readFileSync(path.join(dir, name), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim()) return;
        let record: Record<string, unknown>;
        try {
          record = JSON.parse(line) as Record<string, unknown>;
        } catch {
          problem(`securitylake/${name}:${i + 1}: not JSON`);
          return;
        }
        if (record.class_uid === NETWORK_ACTIVITY) flows.push(record);
        else if (record.class_uid === DNS_ACTIVITY) dns.push(record);
        else problem(`securitylake/${name}:${i + 1}: class_uid ${String(record.class_uid)} is neither 4001 nor 4003`);
      });
  }
  const region = [...scenario.cloudtrail.keys()][0]?.split('|')[1] ?? 'us-east-1';
  const part = region.replaceAll('-', '_');
  return {
    region,
    database: `amazon_security_lake_glue_db_${part}`,
    flowTable: `amazon_security_lake_table_${part}_vpc_flow_2_0`,
    dnsTable: `amazon_security_lake_table_${part}_route53_2_0`,
    flows,
    dns,
  };
}

const METADATA =
  'STRUCT(product STRUCT(name VARCHAR, vendor_name VARCHAR, version VARCHAR, feature STRUCT(name VARCHAR)), profiles VARCHAR[], version VARCHAR, uid VARCHAR)';
const CLOUD = 'STRUCT(account STRUCT(uid VARCHAR), region VARCHAR, zone VARCHAR, provider VARCHAR)';
const ENDPOINT =
  'STRUCT(port INTEGER, svc_name VARCHAR, ip VARCHAR, intermediate_ips VARCHAR[], interface_uid VARCHAR, vpc_uid VARCHAR, instance_uid VARCHAR, subnet_uid VARCHAR)';
const CLASSIFICATION = {
  class_name: 'VARCHAR',
  class_uid: 'INTEGER',
  category_name: 'VARCHAR',
  category_uid: 'INTEGER',
  activity_name: 'VARCHAR',
  activity_id: 'INTEGER',
  type_name: 'VARCHAR',
  type_uid: 'BIGINT',
  severity: 'VARCHAR',
  severity_id: 'INTEGER',
  status: 'VARCHAR',
  status_id: 'INTEGER',
  time: 'BIGINT',
};
const PARTITIONS = { region: 'VARCHAR', accountid: 'VARCHAR', eventday: 'VARCHAR' };

/** OCSF 1.1 Network Activity as Security Lake maps VPC flow logs (the columns sirbot and its analysts read). */
export const FLOW_COLUMNS: Record<string, string> = {
  metadata: METADATA,
  cloud: CLOUD,
  src_endpoint: ENDPOINT,
  dst_endpoint: ENDPOINT,
  connection_info:
    'STRUCT(protocol_num INTEGER, tcp_flags INTEGER, protocol_ver VARCHAR, boundary_id INTEGER, boundary VARCHAR, direction_id INTEGER, direction VARCHAR)',
  traffic: 'STRUCT(packets BIGINT, bytes BIGINT)',
  start_time: 'BIGINT',
  end_time: 'BIGINT',
  action: 'VARCHAR',
  action_id: 'INTEGER',
  disposition: 'VARCHAR',
  disposition_id: 'INTEGER',
  ...CLASSIFICATION,
  ...PARTITIONS,
};

/** OCSF 1.1 DNS Activity as Security Lake maps Route 53 resolver query logs. */
export const DNS_COLUMNS: Record<string, string> = {
  metadata: METADATA,
  cloud: CLOUD,
  src_endpoint: 'STRUCT(vpc_uid VARCHAR, ip VARCHAR, port INTEGER, instance_uid VARCHAR)',
  query: 'STRUCT(hostname VARCHAR, type VARCHAR, class VARCHAR, packet_uid INTEGER)',
  answers: 'STRUCT(type VARCHAR, rdata VARCHAR, class VARCHAR, ttl INTEGER, flag_ids INTEGER[])[]',
  connection_info: 'STRUCT(protocol_name VARCHAR, direction VARCHAR, direction_id INTEGER)',
  rcode: 'VARCHAR',
  rcode_id: 'INTEGER',
  disposition: 'VARCHAR',
  disposition_id: 'INTEGER',
  ...CLASSIFICATION,
  ...PARTITIONS,
};

/** A record as its table row: the partition columns Security Lake derives from it added. */
export function lakeRow(record: Record<string, unknown>): Record<string, unknown> {
  const cloud = (record.cloud ?? {}) as { region?: unknown; account?: { uid?: unknown } };
  const time = typeof record.time === 'number' ? record.time : Number.NaN;
  const day = Number.isFinite(time) ? new Date(time).toISOString().slice(0, 10).replaceAll('-', '') : null;
  return { ...record, region: cloud.region ?? null, accountid: cloud.account?.uid ?? null, eventday: day };
}
