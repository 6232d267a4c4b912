import type { Logger } from '../runtime/logger.ts';
import type { SlackPoster } from '../slack/poster.ts';
import { LINES_PER_LISTING, digestListingMessage, digestRootMessage } from '../slack/views/digest-message.ts';
import type { Store } from '../store/store.ts';
import { KeyedLock } from '../lib/keyed-lock.ts';

/**
 * Keeps each digest's Slack messages in step with its members: posts the root on
 * first flush, lists every not-yet-listed member in thread replies, then refreshes
 * the root's counts. Flushes are debounced so a storm of additions becomes a few
 * full listing messages rather than one message per finding.
 */
export class DigestFlusher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly lock = new KeyedLock();
  /** Count shown in each root message, so the root is only edited when it is stale. */
  private readonly shownCount = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly poster: SlackPoster,
    private readonly logger: Logger,
    private readonly debounceMs: number,
  ) {}

  schedule(digestId: string): void {
    if (this.timers.has(digestId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(digestId);
      this.flushNow(digestId).catch((err: unknown) => {
        this.logger.error({ err, digestId }, 'digest flush failed; will retry on the next addition');
      });
    }, this.debounceMs);
    this.timers.set(digestId, timer);
  }

  /** Flushes one digest now (serialized with any flush already running for it). */
  flushNow(digestId: string): Promise<void> {
    return this.lock.run(digestId, () => this.flush(digestId));
  }

  private async flush(digestId: string): Promise<void> {
    let digest = await this.store.getDigest(digestId);
    if (!digest) return;
    if (!digest.ts) {
      const breakdown = await this.store.digestBreakdown(digestId);
      const posted = await this.poster.post(digest.channel, digestRootMessage(digest, breakdown));
      await this.store.setDigestTs(digestId, posted.ts, posted.channel);
      this.shownCount.set(digestId, digest.count);
      digest = { ...digest, ts: posted.ts, slackChannel: posted.channel };
    }
    const channel = digest.slackChannel ?? digest.channel;
    for (;;) {
      const members = await this.store.unlistedMembers(digestId, LINES_PER_LISTING);
      if (members.length === 0) break;
      const current = (await this.store.getDigest(digestId)) ?? digest;
      await this.poster.post(channel, digestListingMessage(members, current.count), digest.ts as string);
      await this.store.markListed(
        digestId,
        members.map((m) => m.findingId),
      );
    }
    const latest = await this.store.getDigest(digestId);
    if (latest && latest.ts && this.shownCount.get(digestId) !== latest.count) {
      const breakdown = await this.store.digestBreakdown(digestId);
      await this.poster.update(channel, latest.ts, digestRootMessage(latest, breakdown));
      this.shownCount.set(digestId, latest.count);
    }
  }

  /** Flushes everything scheduled and waits for it. */
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
