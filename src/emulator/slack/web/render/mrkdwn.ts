import type { RenderContext } from './context.ts';
import { emojify } from './emoji.ts';
import { SafeHtml, attrs, html, join, raw } from './html.ts';
import { type ControlToken, controlToken } from './mrkdwn-tokens.ts';
import { decodeSlackEntities } from './text.ts';
import { EXTERNAL_LINK } from './urls.ts';

/**
 * Slack mrkdwn to HTML, in the order that keeps escaped text inert:
 * 1. `<…>` control sequences are cut out of the raw text first and replaced by placeholders
 *    made of private-use characters (stripped from the input beforehand, so text cannot forge
 *    one). Only a literal `<` starts a sequence, so `&lt;@U1&gt;` stays text.
 * 2. Only then are `&amp;` `&lt;` `&gt;` decoded; what they produce is never parsed as a sequence.
 * 3. Formatting (pre, quotes, code, bold, italic, strike) is parsed on the decoded text, and
 *    every run of text is HTML-escaped as it is emitted.
 */

export interface MrkdwnOptions {
  /** A text object's `verbatim`: true leaves bare URLs as text, as Slack does. Default false. */
  verbatim?: boolean;
}

const PRIVATE_USE = /[\uE000-\uE01F]/g;
const CONTROL = /<([^<>\n]*)>/g;
const PLACEHOLDER = /\uE000([\uE010-\uE019]+)\uE001/g;
const DIGIT_BASE = 0xe010;

const placeholder = (index: number) => `\uE000${[...String(index)].map((d) => String.fromCharCode(DIGIT_BASE + Number(d))).join('')}\uE001`;
const placeholderIndex = (digits: string) => Number([...digits].map((c) => c.charCodeAt(0) - DIGIT_BASE).join(''));

interface Emit {
  tokens: ControlToken[];
  autolink: boolean;
}

/**
 * Bare web URLs, as Slack links them in text that is not verbatim; trailing punctuation stays
 * outside, and `|` ends one so an escaped `&lt;https://x|label&gt;` links no more than `https://x`.
 */
const BARE_URL = /\bhttps?:\/\/[^\s<>"'|]+/g;

function prose(text: string, autolink: boolean): SafeHtml {
  if (!autolink) return html`${emojify(text)}`;
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const m of text.matchAll(BARE_URL)) {
    const url = m[0].replace(/[.,;:!?)\]]+$/, '');
    parts.push(html`${emojify(text.slice(last, m.index))}<a${attrs({ class: 'sb-link', href: url, ...EXTERNAL_LINK })}>${url}</a>`);
    last = m.index + url.length;
  }
  parts.push(html`${emojify(text.slice(last))}`);
  return join(parts);
}

/** A run of decoded text with placeholders: prose, or code (no emoji, no links, tokens as text). */
function emit(text: string, o: Emit, code = false): SafeHtml {
  const parts: SafeHtml[] = [];
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const before = text.slice(last, m.index);
    parts.push(code ? html`${before}` : prose(before, o.autolink));
    const token = o.tokens[placeholderIndex(m[1] ?? '')];
    if (token) parts.push(code ? html`${token.text}` : token.html);
    last = m.index + m[0].length;
  }
  const rest = text.slice(last);
  parts.push(code ? html`${rest}` : prose(rest, o.autolink));
  return join(parts);
}

/**
 * Slack's emphasis: the marker hugs non-space text and is not inside a word, so
 * `snake_case_name` and `2*3*4` stay as typed.
 */
const emphasis = (m: string) => new RegExp(`(?<![\\p{L}\\p{N}${m}])${m}(?!\\s)([^${m}\\n]+?)(?<!\\s)${m}(?![\\p{L}\\p{N}${m}])`, 'gu');

