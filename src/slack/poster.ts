import PQueue from 'p-queue';
import { WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import type { Logger } from '../runtime/logger.ts';
import { boltLogger } from './logger.ts';
import { SlidingWindowPacer } from '../lib/pacer.ts';
import type { SlackMessage } from './views/blocks.ts';

/** The only way findings reach Slack. Small on purpose: delivery logic depends on this, not on Bolt. */
export interface SlackPoster {
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** Uploads files into a thread (files.uploadV2), paced with the channel's posts. */
  upload(channel: string, threadTs: string, files: Array<{ filename: string; content: string }>, comment: string): Promise<void>;
  /** A link to a message, for audit records; null when Slack cannot give one. */
  permalink(channel: string, ts: string): Promise<string | null>;
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
 * posts (one call at a time, which also keeps a thread's root before its replies)
 * with a sliding-window pacer at the channel's limit, and one workspace queue for
 * updates. A 429 that still happens is retried by the WebClient after Retry-After;
 * each one is counted.
 */
export class RateLimitedPoster implements SlackPoster {
  private readonly client: WebClient;
  private readonly channelQueues = new Map<string, { queue: PQueue; pacer: SlidingWindowPacer }>();
  /** Channel id → the name it was first posted by, so both spellings share one queue. */
  private readonly aliasOf = new Map<string, string>();
  private readonly updateQueue: PQueue;
  private readonly updatePacer: SlidingWindowPacer;
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
    this.updateQueue = new PQueue({ concurrency: 1 });
    this.updatePacer = new SlidingWindowPacer(limits.update.intervalCap, limits.update.intervalMs);
  }

  private laneFor(named: string): { queue: PQueue; pacer: SlidingWindowPacer } {
    const channel = this.aliasOf.get(named) ?? named;
    let lane = this.channelQueues.get(channel);
    if (!lane) {
      const { intervalCap, intervalMs } = this.limits.postPerChannel;
      lane = { queue: new PQueue({ concurrency: 1 }), pacer: new SlidingWindowPacer(intervalCap, intervalMs) };
      this.channelQueues.set(channel, lane);
    }
    return lane;
  }

  async post(channel: string, message: SlackMessage, threadTs?: string): Promise<{ channel: string; ts: string }> {
    const lane = this.laneFor(channel);
    return lane.queue.add(async () => {
      try {
        const res = await lane.pacer.run(() => this.client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks as never,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          unfurl_links: false,
          unfurl_media: false,
        }));
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
        await this.updatePacer.run(() => this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks as never }));
        this.counters.updated++;
      } catch (err) {
        this.counters.failed++;
        throw err;
      }
    });
  }

  async upload(channel: string, threadTs: string, files: Array<{ filename: string; content: string }>, comment: string): Promise<void> {
    const lane = this.laneFor(channel);
    await lane.queue.add(async () => {
      try {
        await lane.pacer.run(() =>
          this.client.filesUploadV2({
            channel_id: this.idOf(channel),
            thread_ts: threadTs,
            initial_comment: comment,
            file_uploads: files.map((f) => ({ file: Buffer.from(f.content, 'utf8'), filename: f.filename })),
          }),
        );
      } catch (err) {
        this.counters.failed++;
        throw err;
      }
    });
  }

  /** files.completeUploadExternal wants an id; names are resolved through an earlier post's answer. */
  private idOf(channel: string): string {
    if (/^[CGD][A-Z0-9]{8,}$/.test(channel)) return channel;
    for (const [id, name] of this.aliasOf) if (name === channel) return id;
    return channel;
  }

  async permalink(channel: string, ts: string): Promise<string | null> {
    try {
      const res = await this.client.chat.getPermalink({ channel: this.idOf(channel), message_ts: ts });
      return res.permalink ?? null;
    } catch {
      return null;
    }
  }

  async idle(): Promise<void> {
    // A task may enqueue another (a post followed by its update), so wait until all are quiet.
    for (;;) {
      const queues = [...[...this.channelQueues.values()].map((l) => l.queue), this.updateQueue];
      if (queues.every((q) => q.size === 0 && q.pending === 0)) return;
      await Promise.all(queues.map((q) => q.onIdle()));
    }
  }

  stats(): PosterStats {
    return { ...this.counters };
  }
}
