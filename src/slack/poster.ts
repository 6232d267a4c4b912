import { setTimeout as sleep } from 'node:timers/promises';
import PQueue from 'p-queue';
import { WebClient, WebClientEvent, type WebClientOptions } from '@slack/web-api';
import type { Logger } from '../ports/logger.ts';
import { boltLogger } from './logger.ts';
import { SlidingWindowPacer } from '../lib/pacer.ts';
import { slackClientOptions } from './client-options.ts';
import { findKeyedMessage, postMetadata } from './post-lookup.ts';
import { SlackPostError, classifySlackError, type SlackFailure } from './slack-errors.ts';
import type { SlackMessage } from './views/blocks.ts';

/** A post that must reach Slack exactly once, whatever is lost on the way. */
export interface KeyedPost {
  /** Names the message for good; it travels as message metadata, so the message can be found again. */
  key: string;
  threadTs?: string;
  /** A post may already be in Slack (one was sent and its answer never came): look before posting. */
  mayExist: boolean;
  /** The earliest time such a post can have been made. */
  since?: string;
  /** Runs right before each send (to record that a send is under way); throwing stops the post. */
  beforeSend?: () => Promise<void>;
}

/** The only way findings reach Slack. Small on purpose: delivery logic depends on this, not on Bolt. */
export interface SlackPoster {
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<{ channel: string; ts: string }>;
  /**
   * Posts once: a lost answer (timeout, 5xx) is followed by a look for the message (by
   * its key) before any second send, rate limits are waited out, and a refusal Slack
   * gives for good throws a `SlackPostError` with `permanent` set.
   */
  postOnce(channel: string, message: SlackMessage, o: KeyedPost): Promise<{ channel: string; ts: string }>;
  update(channel: string, ts: string, message: SlackMessage): Promise<void>;
  /** A keyed post made earlier, if Slack has it (to redraw it once what it offers no longer applies). */
  findPost(channel: string, o: Pick<KeyedPost, 'key' | 'threadTs' | 'since'>): Promise<{ channel: string; ts: string } | null>;
  /** Uploads files into a thread (files.uploadV2), paced with the channel's posts; text is sent as UTF-8. */
  upload(channel: string, threadTs: string, files: Array<{ filename: string; content: string | Uint8Array }>, comment: string): Promise<void>;
  /** A link to a message, for audit records; null when Slack cannot give one. */
  permalink(channel: string, ts: string): Promise<string | null>;
  /** The bot's direct-message channel with a person (conversations.open), to post in as in any channel. */
  openDirect(user: string): Promise<string>;
  /** Resolves when every queued call has finished. */
  idle(): Promise<void>;
  stats(): PosterStats;
}

