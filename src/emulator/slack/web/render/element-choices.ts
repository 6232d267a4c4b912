import type { RenderContext } from './context.ts';
import { type ElementScope, fieldName, interactionAttrs } from './element-attrs.ts';
import { type SafeHtml, attrs, html } from './html.ts';
import { type Json, isObject, obj, objects, str } from './json.ts';
import { textObjectHtml, textObjectString } from './text-objects.ts';
import { isSafeLinkUrl } from './urls.ts';

/** Selects, overflow menus, radio buttons and checkboxes: elements that pick option values. */

/** The values initially chosen: `initial_option` or `initial_options`. */
function initialValues(el: Json): Set<string> {
  const chosen = [obj(el, 'initial_option'), ...objects(el, 'initial_options')];
  return new Set(chosen.map((o) => (o ? str(o, 'value') : undefined)).filter((v): v is string => v !== undefined));
}

function optionTag(option: Json, selected: Set<string>): SafeHtml {
  const value = str(option, 'value') ?? '';
  const url = str(option, 'url');
  return html`<option${attrs({ value, selected: selected.has(value), 'data-url': url && isSafeLinkUrl(url) ? url : undefined })}>${textObjectString(option.text)}</option>`;
}

function optionTags(el: Json, selected: Set<string>): SafeHtml[] {
  const groups = objects(el, 'option_groups');
  if (groups.length === 0) return objects(el, 'options').map((o) => optionTag(o, selected));
  return groups.map(
    (g) => html`<optgroup${attrs({ label: textObjectString(g.label) })}>${objects(g, 'options').map((o) => optionTag(o, selected))}</optgroup>`,
  );
}

/** static_select and multi_static_select; the placeholder shows until something is chosen. */
export function selectHtml(el: Json, scope: ElementScope): SafeHtml {
  const selected = initialValues(el);
  const multiple = str(el, 'type')?.startsWith('multi_') ?? false;
  const placeholder = textObjectString(el.placeholder) || 'Select an item';
  const prompt = multiple ? '' : html`<option value="" disabled${attrs({ selected: selected.size === 0 })}>${placeholder}</option>`;
  return html`<select${attrs({ class: 'sb-select', name: fieldName(el, scope), multiple, 'data-placeholder': placeholder, ...interactionAttrs(el, scope) })}>${prompt}${optionTags(el, selected)}</select>`;
}

/**
 * Selects whose options come from the workspace or the app (users, channels, external):
 * the emulator has no list to offer, so they show their placeholder, disabled.
 */
export function dynamicSelectHtml(el: Json, scope: ElementScope): SafeHtml {
  const placeholder = textObjectString(el.placeholder) || 'Select an item';
  return html`<select${attrs({ class: 'sb-select sb-select-dynamic', name: fieldName(el, scope), disabled: true, ...interactionAttrs(el, scope) })}><option value="">${placeholder}</option></select>`;
}

/** The "⋯" menu: choosing an option is the interaction, so nothing starts selected. */
export function overflowHtml(el: Json, scope: ElementScope): SafeHtml {
  const options = objects(el, 'options').map((o) => optionTag(o, new Set()));
  return html`<select${attrs({ class: 'sb-overflow', 'aria-label': 'More actions', ...interactionAttrs(el, scope) })}><option value="" disabled selected>⋯</option>${options}</select>`;
}

/** radio_buttons and checkboxes: option labels may be mrkdwn, with an optional description. */
export function choiceGroupHtml(el: Json, scope: ElementScope, ctx: RenderContext, kind: 'radio' | 'checkbox'): SafeHtml {
  const selected = initialValues(el);
  const name = fieldName(el, scope);
  const options = objects(el, 'options').map((o) => {
    const value = str(o, 'value') ?? '';
    const description = isObject(o.description) ? html`<span class="sb-option-description">${textObjectHtml(o.description, ctx)}</span>` : '';
    return html`<label class="sb-option"><input${attrs({ type: kind, name, value, checked: selected.has(value) })}> <span class="sb-option-text">${textObjectHtml(o.text, ctx)}</span>${description}</label>`;
  });
  const role = kind === 'radio' ? 'radiogroup' : 'group';
  return html`<div${attrs({ class: kind === 'radio' ? 'sb-radio-buttons' : 'sb-checkboxes', role, ...interactionAttrs(el, scope) })}>${options}</div>`;
}
