import { validateBlocks } from './block-kit.ts';
import type { EmulatedMessage, Workspace } from './workspace.ts';

export type Args = Record<string, unknown>;
export type Answer = Record<string, unknown> & { ok: boolean };

export interface MethodContext {
  ws: Workspace;
  now: number;
  /** Base URL of the emulator, for permalinks. */
  origin: string;
}

const fail = (error: string, extra: Record<string, unknown> = {}): Answer => ({ ok: false, error, ...extra });

/** `blocks` arrives JSON-encoded in form bodies and as an array in JSON bodies. */
function parseBlocks(raw: unknown): { blocks?: unknown[]; error?: Answer } {
  if (raw === undefined || raw === '') return {};
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return { error: fail('invalid_blocks_format') };
    }
  }
  if (!Array.isArray(value)) return { error: fail('invalid_blocks_format') };
  const problems = validateBlocks(value, 'message');
  if (problems.length > 0) {
    return { error: fail('invalid_blocks', { errors: problems, response_metadata: { messages: problems.map((m) => `[ERROR] ${m}`) } }) };
  }
  return { blocks: value };
}

function messageBody(args: Args): { text?: string; blocks?: unknown[]; error?: Answer } {
  const parsed = parseBlocks(args.blocks);
  if (parsed.error) return parsed;
  const text = typeof args.text === 'string' ? args.text : undefined;
  if (!text && !parsed.blocks?.length) return { error: fail('no_text') };
  if (text && text.length > 40_000) return { error: fail('msg_too_long') };
  return { ...(text !== undefined ? { text } : {}), ...(parsed.blocks ? { blocks: parsed.blocks } : {}) };
}

/** Cursor pagination as Slack does it: an opaque next_cursor, empty when done. */
function page<T>(items: T[], args: Args, max = 1000): { items: T[]; next: string } {
  const limit = Math.min(Number(args.limit ?? 100) || 100, max);
  const offset = args.cursor ? Number(Buffer.from(String(args.cursor), 'base64').toString().replace('offset:', '')) || 0 : 0;
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
  return { items: slice, next };
}

function publicMessage(m: EmulatedMessage): Record<string, unknown> {
  const { channel: _channel, ...rest } = m;
  return { type: 'message', ...rest };
}

