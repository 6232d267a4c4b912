import { fail, flagArg, isFailure, jsonArg, stringArg, type Method } from './method.ts';
import { messageContent, publicMessage } from './message-content.ts';

export const BOT_ID = 'B0EMULATOR';

const postMessage: Method = (args, { ws, now }) => {
  const channel = ws.resolve(stringArg(args, 'channel') ?? '', true);
  if (!channel) return fail('channel_not_found');
  const content = messageContent(args);
  if (isFailure(content)) return content;
  // Slack accepts a thread_ts that matches no message and keeps the post out of the channel view.
  const threadTs = stringArg(args, 'thread_ts');
  const metadata = jsonArg(args, 'metadata');
  if (metadata.malformed) return fail('invalid_metadata_format');
  if (metadata.value !== undefined && !isMessageMetadata(metadata.value)) return fail('invalid_metadata_schema');
  const message = ws.add({
    channel,
    ts: ws.nextTs(now),
    user: ws.botUserId,
    bot_id: BOT_ID,
    ...content,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(threadTs && flagArg(args, 'reply_broadcast') ? { subtype: 'thread_broadcast' } : {}),
    ...(metadata.value !== undefined ? { metadata: metadata.value } : {}),
  });
  return { ok: true, channel, ts: message.ts, message: publicMessage(message) };
};

/** Slack's message metadata: an event type and a payload object. */
function isMessageMetadata(value: unknown): boolean {
  const m = value as { event_type?: unknown; event_payload?: unknown } | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.event_type === 'string' &&
    /^[a-z0-9_]{1,64}$/.test(m.event_type) &&
    typeof m.event_payload === 'object' &&
    m.event_payload !== null &&
    !Array.isArray(m.event_payload)
  );
}

const update: Method = (args, { ws, now }) => {
  const channel = ws.resolve(stringArg(args, 'channel') ?? '', false);
  if (!channel) return fail('channel_not_found');
  const message = ws.find(channel, stringArg(args, 'ts') ?? '');
  if (!message) return fail('message_not_found');
  const content = messageContent(args);
  if (isFailure(content)) return content;
  // Omitted blocks are kept, an empty array removes them: chat.update's documented behaviour.
  if (content.text !== undefined) message.text = content.text;
  if (content.blocks) {
    if (content.blocks.length > 0) message.blocks = content.blocks;
    else delete message.blocks;
  }
  if (content.attachments) message.attachments = content.attachments;
  message.edited = { user: ws.botUserId, ts: ws.nextTs(now) };
  return { ok: true, channel, ts: message.ts, text: message.text ?? '', message: publicMessage(message) };
};

const postEphemeral: Method = (args, { ws, now }) => {
  const channel = ws.resolve(stringArg(args, 'channel') ?? '', false);
  if (!channel) return fail('channel_not_found');
  const user = stringArg(args, 'user');
  if (!user) return fail('user_not_in_channel');
  const content = messageContent(args);
  if (isFailure(content)) return content;
  const ts = ws.nextTs(now);
  const threadTs = stringArg(args, 'thread_ts');
  ws.addEphemeral({
    channel,
    user,
    ts,
    ...(content.text !== undefined ? { text: content.text } : {}),
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
  return { ok: true, message_ts: ts };
};

/**
 * Slack's permalink: the workspace's `<domain>.slack.com`, the ts without its dot, and for a
 * reply the thread it belongs to (`?thread_ts=…&cid=…`).
 */
const getPermalink: Method = (args, { ws }) => {
  const channel = ws.resolve(stringArg(args, 'channel') ?? '', false);
  if (!channel) return fail('channel_not_found');
  const ts = stringArg(args, 'message_ts') ?? '';
  const message = ws.find(channel, ts);
  if (!message) return fail('message_not_found');
  const base = `https://${ws.teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
  const inThread = message.thread_ts && message.thread_ts !== ts;
  return { ok: true, channel, permalink: inThread ? `${base}?thread_ts=${message.thread_ts}&cid=${channel}` : base };
};

/**
 * chat.delete: the message goes; edits and lookups of it answer `message_not_found`. (Slack
 * leaves a "This message was deleted" tombstone where a parent had replies; the emulator
 * removes the parent and keeps the replies, which no longer show as a thread.)
 */
const remove: Method = (args, { ws }) => {
  const channel = ws.resolve(stringArg(args, 'channel') ?? '', false);
  if (!channel) return fail('channel_not_found');
  const ts = stringArg(args, 'ts') ?? '';
  if (!ws.remove(channel, ts)) return fail('message_not_found');
  return { ok: true, channel, ts };
};

export const CHAT_METHODS: Record<string, Method> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': remove,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
};
