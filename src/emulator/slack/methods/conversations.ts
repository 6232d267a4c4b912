import { CHANNEL_ID, type Channel, type EmulatedMessage } from '../workspace.ts';
import { fail, flagArg, isFailure, stringArg, type Answer, type Args, type Method, type MethodContext } from './method.ts';
import { publicMessage } from './message-content.ts';
import { paginate } from './pagination.ts';

/**
 * One page of messages as conversations.history and conversations.replies answer it.
 * Message metadata is left out unless the caller asks for it with `include_all_metadata`.
 */
function messagesPage(page: { items: EmulatedMessage[]; nextCursor: string }, args: Args): Answer {
  const withMetadata = flagArg(args, 'include_all_metadata');
  const shown = page.items.map((m) => {
    const { metadata: _metadata, ...rest } = publicMessage(m);
    return withMetadata && m.metadata !== undefined ? { ...rest, metadata: m.metadata } : rest;
  });
  return { ok: true, messages: shown, has_more: page.nextCursor !== '', response_metadata: { next_cursor: page.nextCursor } };
}

/** Reading history takes a conversation id, as Slack's does; a channel name is channel_not_found. */
function conversationById(ws: MethodContext['ws'], args: Args): string | undefined {
  const named = stringArg(args, 'channel') ?? '';
  return CHANNEL_ID.test(named) ? ws.channelId(named) : undefined;
}

function channelObject(c: Channel): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    name_normalized: c.name,
    created: c.created,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_private: false,
    is_archived: false,
    is_member: true,
  };
}

/** `oldest`/`latest` bound history; the bounds themselves count only with `inclusive`. */
function inWindow(args: Args): (ts: string) => boolean {
  const oldest = Number(args.oldest ?? 0) || 0;
  const latest = args.latest !== undefined && args.latest !== '' ? Number(args.latest) : Number.POSITIVE_INFINITY;
  const inclusive = flagArg(args, 'inclusive');
  return (ts) => {
    const t = Number(ts);
    return inclusive ? t >= oldest && t <= latest : t > oldest && t < latest;
  };
}

const replies: Method = (args, { ws }) => {
  const channel = conversationById(ws, args);
  if (!channel) return fail('channel_not_found');
  // The ts of any message in a thread names the whole thread.
  const named = ws.find(channel, stringArg(args, 'ts') ?? '');
  const parentTs = named?.thread_ts && ws.find(channel, named.thread_ts) ? named.thread_ts : named?.ts;
  const thread = parentTs ? ws.thread(channel, parentTs) : [];
  if (thread.length === 0) return fail('thread_not_found');
  const within = inWindow(args);
  const page = paginate(
    thread.filter((m) => m.ts === parentTs || within(m.ts)),
    args,
    { defaultLimit: 1000, maxLimit: 1000 },
  );
  return isFailure(page) ? page : messagesPage(page, args);
};

const history: Method = (args, { ws }) => {
  const channel = conversationById(ws, args);
  if (!channel) return fail('channel_not_found');
  const within = inWindow(args);
  const newestFirst = ws
    .messages(channel)
    .filter((m) => within(m.ts))
    .reverse();
  const page = paginate(newestFirst, args, { defaultLimit: 100, maxLimit: 999 });
  return isFailure(page) ? page : messagesPage(page, args);
};

const list: Method = (args, { ws }) => {
  // Every emulated channel is public, so asking only for other kinds finds none.
  const types = stringArg(args, 'types')
    ?.split(',')
    .map((t) => t.trim()) ?? ['public_channel'];
  const channels = types.includes('public_channel') ? ws.channels() : [];
  const page = paginate(channels, args, { defaultLimit: 100, maxLimit: 1000 });
  if (isFailure(page)) return page;
  return { ok: true, channels: page.items.map(channelObject), response_metadata: { next_cursor: page.nextCursor } };
};

const info: Method = (args, { ws }) => {
  const channel = ws.channel(stringArg(args, 'channel') ?? '');
  if (!channel) return fail('channel_not_found');
  return { ok: true, channel: channelObject(channel) };
};

export const CONVERSATION_METHODS: Record<string, Method> = {
  'conversations.replies': replies,
  'conversations.history': history,
  'conversations.list': list,
  'conversations.info': info,
};
