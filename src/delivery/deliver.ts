import { setTimeout as sleep } from 'node:timers/promises';
import { compareDelivery } from '../domain/delivery/versions.ts';
import { type StormPolicy, digestGroup, windowStart } from '../domain/delivery/storm.ts';
import type { Finding } from '../domain/finding.ts';
import type { RouteDecision } from '../domain/routing/decision.ts';
import { route } from '../domain/routing/evaluate.ts';
import type { RuleSet } from '../domain/routing/rules.ts';
import { KeyedLock } from '../lib/keyed-lock.ts';
import type { Logger } from '../ports/logger.ts';
import { type DeliveryNotices, NoticeFailed } from '../ports/notices/delivery.ts';
import { type DeadLetter, type FindingRecord, type Store, isIncomplete } from '../ports/store.ts';
import { DigestFlusher } from './digests.ts';
import { LostRace, changeRecord, receivedRecord, snapshotOf, storedFinding, versionFields, writeRecord } from './finding-records.ts';
import { rootPostKey } from './post-keys.ts';
import type { RootMessages } from './root-message.ts';
import { SnoozeGate } from './snooze-gate.ts';

/**
 * `received`: stored, to be completed by a worker (Lambda ingest); `pending`: not
 * finished now (Slack failing, or another process on it) and resumed later.
 */
export type Outcome = 'posted' | 'updated' | 'duplicate' | 'stale' | 'suppressed' | 'snoozed' | 'digested' | 'failed' | 'pending' | 'received';

export interface DeliveryResult {
  findingId: string;
  outcome: Outcome;
  channel: string;
  error?: string;
}

export interface DelivererOptions {
  store: Store;
  notices: DeliveryNotices;
  /** Draws a finding's root message as it is now (what people did, the offers behind its buttons). */
  roots: RootMessages;
  rules: () => RuleSet;
  storm: StormPolicy;
  logger: Logger;
  clock?: () => number;
  digestDebounceMs?: number;
  /**
   * How long a delivery attempt (or a digest flush) belongs to whoever began it; after
   * that a crashed or stuck attempt is taken over. Above the longest Slack call with
   * its retries.
   */
  leaseMs?: number;
  /** Attempts at a delivery Slack keeps failing before it is dead-lettered. */
  maxAttempts?: number;
  /**
   * Retry unfinished deliveries in this process, after growing pauses from this base
   * (the local runtime); unset, they wait for a resume sweep or a redelivered job (Lambda).
   */
  retryBaseMs?: number;
  /** Called after a finding's root message is posted (to start investigating it, to arm its escalation). */
  onRootPosted?: (finding: Finding, decision: RouteDecision, channel: string, ts: string) => Promise<unknown> | undefined;
  /** A newer version was shown in the finding's thread; a failure is logged (escalation ticks check the record again). */
  onNewerShown?: (finding: Finding) => Promise<unknown> | undefined;
  /** Called when a finding's root, gone from Slack, was posted afresh: work that speaks in its thread moves to the new one. */
  onRootReplaced?: (findingId: string, channel: string, ts: string) => Promise<void>;
}

export const DEFAULT_LEASE_MS = 120_000;
/** The longest pause between two tries of a delivery in one process. */
const MAX_RETRY_PAUSE_MS = 5 * 60_000;
const DEFAULT_MAX_ATTEMPTS = 8;
/** A dead letter keeps at most this much of the finding it could not deliver. */
const MAX_DEAD_LETTER_PAYLOAD = 256 * 1024;

/** What receiving one finding decided: its outcome so far, and whether delivery work remains. */
interface Received {
  result: DeliveryResult;
  work: boolean;
}

/**
 * Turns findings into Slack threads, as a recoverable state machine per finding (see
 * FindingRecord.state): a finding is first stored (`received`), then given its own root
 * message (`posting` → `posted`) or a place in a digest (`digested`). Every step is a
 * compare-and-set on the stored record, and every root is a keyed post that is looked
 * for before it is sent again, so a crash, a redelivery or a second process completes a
 * delivery instead of repeating or losing it: exactly once in Slack, at least once from
 * the source. Later versions edit the root and reply with what changed.
 */
