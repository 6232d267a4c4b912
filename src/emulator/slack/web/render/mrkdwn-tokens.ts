import type { RenderContext } from './context.ts';
import { formatSlackDate } from './dates.ts';
import { type SafeHtml, attrs, html } from './html.ts';
import { decodeSlackEntities } from './text.ts';
import { EXTERNAL_LINK, isSafeLinkUrl } from './urls.ts';

/**
 * One `<…>` control sequence of Slack text: a link, a mention, a broadcast or a date. Only
 * a literal `<` in what the bot sent opens one; `&lt;` never does, which is how bots keep
 * attacker text from becoming a mention or a link.
 */
export interface ControlToken {
  /** As Slack shows it, live where it should be (links, highlighted mentions). */
  html: SafeHtml;
  /** The same as bare text, for code spans, where Slack makes nothing live. */
  text: string;
}

const BROADCASTS = new Set(['here', 'channel', 'everyone']);
const ID = /^[A-Z0-9][A-Z0-9_-]*$/i;

/** What Slack shows for a sequence it cannot interpret: the characters themselves. */
function literal(body: string): ControlToken {
  const text = `<${decodeSlackEntities(body)}>`;
  return { html: html`${text}`, text };
}

function mention(kind: 'user' | 'channel' | 'group' | 'broadcast', shown: string, data: Record<string, string>): ControlToken {
  return { html: html`<span${attrs({ class: `sb-mention sb-mention-${kind}`, ...data })}>${shown}</span>`, text: shown };
}

function date(target: string, fallback: string | undefined, body: string, ctx: RenderContext): ControlToken {
  // !date^<seconds>^<format>[^<link>]
  const [, seconds = '', format = '', ...linkParts] = target.split('^');
  const link = linkParts.length > 0 ? decodeSlackEntities(linkParts.join('^')) : undefined;
  const fallbackText = fallback === undefined ? undefined : decodeSlackEntities(fallback);
  const formatted = formatSlackDate(seconds, decodeSlackEntities(format), ctx);
  const shown = formatted ?? fallbackText;
  if (shown === undefined) return literal(body);
  const iso = formatted === null ? undefined : new Date(Number(seconds) * 1000).toISOString();
  const time = html`<time${attrs({ class: 'sb-date', datetime: iso, title: fallbackText })}>${shown}</time>`;
  if (link && isSafeLinkUrl(link)) return { html: html`<a${attrs({ class: 'sb-link', href: link, ...EXTERNAL_LINK })}>${time}</a>`, text: shown };
  return { html: time, text: shown };
}

function special(target: string, label: string | undefined, body: string, ctx: RenderContext): ControlToken {
  const command = target.slice(1);
  if (BROADCASTS.has(command)) return mention('broadcast', `@${command}`, {});
  if (command.startsWith('subteam^')) {
    const id = command.slice('subteam^'.length);
    if (!ID.test(id)) return literal(body);
    const handle = ctx.groupHandle?.(id) ?? (label ? decodeSlackEntities(label).replace(/^@/, '') : undefined) ?? id;
    return mention('group', `@${handle}`, { 'data-group-id': id });
  }
  if (command.startsWith('date^')) return date(target, label, body, ctx);
  return literal(body);
}

export function controlToken(body: string, ctx: RenderContext): ControlToken {
  const bar = body.indexOf('|');
  const target = bar === -1 ? body : body.slice(0, bar);
  const label = bar === -1 ? undefined : body.slice(bar + 1);
  const labelText = label ? decodeSlackEntities(label) : undefined;
  if (target.startsWith('@')) {
    const id = target.slice(1);
    if (!ID.test(id)) return literal(body);
    return mention('user', `@${ctx.userName(id) ?? labelText ?? id}`, { 'data-user-id': id });
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    if (!ID.test(id)) return literal(body);
    return mention('channel', `#${ctx.channelName?.(id) ?? labelText ?? id}`, { 'data-channel-id': id });
  }
  if (target.startsWith('!')) return special(target, label, body, ctx);
  const url = decodeSlackEntities(target);
  if (!isSafeLinkUrl(url)) return literal(body);
  const shown = labelText || url.replace(/^mailto:/i, '');
  return { html: html`<a${attrs({ class: 'sb-link', href: url, ...EXTERNAL_LINK })}>${shown}</a>`, text: shown };
}
