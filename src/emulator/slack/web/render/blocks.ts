import type { RenderContext } from './context.ts';
import { elementHtml, imageElementHtml, unsupported } from './elements.ts';
import { SafeHtml, attrs, html, join } from './html.ts';
import { type Json, isObject, list, str } from './json.ts';
import { richTextHtml } from './rich-text.ts';
import { textHtml } from './text.ts';
import { textObjectHtml } from './text-objects.ts';
import { isSafeImageUrl } from './urls.ts';

type BlockRenderer = (block: Json, ctx: RenderContext, blockId: string | undefined) => SafeHtml;

const wrap = (type: string, blockId: string | undefined, body: SafeHtml | SafeHtml[], extra: Record<string, string | boolean | undefined> = {}) =>
  html`<div${attrs({ class: `sb-block sb-${type}`, 'data-block-id': blockId, ...extra })}>${body}</div>`;

const BLOCKS: Record<string, BlockRenderer> = {
  header: (b, ctx, id) => wrap('header', id, html`<h3 class="sb-header-text">${textObjectHtml(b.text, ctx)}</h3>`),

  divider: (_b, _ctx, id) => html`<hr${attrs({ class: 'sb-block sb-divider', 'data-block-id': id })}>`,

  section(b, ctx, id) {
    const text = isObject(b.text) ? html`<div class="sb-section-text">${textObjectHtml(b.text, ctx)}</div>` : '';
    const fields = list(b, 'fields').map((f) => html`<div class="sb-field">${textObjectHtml(f, ctx)}</div>`);
    const accessory = b.accessory === undefined ? '' : html`<div class="sb-accessory">${elementHtml(b.accessory, { blockId: id }, ctx)}</div>`;
    return wrap(
      'section',
      id,
      html`<div class="sb-section-body">${text}${fields.length > 0 ? html`<div class="sb-fields">${fields}</div>` : ''}</div>${accessory}`,
    );
  },

  context(b, ctx, id) {
    const items = list(b, 'elements').map((el) =>
      isObject(el) && el.type === 'image' ? imageElementHtml(el, 'sb-context-image') : html`<span class="sb-context-text">${textObjectHtml(el, ctx)}</span>`,
    );
    return wrap('context', id, items);
  },

  actions: (b, ctx, id) =>
    wrap(
      'actions',
      id,
      list(b, 'elements').map((el) => elementHtml(el, { blockId: id }, ctx)),
    ),

  input(b, ctx, id) {
    const optional = b.optional === true ? html`<span class="sb-optional"> (optional)</span>` : '';
    const hint = isObject(b.hint) ? html`<div class="sb-hint">${textObjectHtml(b.hint, ctx)}</div>` : '';
    const body = html`<div class="sb-label">${textObjectHtml(b.label, ctx)}${optional}</div>${elementHtml(b.element, { blockId: id }, ctx)}${hint}`;
    return wrap('input', id, body, { 'data-optional': b.optional === true, 'data-dispatch-action': b.dispatch_action === true });
  },

  image(b, ctx, id) {
    const url = str(b, 'image_url');
    const alt = str(b, 'alt_text') ?? '';
    const title = isObject(b.title) ? html`<figcaption class="sb-image-title">${textObjectHtml(b.title, ctx)}</figcaption>` : '';
    const img =
      url && isSafeImageUrl(url)
        ? html`<img${attrs({ class: 'sb-image-block', src: url, alt, loading: 'lazy', referrerpolicy: 'no-referrer' })}>`
        : html`<span class="sb-image-missing">[image: ${alt}]</span>`;
    return html`<figure${attrs({ class: 'sb-block sb-image', 'data-block-id': id })}>${title}${img}</figure>`;
  },

  // Standard Markdown; shown as its source text rather than a second Markdown dialect.
  markdown: (b, _ctx, id) => wrap('markdown', id, textHtml(str(b, 'text') ?? '')),

  rich_text: (b, ctx, id) => wrap('rich-text', id, richTextHtml(b, ctx)),
};

/** One block; anything unknown or malformed shows a visible placeholder instead of throwing. */
export function blockHtml(block: unknown, ctx: RenderContext): SafeHtml {
  const type = isObject(block) ? block.type : undefined;
  const render = typeof type === 'string' && Object.hasOwn(BLOCKS, type) ? BLOCKS[type] : undefined;
  if (!isObject(block) || !render) return html`<div class="sb-block sb-unsupported-block">${unsupported('block', type)}</div>`;
  try {
    return render(block, ctx, str(block, 'block_id'));
  } catch {
    // Renderers read every field defensively; this is the last guard so one block cannot blank a page.
    return html`<div class="sb-block sb-unsupported-block">${unsupported('block', type)}</div>`;
  }
}

export function blocksHtml(blocks: unknown, ctx: RenderContext): SafeHtml {
  if (!Array.isArray(blocks)) return new SafeHtml('');
  return html`<div class="sb-blocks">${join(blocks.map((b) => blockHtml(b, ctx)))}</div>`;
}

/** Block Kit blocks as the HTML a Slack client would show, with data attributes for interaction. */
export function renderBlocks(blocks: unknown[], ctx: RenderContext): string {
  return blocksHtml(blocks, ctx).value;
}
