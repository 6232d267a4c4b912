import type { CloudTrailRecord } from './cloudtrail-record.ts';
import { type EventQuery, sqlString } from './event-query.ts';
import { CLOUDTRAIL_RETENTION_DAYS, type InvestigationWindow } from './window.ts';

/**
 * How an `EventQuery` is asked of a trail's long-term store (CloudTrail Lake, an Athena
 * table over the trail's logs, the trail's S3 objects), and how a record is judged to
 * answer it. Pure: the adapters in aws/evidence/ run what this renders.
 *
 * Every value in a query comes from a finding or a person: each is rendered as a quoted
 * literal (`sqlString`), never spliced. The SQL narrows coarsely (substrings); every row
 * it returns is checked again with `recordMatches`, the one exact definition of a match,
 * which the S3 stream applies to every record it reads.
 */

const DAY = 86_400_000;

/** Where event history starts, seen from `now`: older activity is only in the trail's long-term store. */
export function historyStart(now: number): number {
  return now - CLOUDTRAIL_RETENTION_DAYS * DAY;
}

/** S3 object access and Lambda invokes: CloudTrail calls them data events. */
export function isDataEvent(r: { eventCategory?: string | null | undefined; managementEvent?: boolean | null | undefined }): boolean {
  return r.eventCategory === 'Data' || r.managementEvent === false;
}

/** CloudTrail's "user name": the IAM user, `root`, or an assumed role's session name. */
export function usernameOfRecord(r: CloudTrailRecord): string | undefined {
  const u = r.userIdentity;
  if (!u) return undefined;
  if (u.type === 'Root') return 'root';
  if (u.userName) return u.userName;
  if (u.type === 'AssumedRole' && u.arn) return u.arn.split('/').pop();
  return u.principalId?.includes(':') ? u.principalId.split(':').pop() : undefined;
}

/** Every string a record's request, response and resources name (how CloudTrail's ResourceName finds a call). */
function namedIn(value: unknown, out: Set<string>, depth = 0): void {
  if (depth > 6 || value === null || value === undefined) return;
  if (typeof value === 'string') {
    out.add(value);
    return;
  }
  if (typeof value !== 'object') return;
  for (const v of Array.isArray(value) ? value : Object.values(value)) namedIn(v, out, depth + 1);
}

/** The record's own kind of resource names, ARNs included, with each ARN's last segment (a bucket in `arn:aws:s3:::b`). */
function resourceNames(r: CloudTrailRecord): Set<string> {
  const out = new Set<string>();
  namedIn(r.requestParameters, out);
  namedIn(r.responseElements, out);
  for (const res of r.resources ?? []) {
    if (!res.ARN) continue;
    out.add(res.ARN);
    const tail = res.ARN.split(/[:/]/).pop();
    if (tail) out.add(tail);
  }
  return out;
}

/** The exact test: in the window, account and regions; naming one of `match`; and all of `only`. */
export function recordMatches(q: EventQuery): (r: CloudTrailRecord & { eventCategory?: string | undefined; managementEvent?: boolean | undefined }) => boolean {
  const start = Date.parse(q.window.start);
  const end = Date.parse(q.window.end);
  const regions = new Set(q.regions);
  const keys = new Set(q.match.accessKeyIds);
  const users = new Set(q.match.usernames);
  const ips = new Set(q.match.sourceIps);
  const names = new Set(q.match.eventNames);
  const resources = q.match.resourceNames;
  const anyMatch = Object.values(q.match).some((list) => list.length > 0);
  return (r) => {
    const t = Date.parse(r.eventTime);
    if (Number.isNaN(t) || t < start || t > end) return false;
    if (!regions.has(r.awsRegion)) return false;
    if ((r.recipientAccountId ?? r.userIdentity?.accountId) !== q.accountId) return false;
    if (isDataEvent(r) && !q.only?.dataEvents) return false;
    if (q.only?.eventSources?.length && !q.only.eventSources.includes(r.eventSource)) return false;
    if (q.only?.eventNames?.length && !q.only.eventNames.includes(r.eventName)) return false;
    if (!anyMatch) return true;
    const user = usernameOfRecord(r);
    if (r.userIdentity?.accessKeyId && keys.has(r.userIdentity.accessKeyId)) return true;
    if (user !== undefined && users.has(user)) return true;
    if (r.sourceIPAddress && ips.has(r.sourceIPAddress)) return true;
    if (names.has(r.eventName)) return true;
    if (resources.length > 0) {
      const named = resourceNames(r);
      if (resources.some((n) => named.has(n))) return true;
    }
    return false;
  };
}

