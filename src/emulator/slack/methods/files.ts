import { fail, stringArg, type Method } from './method.ts';

/** files.uploadV2 step one: reserve a file id and hand out the URL its bytes go to. */
const getUploadURLExternal: Method = (args, { ws, origin }) => {
  const filename = stringArg(args, 'filename');
  const length = Number(args.length);
  if (!filename || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
  const file = ws.reserveFile(filename, length);
  return { ok: true, upload_url: `${origin}/upload/v1/${file.id}`, file_id: file.id };
};

/** files.uploadV2 last step: share the uploaded files, as one message, in a channel or thread. */
const completeUploadExternal: Method = (args, { ws, now }) => {
  let requested: unknown;
  try {
    requested = typeof args.files === 'string' ? JSON.parse(args.files) : args.files;
  } catch {
    return fail('invalid_arguments');
  }
  if (!Array.isArray(requested) || requested.length === 0) return fail('invalid_arguments');
  const entries = requested as Array<{ id?: unknown; title?: unknown }>;
  const uploaded = entries.map((f) => (typeof f?.id === 'string' ? ws.file(f.id) : undefined));
  if (uploaded.some((f) => !f || f.content === null)) return fail('file_not_found');
  const channelArg = stringArg(args, 'channel_id');
  const channel = channelArg ? ws.resolve(channelArg, false) : undefined;
  if (channelArg && !channel) return fail('channel_not_found');
  const threadTs = stringArg(args, 'thread_ts');
  const shared = uploaded.map((f, i) => {
    const file = f as NonNullable<typeof f>;
    const title = entries[i]?.title;
    file.title = typeof title === 'string' && title ? title : file.name;
    file.channel = channel ?? null;
    file.threadTs = threadTs ?? null;
    return { id: file.id, name: file.name, title: file.title };
  });
  if (channel) {
    ws.add({
      channel,
      ts: ws.nextTs(now),
      user: ws.botUserId,
      text: stringArg(args, 'initial_comment') ?? '',
      files: shared,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }
  return { ok: true, files: shared };
};

/** The private download path of a file: only a request with the bot token gets its bytes (server.ts). */
export const downloadPath = (teamId: string, id: string, name: string) => `/files-pri/${teamId}-${id}/${encodeURIComponent(name)}`;

/** files.info (files:read): a file someone shared, with the private URL its bytes are read from. */
const filesInfo: Method = (args, { ws, origin }) => {
  const file = ws.file(stringArg(args, 'file') ?? '');
  if (!file || file.content === null) return fail('file_not_found');
  const url = `${origin}${downloadPath(ws.teamId, file.id, file.name)}`;
  return {
    ok: true,
    file: {
      id: file.id,
      name: file.name,
      title: file.title,
      size: file.length,
      mimetype: 'application/octet-stream',
      url_private: url,
      url_private_download: url,
    },
  };
};

export const FILE_METHODS: Record<string, Method> = {
  'files.getUploadURLExternal': getUploadURLExternal,
  'files.completeUploadExternal': completeUploadExternal,
  'files.info': filesInfo,
};
