import type { RootOffers } from '../domain/actions/offers.ts';
import { compareDelivery, fingerprint } from '../domain/delivery/versions.ts';
import { type StormPolicy, digestGroup, windowStart } from '../domain/delivery/storm.ts';
import type { Finding } from '../domain/finding.ts';
import type { RouteDecision } from '../domain/routing/decision.ts';
import { route } from '../domain/routing/evaluate.ts';
import type { RuleSet } from '../domain/routing/rules.ts';
import type { Logger } from '../runtime/logger.ts';
import type { SlackPoster } from '../slack/poster.ts';
import { digestLine } from '../slack/views/digest-message.ts';
import { type RootFeatures, type RootMarks, findingMessage } from '../slack/views/finding-message.ts';
import { digestMemberUpdateReply, updateReply } from '../slack/views/update-reply.ts';
import type { FindingRecord, Store } from '../store/store.ts';
import { DigestFlusher } from './digests.ts';
import { KeyedLock } from '../lib/keyed-lock.ts';

export type Outcome = 'posted' | 'updated' | 'duplicate' | 'stale' | 'suppressed' | 'digested' | 'failed';

export interface DeliveryResult {
  findingId: string;
  outcome: Outcome;
  channel: string;
  error?: string;
}

export interface DelivererOptions {
  store: Store;
  poster: SlackPoster;
  rules: () => RuleSet;
  storm: StormPolicy;
  logger: Logger;
  clock?: () => number;
  digestDebounceMs?: number;
  /** Called after a finding's root message is posted (to start investigating it, to arm its escalation). */
  onRootPosted?: (finding: Finding, decision: RouteDecision, channel: string, ts: string) => Promise<unknown> | void;
  /** Whether root messages offer Investigate (the runtime can investigate). */
  investigate?: boolean;
  /** Whether root messages offer actions (status, case, acknowledge). */
  actions?: boolean;
  /** What people did to a finding from Slack, shown on its root message. */
  marks?: (findingId: string) => Promise<RootMarks>;
  /** Stores the offers behind the root's action buttons before the message is posted or redrawn. */
  offers?: (finding: Finding, features: RootFeatures, marks: RootMarks) => Promise<RootOffers>;
}

/**
 * Turns routed findings into Slack threads: one root message per finding, edits and
 * change replies for later versions, nothing for duplicates, digests for storms.
 * Deliveries of one finding are serialized; different findings proceed in parallel,
 * paced by the poster's per-channel queues.
 */
export class Deliverer {
  private readonly lock = new KeyedLock();
  private readonly digests: DigestFlusher;
  private readonly clock: () => number;

  constructor(private readonly o: DelivererOptions) {
    this.clock = o.clock ?? Date.now;
    this.digests = new DigestFlusher(o.store, o.poster, o.logger, o.digestDebounceMs ?? 1000);
  }

  private features(): RootFeatures {
    return { investigate: this.o.investigate ?? false, actions: this.o.actions ?? false };
  }

  private async rootMessage(finding: Finding, decision: RouteDecision) {
    const features = this.features();
    const marks = (await this.o.marks?.(finding.id)) ?? {};
    return findingMessage(finding, decision, features, marks, (await this.o.offers?.(finding, features, marks)) ?? {});
  }

  /**
   * Redraws a finding's root message after people acted on it (status, acknowledgement,
   * case), with the rules as they are now. Serialized with the finding's deliveries.
   */
  async refreshRoot(findingId: string): Promise<void> {
    await this.lock.run(findingId, async () => {
      const record = await this.o.store.getFinding(findingId);
      if (!record?.ts || !record.snapshot) return;
      const finding = JSON.parse(record.snapshot) as Finding;
      // An ad-hoc investigation's thread may hang off someone else's message: never edit it.
      if (finding.generatorId === 'sirbot/ad-hoc') return;
      const decision = route(this.o.rules(), finding, this.clock());
      await this.o.poster.update(record.channel, record.ts, await this.rootMessage(finding, decision));
    });
  }

  async deliver(findings: Finding[]): Promise<DeliveryResult[]> {
    return Promise.all(findings.map((f) => this.lock.run(f.id, () => this.deliverOne(f))));
  }

  /** Work started after a root was posted: a Lambda function must not return before it is done. */
  private readonly followUps = new Set<Promise<unknown>>();

  private track(work: Promise<unknown> | void): void {
    if (!work) return;
    const tracked = work.catch((err: unknown) => this.o.logger.error({ err }, 'work after posting a root message failed')).finally(() => this.followUps.delete(tracked));
    this.followUps.add(tracked);
  }

  async idle(): Promise<void> {
    while (this.followUps.size > 0) await Promise.allSettled([...this.followUps]);
    await this.lock.idle();
    await this.digests.idle();
    await this.o.poster.idle();
  }

  close(): void {
    this.digests.close();
  }

