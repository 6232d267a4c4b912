import type { LakeTable } from '../../domain/investigation/network-query.ts';

/**
 * Amazon Security Lake's OCSF tables, queried through Athena for network evidence: VPC
 * flow logs (Network Activity) and Route 53 resolver query logs (DNS Activity), in the
 * Glue database Security Lake creates in its rollup region (config/security-lake.ts).
 */
export interface SecurityLakeSettings {
  flowTable: LakeTable;
  dnsTable: LakeTable;
  workGroup: string;
  outputLocation?: string;
  /** The account holding the tables (the Security Lake delegated administrator); null: the account investigated. */
  account: string | null;
  /** The rollup region whose Glue database holds every contributing region's data. */
  region: string;
  /** Rows returned per query (conversations, or hostnames looked up). */
  maxRows: number;
  /** Bytes one investigation's network queries may scan before the rest are not made. */
  maxBytesScanned: number;
  pollMs?: number;
  queryTimeoutMs?: number;
}
