import { SELF_MANAGED_CASE_STATUSES, type SelfManagedCaseStatus } from '../actions/case-status.ts';
import type { InvestigationTarget } from '../investigation/ad-hoc.ts';

/** The values `/sir` takes: investigation targets, `--since`, case statuses. */

/** The statuses UpdateCaseStatus accepts (Security IR's `SelfManagedCaseStatus`), from the one case vocabulary. */
export const SIR_CASE_STATUSES = SELF_MANAGED_CASE_STATUSES;
export type SirCaseStatus = SelfManagedCaseStatus;

/** CloudTrail event history (LookupEvents) reaches back 90 days. */
export const SIR_MAX_SINCE_HOURS = 90 * 24;

/** How far back `--since` reaches: relative (`7d`, `24h`, `90m`) or from an instant. */
export type SirSince = { hours: number } | { iso: string };

const ACCESS_KEY = /^(?:AKIA|ASIA)[A-Z0-9]{16}$/;
const INSTANCE = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
export const IAM_ARN = /^arn:aws[-a-z]*:iam::(\d{12}):(role|user)\/((?:[\x21-\x2e\x30-\x7e]+\/)*)([\w+=,.@-]{1,64})$/;
const IAM_USER = /^[\w+=,.@-]{1,64}$/;
export const ACCOUNT = /^\d{12}$/;
export const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
export const CASE_ID = /^\d{10,32}$/;

function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(p));
}

function isIpv6(s: string): boolean {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  let hex = s;
  const tail = s.slice(s.lastIndexOf(':') + 1);
  if (tail.includes('.')) {
    if (!isIpv4(tail)) return false;
    hex = `${s.slice(0, s.lastIndexOf(':') + 1)}0:0`;
  }
  const halves = hex.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/** What a target names, most specific first; an error says why it is none of them. */
export function classifyTarget(value: string): InvestigationTarget | { error: string } {
  if (/^arn:/i.test(value)) {
    const m = IAM_ARN.exec(value);
    if (m && value.length <= 2048) return { type: m[2] === 'role' ? 'roleArn' : 'userArn', value };
    if (/^arn:aws[-a-z]*:sts::\d{12}:assumed-role\//.test(value))
      return { error: `"${value}" is an assumed-role session; name the role (arn:aws:iam::ACCOUNT:role/NAME)` };
    return { error: `"${value}" is not an IAM role or user ARN (arn:aws:iam::123456789012:role/NAME or …:user/NAME)` };
  }
  if (ACCESS_KEY.test(value)) return { type: 'accessKey', value };
  if (/^(?:AKIA|ASIA)[A-Z0-9]*$/.test(value))
    return { error: `"${value}" looks like an access key id but has ${value.length} characters; access key ids have 20` };
  if (INSTANCE.test(value)) return { type: 'instance', value };
  if (/^i-[0-9a-f]+$/i.test(value)) return { error: `"${value}" looks like an instance id, but those are i- and 8 or 17 lower-case hex digits` };
  if (isIpv4(value)) return { type: 'ip', value };
  if (/^\d+(?:\.\d+){3}$/.test(value)) return { error: `"${value}" is not a valid IPv4 address` };
  if (value.includes(':')) return isIpv6(value) ? { type: 'ip', value } : { error: `"${value}" is not a valid IPv6 address` };
  if (IAM_USER.test(value)) return { type: 'iamUser', value };
  if (/^[\w+=,.@-]+$/.test(value)) return { error: `"${value}" is too long for an IAM user name (at most 64 characters)` };
  return { error: `"${value}" is not an access key id, IAM user name, role or user ARN, instance id or IP address` };
}

const toMs = (now: Date | number | string) => (now instanceof Date ? now.getTime() : typeof now === 'number' ? now : Date.parse(now));

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** `7d`, `24h`, `90m` or an ISO date (`2026-11-20`, `2026-11-20T08:00Z`; no zone is UTC), within CloudTrail's 90 days. */
export function parseSince(
  raw: string,
  now: Date | number | string,
  reach: { hours: number; why: string } = { hours: SIR_MAX_SINCE_HOURS, why: `CloudTrail event history covers the last ${SIR_MAX_SINCE_HOURS / 24} days` },
): SirSince | { error: string } {
  const limit = reach.why;
  const rel = /^(\d{1,7})([dhm])$/i.exec(raw);
  if (rel) {
    const n = Number(rel[1]);
    const perUnit = { d: 24, h: 1, m: 1 / 60 }[(rel[2] as string).toLowerCase() as 'd' | 'h' | 'm'];
    if (n === 0) return { error: '--since must be more than zero' };
    if (n * perUnit > reach.hours) return { error: `--since ${raw} reaches back too far: ${limit}` };
    return { hours: n * perUnit };
  }
  const m = ISO.exec(raw);
  if (!m) return { error: `--since "${raw}" is neither a duration (7d, 24h, 90m) nor a date (YYYY-MM-DD or an ISO date-time)` };
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '00', m[5] ?? '00', m[6] ?? '00'].map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] ?? '';
  const zone = m[8]?.toUpperCase();
  const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, s, Number(`0.${fraction || '0'}`) * 1000));
  if (wall.getUTCFullYear() !== y || wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return { error: `--since "${raw}" is not a real date` };
  }
  // An offset moves the instant: 08:00+02:00 is 06:00Z.
  const offsetMinutes = !zone || zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const at = wall.getTime() - offsetMinutes * 60_000;
  const nowMs = toMs(now);
  if (at > nowMs) return { error: `--since ${raw} is in the future` };
  if (nowMs - at > reach.hours * 3600_000) return { error: `--since ${raw} reaches back too far: ${limit}` };
  return { iso: new Date(at).toISOString() };
}

/** Where a `--since` starts, as an ISO instant. */
export function sinceStart(since: SirSince, now: Date | number | string): string {
  return 'iso' in since ? since.iso : new Date(toMs(now) - since.hours * 3600_000).toISOString();
}

const words = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();

/** Exact values (any case, any punctuation) and short names, to the API's value. */
const CASE_STATUS_NAMES: ReadonlyMap<string, SirCaseStatus> = new Map<string, SirCaseStatus>([
  ...SIR_CASE_STATUSES.map((s) => [words(s), s] as [string, SirCaseStatus]),
  ['submit', 'Submitted'],
  ['detection', 'Detection and Analysis'],
  ['analysis', 'Detection and Analysis'],
  ['containment', 'Containment, Eradication and Recovery'],
  ['eradication', 'Containment, Eradication and Recovery'],
  ['recovery', 'Containment, Eradication and Recovery'],
  ['post incident', 'Post-incident Activities'],
  ['postincident', 'Post-incident Activities'],
  ['post', 'Post-incident Activities'],
]);

export function parseCaseStatus(raw: string): SirCaseStatus | { error: string } {
  const key = words(raw);
  const status = CASE_STATUS_NAMES.get(key);
  if (status) return status;
  if (key === 'closed' || key === 'close') return { error: 'to close a case, use /sir case <case id> close' };
  const choices = `${SIR_CASE_STATUSES.map((s) => `"${s}"`).join(', ')} (or submitted, detection, containment, post-incident)`;
  if (key === 'acknowledged' || key === 'ready to close') return { error: `"${raw}" is set by the service, not through UpdateCaseStatus; choose ${choices}` };
  return { error: `"${raw}" is not a case status; choose ${choices}` };
}
