import { fingerprint } from '../domain/delivery/versions.ts';
import type { Finding } from '../domain/finding.ts';
import type { RouteDecision } from '../domain/routing/decision.ts';
import type { FindingRecord, Store } from '../ports/store.ts';

/** A stored snapshot stays well under DynamoDB's 400 KB item limit (with the record's other fields and a pending version). */
export const MAX_SNAPSHOT_CHARS = 160_000;

/** Another writer changed the record since it was read: whoever lost stops, the winner goes on. */
export class LostRace extends Error {
  readonly code = 'LOST_RACE';
  constructor(findingId: string) {
    super(`another delivery of ${findingId} moved its record first`);
  }
}

/**
 * The finding as stored (the store keeps it as JSON). Ingest has already cut deep and
 * huge fields; a raw document still too big to keep whole is kept as its top-level
 * scalar fields, which is what later readers of `raw` (status calls, case drafts,
 * suggestions) look at first.
 */
export function snapshotOf(finding: Finding): Finding {
  const whole = JSON.stringify(finding).length;
  if (whole <= MAX_SNAPSHOT_CHARS) return finding;
  const raw = finding.raw as Record<string, unknown> | null;
  const kept: Record<string, unknown> = { sirbotNote: `raw document of ${whole} characters cut to its top-level fields` };
  if (raw && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) if (v === null || typeof v !== 'object') kept[k] = typeof v === 'string' ? v.slice(0, 2000) : v;
  }
  const reduced: Finding = { ...finding, raw: kept, description: finding.description.slice(0, 20_000) };
  return JSON.stringify(reduced).length <= MAX_SNAPSHOT_CHARS
    ? reduced
    : { ...finding, raw: { sirbotNote: kept.sirbotNote }, description: finding.description.slice(0, 20_000) };
}

/** The finding a record holds (its delivered version, or the newer one waiting), which the caller knows is there. */
export function storedFinding(record: FindingRecord, which: 'snapshot' | 'pendingSnapshot'): Finding {
  const finding = record[which];
  if (!finding) throw new Error(`the record of ${record.findingId} holds no ${which === 'snapshot' ? 'delivered' : 'newer'} finding`);
  return finding;
}

/** The delivered version's fields, as the record keeps them to tell the next version apart. */
export function versionFields(
  finding: Finding,
  decision: RouteDecision,
): Pick<FindingRecord, 'fingerprint' | 'updatedAt' | 'severity' | 'workflowStatus' | 'recordState' | 'snapshot'> {
  return {
    fingerprint: fingerprint(finding, decision.severity),
    updatedAt: finding.updatedAt,
    severity: decision.severity,
    workflowStatus: finding.workflowStatus,
    recordState: finding.recordState,
    snapshot: snapshotOf(finding),
  };
}

/** A record's delivery bookkeeping before any attempt: first version, nothing sent, nothing pending. */
export const UNATTEMPTED = { version: 1, sentAt: null, attemptAt: null, attempts: 0, followUpPending: false, pendingSnapshot: null } as const;

/** The record of a finding received for the first time: nothing of it is in Slack yet. */
export function receivedRecord(finding: Finding, decision: RouteDecision, nowIso: string): FindingRecord {
  return {
    findingId: finding.id,
    ...versionFields(finding, decision),
    channel: decision.channel,
    ts: null,
    digestId: null,
    suppressed: decision.suppressed,
    deliveredAt: nowIso,
    state: decision.suppressed ? 'suppressed' : 'received',
    ...UNATTEMPTED,
  };
}

/**
 * Writes `next` over `current` by compare-and-set and returns what is stored now, or
 * throws LostRace when another writer got there first.
 */
export async function writeRecord(store: Store, current: FindingRecord, next: FindingRecord): Promise<FindingRecord> {
  if (!(await store.updateFinding({ ...next, version: current.version }))) throw new LostRace(current.findingId);
  return { ...next, version: current.version + 1 };
}

/**
 * Changes a record whatever else changed it meanwhile (re-read and retried): for fields
 * nobody races over (a workflow status set from Slack, a follow-up done).
 */
export async function changeRecord(store: Store, findingId: string, change: (r: FindingRecord) => FindingRecord | null): Promise<FindingRecord | null> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const current = await store.getFinding(findingId);
    if (!current) return null;
    const next = change(current);
    if (!next) return current;
    if (await store.updateFinding({ ...next, version: current.version })) return { ...next, version: current.version + 1 };
  }
  throw new LostRace(findingId);
}