const SPANS: ReadonlyArray<{ tag: 'code' | 'b' | 'i' | 's'; re: RegExp }> = [
  { tag: 'code', re: /`([^`\n]+)`/gu },
  { tag: 'b', re: emphasis('\\*') },
  { tag: 'i', re: emphasis('_') },
  { tag: 's', re: emphasis('~') },
];

interface Span {
  tag: string;
  index: number;
  end: number;
  inner: string;
}

/**
 * One line's inline formatting; the earliest span wins, and spans nest except in code.
 * Each kind's next match is remembered until the scan passes it, so a long line costs one
 * pass per kind rather than one per span found.
 */
function inline(text: string, o: Emit): SafeHtml {
  const out: SafeHtml[] = [];
  const next = new Map<string, Span | null>();
  let pos = 0;
  while (pos < text.length) {
    let best: Span | undefined;
    for (const { tag, re } of SPANS) {
      let found = next.get(tag);
      if (found === undefined || (found !== null && found.index < pos)) {
        re.lastIndex = pos;
        const m = re.exec(text);
        found = m ? { tag, index: m.index, end: m.index + m[0].length, inner: m[1] ?? '' } : null;
        next.set(tag, found);
      }
      if (found && (!best || found.index < best.index)) best = found;
    }
    if (!best) break;
    out.push(emit(text.slice(pos, best.index), o));
    if (best.tag === 'code') out.push(html`<code class="sb-code">${emit(best.inner, o, true)}</code>`);
    else out.push(html`${raw(`<${best.tag}>`)}${inline(best.inner, o)}${raw(`</${best.tag}>`)}`);
    pos = best.end;
  }
  out.push(emit(text.slice(pos), o));
  return join(out);
}

const QUOTE = /^>[ \t]?/;

/** Lines outside pre blocks: runs of `>` lines become one quote, the others are joined by breaks. */
function lines(text: string, o: Emit): SafeHtml {
  const out: SafeHtml[] = [];
  let quote: SafeHtml[] = [];
  let previousWasLine = false;
  const flushQuote = () => {
    if (quote.length > 0) out.push(html`<blockquote class="sb-quote">${join(quote, raw('<br>'))}</blockquote>`);
    quote = [];
  };
  for (const line of text.split('\n')) {
    if (QUOTE.test(line)) {
      quote.push(inline(line.replace(QUOTE, ''), o));
      previousWasLine = false;
      continue;
    }
    flushQuote();
    if (previousWasLine) out.push(raw('<br>'));
    out.push(inline(line, o));
    previousWasLine = true;
  }
  flushQuote();
  return new SafeHtml(out.map(String).join(''));
}

const PRE = /```([\s\S]*?)```/g;

export function mrkdwnHtml(text: string, ctx: RenderContext, options: MrkdwnOptions = {}): SafeHtml {
  const tokens: ControlToken[] = [];
  const cut = text.replace(PRIVATE_USE, '\uFFFD').replace(CONTROL, (_, body: string) => {
    tokens.push(controlToken(body, ctx));
    return placeholder(tokens.length - 1);
  });
  const decoded = decodeSlackEntities(cut.replace(/\r\n?/g, '\n'));
  const o: Emit = { tokens, autolink: options.verbatim !== true };
  const out: SafeHtml[] = [];
  let last = 0;
  for (const m of decoded.matchAll(PRE)) {
    const before = decoded.slice(last, m.index).replace(/\n$/, '');
    if (before) out.push(lines(before, o));
    const body = (m[1] ?? '').replace(/^\n/, '').replace(/\n$/, '');
    out.push(html`<pre class="sb-pre">${emit(body, o, true)}</pre>`);
    last = m.index + m[0].length;
  }
  const rest = last === 0 ? decoded : decoded.slice(last).replace(/^\n/, '');
  if (rest || out.length === 0) out.push(lines(rest, o));
  return join(out);
}

/** Slack mrkdwn as the HTML a Slack client would show; see `mrkdwnHtml`. */
export function renderMrkdwn(text: string, ctx: RenderContext, options: MrkdwnOptions = {}): string {
  return mrkdwnHtml(text, ctx, options).value;
}
