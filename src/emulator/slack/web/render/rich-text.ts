import type { RenderContext } from './context.ts';
import { formatSlackDate } from './dates.ts';
import { EMOJI } from './emoji.ts';
import { type SafeHtml, attrs, html } from './html.ts';
import { type Json, obj, objects, str } from './json.ts';
import { controlToken } from './mrkdwn-tokens.ts';
import { textHtml } from './text.ts';
import { EXTERNAL_LINK, isSafeLinkUrl } from './urls.ts';

/**
 * The rich_text block, which Slack's own composer produces (people's messages in the
 * workbench). Its text is literal — no entities, no mrkdwn — so it is only escaped.
 */

const ID = /^[A-Z0-9][A-Z0-9_-]*$/i;

function styled(content: SafeHtml, style: Json | undefined): SafeHtml {
  if (!style) return content;
  let out = content;
  if (style.code === true) out = html`<code class="sb-code">${out}</code>`;
  if (style.strike === true) out = html`<s>${out}</s>`;
  if (style.italic === true) out = html`<i>${out}</i>`;
  if (style.bold === true) out = html`<b>${out}</b>`;
  return out;
}

function inlineElement(el: Json, ctx: RenderContext): SafeHtml {
  const style = obj(el, 'style');
  switch (el.type) {
    case 'text':
      return styled(textHtml(str(el, 'text') ?? ''), style);
    case 'link': {
      const url = str(el, 'url') ?? '';
      const label = str(el, 'text') || url;
      if (!isSafeLinkUrl(url)) return styled(html`${label}`, style);
      return styled(html`<a${attrs({ class: 'sb-link', href: url, ...EXTERNAL_LINK })}>${label}</a>`, style);
    }
    case 'user':
    case 'channel':
    case 'usergroup': {
      const id = str(el, el.type === 'user' ? 'user_id' : el.type === 'channel' ? 'channel_id' : 'usergroup_id') ?? '';
      if (!ID.test(id)) return html``;
      const body = el.type === 'user' ? `@${id}` : el.type === 'channel' ? `#${id}` : `!subteam^${id}`;
      return styled(controlToken(body, ctx).html, style);
    }
    case 'broadcast': {
      const range = str(el, 'range') ?? '';
      return ['here', 'channel', 'everyone'].includes(range) ? controlToken(`!${range}`, ctx).html : html``;
    }
    case 'emoji': {
      const name = str(el, 'name') ?? '';
      return html`${Object.hasOwn(EMOJI, name) ? EMOJI[name] : `:${name}:`}`;
    }
    case 'date': {
      const formatted = formatSlackDate(String(el.timestamp ?? ''), str(el, 'format') ?? '', ctx);
      return html`<time class="sb-date">${formatted ?? str(el, 'fallback') ?? ''}</time>`;
    }
    default:
      return html`<span class="sb-unsupported">[unsupported rich text: ${String(el.type)}]</span>`;
  }
}

const inlines = (el: Json, ctx: RenderContext) => objects(el, 'elements').map((e) => inlineElement(e, ctx));

function part(el: Json, ctx: RenderContext): SafeHtml {
  switch (el.type) {
    case 'rich_text_section':
      return html`<div class="sb-rich-section">${inlines(el, ctx)}</div>`;
    case 'rich_text_quote':
      return html`<blockquote class="sb-quote">${inlines(el, ctx)}</blockquote>`;
    case 'rich_text_preformatted':
      return html`<pre class="sb-pre">${inlines(el, ctx)}</pre>`;
    case 'rich_text_list': {
      const items = objects(el, 'elements').map((item) => html`<li>${inlines(item, ctx)}</li>`);
      return el.style === 'ordered' ? html`<ol class="sb-rich-list">${items}</ol>` : html`<ul class="sb-rich-list">${items}</ul>`;
    }
    default:
      return html`<span class="sb-unsupported">[unsupported rich text: ${String(el.type)}]</span>`;
  }
}

export function richTextHtml(block: Json, ctx: RenderContext): SafeHtml {
  return html`${objects(block, 'elements').map((el) => part(el, ctx))}`;
}
