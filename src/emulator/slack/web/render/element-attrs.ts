import type { AttributeValue } from './html.ts';
import { type Json, obj, str } from './json.ts';

/** Where an element sits: the page script needs the block id to build Slack's payload. */
export interface ElementScope {
  blockId?: string;
}

/**
 * The data a page script turns into the real interaction payload: the element's type,
 * action and block ids, and its confirm dialog (as JSON) so it can ask before sending.
 */
export function interactionAttrs(el: Json, scope: ElementScope): Record<string, AttributeValue> {
  const confirm = obj(el, 'confirm');
  return {
    'data-type': str(el, 'type'),
    'data-action-id': str(el, 'action_id'),
    'data-block-id': scope.blockId,
    'data-confirm': confirm ? JSON.stringify(confirm) : undefined,
  };
}

/** Form field name `<block_id>.<action_id>`: view state is keyed by both. */
export const fieldName = (el: Json, scope: ElementScope): string => `${scope.blockId ?? ''}.${str(el, 'action_id') ?? ''}`;