  private async deliverOne(finding: Finding): Promise<DeliveryResult> {
    const now = this.clock();
    const decision = route(this.o.rules(), finding, now);
    try {
      const previous = await this.o.store.getFinding(finding.id);
      const outcome = previous
        ? await this.redeliver(previous, finding, decision, now)
        : await this.firstDelivery(finding, decision, now);
      return { findingId: finding.id, outcome, channel: decision.channel };
    } catch (err) {
      const error = describe(err);
      this.o.logger.error({ findingId: finding.id, channel: decision.channel, error }, 'finding delivery failed; dead-lettered');
      await this.o.store.addDeadLetter({
        receivedAt: new Date(now).toISOString(),
        origin: 'delivery',
        path: finding.id,
        error,
        payload: JSON.stringify(finding.raw),
      });
      return { findingId: finding.id, outcome: 'failed', channel: decision.channel, error };
    }
  }

  private record(finding: Finding, decision: RouteDecision, now: number, rest: Partial<FindingRecord>): FindingRecord {
    return {
      findingId: finding.id,
      fingerprint: fingerprint(finding, decision.severity),
      updatedAt: finding.updatedAt,
      channel: decision.channel,
      ts: null,
      digestId: null,
      suppressed: false,
      severity: decision.severity,
      workflowStatus: finding.workflowStatus,
      recordState: finding.recordState,
      deliveredAt: new Date(now).toISOString(),
      snapshot: JSON.stringify(finding),
      ...rest,
    };
  }

  private async firstDelivery(finding: Finding, decision: RouteDecision, now: number): Promise<Outcome> {
    const { store, poster, storm } = this.o;
    const record = this.record(finding, decision, now, { suppressed: decision.suppressed });
    // Another delivery of the same finding (another process) got there first.
    if (!(await store.insertFinding(record))) return 'duplicate';
    if (decision.suppressed) {
      this.o.logger.debug({ findingId: finding.id, rules: decision.matchedRules }, 'finding suppressed by rule');
      return 'suppressed';
    }
    const nowIso = new Date(now).toISOString();
    const ownThread =
      decision.digest === null &&
      (await store.reserveRootSlot(decision.channel, finding.id, windowStart(now, storm.windowSeconds), storm.threshold, nowIso));
    if (ownThread) {
      try {
        const posted = await poster.post(decision.channel, await this.rootMessage(finding, decision));
        await store.updateFinding({ ...record, channel: posted.channel, ts: posted.ts });
        this.track(this.o.onRootPosted?.(finding, decision, posted.channel, posted.ts));
        return 'posted';
      } catch (err) {
        await store.deleteFinding(finding.id);
        throw err;
      }
    }
    const group = digestGroup(finding, decision);
    const digest = await store.openDigest(decision.channel, group.key, group.label, windowStart(now, storm.digestWindowSeconds), nowIso);
    await store.addDigestMember(
      { digestId: digest.id, findingId: finding.id, line: digestLine(finding), accountId: finding.accountId, severity: decision.severity },
      nowIso,
    );
    await store.updateFinding({ ...record, digestId: digest.id });
    this.digests.schedule(digest.id);
    return 'digested';
  }

  private async redeliver(previous: FindingRecord, finding: Finding, decision: RouteDecision, now: number): Promise<Outcome> {
    const { store, poster } = this.o;
    const comparison = compareDelivery(previous, finding, decision.severity);
    if (comparison.kind === 'duplicate') return 'duplicate';
    if (comparison.kind === 'stale') return 'stale';
    if (previous.suppressed) {
      // Still suppressed: remember the version. No longer suppressed: deliver it as new.
      if (decision.suppressed) {
        await store.updateFinding(this.record(finding, decision, now, { suppressed: true }));
        return 'suppressed';
      }
      await store.deleteFinding(finding.id);
      return this.firstDelivery(finding, decision, now);
    }
    const next = { ...previous, ...this.record(finding, decision, now, {}), channel: previous.channel, ts: previous.ts, digestId: previous.digestId };
    if (previous.ts) {
      await poster.update(previous.channel, previous.ts, await this.rootMessage(finding, decision));
      if (comparison.changes.length > 0) await poster.post(previous.channel, updateReply(finding, comparison.changes), previous.ts);
    } else if (previous.digestId && comparison.changes.length > 0) {
      await this.digests.flushNow(previous.digestId);
      const digest = await store.getDigest(previous.digestId);
      if (digest?.ts) {
        await poster.post(digest.slackChannel ?? digest.channel, digestMemberUpdateReply(finding, comparison.changes), digest.ts);
      }
    }
    await store.updateFinding(next);
    return 'updated';
  }
}

function describe(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { message?: string; data?: { error?: string; errors?: string[] } };
    const detail = e.data?.errors?.slice(0, 3).join('; ');
    return [e.message, detail].filter(Boolean).join(': ');
  }
  return String(err);
}
