import type {
  ActionKind,
  ActionPatch,
  ActionRecord,
  ActionState,
  ActionStore,
  AuditRecord,
  CaseRecord,
  EscalationRecord,
  EscalationStage,
  OfferRecord,
  SnoozeRecord,
} from '../ports/action-store.ts';
import type { SnoozeState } from '../domain/actions/snooze.ts';
import {
  type StoredAction,
  type StoredOffer,
  type UnreadableRecord,
  decodeAction,
  decodeOffer,
  encodeAction,
  encodeActionPatch,
  encodeOffer,
  readableOnly,
  warnUnreadable,
} from './record-codecs.ts';

/** In-process action records for tests and short-lived runtimes. Same contract as SQLite (requests and offers kept as it keeps them). */
export class MemoryActionStore implements ActionStore {
  constructor(private readonly report: UnreadableRecord = warnUnreadable) {}

  private readonly actions = new Map<string, StoredAction>();
  private readonly cases = new Map<string, CaseRecord>();
  private readonly audit: AuditRecord[] = [];
  private readonly escalations = new Map<string, EscalationRecord>();
  private readonly offers = new Map<string, StoredOffer>();
  private readonly snoozes = new Map<string, SnoozeRecord>();
  /** Snooze id → the findings it held back. */
  private readonly holds = new Map<string, Set<string>>();

  async insertAction(record: ActionRecord) {
    if (this.actions.has(record.id)) return false;
    this.actions.set(record.id, encodeAction(record));
    return true;
  }

  async getAction(id: string) {
    const r = this.actions.get(id);
    return r ? decodeAction(r) : null;
  }

  async transitionAction(id: string, from: ActionState[], patch: ActionPatch) {
    const r = this.actions.get(id);
    if (!r || !from.includes(r.state)) return null;
    const next = { ...r, ...encodeActionPatch(patch), id };
    this.actions.set(id, next);
    return decodeAction(next);
  }

  async listActions(filter: { findingId?: string; state?: ActionState; kind?: ActionKind } = {}) {
    const stored = [...this.actions.values()]
      .filter(
        (a) =>
          (!filter.findingId || a.findingId === filter.findingId) && (!filter.state || a.state === filter.state) && (!filter.kind || a.kind === filter.kind),
      )
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return readableOnly(stored, decodeAction, this.report);
  }

  async insertOffer(record: OfferRecord) {
    if (this.offers.has(record.id)) return false;
    this.offers.set(record.id, encodeOffer(record));
    return true;
  }

  async getOffer(id: string) {
    const r = this.offers.get(id);
    return r ? decodeOffer(r) : null;
  }

  async putCase(record: CaseRecord) {
    this.cases.set(record.caseId, { ...record });
  }

  async getCase(caseId: string) {
    const r = this.cases.get(caseId);
    return r ? { ...r } : null;
  }

  async findCaseByThread(channel: string, threadTs: string) {
    const r = [...this.cases.values()].find((c) => c.channel === channel && c.threadTs === threadTs);
    return r ? { ...r } : null;
  }

  async listCases(limit = 50) {
    return [...this.cases.values()]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit)
      .map((c) => ({ ...c }));
  }

  async appendAudit(record: AuditRecord) {
    this.audit.push(structuredClone(record));
  }

  async listAudit(filter: { since?: string; limit?: number } = {}) {
    return this.audit
      .filter((a) => !filter.since || a.at >= filter.since)
      .slice(0, filter.limit ?? Number.MAX_SAFE_INTEGER)
      .map((a) => structuredClone(a));
  }

  async insertEscalation(record: EscalationRecord) {
    if (this.escalations.has(record.findingId)) return false;
    this.escalations.set(record.findingId, structuredClone(record));
    return true;
  }

  async getEscalation(findingId: string) {
    const r = this.escalations.get(findingId);
    return r ? structuredClone(r) : null;
  }

  async dueEscalations(now: string) {
    return [...this.escalations.values()]
      .filter((e) => e.nextAt !== null && e.nextAt <= now)
      .sort((a, b) => (a.nextAt as string).localeCompare(b.nextAt as string))
      .map((e) => structuredClone(e));
  }

  async transitionEscalation(findingId: string, from: EscalationStage[], patch: Partial<Omit<EscalationRecord, 'findingId'>>) {
    const r = this.escalations.get(findingId);
    if (!r || !from.includes(r.stage)) return null;
    const next = { ...r, ...patch, findingId };
    this.escalations.set(findingId, next);
    return structuredClone(next);
  }

  async insertSnooze(record: SnoozeRecord) {
    if (this.snoozes.has(record.id)) return false;
    this.snoozes.set(record.id, structuredClone(record));
    return true;
  }

  async getSnooze(id: string) {
    const r = this.snoozes.get(id);
    return r ? structuredClone(r) : null;
  }

  async listSnoozes(state: SnoozeState) {
    return [...this.snoozes.values()]
      .filter((s) => s.state === state)
      .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt) || a.id.localeCompare(b.id))
      .map((s) => structuredClone(s));
  }

  async dueSnoozes(now: string) {
    return (await this.listSnoozes('active')).filter((s) => s.expiresAt <= now);
  }

  async transitionSnooze(id: string, from: SnoozeState[], patch: Partial<Pick<SnoozeRecord, 'state' | 'endedBy' | 'endedAt' | 'updatedAt'>>) {
    const r = this.snoozes.get(id);
    if (!r || !from.includes(r.state)) return null;
    const next = { ...r, ...patch, id };
    this.snoozes.set(id, next);
    return structuredClone(next);
  }

  async holdFinding(snoozeId: string, findingId: string, _at: string) {
    const held = this.holds.get(snoozeId) ?? new Set<string>();
    this.holds.set(snoozeId, held);
    if (held.has(findingId)) return false;
    held.add(findingId);
    return true;
  }

  async heldCount(snoozeId: string) {
    return this.holds.get(snoozeId)?.size ?? 0;
  }
}
