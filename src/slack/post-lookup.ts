import type { WebClient } from '@slack/web-api';

/**
 * Finds a message sirbot posted earlier by the key it carried as message metadata,
 * so a post whose answer was lost (a timeout, a crash between Slack's answer and the
 * store write) is found again instead of posted twice. Slack keeps message metadata
 * with the message and returns it from conversations.history and .replies when asked
 * (`include_all_metadata`); both take a channel id, never a name.
 */

export const POST_EVENT_TYPE = 'sirbot_post';

/** The metadata a keyed post carries. */
export function postMetadata(key: string): { event_type: string; event_payload: { key: string } } {
  return { event_type: POST_EVENT_TYPE, event_payload: { key } };
}

interface MessageWithMetadata {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { key?: unknown } };
}

const carries = (m: MessageWithMetadata, key: string) => m.metadata?.event_type === POST_EVENT_TYPE && m.metadata.event_payload?.key === key;

/** At most this many pages are read in one look: a look is for a recent post, not an archive search. */
const MAX_PAGES = 10;
/** Slack's `oldest` takes a ts; clocks differ a little, so the look starts a bit earlier. */
const SKEW_MS = 120_000;

export interface LookFor {
  channelId: string;
  key: string;
  /** For a reply: the thread it was posted in. */
  threadTs?: string;
  /** The earliest time the message can have been posted. */
  since?: string;
}

/** The ts of the message carrying `key`, or null when it is not there. */
export async function findKeyedMessage(client: WebClient, o: LookFor): Promise<string | null> {
  const oldest = o.since ? String(Math.max(0, (Date.parse(o.since) - SKEW_MS) / 1000)) : undefined;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const common = { channel: o.channelId, include_all_metadata: true, limit: 200, ...(oldest ? { oldest } : {}), ...(cursor ? { cursor } : {}) };
    const res = o.threadTs ? await client.conversations.replies({ ...common, ts: o.threadTs }) : await client.conversations.history(common);
    const found = ((res.messages ?? []) as MessageWithMetadata[]).find((m) => carries(m, o.key));
    if (found?.ts) return found.ts;
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  return null;
}
