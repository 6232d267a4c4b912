import PQueue from 'p-queue';
import { WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import type { Logger } from '../runtime/logger.ts';
import { boltLogger } from './logger.ts';
import type { SlackMessage } from './views/blocks.ts';

/** The only way findings reach Slack. Small on purpose: delivery logic depends on this, not on Bolt. */
export interface SlackPoster {
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** Resolves when every queued call has finished. */
  idle(): Promise<void>;
  stats(): PosterStats;
}

export interface PosterStats {
  posted: number;
  updated: number;
  rateLimited: number;
  failed: number;
}

export interface RateLimit {
  intervalCap: number;
  intervalMs: number;
}

export interface PosterLimits {
  /** chat.postMessage: Slack allows about one message per second per channel. */
  postPerChannel: RateLimit;
  /** chat.update is Tier 3: about 50 per minute for the workspace. */
  update: RateLimit;
}

export const SLACK_LIMITS: PosterLimits = {
  postPerChannel: { intervalCap: 1, intervalMs: 1000 },
  update: { intervalCap: 50, intervalMs: 60_000 },
};

/**
 * Paces calls so Slack's limits are met rather than hit: one queue per channel for
 * posts (which also keeps a thread's root before its replies), one workspace queue
 * for updates. A 429 that still happens is retried by the WebClient after
 * Retry-After; each one is counted.
 */
export class RateLimitedPoster implements SlackPoster {
  private readonly client: WebClient;
  private readonly channelQueues = new Map<string, PQueue>();
  /** Channel id → the name it was first posted by, so both spellings share one queue. */
  private readonly aliasOf = new Map<string, string>();
  private readonly updateQueue: PQueue;
  private readonly counters: PosterStats = { posted: 0, updated: 0, rateLimited: 0, failed: 0 };

  constructor(
    token: string | undefined,
    private readonly limits: PosterLimits = SLACK_LIMITS,
    clientOptions: WebClientOptions = {},
    logger?: Logger,
  ) {
    this.client = new WebClient(token, {
      ...(logger ? { logger: boltLogger(logger) } : {}),
      retryConfig: { retries: 5, factor: 1.5, minTimeout: 200, maxTimeout: 5000 },
      ...clientOptions,
    });
    this.client.on(WebClientEvent.RATE_LIMITED, () => {
      this.counters.rateLimited++;
    });
    this.updateQueue = new PQueue({ intervalCap: limits.update.intervalCap, interval: limits.update.intervalMs, strict: true });
  }

  private queueFor(named: string): PQueue {
    const channel = this.aliasOf.get(named) ?? named;
    let q = this.channelQueues.get(channel);
    if (!q) {
      const { intervalCap, intervalMs } = this.limits.postPerChannel;
      q = new PQueue({ concurrency: 1, intervalCap, interval: intervalMs, strict: true });
      this.channelQueues.set(channel, q);
    }
    return q;
  }

  async post(channel: string, message: SlackMessage, threadTs?: string): Promise<{ channel: string; ts: string }> {
    return this.queueFor(channel).add(async () => {
      try {
        const res = await this.client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks as never,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
        this.counters.posted++;
        if (res.channel && res.channel !== channel && !this.aliasOf.has(res.channel)) this.aliasOf.set(res.channel, channel);
        return { channel: res.channel ?? channel, ts: res.ts as string };
      } catch (err) {
        this.counters.failed++;
        throw err;
      }
    }) as Promise<{ channel: string; ts: string }>;
  }

  async update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await this.updateQueue.add(async () => {
      try {
        await this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks as never });
        this.counters.updated++;
      } catch (err) {
        this.counters.failed++;
        throw err;
      }
    });
  }

  async idle(): Promise<void> {
    // A task may enqueue another (a post followed by its update), so wait until all are quiet.
    for (;;) {
      const queues = [...this.channelQueues.values(), this.updateQueue];
      if (queues.every((q) => q.size === 0 && q.pending === 0)) return;
      await Promise.all(queues.map((q) => q.onIdle()));
    }
  }

  stats(): PosterStats {
    return { ...this.counters };
  }
}