/** A query in words, for the list of what was searched: `calls from 198.51.100.77; by access key AKIA…`. */
export function queryWords(q: EventQuery): string {
  const m = q.match;
  const parts = [
    ...(m.accessKeyIds.length ? [`by access key ${m.accessKeyIds.join(', ')}`] : []),
    ...(m.usernames.length ? [`by user or session ${m.usernames.join(', ')}`] : []),
    ...(m.sourceIps.length ? [`calls from ${m.sourceIps.join(', ')}`] : []),
    ...(m.resourceNames.length ? [`naming ${m.resourceNames.join(', ')}`] : []),
    ...(m.eventNames.length ? [`calls to ${m.eventNames.slice(0, 6).join(', ')}${m.eventNames.length > 6 ? '…' : ''}`] : []),
    ...(q.only?.eventSources?.length ? [`on ${q.only.eventSources.join(', ')}`] : []),
    ...(q.only?.dataEvents ? ['data events included'] : []),
  ];
  return parts.join('; ') || 'every record';
}

/** A LIKE pattern's literal part: `\`, `%` and `_` escaped (with `ESCAPE '\'`), then quoted. */
function likeSuffix(value: string): string {
  return sqlString(`%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}`);
}

const list = (values: string[]) => values.map(sqlString).join(', ');

/** The dialect differences between CloudTrail Lake's event data store and the CloudTrail table Athena documents. */
interface Dialect {
  from: string;
  /** A timestamp bound as the column compares. */
  time: (ms: number, bound: 'start' | 'end') => string;
  sourceIp: string;
  /** The request, response and resources columns as JSON text. */
  requestText: string;
  responseText: string;
  resourcesText: string;
  /** Extra conditions that prune what is read (Athena's partitions). */
  prune: (q: EventQuery) => string[];
  readOnly: string;
}

const second = (ms: number, bound: 'start' | 'end') => Math.floor(ms / 1000) * 1000 + (bound === 'end' && ms % 1000 !== 0 ? 1000 : 0);

function renderSql(q: EventQuery, d: Dialect): string {
  const matchers: string[] = [];
  const m = q.match;
  if (m.accessKeyIds.length) matchers.push(`userIdentity.accessKeyId IN (${list(m.accessKeyIds)})`);
  const users = m.usernames.filter((u) => u !== 'root');
  if (users.length) {
    matchers.push(`userIdentity.userName IN (${list(users)})`);
    // An assumed role's session is the last part of its principal id (`AROA…:session`).
    for (const u of users) matchers.push(`userIdentity.principalId LIKE ${likeSuffix(`:${u}`)} ESCAPE '\\'`);
  }
  if (m.usernames.includes('root')) matchers.push(`userIdentity.type = 'Root'`);
  if (m.sourceIps.length) matchers.push(`${d.sourceIp} IN (${list(m.sourceIps)})`);
  if (m.eventNames.length) matchers.push(`eventName IN (${list(m.eventNames)})`);
  for (const name of m.resourceNames) {
    const literal = sqlString(name);
    matchers.push(`strpos(${d.requestText}, ${literal}) > 0`, `strpos(${d.responseText}, ${literal}) > 0`, `strpos(${d.resourcesText}, ${literal}) > 0`);
  }
  const where = [
    `eventTime >= ${d.time(second(Date.parse(q.window.start), 'start'), 'start')}`,
    `eventTime <= ${d.time(second(Date.parse(q.window.end), 'end'), 'end')}`,
    ...d.prune(q),
    `recipientAccountId = ${sqlString(q.accountId)}`,
    `awsRegion IN (${list(q.regions)})`,
    ...(q.only?.dataEvents ? [] : [`COALESCE(eventCategory, 'Management') <> 'Data'`]),
    ...(q.only?.eventSources?.length ? [`eventSource IN (${list(q.only.eventSources)})`] : []),
    ...(q.only?.eventNames?.length ? [`eventName IN (${list(q.only.eventNames)})`] : []),
    ...(matchers.length ? [`(${matchers.join('\n    OR ')})`] : []),
  ];
  return [
    'SELECT eventID, eventTime, eventName, eventSource, awsRegion, recipientAccountId,',
    `  ${d.sourceIp} AS sourceIPAddress, userAgent, errorCode, errorMessage, ${d.readOnly} AS readOnly, eventCategory,`,
    '  userIdentity.type AS identityType, userIdentity.arn AS identityArn, userIdentity.userName AS identityUserName,',
    '  userIdentity.principalId AS identityPrincipalId, userIdentity.accountId AS identityAccountId, userIdentity.accessKeyId AS identityAccessKeyId,',
    `  ${d.requestText} AS requestParameters, ${d.responseText} AS responseElements, ${d.resourcesText} AS resources`,
    `FROM ${d.from}`,
    `WHERE ${where.join('\n  AND ')}`,
    q.newestFirst ? 'ORDER BY eventTime DESC, eventID DESC' : 'ORDER BY eventTime, eventID',
    // One more than the limit: a row beyond it says the answer was cut.
    `LIMIT ${q.limit + 1}`,
  ].join('\n');
}

