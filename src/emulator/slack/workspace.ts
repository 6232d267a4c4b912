/** The emulated workspace's state: channels, messages, threads, files, and a log of every call. */
import { createHash } from 'node:crypto';
import { ViewSurfaces, type EmulatedView } from './views-state.ts';

export interface EmulatedMessage {
  channel: string;
  ts: string;
  user: string;
  bot_id?: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  /** On replies: the parent's ts. On parents with replies: their own ts, as Slack sets it. */
  thread_ts?: string;
  /** `thread_broadcast` for replies also sent to the channel. */
  subtype?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
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

/** Which ephemerals to list: those shown in a channel, to a person, or both. */
export interface EphemeralFilter {
  channel?: string;
  user?: string;
}

/** The workspace's people (id → name and email) and user groups (id → member ids). */
export interface Directory {
  users: Record<string, { name: string; email?: string; tz?: string }>;
  groups: Record<string, string[]>;
}

export interface WorkspaceStats {
  calls: Record<string, number>;
  rateLimited: number;
  invalidBlocks: number;
}

/** What Slack channel ids look like; such strings are never taken for channel names. */
export const CHANNEL_ID = /^[CGD][A-Z0-9]{8,}$/;

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Ten id characters derived from a seed, so a channel keeps its id across emulator restarts. */
function idChars(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  return [...digest.subarray(0, 10)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

const isTopLevel = (m: EmulatedMessage) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast';

/** What outlives an emulator restart (`persist.ts`): channels, messages, files and the ts clock. */
export interface WorkspaceState {
  channels: Channel[];
  messages: EmulatedMessage[];
  files: Array<Omit<UploadedFile, 'content'> & { content: string | null }>;
  fileSeq: number;
  lastTsMicros: number;
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
  /** Modals, Home tabs and the trigger ids that open them. */
  readonly surfaces = new ViewSurfaces();
  /** People and user groups, for usergroups.users.list and users.info. */
  directory: Directory = { users: {}, groups: {} };
  /** Survives reset(), so no ts is ever handed out twice by one emulator. */
  private lastTsMicros = 0;
  /** Counts changes (every call, post, deletion, new channel), so a saver knows when to write. */
  private changes = 0;

  constructor(
    readonly teamId: string,
    readonly botUserId: string,
    /** The `<domain>.slack.com` of permalinks and interaction payloads. */
    readonly teamDomain = 'emulator',
  ) {}

  /**
   * A trigger id as Slack puts into an interaction payload or slash command of `user`:
   * views.open takes it once, within 3 seconds, and opens the modal on that user's screen.
   */
  issueTriggerId(user = 'U0EMULATOR', now = Date.now()): string {
    return this.surfaces.issueTrigger(now, user);
  }

  /** Open modals (root first) and Home views, per user. */
  views(): { modals: Record<string, EmulatedView[]>; homes: Record<string, EmulatedView> } {
    return this.surfaces.snapshot();
  }

  /** Strictly increasing Slack-style timestamps ("seconds.micros"), close to the wall clock. */
  nextTs(now: number): string {
    const micros = Math.max(now * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** The id of the channel with this name, created if needed. */
  createChannel(name: string): string {
    return this.addConversation(name.replace(/^#/, ''), 'C');
  }

  /** A conversation by name, made on first use: its id (`C…` a channel, `D…` a direct message) derived from the name. */
  private addConversation(name: string, kind: 'C' | 'D'): string {
    const existing = this.idByName.get(name);
    if (existing) return existing;
    let id = `${kind}${idChars(name)}`;
    for (let salt = 1; this.channelsById.has(id); salt++) id = `${kind}${idChars(`${name}#${salt}`)}`;
    this.channelsById.set(id, { id, name, created: Math.floor(Date.now() / 1000) });
    this.idByName.set(name, id);
    this.messagesByChannel.set(id, []);
    this.changes++;
    return id;
  }

  /**
   * The bot's direct-message conversation with a person (conversations.open): a `D…` id,
   * named `dm-<user>` so the emulator's pages can list it beside the channels.
   */
  openDirect(user: string): string {
    return this.addConversation(`dm-${user.toLowerCase()}`, 'D');
  }

  /** A channel id from an id or a name; `create` makes a named channel on first use, as posting to it does. */
  resolve(channel: string, create: boolean): string | undefined {
    if (this.channelsById.has(channel)) return channel;
    if (CHANNEL_ID.test(channel) || channel.replace(/^#/, '') === '') return undefined;
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

  channel(nameOrId: string): Channel | undefined {
    const id = this.channelId(nameOrId);
    return id ? this.channelsById.get(id) : undefined;
  }

  /** Channels with how many top-level messages each holds. */
  channels(): Array<Channel & { messages: number }> {
    return [...this.channelsById.values()].map((c) => ({ ...c, messages: this.messages(c.id).length }));
  }

  /** Stores a message; a reply also updates its parent's thread summary, as Slack does. */
  add(message: EmulatedMessage): EmulatedMessage {
    this.changes++;
    this.messagesByChannel.get(message.channel)?.push(message);
    const parent = message.thread_ts ? this.find(message.channel, message.thread_ts) : undefined;
    if (parent && parent !== message) {
      parent.thread_ts = parent.ts;
      parent.reply_count = (parent.reply_count ?? 0) + 1;
      parent.reply_users = [...new Set([...(parent.reply_users ?? []), message.user])];
      parent.reply_users_count = parent.reply_users.length;
      parent.latest_reply = message.ts;
    }
    return message;
  }

  /** Deletes a message; false when there is none with that ts. */
  remove(channel: string, ts: string): boolean {
    const list = this.messagesByChannel.get(channel);
    const at = list?.findIndex((m) => m.ts === ts) ?? -1;
    if (!list || at < 0) return false;
    list.splice(at, 1);
    this.changes++;
    return true;
  }

  find(channel: string, ts: string): EmulatedMessage | undefined {
    return this.messagesByChannel.get(channel)?.find((m) => m.ts === ts);
  }

  /** What the channel shows: messages, thread parents and broadcast replies, oldest first. */
  messages(nameOrId: string): EmulatedMessage[] {
    const id = this.channelId(nameOrId);
    if (!id) return [];
    return (this.messagesByChannel.get(id) ?? []).filter(isTopLevel);
  }

  /** A thread: its parent first, then replies oldest first; empty when there is no such parent. */
  thread(nameOrId: string, ts: string): EmulatedMessage[] {
    const id = this.channelId(nameOrId);
    if (!id) return [];
    const all = this.messagesByChannel.get(id) ?? [];
    const parent = all.find((m) => m.ts === ts);
    if (!parent) return [];
    return [parent, ...all.filter((m) => m.thread_ts === ts && m.ts !== ts)];
  }

  /** Every message of every channel, replies included, in post order per channel. */
  allMessages(): EmulatedMessage[] {
    return [...this.messagesByChannel.values()].flat();
  }

  addEphemeral(m: EphemeralMessage): void {
    this.ephemeralList.push(m);
  }

  /** Ephemeral messages in post order; a channel may be named by id or name. */
  ephemerals(filter: EphemeralFilter = {}): EphemeralMessage[] {
    const channel = filter.channel === undefined ? undefined : (this.channelId(filter.channel) ?? filter.channel);
    return this.ephemeralList.filter((e) => (channel === undefined || e.channel === channel) && (filter.user === undefined || e.user === filter.user));
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
    this.changes++;
  }

  /** How many changes the workspace has seen; it only grows. */
  changeCount(): number {
    return this.changes;
  }

  /** Channels, messages and files as plain data (file contents in base64). */
  exportState(): WorkspaceState {
    return {
      channels: [...this.channelsById.values()],
      messages: this.allMessages(),
      files: this.files().map((f) => ({ ...f, content: f.content ? f.content.toString('base64') : null })),
      fileSeq: this.fileSeq,
      lastTsMicros: this.lastTsMicros,
    };
  }

  /** Takes back what exportState gave, replacing channels, messages and files (views, ephemerals and calls start empty). */
  importState(state: WorkspaceState): void {
    this.reset();
    for (const c of state.channels) {
      this.channelsById.set(c.id, c);
      this.idByName.set(c.name, c.id);
      this.messagesByChannel.set(c.id, []);
    }
    for (const m of state.messages) this.messagesByChannel.get(m.channel)?.push(m);
    for (const f of state.files) this.fileMap.set(f.id, { ...f, content: f.content === null ? null : Buffer.from(f.content, 'base64') });
    this.fileSeq = Math.max(this.fileSeq, state.fileSeq);
    this.lastTsMicros = Math.max(this.lastTsMicros, state.lastTsMicros);
  }

  calls(): CallRecord[] {
    return [...this.callLog];
  }

  stats(): WorkspaceStats {
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

  /** Forgets channels, messages, files, views and calls (rate-limit windows live in the server; the directory stays). */
  reset(): void {
    this.channelsById.clear();
    this.idByName.clear();
    this.messagesByChannel.clear();
    this.ephemeralList.length = 0;
    this.fileMap.clear();
    this.callLog.length = 0;
    this.surfaces.reset();
  }
}
