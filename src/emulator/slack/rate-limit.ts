/** Slack's answer when a method is called too often: HTTP 429 with Retry-After in whole seconds. */
export interface RateLimit {
  limit: number;
  windowMs: number;
  /** `channel`: each channel has its own window (chat.postMessage); `workspace`: one for all. */
  scope: 'channel' | 'workspace';
}

export type RateLimits = Record<string, RateLimit>;

const TIER_2: RateLimit = { limit: 20, windowMs: 60_000, scope: 'workspace' };
const TIER_3: RateLimit = { limit: 50, windowMs: 60_000, scope: 'workspace' };
const TIER_4: RateLimit = { limit: 100, windowMs: 60_000, scope: 'workspace' };

/** Slack's documented limits for the methods the emulator serves. */
export const DEFAULT_LIMITS: RateLimits = {
  'chat.postMessage': { limit: 1, windowMs: 1000, scope: 'channel' },
  'chat.update': TIER_3,
  'chat.delete': TIER_3,
  'chat.postEphemeral': TIER_3,
  'conversations.replies': TIER_3,
  'conversations.history': TIER_3,
  'conversations.list': TIER_2,
  'conversations.info': TIER_4,
  'chat.getPermalink': TIER_4,
  'auth.test': TIER_4,
  'files.getUploadURLExternal': TIER_4,
  'files.completeUploadExternal': TIER_4,
  'files.info': TIER_4,
  'views.open': TIER_4,
  'views.push': TIER_4,
  'views.update': TIER_4,
  'views.publish': TIER_4,
  'users.info': TIER_4,
  'users.lookupByEmail': TIER_3,
  'conversations.open': TIER_3,
  'usergroups.users.list': TIER_2,
};

/** A sliding window per (method, scope key). Only calls that were let through count. */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly limits: RateLimits | false) {}

  /** 0 when the call may proceed (and is counted); otherwise milliseconds until it could. */
  take(method: string, channel: string | undefined, now: number): number {
    if (!this.limits) return 0;
    const rule = this.limits[method];
    if (!rule) return 0;
    const key = rule.scope === 'channel' ? `${method}|${channel ?? ''}` : method;
    const windowStart = now - rule.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > windowStart);
    if (list.length >= rule.limit) {
      this.hits.set(key, list);
      return (list[0] as number) + rule.windowMs - now;
    }
    list.push(now);
    this.hits.set(key, list);
    return 0;
  }

  reset(): void {
    this.hits.clear();
  }
}
