import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../ports/logger.ts';
import { escapeText } from '../views/text.ts';

/** Where an interaction happened: enough to answer the person privately there. */
export interface Place {
  channel: string | undefined;
  threadTs?: string | undefined;
  user: string;
}

/** Tells one person, only them, why their action did not happen (or what did). */
export async function tellPrivately(client: WebClient, place: Place, text: string, logger?: Logger): Promise<void> {
  if (!place.channel) return;
  try {
    await client.chat.postEphemeral({
      channel: place.channel,
      user: place.user,
      text: escapeText(text),
      ...(place.threadTs ? { thread_ts: place.threadTs } : {}),
    });
  } catch (err) {
    logger?.warn({ err, user: place.user }, 'could not answer privately');
  }
}

/** A place as a job's `replyTo` (optional fields left out, not undefined). */
export function replyToPlace(p: Place): { channel?: string; threadTs?: string; user: string } {
  return { ...(p.channel ? { channel: p.channel } : {}), ...(p.threadTs ? { threadTs: p.threadTs } : {}), user: p.user };
}

/** An interaction's channel and thread, from a block action's body. */
export function placeOf(body: { user: { id: string }; channel?: { id?: string }; container?: { channel_id?: string }; message?: unknown }): Place {
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  return { channel: body.channel?.id ?? body.container?.channel_id, threadTs: message?.thread_ts ?? message?.ts, user: body.user.id };
}