export const METHODS: Record<string, (args: Args, ctx: MethodContext) => Answer> = {
  'auth.test': (_args, { ws, origin }) => ({
    ok: true,
    url: `${origin}/`,
    team: 'sirbot emulator',
    user: 'sirbot',
    team_id: ws.teamId,
    user_id: ws.botUserId,
    bot_id: 'B0EMULATOR',
    is_enterprise_install: false,
  }),

  'chat.postMessage': (args, { ws, now }) => {
    const channel = ws.resolve(String(args.channel ?? ''), true);
    if (!channel) return fail('channel_not_found');
    const body = messageBody(args);
    if (body.error) return body.error;
    const threadTs = typeof args.thread_ts === 'string' && args.thread_ts ? args.thread_ts : undefined;
    const message = ws.add({
      channel,
      ts: ws.nextTs(now),
      user: ws.botUserId,
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.blocks ? { blocks: body.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
    });
    return { ok: true, channel, ts: message.ts, message: publicMessage(message) };
  },

  'chat.update': (args, { ws, now }) => {
    const channel = ws.resolve(String(args.channel ?? ''), false);
    if (!channel) return fail('channel_not_found');
    const message = ws.find(channel, String(args.ts ?? ''));
    if (!message) return fail('message_not_found');
    const body = messageBody(args);
    if (body.error) return body.error;
    if (body.text !== undefined) message.text = body.text;
    if (body.blocks) message.blocks = body.blocks;
    message.edited = { user: ws.botUserId, ts: ws.nextTs(now) };
    return { ok: true, channel, ts: message.ts, text: message.text ?? '', message: publicMessage(message) };
  },

  'chat.postEphemeral': (args, { ws, now }) => {
    const channel = ws.resolve(String(args.channel ?? ''), false);
    if (!channel) return fail('channel_not_found');
    if (typeof args.user !== 'string' || !args.user) return fail('user_not_in_channel');
    const body = messageBody(args);
    if (body.error) return body.error;
    const ts = ws.nextTs(now);
    ws.addEphemeral({
      channel,
      user: args.user,
      ts,
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.blocks ? { blocks: body.blocks } : {}),
      ...(typeof args.thread_ts === 'string' ? { thread_ts: args.thread_ts } : {}),
    });
    return { ok: true, message_ts: ts };
  },

  'chat.getPermalink': (args, { ws, origin }) => {
    const channel = ws.resolve(String(args.channel ?? ''), false);
    if (!channel) return fail('channel_not_found');
    const ts = String(args.message_ts ?? '');
    if (!ws.find(channel, ts)) return fail('message_not_found');
    return { ok: true, channel, permalink: `${origin}/archives/${channel}/p${ts.replace('.', '')}` };
  },

  'files.getUploadURLExternal': (args, { ws, origin }) => {
    const filename = String(args.filename ?? '');
    const length = Number(args.length);
    if (!filename) return fail('invalid_arguments');
    if (!Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
    const file = ws.reserveFile(filename, length);
    return { ok: true, upload_url: `${origin}/upload/v1/${file.id}`, file_id: file.id };
  },

  'files.completeUploadExternal': (args, { ws, now }) => {
    let files: Array<{ id: string; title?: string }>;
    try {
      files = typeof args.files === 'string' ? JSON.parse(args.files) : (args.files as typeof files);
    } catch {
      return fail('invalid_arguments');
    }
    if (!Array.isArray(files) || files.length === 0) return fail('invalid_arguments');
    const uploaded = files.map((f) => ws.file(f.id));
    if (uploaded.some((f) => !f || f.content === null)) return fail('file_not_found');
    const channel = args.channel_id ? ws.resolve(String(args.channel_id), false) : undefined;
    if (args.channel_id && !channel) return fail('channel_not_found');
    const threadTs = typeof args.thread_ts === 'string' && args.thread_ts ? args.thread_ts : undefined;
    const shared = uploaded.map((f, i) => {
      const file = f as NonNullable<typeof f>;
      file.title = files[i]?.title ?? file.name;
      file.channel = channel ?? null;
      file.threadTs = threadTs ?? null;
      return { id: file.id, name: file.name, title: file.title };
    });
    if (channel) {
      ws.add({
        channel,
        ts: ws.nextTs(now),
        user: ws.botUserId,
        text: typeof args.initial_comment === 'string' ? args.initial_comment : '',
        files: shared,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    }
    return { ok: true, files: shared };
  },

  'conversations.replies': (args, { ws }) => {
    const channel = ws.resolve(String(args.channel ?? ''), false);
    if (!channel) return fail('channel_not_found');
    const thread = ws.thread(channel, String(args.ts ?? ''));
    if (thread.length === 0) return fail('thread_not_found');
    const { items, next } = page(thread, args);
    return { ok: true, messages: items.map(publicMessage), has_more: next !== '', response_metadata: { next_cursor: next } };
  },

  'conversations.history': (args, { ws }) => {
    const channel = ws.resolve(String(args.channel ?? ''), false);
    if (!channel) return fail('channel_not_found');
    const oldest = Number(args.oldest ?? 0);
    const latest = args.latest !== undefined ? Number(args.latest) : Number.POSITIVE_INFINITY;
    const top = ws
      .messages(channel)
      .filter((m) => Number(m.ts) >= oldest && Number(m.ts) <= latest)
      .reverse();
    const { items, next } = page(top, args);
    return { ok: true, messages: items.map(publicMessage), has_more: next !== '', response_metadata: { next_cursor: next } };
  },

  'conversations.list': (args, { ws }) => {
    const { items, next } = page(ws.channels(), args);
    return {
      ok: true,
      channels: items.map((c) => ({ id: c.id, name: c.name, created: c.created, is_channel: true, is_member: true })),
      response_metadata: { next_cursor: next },
    };
  },

  'conversations.info': (args, { ws }) => {
    const channel = ws.resolve(String(args.channel ?? ''), false);
    const info = ws.channels().find((c) => c.id === channel);
    if (!info) return fail('channel_not_found');
    return { ok: true, channel: { id: info.id, name: info.name, created: info.created, is_channel: true, is_member: true } };
  },
};