export interface PosterStats {
  posted: number;
  updated: number;
  rateLimited: number;
  failed: number;
  /** Keyed posts found already in Slack when looked for (their first answer was lost). */
  foundAfterLoss: number;
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

/** chat.postMessage's arguments for a message: links never unfurled (a finding's URLs are not ours to preview). */
function postArgs(channel: string, message: SlackMessage, threadTs: string | undefined) {
  return {
    channel,
    text: message.text,
    blocks: message.blocks,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    unfurl_links: false,
    unfurl_media: false,
  };
}

/** What Slack channel ids look like (public C…, private G…, direct D…). */
const CHANNEL_ID = /^[CGD][A-Z0-9]{8,}$/;

export const SLACK_LIMITS: PosterLimits = {
  postPerChannel: { intervalCap: 1, intervalMs: 1000 },
  update: { intervalCap: 50, intervalMs: 60_000 },
};

/** Sends of one keyed post before it is given up (each after a look, with growing pauses). */
const KEYED_ATTEMPTS = 6;
/** 429s one keyed post waits out before it gives up (Slack says how long each time). */
const MAX_RATE_LIMIT_WAITS = 20;
/** conversations.history and .replies are Tier 3: about 50 a minute. */
const LOOKUPS: RateLimit = { intervalCap: 50, intervalMs: 60_000 };

export interface PosterOptions {
  logger?: Logger;
  /** Per-call answer timeout. */
  timeoutMs?: number;
  /** First pause between keyed attempts (doubles each time). */
  retryBaseMs?: number;
}

/**
 * Paces calls so Slack's limits are met rather than hit: one queue per channel for
 * posts (one call at a time, which also keeps a thread's root before its replies)
 * with a sliding-window pacer at the channel's limit, and one workspace queue for
 * updates. A 429 that still happens is retried by the WebClient after Retry-After;
 * each one is counted.
 */
export class RateLimitedPoster implements SlackPoster {
  private readonly client: WebClient;
  /** For keyed posts: no retries of its own (a blind retry could post twice) and 429s handed back. */
  private readonly onceClient: WebClient;
  private readonly lookups = new PQueue({ concurrency: 1 });
  private readonly lookupPacer = new SlidingWindowPacer(LOOKUPS.intervalCap, LOOKUPS.intervalMs);
  /** Channel name (without #) → id, from conversations.list, for looking in a channel named by the rules. */
  private namedIds: Map<string, string> | undefined;
  private readonly retryBaseMs: number;
  private readonly logger: Logger | undefined;
  private readonly channelQueues = new Map<string, { queue: PQueue; pacer: SlidingWindowPacer }>();
  /** Channel id → the name it was first posted by, so both spellings share one queue. */
  private readonly aliasOf = new Map<string, string>();
  private readonly updateQueue: PQueue;
  private readonly updatePacer: SlidingWindowPacer;
  private readonly counters: PosterStats = { posted: 0, updated: 0, rateLimited: 0, failed: 0, foundAfterLoss: 0 };

  constructor(
    token: string | undefined,
    private readonly limits: PosterLimits = SLACK_LIMITS,
    clientOptions: WebClientOptions = {},
    options: PosterOptions = {},
  ) {
    this.logger = options.logger;
    this.retryBaseMs = options.retryBaseMs ?? 500;
    const common: WebClientOptions = {
      ...(options.logger ? { logger: boltLogger(options.logger) } : {}),
      ...slackClientOptions(undefined, options.timeoutMs),
      ...clientOptions,
    };
    // Retries of calls that are safe to repeat: 429s after Retry-After, 5xx, timeouts, broken connections.
    this.client = new WebClient(token, { retryConfig: { retries: 5, factor: 1.5, minTimeout: 200, maxTimeout: 5000 }, ...common });
    this.onceClient = new WebClient(token, { ...common, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
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
        const res = await lane.pacer.run(() => this.client.chat.postMessage(postArgs(channel, message, threadTs)));
        return this.posted(channel, res);
      } catch (err) {
        this.counters.failed++;
        throw err;
      }
    }) as Promise<{ channel: string; ts: string }>;
  }

  async postOnce(channel: string, message: SlackMessage, o: KeyedPost): Promise<{ channel: string; ts: string }> {
    const lane = this.laneFor(channel);
    return lane.queue.add(async () => {
      let mayExist = o.mayExist;
      let last: SlackFailure = { kind: 'transient', reason: 'not attempted' };
      // Rate limits are waited out without counting as attempts, up to a bound of their own.
      for (let attempt = 1, waits = 0; attempt <= KEYED_ATTEMPTS && waits <= MAX_RATE_LIMIT_WAITS; ) {
        if (mayExist) {
          const found = await this.find(channel, o);
          if (found) {
            this.counters.foundAfterLoss++;
            return found;
          }
        }
        await o.beforeSend?.();
        try {
          const res = await lane.pacer.run(() =>
            this.onceClient.chat.postMessage({ ...postArgs(channel, message, o.threadTs), metadata: postMetadata(o.key) }),
          );
          return this.posted(channel, res);
        } catch (err) {
          last = classifySlackError(err);
          if (last.kind === 'permanent') break;
          if (last.kind === 'ratelimited') {
            // Slack did nothing: wait as asked, and send again without looking.
            this.counters.rateLimited++;
            waits++;
            mayExist = false;
            await sleep(last.retryAfterMs);
            continue;
          }
          // The post may have been made and only the answer lost: look before the next send.
          mayExist = true;
          this.logger?.warn({ channel, key: o.key, attempt, reason: last.reason }, 'Slack post failed; will look for it before sending again');
          await sleep(this.retryBaseMs * 2 ** (attempt - 1));
          attempt++;
        }
      }
      this.counters.failed++;
      throw new SlackPostError(last, KEYED_ATTEMPTS);
    }) as Promise<{ channel: string; ts: string }>;
  }

