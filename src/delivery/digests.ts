import { KeyedLock } from '../lib/keyed-lock.ts';
import type { Logger } from '../ports/logger.ts';
import { DIGEST_LISTING_SIZE, type DeliveryNotices, NoticeFailed } from '../ports/notices/delivery.ts';
import type { DeadLetter, DigestRecord, Store } from '../ports/store.ts';
import { digestRootKey, listingPostKey } from './post-keys.ts';

export interface DigestFlusherOptions {
  store: Store;
  notices: DeliveryNotices;
  logger: Logger;
  debounceMs: number;
  /** How long one flush holds a digest; a crashed flusher's lease runs out. */
  leaseMs: number;
  /** Failed flushes in a row before the members still unlisted are dead-lettered. */
  maxAttempts: number;
  clock: () => number;
  deadLetter: (entry: Omit<DeadLetter, 'id' | 'receivedAt'>) => Promise<void>;
}

/** A `now` after every lease: taking a digest whatever lease it has. */
const FOREVER = '9999-12-31T23:59:59.999Z';

/** The flush lease went to another process (this one was too slow): that one finishes the flush. */
class LeaseLost extends Error {
  constructor(digestId: string) {
    super(`another process took over the flush of ${digestId}`);
  }
}

/** The longest pause between retries of a failing flush. */
const MAX_RETRY_MS = 60_000;

/**
 * Keeps each digest's Slack messages in step with its members: posts the root on
 * first flush, lists every not-yet-listed member in thread replies, then refreshes the
 * root's counts. Flushes are debounced so a storm of additions becomes a few full
 * listing messages. Each flush holds the digest's lease (one flusher across processes),
 * and each root and listing is a keyed post recorded before it is sent, so a flush cut
 * off anywhere is completed by the next one without listing anyone twice. A flush that
 * fails is retried with growing pauses; after `maxAttempts` (or a refusal Slack gives for
 * good) the members still unlisted are dead-lettered with the reason.
 */