export class Deliverer {
  private readonly lock = new KeyedLock();
  private readonly digests: DigestFlusher;
  private readonly snoozes: SnoozeGate;
  private readonly clock: () => number;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  /** Attempts this process claimed (finding id → attemptAt): its own lease never stops it. */
  private readonly claims = new Map<string, string>();
  /** Deliveries waiting for their next try in this process, and how many tries each has had here. */
  private readonly retrying = new Map<string, Promise<unknown>>();
  private readonly triesHere = new Map<string, number>();
  private closed = false;

  constructor(private readonly o: DelivererOptions) {
    this.clock = o.clock ?? Date.now;
    this.leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
    this.maxAttempts = o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.snoozes = new SnoozeGate(o.store, this.clock);
    this.digests = new DigestFlusher({
      store: o.store,
      notices: o.notices,
      logger: o.logger,
      debounceMs: o.digestDebounceMs ?? 1000,
      leaseMs: this.leaseMs,
      maxAttempts: this.maxAttempts,
      clock: this.clock,
      deadLetter: (entry) => this.deadLetter(entry),
    });
  }

  private nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  private decide(finding: Finding): RouteDecision {
    return route(this.o.rules(), finding, this.clock());
  }

  /**
   * Redraws a finding's root message after people acted on it (status, acknowledgement,
   * case), with the rules as they are now. Serialized with the finding's deliveries.
   */
  async refreshRoot(findingId: string): Promise<void> {
    await this.lock.run(findingId, async () => {
      const record = await this.o.store.getFinding(findingId);
      if (!record?.ts || !record.snapshot) return;
      const finding = record.snapshot;
      // An ad-hoc investigation's thread may hang off someone else's message: never edit it.
      if (finding.generatorId === 'sirbot/ad-hoc') return;
      const decision = this.decide(finding);
      try {
        await this.o.roots.redraw({ channel: record.channel, ts: record.ts }, finding, decision);
      } catch (err) {
        if (!(err instanceof NoticeFailed && err.kind === 'gone')) throw err;
        await this.postAfresh(record, {}, decision, err.reason);
      }
    });
  }

  /** Stores and delivers, here and now (the local runtime). */
  deliver(findings: Finding[]): Promise<DeliveryResult[]> {
    return Promise.all(
      findings.map((f) =>
        this.lock.run(f.id, async () => {
          const received = await this.guarded(f.id, () => this.receiveOne(f));
          if (!received.work) return received.result;
          const completed = this.settled((await this.guarded(f.id, () => this.completeOne(f.id, false))).result);
          // The same version again while its delivery is under way (here or elsewhere): a duplicate of that work.
          const underWay = completed.outcome === 'pending' && !completed.error;
          return underWay && received.result.outcome === 'duplicate' ? received.result : completed;
        }),
      ),
    );
  }

  /**
   * Stores only (the Lambda ingest): each result says whether delivery work remains
   * for a worker (`received`), or none (`duplicate`, `stale`, `suppressed`).
   */
  receive(findings: Finding[]): Promise<DeliveryResult[]> {
    return Promise.all(findings.map((f) => this.lock.run(f.id, () => this.guarded(f.id, () => this.receiveOne(f)).then((r) => r.result))));
  }

  /** Completes a stored delivery (the worker, and resuming); `force` ignores another attempt's lease (its owner is known dead). */
  complete(findingId: string, force = false): Promise<DeliveryResult> {
    return this.lock.run(findingId, () => this.guarded(findingId, () => this.completeOne(findingId, force)).then((r) => this.settled(r.result)));
  }

  /**
   * Completes what was left unfinished: deliveries whose attempt is older than the
   * lease (all of them with `force`, at a start-up where nothing else runs) and digests
   * with members still to list. Deliveries this process is working on are left to it.
   */
  async resume(force = false): Promise<{ findings: number; digests: number }> {
    const now = this.clock();
    const staleBefore = new Date(force ? now + 1 : now - this.leaseMs).toISOString();
    let findings = 0;
    for (;;) {
      const batch = (await this.o.store.listIncompleteFindings(staleBefore, 100)).filter((r) => !this.lock.busy(r.findingId));
      if (batch.length === 0) break;
      const results = await Promise.all(batch.map((r) => this.complete(r.findingId, force)));
      findings += batch.length;
      // Deliveries that stay pending (Slack still failing) wait for the next round.
      if (results.every((r) => r.outcome === 'pending')) break;
    }
    const digests = await this.digests.resume(new Date(now - 7 * 24 * 3600_000).toISOString(), force);
    return { findings, digests };
  }

