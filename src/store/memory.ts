import { MemoryActionStore } from './memory-actions.ts';
import { needsFlush, newDigest } from './digest-records.ts';
import {
  type StoredFinding,
  type StoredInvestigation,
  type UnreadableRecord,
  decodeFinding,
  decodeInvestigation,
  encodeFinding,
  encodeInvestigation,
  readableOnly,
  warnUnreadable,
} from './record-codecs.ts';
import {
  type DeadLetter,
  type DigestMember,
  type DigestProgress,
  type DigestRecord,
  type FindingRecord,
  type InvestigationRecord,
  type InvestigationState,
  type Store,
  isIncomplete,
} from '../ports/store.ts';

/**
 * In-process store for tests and short-lived runtimes. Same contract as SQLite: records
 * are kept as the other stores keep them (JSON fields as text) and read back through the
 * same codecs, so what a test stores and reads is what a runtime would.
 */
export class MemoryStore implements Store {
  readonly actions: MemoryActionStore;
  private readonly findings = new Map<string, StoredFinding>();
  private readonly slots = new Map<string, Map<string, string>>();
  private readonly digests = new Map<string, DigestRecord>();
  private readonly members = new Map<string, DigestMember[]>();
  private readonly keys = new Map<string, string>();
  private readonly dead: DeadLetter[] = [];
  private readonly investigations = new Map<string, StoredInvestigation>();
  private nextDigest = 1;
  private deadSeq = 0;

  private readonly report: UnreadableRecord;

  constructor(options: { onUnreadable?: UnreadableRecord } = {}) {
    this.report = options.onUnreadable ?? warnUnreadable;
    this.actions = new MemoryActionStore(this.report);
  }

  async getFinding(id: string) {
    const r = this.findings.get(id);
    return r ? decodeFinding(r) : null;
  }

  async insertFinding(record: FindingRecord) {
    if (this.findings.has(record.findingId)) return false;
    this.findings.set(record.findingId, encodeFinding(record));
    return true;
  }

  async updateFinding(record: FindingRecord) {
    const stored = this.findings.get(record.findingId);
    if (!stored || stored.version !== record.version) return false;
    this.findings.set(record.findingId, { ...encodeFinding(record), version: record.version + 1 });
    return true;
  }

  async listIncompleteFindings(staleBefore: string, limit: number) {
    const stored = [...this.findings.values()]
      .filter((r) => isIncomplete(r) && (r.attemptAt === null || r.attemptAt < staleBefore))
      .sort((a, b) => (a.attemptAt ?? '').localeCompare(b.attemptAt ?? ''))
      .slice(0, limit);
    return readableOnly(stored, decodeFinding, this.report);
  }

  async listFindingsDelivered(from: string, to: string, limit: number) {
    const stored = [...this.findings.values()]
      .filter((r) => r.deliveredAt >= from && r.deliveredAt < to)
      .sort((a, b) => a.deliveredAt.localeCompare(b.deliveredAt) || a.findingId.localeCompare(b.findingId))
      .slice(0, limit);
    return readableOnly(stored, decodeFinding, this.report);
  }

  async reserveRootSlot(channel: string, findingId: string, since: string, limit: number, now: string) {
    const slots = this.slots.get(channel) ?? new Map<string, string>();
    this.slots.set(channel, slots);
    for (const [id, at] of slots) if (at < since) slots.delete(id);
    if (slots.has(findingId)) return true;
    if (slots.size >= limit) return false;
    slots.set(findingId, now);
    return true;
  }

  async openDigest(channel: string, groupKey: string, label: string, since: string, now: string) {
    let open: DigestRecord | undefined;
    for (const d of this.digests.values()) {
      if (d.channel === channel && d.groupKey === groupKey && d.lastAddedAt >= since && (!open || d.openedAt > open.openedAt)) open = d;
    }
    if (open) return { ...open };
    const id = `dg-${this.nextDigest++}`;
    const d: DigestRecord = { ...newDigest(id, channel, groupKey, label, now) };
    this.digests.set(id, d);
    this.members.set(id, []);
    return { ...d };
  }

  async addDigestMember(m: Omit<DigestMember, 'seq' | 'listed'>, now: string) {
    const list = this.members.get(m.digestId);
    const digest = this.digests.get(m.digestId);
    if (!list || !digest || list.some((x) => x.findingId === m.findingId)) return;
    digest.count++;
    digest.unlisted++;
    digest.lastAddedAt = now;
    list.push({ ...m, seq: digest.count, listed: false });
  }

