import type { TimelineEntry } from './timeline.ts';

/** One row of a Security Lake query, as Athena returns it: every value a string or null. */
export type LakeRow = Record<string, string | null>;

const time = (ms: string | null | undefined) => {
  const n = Number(ms);
  return Number.isFinite(n) && n > 0 ? new Date(n).toISOString() : null;
};
const count = (v: string | null | undefined) => (Number.isFinite(Number(v)) ? Number(v) : 0);
const bytesWords = (n: number) =>
  n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;

const entry = (fields: Partial<TimelineEntry> & Pick<TimelineEntry, 'id' | 'time' | 'source' | 'action'>): TimelineEntry => ({
  service: null,
  actor: null,
  actorType: null,
  accessKeyId: null,
  sourceIp: null,
  userAgent: null,
  resources: [],
  errorCode: null,
  accountId: null,
  region: null,
  tactics: [],
  highlights: [],
  ...fields,
});

/** A conversation from the flow query (flowSql's columns) as one timeline entry at its first flow; null for an unreadable row. */
export function flowEntry(row: LakeRow, accountId: string): TimelineEntry | null {
  const first = time(row.first_time);
  const local = row.local_end;
  const remote = row.remote_ip;
  if (!first || !local || !remote) return null;
  const port = row.service_port ?? '?';
  const bytes = count(row.total_bytes);
  const outbound = (row.direction ?? '').toLowerCase().startsWith('out');
  const last = time(row.last_time);
  return entry({
    id: `vpc-flow:${local}:${row.direction ?? ''}:${remote}:${port}:${row.flow_action ?? ''}:${row.flow_region ?? ''}`,
    time: first,
    source: 'vpc-flow',
    action: `${outbound ? 'outbound to' : row.direction ? 'inbound from' : 'traffic with'} ${remote} port ${port}`,
    service: 'vpc-flow-logs',
    actor: local,
    resources: [local, remote],
    accountId,
    region: row.flow_region ?? null,
    highlights: [
      `${bytesWords(bytes)} in ${count(row.total_packets)} packets over ${count(row.flows)} flow record(s)`,
      ...(last && last !== first ? [`last ${last}`] : []),
      ...(row.flow_action && row.flow_action !== 'Allowed' ? [`action ${row.flow_action}`] : []),
    ],
  });
}

/** The addresses one DNS answer set (a JSON array of OCSF dns_answer objects) gave. */
function answerData(text: string | null | undefined): string[] {
  if (!text) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    if (!Array.isArray(parsed)) return [];
    // Trino casts a named row to a JSON object; older engines to an array of its values, without names: then the value that is an address.
    const ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:]+)$/i;
    return parsed
      .map((a) => (Array.isArray(a) ? a.find((v) => typeof v === 'string' && ADDRESS.test(v)) : (a as { rdata?: unknown })?.rdata))
      .filter((r): r is string => typeof r === 'string');
  } catch {
    return [];
  }
}

/** A hostname an instance looked up (dnsSql's columns) as one timeline entry at its first lookup; null for an unreadable row. */
export function dnsEntry(row: LakeRow, accountId: string): TimelineEntry | null {
  const first = time(row.first_time);
  const local = row.local_end;
  const host = row.hostname?.replace(/\.$/, '');
  if (!first || !local || !host) return null;
  const answers = answerData(row.answers);
  const lookups = count(row.lookups);
  return entry({
    id: `dns:${local}:${host}:${row.rcode ?? ''}:${row.dns_region ?? ''}`,
    time: first,
    source: 'dns',
    action: `resolved ${host}`,
    service: 'route53-resolver',
    actor: local,
    resources: [local, host],
    accountId,
    region: row.dns_region ?? null,
    highlights: [
      `${lookups} lookup(s), ${row.rcode ?? 'no response code'}`,
      ...(answers.length ? [`answered ${answers.slice(0, 4).join(', ')}`] : []),
      ...(time(row.last_time) && time(row.last_time) !== first ? [`last ${time(row.last_time)}`] : []),
    ],
  });
}
