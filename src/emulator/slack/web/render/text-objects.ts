import type { RenderContext } from './context.ts';
import { SafeHtml } from './html.ts';
import { type Json, isObject } from './json.ts';
import { mrkdwnHtml } from './mrkdwn.ts';
import { plainTextHtml, plainTextString } from './text.ts';

const EMPTY = new SafeHtml('');

/** A Block Kit text object: mrkdwn through the mrkdwn renderer, anything else as plain text. */
export function textObjectHtml(value: unknown, ctx: RenderContext): SafeHtml {
  if (!isObject(value) || typeof value.text !== 'string') return EMPTY;
  if (value.type === 'mrkdwn') return mrkdwnHtml(value.text, ctx, { verbatim: value.verbatim === true });
  return plainTextHtml(value.text, value.emoji !== false);
}

/**
 * A text object as bare text, where HTML takes no markup (`<option>`, attribute values).
 * Slack only allows plain_text there; mrkdwn would lose its formatting either way.
 */
export function textObjectString(value: unknown): string {
  if (!isObject(value) || typeof value.text !== 'string') return '';
  return plainTextString(value.text, (value as Json).emoji !== false);
}
