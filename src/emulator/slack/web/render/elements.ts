import type { RenderContext } from './context.ts';
import { type ElementScope, interactionAttrs } from './element-attrs.ts';
import { choiceGroupHtml, dynamicSelectHtml, overflowHtml, selectHtml } from './element-choices.ts';
import { dateTimePickerHtml, pickerHtml, plainTextInputHtml, typedInputHtml } from './element-inputs.ts';
import { type SafeHtml, attrs, html } from './html.ts';
import { type Json, isObject, str } from './json.ts';
import { textObjectHtml } from './text-objects.ts';
import { EXTERNAL_LINK, isSafeImageUrl, isSafeLinkUrl } from './urls.ts';

export type { ElementScope } from './element-attrs.ts';

const STYLES = new Set(['primary', 'danger']);

/**
 * A button. A url button is a link (Slack opens the URL and still sends the action);
 * one whose URL is not http(s)/mailto renders as an ordinary button without it.
 */
function buttonHtml(el: Json, scope: ElementScope, ctx: RenderContext): SafeHtml {
  const style = str(el, 'style');
  const url = str(el, 'url');
  const common = {
    class: `sb-button${style && STYLES.has(style) ? ` sb-button-${style}` : ''}`,
    'data-value': str(el, 'value'),
    'aria-label': str(el, 'accessibility_label'),
    ...interactionAttrs(el, scope),
  };
  const label = textObjectHtml(el.text, ctx);
  if (url && isSafeLinkUrl(url)) return html`<a${attrs({ ...common, href: url, 'data-url': url, ...EXTERNAL_LINK })}>${label}</a>`;
  return html`<button${attrs({ type: 'button', ...common })}>${label}</button>`;
}

/** An image element (section accessory, context): only web URLs load; others show their alt text. */
export function imageElementHtml(el: Json, className: string): SafeHtml {
  const url = str(el, 'image_url');
  const alt = str(el, 'alt_text') ?? '';
  if (!url || !isSafeImageUrl(url)) return html`<span class="sb-image-missing">[image: ${alt}]</span>`;
  return html`<img${attrs({ class: className, src: url, alt, title: alt || undefined, loading: 'lazy', referrerpolicy: 'no-referrer' })}>`;
}

export function unsupported(what: 'block' | 'element' | 'view', type: unknown): SafeHtml {
  const name = typeof type === 'string' ? type : '?';
  return html`<span${attrs({ class: 'sb-unsupported', 'data-type': name })}>[unsupported ${what}: ${name}]</span>`;
}

const DYNAMIC_SELECTS = new Set([
  'users_select',
  'conversations_select',
  'channels_select',
  'external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'multi_external_select',
]);

/** Any interactive (or image) element; unknown types show a placeholder, never throw. */
export function elementHtml(el: unknown, scope: ElementScope, ctx: RenderContext): SafeHtml {
  if (!isObject(el)) return unsupported('element', undefined);
  const type = str(el, 'type') ?? '';
  switch (type) {
    case 'button':
    case 'workflow_button':
      return buttonHtml(el, scope, ctx);
    case 'static_select':
    case 'multi_static_select':
      return selectHtml(el, scope);
    case 'overflow':
      return overflowHtml(el, scope);
    case 'radio_buttons':
      return choiceGroupHtml(el, scope, ctx, 'radio');
    case 'checkboxes':
      return choiceGroupHtml(el, scope, ctx, 'checkbox');
    case 'plain_text_input':
      return plainTextInputHtml(el, scope);
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return typedInputHtml(el, scope);
    case 'datepicker':
    case 'timepicker':
      return pickerHtml(el, scope);
    case 'datetimepicker':
      return dateTimePickerHtml(el, scope);
    case 'image':
      return imageElementHtml(el, 'sb-image-element');
    default:
      return DYNAMIC_SELECTS.has(type) ? dynamicSelectHtml(el, scope) : unsupported('element', type);
  }
}
