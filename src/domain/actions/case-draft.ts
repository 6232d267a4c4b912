import type { Finding } from '../finding.ts';
import type { InvestigationSummary } from '../investigation/summary.ts';
import type { TimelineEntry } from '../investigation/timeline.ts';

/**
 * What an "Open SIR case" modal starts from: the finding and, when there is one, its
 * investigation. Limits are Security Incident Response's (CreateCase, CreateCaseComment).
 */
export const CASE_LIMITS = {
  title: 300,
  description: 8000,
  comment: 12_000,
  impactedAccounts: 200,
  threatActorIps: 200,
  impactedRegions: 50,
  watchers: 30,
} as const;

export type EngagementType = 'Security Incident' | 'Investigation';

export interface CaseDraft {
  title: string;
  description: string;
  engagementType: EngagementType;
  /** ISO date-time of the first suspicious event (or the finding's first sighting). */
  reportedIncidentStartDate: string;
  impactedAccounts: string[];
  impactedAwsRegions: string[];
  threatActorIpAddresses: string[];
  impactedServices: string[];
}

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** AWS service names from event sources (`iam.amazonaws.com` → `IAM`), as the case form lists them. */
function serviceName(source: string): string {
  const short = source.replace(/\.amazonaws\.com$/, '');
  return short.length <= 4 ? short.toUpperCase() : short.charAt(0).toUpperCase() + short.slice(1);
}

function isPublicIp(ip: string): boolean {
  if (ip.includes(':')) return !/^(fe80|fc|fd|::1)/i.test(ip);
  const [a = 0, b = 0] = ip.split('.').map(Number);
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return false;
  return !(a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254));
}

const IP_KEYS = new Set(['ipAddressV4', 'IpAddressV4', 'SourceIpV4', 'ipAddressV6', 'IpAddressV6', 'SourceIpV6']);

/** IP addresses the finding itself names as the actor's (GuardDuty remoteIpDetails, ASFF Network/Action). */
export function findingIps(raw: unknown, depth = 0, out = new Set<string>()): Set<string> {
  if (depth > 8 || !raw || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw)) {
    if (IP_KEYS.has(k) && typeof v === 'string') out.add(v);
    else findingIps(v, depth + 1, out);
  }
  return out;
}

/**
 * When the incident started: the first event from an IP the finding names; else the
 * first highlighted event after the window's first (which is only the baseline every
 * "first seen" is measured from); else the finding's first sighting.
 */
function incidentStart(finding: Finding, timeline: readonly TimelineEntry[], named: Set<string>): string {
  const fromNamed = timeline.find((e) => e.sourceIp && named.has(e.sourceIp));
  const highlighted = timeline.slice(1).find((e) => e.highlights.length > 0);
  return fromNamed?.time ?? highlighted?.time ?? finding.firstSeenAt ?? finding.createdAt ?? finding.updatedAt ?? new Date(0).toISOString();
}

export function caseDraft(finding: Finding, summary: InvestigationSummary | null, timeline: readonly TimelineEntry[] = []): CaseDraft {
  const named = findingIps(finding.raw);
  const start = incidentStart(finding, timeline, named);
  const accounts = new Set([finding.accountId, ...timeline.map((e) => e.accountId).filter((a): a is string => Boolean(a && /^\d{12}$/.test(a)))]);
  const regions = new Set([finding.region, ...timeline.map((e) => e.region).filter((r): r is string => Boolean(r))]);
  // The actor's IPs: those the finding names, and those first seen since the incident started.
  const fresh = timeline.filter((e) => e.time >= start && e.sourceIp && e.highlights.some((h) => h.startsWith('first seen'))).map((e) => e.sourceIp as string);
  const ips = new Set([...named, ...fresh].filter(isPublicIp).map(canonicalIp).filter((ip): ip is string => ip !== null));
  const services = new Set(timeline.map((e) => e.service).filter((s): s is string => Boolean(s)).map(serviceName));
  const description = [
    `sirbot finding ${finding.id} (${finding.product}, ${finding.severity.label}) in account ${finding.accountId}, ${finding.region}.`,
    finding.description,
    summary ? `\nInvestigation summary:\n${summary.text}` : '',
    summary && summary.recommendations.length > 0 ? `\nRecommended containment:\n${summary.recommendations.map((r) => `- ${r}`).join('\n')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    title: cut(finding.title || `sirbot: ${finding.type}`, CASE_LIMITS.title),
    description: cut(description, CASE_LIMITS.description),
    engagementType: 'Security Incident',
    reportedIncidentStartDate: start,
    impactedAccounts: [...accounts].slice(0, CASE_LIMITS.impactedAccounts),
    impactedAwsRegions: [...regions].slice(0, CASE_LIMITS.impactedRegions),
    threatActorIpAddresses: [...ips].slice(0, CASE_LIMITS.threatActorIps),
    impactedServices: [...services].slice(0, 50),
  };
}

/**
 * An IP address as Security IR's `IPAddress` pattern takes it: IPv4 as is, IPv6 in full
 * upper-case form (eight groups of four digits). Null when it is neither.
 */
export function canonicalIp(ip: string): string | null {
  if (/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(ip)) return ip;
  if (!/^[0-9a-fA-F:]+$/.test(ip) || ip.split('::').length > 2) return null;
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array.from({ length: tail === undefined ? 0 : missing }, () => '0'), ...right];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return null;
  return groups.map((g) => g.padStart(4, '0').toUpperCase()).join(':');
}

/** One line per highlighted timeline entry, for case comments. */
export function highlightLines(timeline: readonly TimelineEntry[]): string[] {
  return timeline
    .filter((e) => e.highlights.length > 0)
    .map((e) =>
      [e.time, e.action, e.actor ?? '-', e.sourceIp ?? '-', e.accountId ?? '-', e.region ?? '-', e.errorCode ?? 'ok', e.highlights.join('; ')].join(' | '),
    );
}

/**
 * Splits lines into comments of at most `max` characters, each headed "Timeline
 * highlights (n/N)"; a single line longer than a comment is cut, never dropped.
 */
export function splitComments(lines: readonly string[], max: number = CASE_LIMITS.comment): string[] {
  const headerRoom = 40;
  const room = max - headerRoom;
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const raw of lines) {
    const line = raw.length > room ? `${raw.slice(0, room - 1)}…` : raw;
    if (size + line.length + 1 > room && current.length > 0) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += line.length + 1;
  }
  if (current.length > 0) chunks.push(current);
  return chunks.map((c, i) => `Timeline highlights (${i + 1}/${chunks.length})\n${c.join('\n')}`);
}
