import type { Check, Json } from './block-kit-check.ts';
import { CHOICE_ELEMENTS, placeholder } from './block-kit-choices.ts';

/** Rules for one interactive (or image) element; add an entry to teach the emulator a new one. */
export type ElementRule = (element: Json, at: string, check: Check) => void;

/** Slack's "are you sure?" dialog on buttons and selects. */
const confirmDialog: ElementRule = (el, at, check) => {
  const c = el.confirm;
  if (c === undefined) return;
  const pointer = `${at}/confirm`;
  if (!check.object(c, pointer)) return;
  check.text(c, 'title', pointer, { max: 100, plainOnly: true, required: true });
  check.text(c, 'text', pointer, { max: 300, required: true });
  check.text(c, 'confirm', pointer, { max: 30, plainOnly: true, required: true });
  check.text(c, 'deny', pointer, { max: 30, plainOnly: true, required: true });
  check.enumOf(c, 'style', pointer, ['primary', 'danger']);
};

const integerIn = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const timePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

export const ELEMENTS: Record<string, ElementRule> = {
  button(el, at, check) {
    check.text(el, 'text', at, { max: 75, plainOnly: true, required: true });
    check.string(el, 'value', at, { max: 2000 });
    check.string(el, 'url', at, { max: 3000 });
    check.string(el, 'accessibility_label', at, { max: 75 });
    check.enumOf(el, 'style', at, ['primary', 'danger']);
    confirmDialog(el, at, check);
  },
  ...CHOICE_ELEMENTS,
  datepicker(el, at, check) {
    placeholder(el, at, check);
    if (el.initial_date !== undefined && !datePattern.test(String(el.initial_date))) check.add('must match format "YYYY-MM-DD"', `${at}/initial_date`);
  },
  timepicker(el, at, check) {
    placeholder(el, at, check);
    if (el.initial_time !== undefined && !timePattern.test(String(el.initial_time))) check.add('must match format "HH:mm"', `${at}/initial_time`);
  },
  datetimepicker() {},
  plain_text_input(el, at, check) {
    placeholder(el, at, check);
    check.string(el, 'initial_value', at, { max: 3000 });
    if (el.multiline !== undefined && typeof el.multiline !== 'boolean') check.add('must provide a boolean', `${at}/multiline`);
    const min = el.min_length;
    if (min !== undefined && !integerIn(min, 0, 3000)) check.add('must be an integer between 0 and 3000', `${at}/min_length`);
    const max = el.max_length;
    if (max !== undefined && !integerIn(max, 1, 3000)) check.add('must be an integer between 1 and 3000', `${at}/max_length`);
    if (typeof max === 'number' && typeof el.initial_value === 'string' && el.initial_value.length > max)
      check.add(`must be less than ${max + 1} characters`, `${at}/initial_value`);
  },
  email_text_input: placeholder,
  url_text_input: placeholder,
  number_input: placeholder,
  external_select: placeholder,
  conversations_select: placeholder,
  channels_select: placeholder,
  multi_external_select: placeholder,
  multi_conversations_select: placeholder,
  multi_channels_select: placeholder,
  workflow_button(el, at, check) {
    check.text(el, 'text', at, { max: 75, plainOnly: true, required: true });
  },
  image(el, at, check) {
    if (el.slack_file === undefined) check.string(el, 'image_url', at, { max: 3000, required: true });
    check.string(el, 'alt_text', at, { max: 2000, required: true });
  },
};

/** Checks an element, including the action_id Slack wants unique across the whole message. */
export function checkElement(element: unknown, at: string, check: Check, actionIds: Set<string>): void {
  if (!check.object(element, at)) return;
  const rule = typeof element.type === 'string' && Object.hasOwn(ELEMENTS, element.type) ? ELEMENTS[element.type] : undefined;
  if (!rule) return check.add(`unsupported type: ${String(element.type)}`, `${at}/type`);
  if (element.action_id !== undefined) {
    check.string(element, 'action_id', at, { max: 255 });
    check.unique(actionIds, element, 'action_id', at);
  }
  rule(element, at, check);
}