  /** Work started after a root was posted: a Lambda function must not return before it is done. */
  private readonly followUps = new Set<Promise<unknown>>();

  private track(work: Promise<unknown>): void {
    const tracked = work
      .catch((err: unknown) => this.o.logger.error({ err }, 'work after posting a root message failed'))
      .finally(() => this.followUps.delete(tracked));
    this.followUps.add(tracked);
  }

  /**
   * Tries an unfinished delivery again here after a pause that doubles each time (its
   * own attempt is known to be over, so no lease stands in the way).
   */
  private retryLater(findingId: string): void {
    const base = this.o.retryBaseMs;
    if (base === undefined || this.closed || this.retrying.has(findingId)) return;
    const tries = (this.triesHere.get(findingId) ?? 0) + 1;
    this.triesHere.set(findingId, tries);
    const retry = sleep(Math.min(base * 2 ** (tries - 1), MAX_RETRY_PAUSE_MS), undefined, { ref: false }).then(() => {
      this.retrying.delete(findingId);
      return this.closed ? undefined : this.complete(findingId, true);
    });
    this.retrying.set(findingId, retry);
  }

  private settled(result: DeliveryResult): DeliveryResult {
    if (result.outcome === 'pending' && result.error) this.retryLater(result.findingId);
    else this.triesHere.delete(result.findingId);
    return result;
  }

  async idle(): Promise<void> {
    while (this.followUps.size > 0 || this.retrying.size > 0) await Promise.allSettled([...this.followUps, ...this.retrying.values()]);
    await this.lock.idle();
    await this.digests.idle();
    await this.o.notices.idle();
  }

  close(): void {
    this.closed = true;
    this.digests.close();
  }

