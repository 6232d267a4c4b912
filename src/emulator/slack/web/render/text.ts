import { emojify } from './emoji.ts';
import { type SafeHtml, escapeHtml, raw } from './html.ts';

/**
 * Slack's three entity escapes, decoded in one pass so `&amp;lt;` shows as `&lt;`, not `<`.
 * Other entities (`&quot;`, `&#60;`) are not Slack's and stay as typed.
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

/** Text as a visible HTML fragment: escaped, line breaks kept. */
export function textHtml(text: string): SafeHtml {
  return raw(escapeHtml(text).replace(/\r?\n/g, '<br>'));
}

/**
 * A plain_text object's text: Slack parses no formatting, links or mentions in it, but does
 * decode its entity escapes and (with `emoji`) shortcodes.
 */
export function plainTextHtml(text: string, emoji = true): SafeHtml {
  const decoded = decodeSlackEntities(text);
  return textHtml(emoji ? emojify(decoded) : decoded);
}

/** A plain_text object's text where HTML allows no markup (option labels, attribute values). */
export function plainTextString(text: string, emoji = true): string {
  const decoded = decodeSlackEntities(text);
  return emoji ? emojify(decoded) : decoded;
}
