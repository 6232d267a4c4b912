import { blocksHtml } from './blocks.ts';
import type { RenderContext } from './context.ts';
import { unsupported } from './elements.ts';
import { type SafeHtml, attrs, html } from './html.ts';
import { type Json, isObject, str } from './json.ts';
import { textObjectHtml } from './text-objects.ts';

/** Identifies the view to the page script, which answers with view_submission / view_closed. */
const viewAttrs = (v: Json) => ({
  'data-view-id': str(v, 'id'),
  'data-callback-id': str(v, 'callback_id') || undefined,
  'data-external-id': str(v, 'external_id') || undefined,
});

/**
 * A modal as a form: inputs carry `name="<block_id>.<action_id>"`. `method="dialog"` keeps a
 * submit from navigating the page when no script intercepts it. Slack labels a modal's close
 * button "Cancel" when the view sets none, and shows Submit only when one is given.
 */
function modalHtml(v: Json, ctx: RenderContext): SafeHtml {
  const close = isObject(v.close) ? textObjectHtml(v.close, ctx) : html`Cancel`;
  const submit = isObject(v.submit)
    ? html`<button type="submit" class="sb-button sb-button-primary" data-view-action="submit">${textObjectHtml(v.submit, ctx)}</button>`
    : '';
  return html`<form${attrs({ class: 'sb-view sb-modal', method: 'dialog', ...viewAttrs(v) })}><header class="sb-modal-header"><h2 class="sb-modal-title">${textObjectHtml(v.title, ctx)}</h2></header><div class="sb-view-body">${blocksHtml(v.blocks, ctx)}</div><footer class="sb-modal-footer"><button type="button" class="sb-button" data-view-action="close">${close}</button>${submit}</footer></form>`;
}

function homeHtml(v: Json, ctx: RenderContext): SafeHtml {
  return html`<section${attrs({ class: 'sb-view sb-home', ...viewAttrs(v) })}><div class="sb-view-body">${blocksHtml(v.blocks, ctx)}</div></section>`;
}

export function viewHtml(view: unknown, ctx: RenderContext): SafeHtml {
  if (!isObject(view)) return html`<section class="sb-view">${unsupported('view', undefined)}</section>`;
  if (view.type === 'modal') return modalHtml(view, ctx);
  if (view.type === 'home') return homeHtml(view, ctx);
  return html`<section class="sb-view">${unsupported('view', view.type)}</section>`;
}

/** A modal (title, blocks, close and submit buttons) or an App Home tab. */
export function renderView(view: unknown, ctx: RenderContext): string {
  return viewHtml(view, ctx).value;
}