  findPost(channel: string, o: Pick<KeyedPost, 'key' | 'threadTs' | 'since'>): Promise<{ channel: string; ts: string } | null> {
    return this.find(channel, { ...o, mayExist: true });
  }

  /** The keyed message if Slack has it; a look that fails counts as not found (the send that follows may then repeat). */
  private async find(channel: string, o: KeyedPost): Promise<{ channel: string; ts: string } | null> {
    try {
      const channelId = await this.channelIdOf(channel);
      if (!channelId) {
        this.logger?.warn({ channel }, 'cannot look for an earlier post: the channel id is unknown');
        return null;
      }
      const ts = await this.lookups.add(() =>
        this.lookupPacer.run(() =>
          findKeyedMessage(this.client, { channelId, key: o.key, ...(o.threadTs ? { threadTs: o.threadTs } : {}), ...(o.since ? { since: o.since } : {}) }),
        ),
      );
      return ts ? { channel: channelId, ts } : null;
    } catch (err) {
      this.logger?.warn({ err, channel, key: o.key }, 'could not look for an earlier post');
      return null;
    }
  }

  /** A channel id for a channel named by id, by a name posted to before, or by a name conversations.list knows. */
  private async channelIdOf(channel: string): Promise<string | null> {
    if (CHANNEL_ID.test(channel)) return channel;
    for (const [id, name] of this.aliasOf) if (name === channel) return id;
    const name = channel.replace(/^#/, '');
    if (!this.namedIds?.has(name)) this.namedIds = await this.listChannels();
    return this.namedIds.get(name) ?? null;
  }

  private async listChannels(): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    let cursor: string | undefined;
    do {
      const res = await this.client.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      for (const c of res.channels ?? []) if (c.id && c.name) ids.set(c.name, c.id);
      cursor = res.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return ids;
  }

  /** Counts a post and remembers the id Slack answered for a channel named by name, so both spellings share one lane. */
  private posted(named: string, res: { channel?: string; ts?: string }): { channel: string; ts: string } {
    this.counters.posted++;
    const id = res.channel;
    if (id && id !== named && !this.aliasOf.has(id)) this.aliasOf.set(id, named);
    return { channel: id ?? named, ts: res.ts as string };
  }

  async update(channel: string, ts: string, message: SlackMessage): Promise<void> {
    await this.updateQueue.add(async () => {
      try {
        await this.updatePacer.run(() => this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks }));
        this.counters.updated++;
      } catch (err) {
        this.counters.failed++;
        throw err;
      }
    });
  }

  async upload(channel: string, threadTs: string, files: Array<{ filename: string; content: string | Uint8Array }>, comment: string): Promise<void> {
    const lane = this.laneFor(channel);
    await lane.queue.add(async () => {
      try {
        await lane.pacer.run(() =>
          this.client.filesUploadV2({
            channel_id: this.idOf(channel),
            thread_ts: threadTs,
            initial_comment: comment,
            file_uploads: files.map((f) => ({
              file: typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : Buffer.from(f.content),
              filename: f.filename,
            })),
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
    if (CHANNEL_ID.test(channel)) return channel;
    for (const [id, name] of this.aliasOf) if (name === channel) return id;
    return channel;
  }

  async openDirect(user: string): Promise<string> {
    const res = await this.client.conversations.open({ users: user });
    const id = res.channel?.id;
    if (!id) throw new Error(`Slack opened no direct message with ${user}`);
    return id;
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
