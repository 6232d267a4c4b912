/**
 * Block Kit validation that fails the way Slack does: `invalid_blocks` with one message per
 * problem, each ending in the JSON pointer of the offending value. Unknown block or element
 * types are refused, so a layout the emulator has not been taught cannot pass unnoticed.
 */
import { Check, isObject, type Json } from './block-kit-check.ts';
import { checkElement } from './block-kit-elements.ts';

export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

export interface BlockScope {
  check: Check;
  element(element: unknown, at: string): void;
}

/** Rules for one block type; add an entry to teach the emulator a new one. */
export type BlockRule = (block: Json, at: string, scope: BlockScope) => void;

export const BLOCKS: Record<string, BlockRule> = {
  section(block, at, { check, element }) {
    if (block.text === undefined && block.fields === undefined) check.add('must define either `text` or `fields`', `${at}/type`);
    check.text(block, 'text', at, { max: 3000 });
    for (const [i, field] of check.list(block, 'fields', at, { min: 1, max: 10 }).entries()) check.textAt(field, `${at}/fields/${i}`, { max: 2000 });
    if (block.accessory !== undefined) element(block.accessory, `${at}/accessory`);
  },
  header(block, at, { check }) {
    check.text(block, 'text', at, { max: 150, plainOnly: true, required: true });
  },
  divider() {},
  context(block, at, { check, element }) {
    check.list(block, 'elements', at, { min: 1, max: 10, required: true }).forEach((item, i) => {
      const pointer = `${at}/elements/${i}`;
      if (isObject(item) && item.type === 'image') element(item, pointer);
      else check.textAt(item, pointer, { max: 3000 });
    });
  },
  actions(block, at, { check, element }) {
    for (const [i, item] of check.list(block, 'elements', at, { min: 1, max: 25, required: true }).entries()) element(item, `${at}/elements/${i}`);
  },
  image(block, at, { check }) {
    if (block.slack_file === undefined) check.string(block, 'image_url', at, { max: 3000, required: true });
    check.string(block, 'alt_text', at, { max: 2000, required: true });
    check.text(block, 'title', at, { max: 2000, plainOnly: true });
  },
  input(block, at, { check, element }) {
    check.text(block, 'label', at, { max: 2000, plainOnly: true, required: true });
    check.text(block, 'hint', at, { max: 2000, plainOnly: true });
    if (block.element === undefined) check.add('missing required field: element', at);
    else element(block.element, `${at}/element`);
  },
  markdown(block, at, { check }) {
    check.string(block, 'text', at, { max: 12_000, required: true });
  },
  // Rich text is what Slack's own composer produces; its inner grammar is not worth mirroring here.
  rich_text(block, at, { check }) {
    check.list(block, 'elements', at, { min: 0, max: Number.POSITIVE_INFINITY, required: true });
  },
};

/**
 * Every problem Slack would report for these blocks, or none. `root` is where the blocks sit
 * in the request, for pointers: `/blocks` in messages, `/view/blocks` in views.
 */
export function validateBlocks(blocks: unknown, surface: Surface = 'message', root = '/blocks'): string[] {
  const check = new Check();
  if (!Array.isArray(blocks)) {
    check.add('must provide an array', root);
    return check.problems;
  }
  const max = MAX_BLOCKS[surface];
  if (blocks.length > max) check.add(`no more than ${max} items allowed`, root);
  const blockIds = new Set<string>();
  for (const [i, block] of blocks.entries()) {
    // Slack wants an action_id unique among the others of its containing block.
    const actionIds = new Set<string>();
    const scope: BlockScope = { check, element: (el, at) => checkElement(el, at, check, actionIds) };
    const at = `${root}/${i}`;
    if (!check.object(block, at)) continue;
    const rule = typeof block.type === 'string' && Object.hasOwn(BLOCKS, block.type) ? BLOCKS[block.type] : undefined;
    if (!rule) {
      check.add(`unsupported type: ${String(block.type)}`, `${at}/type`);
      continue;
    }
    if (block.block_id !== undefined) {
      check.string(block, 'block_id', at, { max: 255 });
      check.unique(blockIds, block, 'block_id', at);
    }
    rule(block, at, scope);
  }
  return check.problems;
}
