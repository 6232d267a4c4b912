/**
 * Block Kit validation that fails the way Slack does: `invalid_blocks` with one
 * message per problem, each ending in the JSON pointer of the offending value.
 */

export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

type Json = Record<string, unknown>;

class Problems {
  readonly list: string[] = [];
  add(message: string, pointer: string): void {
    this.list.push(`${message} [json-pointer:${pointer}]`);
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(p: Problems, value: unknown, at: string, o: { max: number; plainOnly?: boolean }): void {
  if (!isObject(value)) return p.add('must be a text object', at);
  if (value.type !== 'plain_text' && value.type !== 'mrkdwn') return p.add('must be one of: plain_text, mrkdwn', `${at}/type`);
  if (o.plainOnly && value.type !== 'plain_text') return p.add('must be plain_text', `${at}/type`);
  if (typeof value.text !== 'string' || value.text.length === 0) return p.add('must be a non-empty string', `${at}/text`);
  if (value.text.length > o.max) p.add(`must be less than ${o.max + 1} characters`, `${at}/text`);
}

function maxLen(p: Problems, value: unknown, at: string, max: number, required = false): void {
  if (value === undefined) {
    if (required) p.add('is required', at);
    return;
  }
  if (typeof value !== 'string') return p.add('must be a string', at);
  if (value.length > max) p.add(`must be less than ${max + 1} characters`, at);
}

function options(p: Problems, list: unknown, at: string): void {
  if (!Array.isArray(list) || list.length === 0 || list.length > 100) return p.add('must have between 1 and 100 options', at);
  list.forEach((o, i) => {
    if (!isObject(o)) return p.add('must be an option object', `${at}/${i}`);
    text(p, o.text, `${at}/${i}/text`, { max: 75 });
    maxLen(p, o.value, `${at}/${i}/value`, 150, true);
  });
}

class ElementChecker {
  readonly actionIds = new Set<string>();
  constructor(private readonly p: Problems) {}

  check(el: unknown, at: string): void {
    const p = this.p;
    if (!isObject(el)) return p.add('must be an element object', at);
    if (el.action_id !== undefined) {
      maxLen(p, el.action_id, `${at}/action_id`, 255);
      if (typeof el.action_id === 'string') {
        if (this.actionIds.has(el.action_id)) p.add(`action_id "${el.action_id}" is already used`, `${at}/action_id`);
        this.actionIds.add(el.action_id);
      }
    }
    switch (el.type) {
      case 'button':
        text(p, el.text, `${at}/text`, { max: 75, plainOnly: true });
        maxLen(p, el.value, `${at}/value`, 2000);
        maxLen(p, el.url, `${at}/url`, 3000);
        if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') p.add('must be one of: primary, danger', `${at}/style`);
        return;
      case 'static_select':
      case 'multi_static_select':
        if (el.placeholder !== undefined) text(p, el.placeholder, `${at}/placeholder`, { max: 150, plainOnly: true });
        if (el.option_groups === undefined) options(p, el.options, `${at}/options`);
        return;
      case 'overflow':
        options(p, el.options, `${at}/options`);
        if (Array.isArray(el.options) && el.options.length > 5) p.add('must have at most 5 options', `${at}/options`);
        return;
      case 'datepicker':
        if (el.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(el.initial_date))) {
          p.add('must be YYYY-MM-DD', `${at}/initial_date`);
        }
        return;
      case 'plain_text_input':
        maxLen(p, el.initial_value, `${at}/initial_value`, 3000);
        return;
      case 'image':
        maxLen(p, el.image_url, `${at}/image_url`, 3000, true);
        maxLen(p, el.alt_text, `${at}/alt_text`, 2000, true);
        return;
      case 'users_select':
      case 'conversations_select':
      case 'channels_select':
      case 'multi_users_select':
      case 'timepicker':
      case 'datetimepicker':
      case 'checkboxes':
      case 'radio_buttons':
        return;
      default:
        p.add(`unsupported type: ${String(el.type)}`, `${at}/type`);
    }
  }
}

export function validateBlocks(blocks: unknown, surface: Surface = 'message'): string[] {
  const p = new Problems();
  if (!Array.isArray(blocks)) {
    p.add('must be an array', '/blocks');
    return p.list;
  }
  if (blocks.length > MAX_BLOCKS[surface]) p.add(`must have at most ${MAX_BLOCKS[surface]} items`, '/blocks');
  const blockIds = new Set<string>();
  const elements = new ElementChecker(p);
  blocks.forEach((block, i) => {
    const at = `/blocks/${i}`;
    if (!isObject(block)) return p.add('must be a block object', at);
    if (block.block_id !== undefined) {
      maxLen(p, block.block_id, `${at}/block_id`, 255);
      if (typeof block.block_id === 'string') {
        if (blockIds.has(block.block_id)) p.add(`block_id "${block.block_id}" is already used`, `${at}/block_id`);
        blockIds.add(block.block_id);
      }
    }
    switch (block.type) {
      case 'section': {
        if (block.text === undefined && block.fields === undefined) p.add('must provide text or fields', at);
        if (block.text !== undefined) text(p, block.text, `${at}/text`, { max: 3000 });
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields) || block.fields.length > 10) p.add('must have at most 10 items', `${at}/fields`);
          else block.fields.forEach((f, j) => text(p, f, `${at}/fields/${j}`, { max: 2000 }));
        }
        if (block.accessory !== undefined) elements.check(block.accessory, `${at}/accessory`);
        return;
      }
      case 'header':
        return text(p, block.text, `${at}/text`, { max: 150, plainOnly: true });
      case 'divider':
        return;
      case 'context': {
        const els = block.elements;
        if (!Array.isArray(els) || els.length === 0 || els.length > 10) return p.add('must have between 1 and 10 items', `${at}/elements`);
        els.forEach((e, j) => {
          if (isObject(e) && e.type === 'image') elements.check(e, `${at}/elements/${j}`);
          else text(p, e, `${at}/elements/${j}`, { max: 2000 });
        });
        return;
      }
      case 'actions': {
        const els = block.elements;
        if (!Array.isArray(els) || els.length === 0 || els.length > 25) return p.add('must have between 1 and 25 items', `${at}/elements`);
        els.forEach((e, j) => elements.check(e, `${at}/elements/${j}`));
        return;
      }
      case 'input': {
        text(p, block.label, `${at}/label`, { max: 2000, plainOnly: true });
        if (block.hint !== undefined) text(p, block.hint, `${at}/hint`, { max: 2000, plainOnly: true });
        elements.check(block.element, `${at}/element`);
        return;
      }
      case 'image':
        maxLen(p, block.image_url, `${at}/image_url`, 3000, true);
        maxLen(p, block.alt_text, `${at}/alt_text`, 2000, true);
        return;
      case 'rich_text':
        if (!Array.isArray(block.elements)) p.add('must be an array', `${at}/elements`);
        return;
      default:
        p.add(`unsupported type: ${String(block.type)}`, `${at}/type`);
    }
  });
  return p.list;
}
