/** The emulated workspace's state: channels, messages, threads, and a log of every call. */

export interface EmulatedMessage {
  channel: string;
  ts: string;
  user: string;
  text?: string;
  blocks?: unknown[];
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  edited?: { user: string; ts: string };
  metadata?: unknown;
  files?: Array<{ id: string; name: string; title: string }>;
}

export interface Channel {
  id: string;
  name: string;
  created: number;
}

export interface CallRecord {
  method: string;
  channel?: string;
  ok: boolean;
  error?: string;
  status: number;
  at: number;
}

export interface UploadedFile {
  id: string;
  name: string;
  title: string;
  length: number;
  content: Buffer | null;
  channel: string | null;
  threadTs: string | null;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  thread_ts?: string;
}

export class Workspace {
  private readonly channelsById = new Map<string, Channel>();
  private readonly idByName = new Map<string, string>();
  /** Top-level messages and replies of each channel, in post order. */
  private readonly messagesByChannel = new Map<string, EmulatedMessage[]>();
  private readonly ephemeralList: EphemeralMessage[] = [];
  private readonly fileMap = new Map<string, UploadedFile>();
  private fileSeq = 0;
  private readonly callLog: CallRecord[] = [];
  private lastTs = 0;
  private channelSeq = 0;

  constructor(
    readonly teamId: string,
    readonly botUserId: string,
  ) {}

  /** Strictly increasing Slack-style timestamps ("seconds.micros"). */
  nextTs(now: number): string {
    const micros = Math.max(now * 1000, this.lastTs + 1);
    this.lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  createChannel(name: string): string {
    const clean = name.replace(/^#/, '');
    const existing = this.idByName.get(clean);
    if (existing) return existing;
    const id = `C${(++this.channelSeq).toString(36).toUpperCase().padStart(10, '0')}`;
    this.channelsById.set(id, { id, name: clean, created: Math.floor(Date.now() / 1000) });
    this.idByName.set(clean, id);
    this.messagesByChannel.set(id, []);
    return id;
  }

  /** A channel id from an id or a name; names create the channel on first use, as posting to a public channel would. */
  resolve(channel: string, create: boolean): string | undefined {
    if (this.channelsById.has(channel)) return channel;
    if (/^[CGD][A-Z0-9]{8,}$/.test(channel)) return undefined;
    const name = channel.replace(/^#/, '');
    return this.idByName.get(name) ?? (create ? this.createChannel(name) : undefined);
  }

  /** One key per channel whether it is named by id or by name, existing or not yet. */
  channelKey(nameOrId: string): string {
    return this.channelsById.get(nameOrId)?.name ?? nameOrId.replace(/^#/, '');
  }

  channelId(nameOrId: string): string | undefined {
    return this.resolve(nameOrId, false);
  }

  channels(): Array<Channel & { messages: number }> {
    return [...this.channelsById.values()].map((c) => ({ ...c, messages: this.messages(c.id).length }));
  }

  add(message: EmulatedMessage): EmulatedMessage {
    this.messagesByChannel.get(message.channel)?.push(message);
    if (message.thread_ts) {
      const parent = this.find(message.channel, message.thread_ts);
      if (parent) {
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.reply_users = [...new Set([...(parent.reply_users ?? []), message.user])];
        parent.latest_reply = message.ts;
      }
    }
    return message;
  }

  find(channel: string, ts: string): EmulatedMessage | undefined {
    return this.messagesByChannel.get(channel)?.find((m) => m.ts === ts);
  }

  /** Top-level messages (and thread parents), oldest first. */
  messages(nameOrId: string): EmulatedMessage[] {
    const id = this.channelId(nameOrId);
    if (!id) return [];
    return (this.messagesByChannel.get(id) ?? []).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
  }

  /** A thread: its parent first, then replies oldest first. */
  thread(nameOrId: string, ts: string): EmulatedMessage[] {
    const id = this.channelId(nameOrId);
    if (!id) return [];
    const all = this.messagesByChannel.get(id) ?? [];
    const parent = all.find((m) => m.ts === ts);
    if (!parent) return [];
    return [parent, ...all.filter((m) => m.thread_ts === ts && m.ts !== ts)];
  }

  allMessages(): EmulatedMessage[] {
    return [...this.messagesByChannel.values()].flat();
  }

  addEphemeral(m: EphemeralMessage): void {
    this.ephemeralList.push(m);
  }

  ephemerals(): EphemeralMessage[] {
    return [...this.ephemeralList];
  }

  /** files.getUploadURLExternal reserves an id; the content arrives at the upload URL. */
  reserveFile(name: string, length: number): UploadedFile {
    const id = `F${(++this.fileSeq).toString(36).toUpperCase().padStart(10, '0')}`;
    const file: UploadedFile = { id, name, title: name, length, content: null, channel: null, threadTs: null };
    this.fileMap.set(id, file);
    return file;
  }

  file(id: string): UploadedFile | undefined {
    return this.fileMap.get(id);
  }

  files(): UploadedFile[] {
    return [...this.fileMap.values()];
  }

  record(call: CallRecord): void {
    this.callLog.push(call);
  }

  calls(): CallRecord[] {
    return [...this.callLog];
  }

  stats(): { calls: Record<string, number>; rateLimited: number; invalidBlocks: number } {
    const calls: Record<string, number> = {};
    let rateLimited = 0;
    let invalidBlocks = 0;
    for (const c of this.callLog) {
      calls[c.method] = (calls[c.method] ?? 0) + 1;
      if (c.status === 429) rateLimited++;
      if (c.error === 'invalid_blocks') invalidBlocks++;
    }
    return { calls, rateLimited, invalidBlocks };
  }

  reset(): void {
    this.channelsById.clear();
    this.idByName.clear();
    this.messagesByChannel.clear();
    this.ephemeralList.length = 0;
    this.callLog.length = 0;
  }
}