  async unlistedMembers(digestId: string, limit: number) {
    return (this.members.get(digestId) ?? [])
      .filter((m) => !m.listed)
      .slice(0, limit)
      .map((m) => ({ ...m }));
  }

  async markListed(digestId: string, findingIds: string[]) {
    const ids = new Set(findingIds);
    const digest = this.digests.get(digestId);
    for (const m of this.members.get(digestId) ?? []) {
      if (!ids.has(m.findingId) || m.listed) continue;
      m.listed = true;
      if (digest) digest.unlisted--;
    }
  }

  async updateDigest(digestId: string, progress: Partial<DigestProgress>) {
    const d = this.digests.get(digestId);
    if (d) Object.assign(d, progress);
  }

  async claimDigestFlush(digestId: string, until: string, now: string, held?: string) {
    const d = this.digests.get(digestId);
    if (!d || (d.flushLease !== null && d.flushLease > now && d.flushLease !== held)) return false;
    d.flushLease = until;
    return true;
  }

  async releaseDigestFlush(digestId: string) {
    const d = this.digests.get(digestId);
    if (d) d.flushLease = null;
  }

  async listDigestsToFlush(openedSince: string, limit: number) {
    return [...this.digests.values()]
      .filter((d) => d.openedAt >= openedSince && needsFlush(d))
      .sort((a, b) => a.openedAt.localeCompare(b.openedAt))
      .slice(0, limit)
      .map((d) => ({ ...d }));
  }

  async getDigest(digestId: string) {
    const d = this.digests.get(digestId);
    return d ? { ...d } : null;
  }

  async digestBreakdown(digestId: string) {
    const byAccount: Record<string, number> = {};
    const bySeverity: Record<string, number> = {};
    for (const m of this.members.get(digestId) ?? []) {
      byAccount[m.accountId] = (byAccount[m.accountId] ?? 0) + 1;
      bySeverity[m.severity] = (bySeverity[m.severity] ?? 0) + 1;
    }
    return { byAccount, bySeverity };
  }

  async claimKey(key: string, ttlSeconds: number, now: string) {
    const expires = this.keys.get(key);
    if (expires && expires > now) return false;
    this.keys.set(key, new Date(Date.parse(now) + ttlSeconds * 1000).toISOString());
    return true;
  }

  async insertInvestigation(record: InvestigationRecord) {
    if (this.investigations.has(record.id) || [...this.investigations.values()].some((i) => i.findingId === record.findingId)) return false;
    this.investigations.set(record.id, encodeInvestigation(record));
    return true;
  }

  async getInvestigation(id: string) {
    const r = this.investigations.get(id);
    return r ? decodeInvestigation(r) : null;
  }

  async findInvestigationByThread(channel: string, threadTs: string) {
    const r = [...this.investigations.values()].find((i) => i.channel === channel && i.threadTs === threadTs);
    return r ? decodeInvestigation(r) : null;
  }

  async updateInvestigation(record: InvestigationRecord) {
    if (this.investigations.has(record.id)) this.investigations.set(record.id, encodeInvestigation(record));
  }

  async moveInvestigationThread(id: string, channel: string, threadTs: string, updatedAt: string) {
    const stored = this.investigations.get(id);
    if (stored) this.investigations.set(id, { ...stored, channel, threadTs, updatedAt });
  }

  async transitionInvestigation(expected: Pick<InvestigationRecord, 'id' | 'state' | 'updatedAt'>, next: InvestigationRecord) {
    const stored = this.investigations.get(expected.id);
    if (!stored || stored.state !== expected.state || stored.updatedAt !== expected.updatedAt) return false;
    this.investigations.set(expected.id, encodeInvestigation(next));
    return true;
  }

  async listInvestigations(state?: InvestigationState) {
    return readableOnly(
      [...this.investigations.values()].filter((i) => !state || i.state === state),
      decodeInvestigation,
      this.report,
    );
  }

  async addDeadLetter(entry: Omit<DeadLetter, 'id'>) {
    this.dead.push({ ...entry, id: ++this.deadSeq });
  }

  async getDeadLetter(id: number) {
    return this.dead.find((d) => d.id === id) ?? null;
  }

  async deleteDeadLetter(id: number) {
    const at = this.dead.findIndex((d) => d.id === id);
    if (at !== -1) this.dead.splice(at, 1);
  }

  async listDeadLetters(limit = 100) {
    return [...this.dead].reverse().slice(0, limit);
  }

  async close() {}
}