/** An event data store id (the last part of its ARN), as Lake's FROM names it. */
export function eventDataStoreId(arnOrId: string): string {
  const id = arnOrId.split('/').pop() ?? '';
  if (!/^[A-Za-z0-9-]{1,128}$/.test(id)) throw new Error('not an event data store id or ARN');
  return id;
}

const lakeTime = (ms: number) =>
  sqlString(
    new Date(ms)
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d{3}Z$/, ''),
  );

/** CloudTrail Lake SQL (its event data store schema: `eventTime` a timestamp, request and response maps). */
export function lakeSql(q: EventQuery, eventDataStore: string): string {
  return renderSql(q, {
    from: eventDataStoreId(eventDataStore),
    time: lakeTime,
    sourceIp: 'sourceIPAddress',
    requestText: 'json_format(CAST(requestParameters AS JSON))',
    responseText: 'json_format(CAST(responseElements AS JSON))',
    resourcesText: 'json_format(CAST(resources AS JSON))',
    prune: () => [],
    readOnly: 'CAST(readOnly AS VARCHAR)',
  });
}

export interface AthenaTable {
  database: string;
  table: string;
}

const isoSecond = (ms: number) => sqlString(new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));
const day = (ms: number) => sqlString(new Date(ms).toISOString().slice(0, 10).replaceAll('-', '/'));
const identifier = (name: string) => {
  if (!/^[A-Za-z0-9_]{1,255}$/.test(name)) throw new Error('not an Athena database or table name');
  return `"${name}"`;
};

/**
 * Athena SQL over the CloudTrail table AWS documents (partition projection on `timestamp`,
 * `yyyy/MM/dd`): strings for times, request and response as JSON text; the partition bound
 * keeps what is scanned (and paid for) to the window's days.
 */
export function athenaSql(q: EventQuery, t: AthenaTable): string {
  return renderSql(q, {
    from: `${identifier(t.database)}.${identifier(t.table)}`,
    time: isoSecond,
    sourceIp: 'sourceIpAddress',
    requestText: 'requestParameters',
    responseText: 'responseElements',
    resourcesText: 'json_format(CAST(resources AS JSON))',
    prune: (query) => [`"timestamp" BETWEEN ${day(Date.parse(query.window.start))} AND ${day(Date.parse(query.window.end))}`],
    readOnly: 'readOnly',
  });
}

/** Where a trail writes: `[prefix/]AWSLogs/[orgId/]account/CloudTrail/region/yyyy/mm/dd/`. */
export interface TrailLocation {
  keyPrefix?: string;
  organizationId?: string;
}

/**
 * Every day folder a query's window covers, per region: what the S3 stream lists. A trail
 * files an object under the day it delivers it, up to about 15 minutes after its events:
 * the day after the window's last is listed too.
 */
export function trailDayPrefixes(q: EventQuery, where: TrailLocation): string[] {
  const head = [where.keyPrefix?.replace(/\/+$/, ''), 'AWSLogs', where.organizationId, q.accountId, 'CloudTrail'].filter(Boolean).join('/');
  const first = Date.UTC(...ymd(Date.parse(q.window.start)));
  const last = Date.parse(q.window.end) + 15 * 60_000;
  const out: string[] = [];
  for (const region of q.regions) {
    for (let t = first; t <= last; t += DAY) out.push(`${head}/${region}/${new Date(t).toISOString().slice(0, 10).replaceAll('-', '/')}/`);
  }
  return out;
}

function ymd(ms: number): [number, number, number] {
  const d = new Date(ms);
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
}

/**
 * A trail object's delivery time from its name (`…_20260803T1005Z_…json.gz`): it holds
 * events from up to about 15 minutes before; an object delivered an hour or more before
 * the window starts, or over an hour after it ends, holds none of its events.
 */
export function objectMayHold(key: string, window: InvestigationWindow): boolean {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*$/.exec(key);
  if (!m) return true;
  const delivered = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  return delivered >= Date.parse(window.start) - 3_600_000 && delivered <= Date.parse(window.end) + 3_600_000;
}
