import { attachmentsHtml } from './attachments.ts';
import { blocksHtml } from './blocks.ts';
import type { RenderContext } from './context.ts';
import { messageTime } from './dates.ts';
import { type SafeHtml, attrs, html } from './html.ts';
import { mrkdwnHtml } from './mrkdwn.ts';

/** A message as the emulator stores it (`EmulatedMessage`); every field but ts is optional. */
export interface RenderableMessage {
  ts: string;
  channel?: string;
  user?: string;
  bot_id?: string;
  username?: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  subtype?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  edited?: { user: string; ts: string };
  files?: Array<{ id: string; name: string; title: string }>;
}

export interface MessageOptions {
  /** Shown inside its thread: the parent leaves out its "N replies" summary. */
  inThread?: boolean;
}

function timeHtml(ts: string | undefined, className: string, ctx: RenderContext): SafeHtml | string {
  const t = ts ? messageTime(ts, ctx) : null;
  return t ? html`<time${attrs({ class: className, datetime: t.iso, title: t.full })}>${t.time}</time>` : '';
}

function threadSummary(m: RenderableMessage, ctx: RenderContext): SafeHtml | string {
  const replies = typeof m.reply_count === 'number' && m.reply_count > 0 ? m.reply_count : 0;
  const isParent = !m.thread_ts || m.thread_ts === m.ts;
  if (!replies || !isParent) return '';
  const last = m.latest_reply ? html` <span class="sb-thread-last">last reply ${timeHtml(m.latest_reply, 'sb-ts', ctx)}</span>` : '';
  return html`<button${attrs({ type: 'button', class: 'sb-thread-summary', 'data-thread-ts': m.ts })}>${replies} ${replies === 1 ? 'reply' : 'replies'}${last}</button>`;
}

function filesHtml(files: RenderableMessage['files']): SafeHtml | string {
  if (!Array.isArray(files) || files.length === 0) return '';
  const items = files.map((f) => html`<li${attrs({ class: 'sb-file', 'data-file-id': f?.id })}>${f?.title || f?.name || f?.id || 'file'}</li>`);
  return html`<ul class="sb-files">${items}</ul>`;
}

/**
 * Slack shows blocks when a message has them; `text` is then only the notification
 * fallback. Without blocks, `text` is mrkdwn with bare URLs linked.
 */
function bodyHtml(m: RenderableMessage, ctx: RenderContext): SafeHtml | string {
  if (Array.isArray(m.blocks) && m.blocks.length > 0) return blocksHtml(m.blocks, ctx);
  if (typeof m.text === 'string' && m.text) return html`<div class="sb-message-text">${mrkdwnHtml(m.text, ctx)}</div>`;
  return '';
}

export function messageHtml(m: RenderableMessage, ctx: RenderContext, options: MessageOptions = {}): SafeHtml {
  const author = (m.user ? ctx.userName(m.user) : undefined) ?? m.username ?? m.user ?? m.bot_id ?? 'unknown';
  const app = m.bot_id ? html` <span class="sb-app-badge">APP</span>` : '';
  const broadcast = m.subtype === 'thread_broadcast' ? html`<div class="sb-broadcast-note">replied to a thread</div>` : '';
  const edited = m.edited ? html`<span class="sb-edited">(edited)</span>` : '';
  return html`<article${attrs({ class: m.bot_id ? 'sb-message sb-message-bot' : 'sb-message', 'data-ts': m.ts, 'data-thread-ts': m.thread_ts, 'data-user-id': m.user })}><header class="sb-message-header"><span class="sb-author">${author}</span>${app} ${timeHtml(m.ts, 'sb-ts', ctx)}</header>${broadcast}<div class="sb-message-body">${bodyHtml(m, ctx)}${attachmentsHtml(m.attachments, ctx)}${filesHtml(m.files)}${edited}</div>${options.inThread ? '' : threadSummary(m, ctx)}</article>`;
}

/** One message: author, time, body (blocks, or text without them), files, edits and thread summary. */
export function renderMessage(message: RenderableMessage, ctx: RenderContext, options: MessageOptions = {}): string {
  return messageHtml(message, ctx, options).value;
}
