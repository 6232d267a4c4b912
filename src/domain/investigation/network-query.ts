import { sqlString } from './event-query.ts';
import type { InvestigationWindow } from './window.ts';

/**
 * What network evidence to look for in Security Lake: the flows and DNS lookups of the
 * instances and addresses in play, in one account and its regions, over the window.
 * Every value comes from a finding or an answer (attacker-controlled): the SQL quotes each
 * as a literal (`sqlString`), never splices it.
 */
export interface NetworkQuery {
  accountId: string;
  regions: string[];
  window: InvestigationWindow;
  instanceIds: string[];
  ips: string[];
  /** Rows returned per query; one more is asked for, to tell a cut from an exact fit. */
  limit: number;
}

/** A Security Lake table, as the Glue catalog names it (`database.table`). */
export interface LakeTable {
  database: string;
  table: string;
}

const ident = (name: string) => {
  // Glue names: letters, digits and underscores; anything else is refused rather than quoted.
  if (!/^[A-Za-z0-9_]{1,255}$/.test(name)) throw new Error(`not a Glue name: ${name}`);
  return `"${name}"`;
};
const tableName = (t: LakeTable) => `${ident(t.database)}.${ident(t.table)}`;
const list = (values: string[]) => values.map(sqlString).join(', ');

/** The `eventday` partitions (yyyymmdd, UTC) a window touches, first and last. */
export function eventDays(window: InvestigationWindow): { first: string; last: string } {
  const day = (iso: string) => iso.slice(0, 10).replaceAll('-', '');
  return { first: day(new Date(window.start).toISOString()), last: day(new Date(window.end).toISOString()) };
}

/** Why a query cannot be run: nothing to look for, or no bound. Null when it can. */
export function networkQueryProblem(q: NetworkQuery): string | null {
  if (q.instanceIds.length === 0 && q.ips.length === 0) return 'no instance or address to look for';
  if (q.regions.length === 0) return 'no region to look in';
  if (!(q.limit >= 1)) return 'no row limit';
  if (!(Date.parse(q.window.start) <= Date.parse(q.window.end))) return 'the window ends before it starts';
  return null;
}

/** The partition and time bounds every query starts with: the account, its regions, the window's days and milliseconds. */
function bounds(q: NetworkQuery): string[] {
  const { first, last } = eventDays(q.window);
  return [
    `eventday BETWEEN ${sqlString(first)} AND ${sqlString(last)}`,
    `accountid = ${sqlString(q.accountId)}`,
    `region IN (${list(q.regions)})`,
    `"time" BETWEEN ${Date.parse(q.window.start)} AND ${Date.parse(q.window.end)}`,
  ];
}

/** Whether an endpoint (`src_endpoint` or `dst_endpoint`) is one of those in play. */
function endpointInPlay(q: NetworkQuery, endpoint: 'src_endpoint' | 'dst_endpoint'): string {
  const parts = [
    ...(q.instanceIds.length ? [`${endpoint}.instance_uid IN (${list(q.instanceIds)})`] : []),
    ...(q.ips.length ? [`${endpoint}.ip IN (${list(q.ips)})`] : []),
  ];
  return `(${parts.join(' OR ')})`;
}

/**
 * VPC flow records (OCSF Network Activity, class 4001) to or from what is in play,
 * aggregated per local end, remote address, service port, direction and action: a busy
 * instance's millions of flows come back as one row per conversation, the biggest first.
 */
export function flowSql(q: NetworkQuery, table: LakeTable): string {
  const fromUs = endpointInPlay(q, 'src_endpoint');
  return [
    'SELECT',
    `  CASE WHEN ${fromUs} THEN coalesce(src_endpoint.instance_uid, src_endpoint.ip) ELSE coalesce(dst_endpoint.instance_uid, dst_endpoint.ip) END AS local_end,`,
    `  CASE WHEN ${fromUs} THEN dst_endpoint.ip ELSE src_endpoint.ip END AS remote_ip,`,
    // The service's port, the lower of the two: both directions of a conversation, and every client's ephemeral port, fall together.
    '  least(src_endpoint.port, dst_endpoint.port) AS service_port,',
    '  connection_info.direction AS direction,',
    '  "action" AS flow_action,',
    '  region AS flow_region,',
    '  min("time") AS first_time, max("time") AS last_time,',
    '  sum(traffic.bytes) AS total_bytes, sum(traffic.packets) AS total_packets, count(*) AS flows',
    `FROM ${tableName(table)}`,
    `WHERE ${[...bounds(q), `(${fromUs} OR ${endpointInPlay(q, 'dst_endpoint')})`].join('\n  AND ')}`,
    'GROUP BY 1, 2, 3, 4, 5, 6',
    'ORDER BY total_bytes DESC, first_time',
    `LIMIT ${Math.floor(q.limit) + 1}`,
  ].join('\n');
}

/**
 * Route 53 resolver queries (OCSF DNS Activity, class 4003) made by what is in play,
 * per asker, hostname and response code: when first and last, how often, and one answer.
 */
export function dnsSql(q: NetworkQuery, table: LakeTable): string {
  return [
    'SELECT',
    '  coalesce(src_endpoint.instance_uid, src_endpoint.ip) AS local_end,',
    '  "query".hostname AS hostname,',
    '  rcode AS rcode,',
    '  region AS dns_region,',
    '  min("time") AS first_time, max("time") AS last_time, count(*) AS lookups,',
    // One answer set (Trino: an array of rows cast to a JSON array of objects).
    '  arbitrary(json_format(CAST(answers AS JSON))) AS answers',
    `FROM ${tableName(table)}`,
    `WHERE ${[...bounds(q), endpointInPlay(q, 'src_endpoint')].join('\n  AND ')}`,
    'GROUP BY 1, 2, 3, 4',
    'ORDER BY first_time',
    `LIMIT ${Math.floor(q.limit) + 1}`,
  ].join('\n');
}
