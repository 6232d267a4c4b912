/**
 * Elements that offer choices (selects, checkboxes, radio buttons, people pickers). Slack
 * wants their initial choices to be among what they offer ("an option object that exactly
 * matches one of the options"), which a modal built from stale data easily gets wrong.
 */
import { isObject, type Check, type Json } from './block-kit-check.ts';

export type ChoiceRule = (element: Json, at: string, check: Check) => void;

export const placeholder: ChoiceRule = (el, at, check) => check.text(el, 'placeholder', at, { max: 150, plainOnly: true });

/** The options an element offers: its own, or those of its option groups. */
function offered(el: Json): Json[] {
  const own = Array.isArray(el.options) ? el.options : [];
  const grouped = Array.isArray(el.option_groups) ? el.option_groups.flatMap((g) => (isObject(g) && Array.isArray(g.options) ? g.options : [])) : [];
  return [...own, ...grouped].filter(isObject);
}

/** Same value and same text: what Slack means by "exactly matches". */
const sameOption = (a: unknown, b: Json) =>
  isObject(a) && a.value === b.value && isObject(a.text) && isObject(b.text) && a.text.text === b.text.text && a.text.type === b.text.type;

function initialOption(el: Json, at: string, check: Check): void {
  if (el.initial_option === undefined) return;
  if (!offered(el).some((o) => sameOption(el.initial_option, o))) check.add('must match one of the provided options', `${at}/initial_option`);
}

function initialOptions(el: Json, at: string, check: Check): void {
  const options = offered(el);
  check.list(el, 'initial_options', at, { min: 0, max: 100 }).forEach((chosen, i) => {
    if (!options.some((o) => sameOption(chosen, o))) check.add('must match one of the provided options', `${at}/initial_options/${i}`);
  });
}

function maxSelected(el: Json, at: string, check: Check): void {
  const max = el.max_selected_items;
  if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1))
    check.add('must be an integer of at least 1', `${at}/max_selected_items`);
}

function staticOptions(el: Json, at: string, check: Check): void {
  placeholder(el, at, check);
  if (el.option_groups !== undefined) {
    check.list(el, 'option_groups', at, { min: 1, max: 100 }).forEach((group, i) => {
      const pointer = `${at}/option_groups/${i}`;
      if (!check.object(group, pointer)) return;
      check.text(group, 'label', pointer, { max: 75, plainOnly: true, required: true });
      check.options(group, 'options', pointer, { min: 1, max: 100, required: true });
    });
  } else {
    check.options(el, 'options', at, { min: 1, max: 100, required: true });
  }
}

function stringList(el: Json, key: string, at: string, check: Check): void {
  check.list(el, key, at, { min: 0, max: 100 }).forEach((id, i) => {
    if (typeof id !== 'string' || id === '') check.add('must provide a string', `${at}/${key}/${i}`);
  });
}

export const CHOICE_ELEMENTS: Record<string, ChoiceRule> = {
  static_select(el, at, check) {
    staticOptions(el, at, check);
    initialOption(el, at, check);
  },
  multi_static_select(el, at, check) {
    staticOptions(el, at, check);
    initialOptions(el, at, check);
    maxSelected(el, at, check);
  },
  overflow(el, at, check) {
    check.options(el, 'options', at, { min: 1, max: 5, required: true });
  },
  checkboxes(el, at, check) {
    check.options(el, 'options', at, { min: 1, max: 10, required: true, mrkdwn: true });
    initialOptions(el, at, check);
  },
  radio_buttons(el, at, check) {
    check.options(el, 'options', at, { min: 1, max: 10, required: true, mrkdwn: true });
    initialOption(el, at, check);
  },
  users_select(el, at, check) {
    placeholder(el, at, check);
    check.string(el, 'initial_user', at, { max: 255 });
  },
  multi_users_select(el, at, check) {
    placeholder(el, at, check);
    stringList(el, 'initial_users', at, check);
    maxSelected(el, at, check);
  },
};