  /**
   * A step that lost a race re-reads and runs again (a few times, then leaves the
   * delivery to whoever keeps winning); anything else unexpected is logged, the
   * delivery stays incomplete for a retry, and nothing escapes.
   */
  private async guarded(findingId: string, step: () => Promise<Received>): Promise<Received> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await step();
      } catch (err) {
        if (err instanceof LostRace && attempt < 5) continue;
        if (err instanceof LostRace) return { result: { findingId, outcome: 'pending', channel: '' }, work: false };
        const error = NoticeFailed.reasonOf(err);
        this.o.logger.error({ err, findingId, error }, 'finding delivery failed; it stays incomplete and is retried');
        return { result: { findingId, outcome: 'pending', channel: '', error }, work: false };
      }
    }
  }

  private async receiveOne(finding: Finding): Promise<Received> {
    const { store } = this.o;
    const decision = this.decide(finding);
    const result = (outcome: Outcome): DeliveryResult => ({ findingId: finding.id, outcome, channel: decision.channel });
    let previous = await store.getFinding(finding.id);
    if (!previous) {
      const record = receivedRecord(finding, decision, this.nowIso());
      if (await store.insertFinding(record)) {
        if (decision.suppressed) this.o.logger.debug({ findingId: finding.id, rules: decision.matchedRules }, 'finding suppressed by rule');
        return decision.suppressed ? { result: result('suppressed'), work: false } : { result: result('received'), work: true };
      }
      // Another delivery of the same finding (another process) stored it first.
      previous = await store.getFinding(finding.id);
      if (!previous) throw new LostRace(finding.id);
    }
    const comparison = compareDelivery(previous, finding, decision.severity);
    const notInSlackYet = previous.state === 'received' || previous.state === 'failed' || (previous.state === 'posting' && previous.sentAt === null);
    if (notInSlackYet) {
      // Nothing is in Slack yet: a newer version simply replaces the one waiting.
      if (comparison.kind === 'newer') {
        const state = previous.state === 'failed' ? 'received' : previous.state;
        await writeRecord(store, previous, {
          ...previous,
          ...versionFields(finding, decision),
          state,
          attemptAt: state === previous.state ? previous.attemptAt : null,
        });
      } else if (previous.state === 'failed') await writeRecord(store, previous, { ...previous, state: 'received', attemptAt: null });
      // An unfinished delivery is completed, never counted as a duplicate.
      return { result: result('received'), work: true };
    }
    if (comparison.kind === 'newer') {
      const waiting = previous.pendingSnapshot;
      const waitingIsNewer =
        waiting && compareDelivery({ ...previous, ...versionFields(waiting, this.decide(waiting)) }, finding, decision.severity).kind === 'stale';
      if (waitingIsNewer) return { result: result('stale'), work: isIncomplete(previous) };
      await writeRecord(store, previous, { ...previous, pendingSnapshot: snapshotOf(finding) });
      return { result: result('received'), work: true };
    }
    return { result: result(comparison.kind), work: isIncomplete(previous) };
  }

  private async completeOne(findingId: string, force: boolean): Promise<Received> {
    const { store } = this.o;
    const stored = await store.getFinding(findingId);
    const pending = (channel: string): Received => ({ result: { findingId, outcome: 'pending', channel }, work: false });
    if (!stored?.snapshot) return { result: { findingId, outcome: 'failed', channel: '', error: 'sirbot has no record of this finding' }, work: false };
    const done = !isIncomplete(stored) && stored.state !== 'failed';
    if (done) return { result: { findingId, outcome: 'duplicate', channel: stored.channel }, work: false };
    // Another process is on it (its lease has not run out): leave it to that one.
    const attemptAge = stored.attemptAt ? this.clock() - Date.parse(stored.attemptAt) : Number.POSITIVE_INFINITY;
    const ours = stored.attemptAt !== null && this.claims.get(findingId) === stored.attemptAt;
    if (!force && !ours && attemptAge < this.leaseMs) return pending(stored.channel);
    const attemptAt = this.nowIso();
    const record = await writeRecord(store, stored, {
      ...stored,
      state: stored.state === 'failed' ? 'received' : stored.state,
      attemptAt,
      attempts: stored.attempts + 1,
    });
    this.claims.set(findingId, attemptAt);
    try {
      return await this.advance(record);
    } finally {
      this.claims.delete(findingId);
    }
  }

  /** Moves a claimed record through its states until it is done or must wait. */
  private async advance(claimed: FindingRecord): Promise<Received> {
    let record = claimed;
    const finding = storedFinding(record, 'snapshot');
    const decision = this.decide(finding);
    // Results name the channel as the rules do (Slack answers with its id once posted).
    const result = (outcome: Outcome, error?: string): Received => ({
      result: { findingId: finding.id, outcome, channel: decision.channel, ...(error ? { error } : {}) },
      work: false,
    });
    if (record.state === 'received') {
      record = await this.place(record, finding, decision);
      if (record.state === 'suppressed') return result('suppressed');
      if (record.state === 'snoozed') return result('snoozed');
      if (record.state === 'digested') return result('digested');
    }
    let outcome: Outcome = 'duplicate';
    if (record.state === 'posting') {
      const posted = await this.postRoot(record, finding, decision);
      if ('failure' in posted) return result(posted.failure.outcome, posted.failure.error);
      record = posted.record;
      outcome = 'posted';
    }
    if (record.followUpPending && record.ts) this.followUp(record.findingId, finding, decision, record.channel, record.ts);
    if (record.pendingSnapshot) return this.showNewerVersion(record);
    return result(outcome);
  }

  /** A thread of its own if the storm window has room, else a digest; suppressed if a rule says so, snoozed if a snooze holds it back. */
  private async place(record: FindingRecord, finding: Finding, decision: RouteDecision): Promise<FindingRecord> {
    const { store, storm } = this.o;
    if (decision.suppressed) return writeRecord(store, record, { ...record, state: 'suppressed', suppressed: true, attemptAt: null });
    // A record that already names a digest was cut off while joining it: it joins it (below), snooze or not.
    if (record.digestId === null && (await this.snoozes.holdBack(finding))) return writeRecord(store, record, { ...record, state: 'snoozed', attemptAt: null });
    const now = this.clock();
    const nowIso = new Date(now).toISOString();
    // A record that already names a digest was cut off while joining it: it joins the same one.
    const own =
      record.digestId === null &&
      decision.digest === null &&
      (await store.reserveRootSlot(decision.channel, finding.id, windowStart(now, storm.windowSeconds), storm.threshold, nowIso));
    if (own) return writeRecord(store, record, { ...record, state: 'posting', channel: decision.channel, sentAt: null });
    let digestId = record.digestId;
    if (!digestId) {
      const group = digestGroup(finding, decision);
      digestId = (await store.openDigest(decision.channel, group.key, group.label, windowStart(now, storm.digestWindowSeconds), nowIso)).id;
      // The digest is written down before the finding joins it, so a crash in between rejoins the same digest.
      record = await writeRecord(store, record, { ...record, digestId, channel: decision.channel });
    }
    await store.addDigestMember(
      { digestId, findingId: finding.id, line: await this.o.notices.digestLine(finding), accountId: finding.accountId, severity: decision.severity },
      nowIso,
    );
    const joined = await writeRecord(store, record, { ...record, state: 'digested', attemptAt: null });
    this.digests.schedule(digestId);
    return joined;
  }

  /** The root, exactly once: keyed, looked for before any second send, its send recorded before it leaves. */
  private async postRoot(
    claimed: FindingRecord,
    finding: Finding,
    decision: RouteDecision,
  ): Promise<{ record: FindingRecord } | { failure: { outcome: Outcome; error: string } }> {
    const { store, roots } = this.o;
    let record = claimed;
    try {
      const posted = await roots.post(record.channel, finding, decision, {
        key: rootPostKey(finding.id),
        mayExist: record.sentAt !== null,
        since: record.sentAt ?? record.attemptAt ?? record.deliveredAt,
        beforeSend: async () => {
          record = await writeRecord(store, record, { ...record, sentAt: this.nowIso() });
        },
      });
      // With follow-ups to start, the attempt's lease runs on until they have started.
      const followUpPending = Boolean(this.o.onRootPosted);
      const attemptAt = followUpPending ? this.nowIso() : null;
      record = await writeRecord(store, record, { ...record, state: 'posted', channel: posted.channel, ts: posted.ts, followUpPending, attemptAt });
      return { record };
    } catch (err) {
      if (!(err instanceof NoticeFailed)) throw err;
      if (!err.permanent && record.attempts < this.maxAttempts) {
        this.o.logger.warn(
          { findingId: finding.id, channel: record.channel, attempt: record.attempts, error: err.reason },
          'root message not posted yet; will retry',
        );
        return { failure: { outcome: 'pending', error: err.reason } };
      }
      await writeRecord(store, record, { ...record, state: 'failed' });
      this.o.logger.error({ findingId: finding.id, channel: record.channel, error: err.reason }, 'finding delivery failed; dead-lettered');
      await this.deadLetter({ origin: 'delivery', path: finding.id, error: err.reason, payload: JSON.stringify(finding.raw), count: 1 });
      return { failure: { outcome: 'failed', error: err.reason } };
    }
  }

  /** Questions and escalation timers start once per root; the record says when they have. */
  private followUp(findingId: string, finding: Finding, decision: RouteDecision, channel: string, ts: string): void {
    const started = Promise.resolve(this.o.onRootPosted?.(finding, decision, channel, ts));
    this.track(
      started.then(() => changeRecord(this.o.store, findingId, (r) => (r.followUpPending ? { ...r, followUpPending: false, attemptAt: null } : null))),
    );
  }

  /** A newer version of a delivered finding: edit its root (or its digest), reply with what changed. */
  private async showNewerVersion(record: FindingRecord): Promise<Received> {
    const { store, notices, roots } = this.o;
    const finding = storedFinding(record, 'pendingSnapshot');
    const decision = this.decide(finding);
    const result = (outcome: Outcome): Received => ({ result: { findingId: finding.id, outcome, channel: decision.channel }, work: false });
    const comparison = compareDelivery(record, finding, decision.severity);
    const adopted = { ...record, ...versionFields(finding, decision), pendingSnapshot: null };
    // What races these writes (a follow-up done, a status set) touches other fields: re-read and keep them.
    const adopt = (fields: Partial<FindingRecord>) =>
      changeRecord(store, record.findingId, (r) => ({ ...r, ...fields, pendingSnapshot: null, attemptAt: r.followUpPending ? r.attemptAt : null }));
    if (comparison.kind !== 'newer') {
      await adopt({});
      return result(comparison.kind);
    }
    if (record.state === 'suppressed') {
      // Still suppressed: remember the version. No longer suppressed: deliver it as new.
      if (decision.suppressed) {
        await adopt(versionFields(finding, decision));
        return result('suppressed');
      }
      const received = await writeRecord(store, record, { ...adopted, state: 'received', suppressed: false, channel: decision.channel });
      return this.advance(received);
    }
    if (record.state === 'snoozed') {
      // Still held back (counted once): remember the version. The snooze over: deliver it as new.
      if (await this.snoozes.holdBack(finding)) {
        await adopt(versionFields(finding, decision));
        return result('snoozed');
      }
      return this.advance(await writeRecord(store, record, { ...adopted, state: 'received', channel: decision.channel }));
    }
    try {
      if (record.ts) {
        const root = { channel: record.channel, ts: record.ts };
        await roots.redraw(root, finding, decision);
        if (comparison.changes.length > 0) await notices.findingUpdated(root, finding, comparison.changes);
      } else if (record.digestId && comparison.changes.length > 0) {
        await this.digests.flushNow(record.digestId);
        const digest = await store.getDigest(record.digestId);
        if (digest?.ts) await notices.digestMemberUpdated({ channel: digest.slackChannel ?? digest.channel, ts: digest.ts }, finding, comparison.changes);
      }
    } catch (err) {
      // Anything else that failed on the way (reading what the root shows) counts as a failure that may pass.
      const failure = err instanceof NoticeFailed ? err : new NoticeFailed('transient', NoticeFailed.reasonOf(err));
      // Someone deleted the thread, or the workspace no longer has it: the finding starts a new one.
      if (record.ts && failure.kind === 'gone')
        return this.postAfresh(record, { ...versionFields(finding, decision), pendingSnapshot: null }, decision, failure.reason);
      if (!failure.permanent && record.attempts < this.maxAttempts) throw err;
      // The root is gone (deleted, archived) or Slack keeps failing: the version is kept, the change is dead-lettered.
      this.o.logger.error({ findingId: finding.id, error: failure.reason }, 'could not show a newer version of a finding; dead-lettered');
      await this.deadLetter({ origin: 'delivery:update', path: finding.id, error: failure.reason, payload: JSON.stringify(finding.raw), count: 1 });
    }
    await adopt(versionFields(finding, decision));
    // Not awaited: what follows may redraw the root, which waits for this finding's lock.
    if (record.ts)
      this.track(
        Promise.resolve(this.o.onNewerShown?.(finding)).catch((err: unknown) =>
          this.o.logger.warn({ err, findingId: finding.id }, 'what follows a newer version failed'),
        ),
      );
    return result('updated');
  }

  /**
   * Slack says a finding's root is gone: the finding is posted again as a new root in the
   * channel its rules pick now (the keyed post, recorded before it leaves, as any root), its
   * follow-ups start for the new thread, and the thread's first reply says why it exists.
   */
  private async postAfresh(record: FindingRecord, fields: Partial<FindingRecord>, decision: RouteDecision, reason: string): Promise<Received> {
    const { store, notices, logger } = this.o;
    logger.warn(
      { findingId: record.findingId, channel: record.channel, ts: record.ts, error: reason },
      "the finding's root message is gone from Slack; posting the finding afresh",
    );
    const fresh = await writeRecord(store, record, { ...record, ...fields, state: 'posting', channel: decision.channel, ts: null, sentAt: null });
    const outcome = await this.advance(fresh);
    const posted = await store.getFinding(record.findingId);
    if (posted?.ts && posted.ts !== record.ts) {
      await notices
        .rootReplaced({ channel: posted.channel, ts: posted.ts }, record.deliveredAt)
        .catch((err: unknown) => logger.warn({ err, findingId: record.findingId }, 'could not say why the thread was replaced'));
      // What lives in the thread (questions, escalation steps) follows it.
      await this.o
        .onRootReplaced?.(record.findingId, posted.channel, posted.ts)
        .catch((err: unknown) => logger.warn({ err, findingId: record.findingId }, 'could not move the thread’s work to the new root'));
    }
    return outcome;
  }

  private async deadLetter(entry: Omit<DeadLetter, 'id' | 'receivedAt'>): Promise<void> {
    const payload = entry.payload.length > MAX_DEAD_LETTER_PAYLOAD ? `${entry.payload.slice(0, MAX_DEAD_LETTER_PAYLOAD)}…(truncated)` : entry.payload;
    await this.o.store.addDeadLetter({ ...entry, payload, receivedAt: this.nowIso() });
  }
}