export class DigestFlusher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lock = new KeyedLock();
  /** Count shown in each root message, so the root is only edited when it is stale. */
  private readonly shownCount = new Map<string, number>();

  constructor(private readonly o: DigestFlusherOptions) {}

  private nowIso(): string {
    return new Date(this.o.clock()).toISOString();
  }

  schedule(digestId: string, delayMs = this.o.debounceMs): void {
    if (this.timers.has(digestId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(digestId);
      void this.flushNow(digestId);
    }, delayMs);
    this.timers.set(digestId, timer);
  }

  /** Flushes one digest now (serialized with any flush already running for it); true when everything is listed. */
  flushNow(digestId: string, force = false): Promise<boolean> {
    return this.lock.run(digestId, () => this.flush(digestId, force));
  }

  /**
   * Flushes every digest opened since `openedSince` that has members to list (after a
   * restart, or from a sweep); `force` ignores other flushers' leases (at a start-up,
   * where nothing else runs).
   */
  async resume(openedSince: string, force = false): Promise<number> {
    const waiting = (await this.o.store.listDigestsToFlush(openedSince, 500)).filter((d) => !this.lock.busy(d.id) && !this.timers.has(d.id));
    await Promise.all(waiting.map((d) => this.flushNow(d.id, force)));
    return waiting.length;
  }

  /**
   * Takes (or renews) the digest's lease; false when another flusher holds it. Renewed
   * before every post, so a flush waiting its turn behind a channel's other posts keeps it.
   */
  private async lease(digestId: string, held: { until: string | null }, force: boolean): Promise<boolean> {
    const now = this.o.clock();
    const until = new Date(now + this.o.leaseMs).toISOString();
    const claimed = await this.o.store.claimDigestFlush(digestId, until, force ? FOREVER : new Date(now).toISOString(), held.until ?? undefined);
    if (claimed) held.until = until;
    return claimed;
  }

  private async flush(digestId: string, force: boolean): Promise<boolean> {
    const { store } = this.o;
    const held = { until: null as string | null };
    // Another process is flushing it; if it dies, its lease runs out and a later sweep takes over.
    if (!(await this.lease(digestId, held, force))) return false;
    const renew = async () => {
      if (!(await this.lease(digestId, held, false))) throw new LeaseLost(digestId);
    };
    let digest = await store.getDigest(digestId);
    try {
      if (!digest) return true;
      digest = await this.postRoot(digest, renew);
      await this.listMembers(digest, renew);
      await this.refreshCounts(digestId);
      if (digest.attempts > 0) await store.updateDigest(digestId, { attempts: 0, lastError: null });
      return true;
    } catch (err) {
      if (err instanceof LeaseLost) {
        this.o.logger.warn({ digestId }, 'another process took over a digest flush; leaving it to that one');
        return false;
      }
      if (digest) await this.failed(digest, err);
      return false;
    } finally {
      if (held.until)
        await store.releaseDigestFlush(digestId).catch((err: unknown) => this.o.logger.warn({ err, digestId }, 'could not release a digest flush lease'));
    }
  }

  private async postRoot(digest: DigestRecord, renew: () => Promise<void>): Promise<DigestRecord> {
    if (digest.ts) return digest;
    const { store, notices } = this.o;
    const breakdown = await store.digestBreakdown(digest.id);
    const posted = await notices.postDigestRoot(digest.channel, digest, breakdown, {
      key: digestRootKey(digest.id),
      mayExist: digest.rootSentAt !== null,
      since: digest.rootSentAt ?? digest.openedAt,
      beforeSend: async () => {
        await renew();
        await store.updateDigest(digest.id, { rootSentAt: this.nowIso() });
      },
    });
    await store.updateDigest(digest.id, { ts: posted.ts, slackChannel: posted.channel });
    this.shownCount.set(digest.id, digest.count);
    return { ...digest, ts: posted.ts, slackChannel: posted.channel };
  }

  /** Listing replies of up to DIGEST_LISTING_SIZE members each, oldest first, each sent once. */
  private async listMembers(digest: DigestRecord, renew: () => Promise<void>): Promise<void> {
    const { store, notices } = this.o;
    const root = { channel: digest.slackChannel ?? digest.channel, ts: digest.ts as string };
    let sent = { key: digest.listingKey, at: digest.listingSentAt };
    for (;;) {
      const members = await store.unlistedMembers(digest.id, DIGEST_LISTING_SIZE);
      const first = members[0];
      const last = members.at(-1);
      if (!first || !last) return;
      const key = listingPostKey(digest.id, first.seq, last.seq);
      const current = (await store.getDigest(digest.id)) ?? digest;
      await notices.postDigestListing(root, members, current.count, {
        key,
        // The same members were being listed when a flush was cut off: their reply may be in the thread.
        mayExist: sent.key === key && sent.at !== null,
        since: sent.at ?? digest.openedAt,
        beforeSend: async () => {
          await renew();
          sent = { key, at: this.nowIso() };
          await store.updateDigest(digest.id, { listingKey: key, listingSentAt: sent.at });
        },
      });
      await store.markListed(
        digest.id,
        members.map((m) => m.findingId),
      );
    }
  }

  /** The root's counts, when they changed since it was drawn; a failure here is cosmetic and retried with the next flush. */
  private async refreshCounts(digestId: string): Promise<void> {
    const latest = await this.o.store.getDigest(digestId);
    if (!latest?.ts || this.shownCount.get(digestId) === latest.count) return;
    try {
      const breakdown = await this.o.store.digestBreakdown(digestId);
      await this.o.notices.redrawDigestRoot({ channel: latest.slackChannel ?? latest.channel, ts: latest.ts }, latest, breakdown);
      this.shownCount.set(digestId, latest.count);
    } catch (err) {
      this.o.logger.warn({ err, digestId }, 'could not refresh a digest root');
    }
  }

  /** Retried with growing pauses; given up on after maxAttempts, or at once when Slack refuses for good. */
  private async failed(digest: DigestRecord, err: unknown): Promise<void> {
    const { store, logger } = this.o;
    const reason = NoticeFailed.reasonOf(err);
    const permanent = err instanceof NoticeFailed && err.permanent;
    const attempts = ((await store.getDigest(digest.id))?.attempts ?? digest.attempts) + 1;
    await store.updateDigest(digest.id, { attempts, lastError: reason });
    if (!permanent && attempts < this.o.maxAttempts) {
      const delay = Math.min(MAX_RETRY_MS, this.o.debounceMs * 2 ** attempts);
      logger.warn({ digestId: digest.id, attempts, reason, retryInMs: delay }, 'digest flush failed; will retry');
      this.schedule(digest.id, delay);
      return;
    }
    const unlisted = await store.unlistedMembers(digest.id, Number.MAX_SAFE_INTEGER);
    logger.error({ digestId: digest.id, attempts, reason, members: unlisted.length }, 'digest flush given up; its unlisted members are dead-lettered');
    await this.o.deadLetter({
      origin: 'delivery:digest',
      path: `${digest.id} (${digest.channel}: ${digest.label})`,
      error: reason,
      payload: JSON.stringify(unlisted.map((m) => ({ findingId: m.findingId, line: m.line }))),
      count: unlisted.length,
    });
    await store.markListed(
      digest.id,
      unlisted.map((m) => m.findingId),
    );
  }

  /** Flushes everything scheduled and waits for it (retries included, until they give up). */
  async idle(): Promise<void> {
    while (this.timers.size > 0) {
      const ids = [...this.timers.keys()];
      for (const id of ids) {
        clearTimeout(this.timers.get(id));
        this.timers.delete(id);
      }
      await Promise.allSettled(ids.map((id) => this.flushNow(id)));
    }
    await this.lock.idle();
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
