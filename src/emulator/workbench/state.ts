import type { EmulatedView } from '../slack/views-state.ts';
import type { EmulatedMessage, EphemeralMessage, Workspace } from '../slack/workspace.ts';
import { type RenderContext, type SafeHtml, html, messageHtml, viewHtml } from '../slack/web/render/index.ts';

/** What the page asks for: whose screen, which channel, which open thread, Home or not. */
export interface ScreenQuery {
  user: string;
  channel?: string | undefined;
  thread?: string | undefined;
  home?: boolean | undefined;
}

/**
 * One person's screen, rendered on the server from the emulator's state: every fragment
 * comes from what the bot sent to the Web API (plus what people typed), never from the page.
 */
export interface Screen {
  user: string;
  channels: Array<{ id: string; name: string; messages: number }>;
  channel: { id: string; name: string } | null;
  /**
   * Channel history with this person's ephemerals, oldest first: one element per message, so
   * the page can keep the ones that did not change (and what was typed into them).
   */
  messages: string;
  /** The open thread, its messages as `messages` has them; its channel is `channel`. */
  thread: { ts: string; html: string } | null;
  /** The modal on top of this person's stack; `key` changes whenever the bot updates it. */
  modal: { id: string; key: string; html: string } | null;
  home: { key: string; html: string } | null;
}

export function renderContext(ws: Workspace): RenderContext {
  return {
    userName: (id) => (id === ws.botUserId ? 'sirbot' : ws.directory.users[id]?.name),
    channelName: (id) => ws.channel(id)?.name,
  };
}

/** Slack shows a person's ephemerals among the channel's messages, in time order, to them only. */
function interleave(messages: EmulatedMessage[], ephemerals: EphemeralMessage[], ctx: RenderContext, inThread: boolean): SafeHtml[] {
  type Item = { ts: string; out: SafeHtml };
  const items: Item[] = messages.map((m) => ({ ts: m.ts, out: messageHtml(m, ctx, { inThread }) }));
  for (const e of ephemerals) {
    const body = messageHtml(
      { ts: e.ts, user: 'sirbot', username: 'sirbot', bot_id: 'B0SIRBOT', ...(e.text ? { text: e.text } : {}), ...(e.blocks ? { blocks: e.blocks } : {}) },
      ctx,
      { inThread: true },
    );
    items.push({ ts: e.ts, out: html`<div class="wb-ephemeral"><div class="wb-ephemeral-note">Only visible to you</div>${body}</div>` });
  }
  return items.sort((a, b) => Number(a.ts) - Number(b.ts)).map((i) => i.out);
}

function modalOf(view: EmulatedView | undefined, ctx: RenderContext): Screen['modal'] {
  if (!view) return null;
  return { id: view.id, key: `${view.id}:${view.hash}`, html: viewHtml(view, ctx).value };
}

export function screenOf(ws: Workspace, q: ScreenQuery): Screen {
  const ctx = renderContext(ws);
  const channel = q.channel ? ws.channel(q.channel) : undefined;
  const mine = channel ? ws.ephemerals({ channel: channel.id, user: q.user }) : [];
  const thread = channel && q.thread ? ws.thread(channel.id, q.thread) : [];
  const home = ws.surfaces.home(q.user);
  return {
    user: q.user,
    channels: ws.channels().map(({ id, name, messages }) => ({ id, name, messages })),
    channel: channel ? { id: channel.id, name: channel.name } : null,
    messages: channel
      ? html`${interleave(
          ws.messages(channel.id),
          mine.filter((e) => !e.thread_ts),
          ctx,
          false,
        )}`.value
      : '',
    thread:
      channel && q.thread && thread.length > 0
        ? {
            ts: q.thread,
            html: html`${interleave(
              thread,
              mine.filter((e) => e.thread_ts === q.thread),
              ctx,
              true,
            )}`.value,
          }
        : null,
    modal: modalOf(ws.surfaces.top(q.user), ctx),
    home: q.home && home ? { key: `${home.id}:${home.hash}`, html: viewHtml(home, ctx).value } : null,
  };
}
