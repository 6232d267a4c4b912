import { blocksHtml } from './blocks.ts';
import type { RenderContext } from './context.ts';
import { type SafeHtml, attrs, html } from './html.ts';
import { type Json, isObject, objects, str } from './json.ts';
import { mrkdwnHtml } from './mrkdwn.ts';
import { plainTextHtml } from './text.ts';
import { EXTERNAL_LINK, isSafeLinkUrl } from './urls.ts';

/**
 * Legacy message attachments, which the emulator stores as sent. The colour bar takes only
 * a hex colour or Slack's three names: it goes into a style attribute.
 */

const NAMED_COLORS: Record<string, string> = { good: '#2eb886', warning: '#daa038', danger: '#a30200' };
const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

function color(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (Object.hasOwn(NAMED_COLORS, value)) return NAMED_COLORS[value];
  const hex = HEX.exec(value);
  return hex ? `#${hex[1]}` : undefined;
}

/** `mrkdwn_in` lists the fields Slack formats; the rest are plain. */
function field(a: Json, key: string, ctx: RenderContext): SafeHtml | undefined {
  const text = str(a, key);
  if (!text) return undefined;
  const formatted = Array.isArray(a.mrkdwn_in) ? a.mrkdwn_in.includes(key) : key === 'text' || key === 'pretext';
  return formatted ? mrkdwnHtml(text, ctx) : plainTextHtml(text, true);
}

const part = (className: string, content: SafeHtml | undefined) => (content ? html`<div${attrs({ class: className })}>${content}</div>` : '');

function attachmentHtml(a: Json, ctx: RenderContext): SafeHtml {
  const bar = color(str(a, 'color'));
  const titleLink = str(a, 'title_link');
  const title = field(a, 'title', ctx);
  const linkedTitle =
    title && titleLink && isSafeLinkUrl(titleLink) ? html`<a${attrs({ class: 'sb-link', href: titleLink, ...EXTERNAL_LINK })}>${title}</a>` : title;
  const fields = objects(a, 'fields').map(
    (f) =>
      html`<div${attrs({ class: f.short === true ? 'sb-field sb-field-short' : 'sb-field' })}><div class="sb-field-title">${plainTextHtml(str(f, 'title') ?? '', true)}</div><div>${mrkdwnHtml(str(f, 'value') ?? '', ctx)}</div></div>`,
  );
  const blocks = Array.isArray(a.blocks) ? blocksHtml(a.blocks, ctx) : undefined;
  // Slack shows the fallback only when the attachment has nothing else to show.
  const fallback = title || str(a, 'text') || fields.length > 0 || blocks ? undefined : field(a, 'fallback', ctx);
  return html`<div${attrs({ class: 'sb-attachment', style: bar ? `border-left-color:${bar}` : undefined })}>${[
    part('sb-attachment-pretext', field(a, 'pretext', ctx)),
    part('sb-attachment-title', linkedTitle),
    part('sb-attachment-text', field(a, 'text', ctx)),
    fields.length > 0 ? html`<div class="sb-fields">${fields}</div>` : '',
    blocks ?? '',
    part('sb-attachment-text', fallback),
    part('sb-attachment-footer', field(a, 'footer', ctx)),
  ]}</div>`;
}

export function attachmentsHtml(attachments: unknown, ctx: RenderContext): SafeHtml {
  const list = Array.isArray(attachments) ? attachments.filter(isObject) : [];
  return html`${list.map((a) => attachmentHtml(a, ctx))}`;
}
