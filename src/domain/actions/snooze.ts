import type { Finding } from '../finding.ts';
import { readIdentifier } from '../investigation/identifiers.ts';
import { subjectsOf } from '../investigation/subjects.ts';

/**
 * A snooze: for a while, findings about the same things (a resource, a principal, a
 * finding type, an account: every entity given must match) are still stored and counted
 * but not posted. Pure: the caller passes the clock.
 */

export const SNOOZE_ENTITIES = ['resource', 'principal', 'type', 'accountId'] as const;
export type SnoozeEntity = (typeof SNOOZE_ENTITIES)[number];

/** What a snooze is about; null: any. At least one is set. */
export type SnoozeCriteria = Record<SnoozeEntity, string | null>;

/** `active` until its expiry is announced (`expired`) or someone cancels it (`cancelled`). */
export const SNOOZE_STATES = ['active', 'expired', 'cancelled'] as const;
export type SnoozeState = (typeof SNOOZE_STATES)[number];

export interface Snooze {
  id: string;
  criteria: SnoozeCriteria;
  expiresAt: string;
  reason: string;
  createdBy: string;
  createdAt: string;
  state: SnoozeState;
}

/** The expiries offered in the modal; `/sir snooze for=…` takes any of minutes, hours or days up to the longest. */
export const SNOOZE_DURATIONS = { '1h': 3600, '8h': 8 * 3600, '24h': 24 * 3600, '7d': 7 * 24 * 3600 } as const;
export type SnoozeDuration = keyof typeof SNOOZE_DURATIONS;
export const SNOOZE_MAX_SECONDS = 30 * 24 * 3600;
export const SNOOZE_REASON_MAX = 500;
/** An entity value is an id, an ARN, a type or a name: never longer than this. */
export const SNOOZE_VALUE_MAX = 512;

/** `90m`, `8h`, `7d` → seconds; an error naming the problem otherwise. */
export function parseSnoozeFor(text: string): number | { error: string } {
  const m = /^(\d{1,5})([mhd])$/i.exec(text.trim());
  if (!m) return { error: `"${text}" is not a duration (like 90m, 8h or 7d)` };
  const seconds = Number(m[1]) * { m: 60, h: 3600, d: 86_400 }[(m[2] as string).toLowerCase() as 'm' | 'h' | 'd'];
  if (seconds <= 0) return { error: 'a snooze lasts at least a minute' };
  if (seconds > SNOOZE_MAX_SECONDS) return { error: `a snooze lasts at most ${SNOOZE_MAX_SECONDS / 86_400} days` };
  return seconds;
}

export function hasCriteria(c: SnoozeCriteria): boolean {
  return SNOOZE_ENTITIES.some((e) => c[e] !== null && c[e] !== '');
}

const PRINCIPAL_KINDS = new Set(['iamUser', 'role', 'federatedUser', 'root']);

/** The principals a finding is about, by name (a user, a role, a federated user; `root` for an account's root). */
export function principalsOf(finding: Finding): string[] {
  const out = new Set<string>();
  for (const s of subjectsOf(finding)) {
    if (s.kind === 'root') out.add('root');
    else if (PRINCIPAL_KINDS.has(s.kind)) out.add(s.id);
    else if (s.kind === 'accessKey' && s.principal) out.add(s.principalType === 'Root' || s.principal.toLowerCase() === 'root' ? 'root' : s.principal);
  }
  return [...out];
}

/** The ways a resource is spelled: as written, and what it names (`bucket:x` and `x` for `arn:aws:s3:::x`). */
function spellings(id: string, type?: string): string[] {
  const named = readIdentifier(id, type);
  return named ? [id, `${named.kind}:${named.id}`, named.id] : [id];
}

/** The entities of a finding a snooze can be about, each the first of its kind (the modal offers them to choose from). */
export function entitiesOf(finding: Finding): SnoozeCriteria {
  return {
    resource: finding.resources[0]?.id ?? null,
    principal: principalsOf(finding)[0] ?? null,
    type: finding.type || null,
    accountId: finding.accountId || null,
  };
}

/** Whether the finding is about everything the snooze names. */
export function snoozeCovers(criteria: SnoozeCriteria, finding: Finding): boolean {
  if (!hasCriteria(criteria)) return false;
  const { resource, principal, type, accountId } = criteria;
  if (accountId && finding.accountId !== accountId) return false;
  if (type && finding.type !== type && !finding.types.includes(type)) return false;
  if (resource) {
    // An ARN matches by what it names; a bare name or id matches the same name or id in the finding.
    const named = readIdentifier(resource);
    const wanted = named ? `${named.kind}:${named.id}` : resource;
    if (!finding.resources.some((r) => spellings(r.id, r.type).includes(wanted))) return false;
  }
  if (principal && !principalsOf(finding).some((p) => p === principal)) return false;
  return true;
}

export function isSnoozeActive(snooze: Pick<Snooze, 'state' | 'expiresAt'>, now: number): boolean {
  return snooze.state === 'active' && Date.parse(snooze.expiresAt) > now;
}

/**
 * The active snooze that holds the finding back, if any: of several, the one that runs
 * longest (then the first created), so the same finding is counted by the same snooze.
 */
export function snoozeMatching<S extends Snooze>(finding: Finding, snoozes: readonly S[], now: number): S | null {
  let best: S | null = null;
  for (const s of snoozes) {
    if (!isSnoozeActive(s, now) || !snoozeCovers(s.criteria, finding)) continue;
    if (!best || s.expiresAt > best.expiresAt || (s.expiresAt === best.expiresAt && s.createdAt < best.createdAt)) best = s;
  }
  return best;
}
