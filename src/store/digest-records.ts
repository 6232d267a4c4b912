import type { DigestRecord } from '../ports/store.ts';

/** A digest as it is opened: no messages yet, no members, nobody flushing it. */
export function newDigest(id: string, channel: string, groupKey: string, label: string, now: string): DigestRecord {
  return {
    id,
    channel,
    groupKey,
    label,
    ts: null,
    slackChannel: null,
    rootSentAt: null,
    listingKey: null,
    listingSentAt: null,
    attempts: 0,
    lastError: null,
    openedAt: now,
    lastAddedAt: now,
    count: 0,
    unlisted: 0,
    flushLease: null,
  };
}

/** A digest with members whose Slack messages are not all out yet. */
export function needsFlush(d: Pick<DigestRecord, 'unlisted' | 'ts' | 'count'>): boolean {
  return d.unlisted > 0 || (d.ts === null && d.count > 0);
}
