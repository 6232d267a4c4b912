import { type ElementScope, fieldName, interactionAttrs } from './element-attrs.ts';
import { type SafeHtml, attrs, html } from './html.ts';
import { type Json, str } from './json.ts';
import { textObjectString } from './text-objects.ts';

/** Text, number and date inputs, with the initial values the bot filled in. */

const positiveInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined);
const finite = (v: unknown): number | string | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? v : undefined;

/** plain_text_input: a textarea when multiline; max_length and min_length carry over. */
export function plainTextInputHtml(el: Json, scope: ElementScope): SafeHtml {
  const common = {
    class: 'sb-text-input',
    name: fieldName(el, scope),
    placeholder: textObjectString(el.placeholder) || undefined,
    maxlength: positiveInt(el.max_length),
    minlength: positiveInt(el.min_length),
    ...interactionAttrs(el, scope),
  };
  const initial = str(el, 'initial_value') ?? '';
  if (el.multiline === true) return html`<textarea${attrs({ ...common, rows: 4 })}>${initial}</textarea>`;
  return html`<input${attrs({ type: 'text', ...common, value: initial })}>`;
}

const INPUT_TYPES: Record<string, string> = { email_text_input: 'email', url_text_input: 'url', number_input: 'number' };

/** email, url and number inputs: the browser's own input types, with Slack's bounds for numbers. */
export function typedInputHtml(el: Json, scope: ElementScope): SafeHtml {
  const type = INPUT_TYPES[str(el, 'type') ?? ''] ?? 'text';
  const number = type === 'number';
  return html`<input${attrs({
    type,
    class: 'sb-text-input',
    name: fieldName(el, scope),
    value: str(el, 'initial_value'),
    placeholder: textObjectString(el.placeholder) || undefined,
    step: number ? (el.is_decimal_allowed === true ? 'any' : '1') : undefined,
    min: number ? finite(el.min_value) : undefined,
    max: number ? finite(el.max_value) : undefined,
    ...interactionAttrs(el, scope),
  })}>`;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** datepicker and timepicker; an initial value in the wrong shape is left out, as Slack refuses it. */
export function pickerHtml(el: Json, scope: ElementScope): SafeHtml {
  const time = str(el, 'type') === 'timepicker';
  const initial = str(el, time ? 'initial_time' : 'initial_date');
  return html`<input${attrs({
    type: time ? 'time' : 'date',
    class: time ? 'sb-timepicker' : 'sb-datepicker',
    name: fieldName(el, scope),
    value: initial && (time ? TIME : DATE).test(initial) ? initial : undefined,
    placeholder: textObjectString(el.placeholder) || undefined,
    ...interactionAttrs(el, scope),
  })}>`;
}

/** datetimepicker: `initial_date_time` is epoch seconds; shown in UTC. */
export function dateTimePickerHtml(el: Json, scope: ElementScope): SafeHtml {
  const seconds = typeof el.initial_date_time === 'number' && Number.isFinite(el.initial_date_time) ? el.initial_date_time : undefined;
  const date = seconds === undefined ? undefined : new Date(seconds * 1000);
  const value = date && Number.isFinite(date.getTime()) ? date.toISOString().slice(0, 16) : undefined;
  return html`<input${attrs({ type: 'datetime-local', class: 'sb-datetimepicker', name: fieldName(el, scope), value, ...interactionAttrs(el, scope) })}>`;
}
