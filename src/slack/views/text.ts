import { neutralizeInvisible } from '../../domain/invisible.ts';

/**
 * Making finding-supplied (attacker-controlled) strings safe for Slack.
 *
 * Invisible characters (bidi overrides and isolates, zero-width characters, NUL, ESC
 * and the other controls: domain/invisible.ts) are replaced by a visible `[U+202E]`
 * first, so nothing can reorder or hide what a responder reads. Slack parses `&`, `<`
 * and `>` as control characters in every text object, so they are always
 * entity-escaped: that alone defuses `<!channel>`, `<@U…>` and forged
 * `<https://evil|click>` links. Prose goes into plain_text objects (no formatting is
 * parsed there); identifiers go into mrkdwn code spans, where `*`, `_` and `~` are
 * literal. Bare `@here`/`@channel`/`@everyone` get a word joiner so no client or
 * `link_names` setting can turn them into a broadcast — after the input's own word
 * joiners were made visible, so the only ones left are these.
 */

const WORD_JOINER = '\u2060';
const DEFUSED_MENTION = /^(here|channel|everyone)\b/i;

export const LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  contextText: 2000,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  blocksPerMessage: 50,
  fieldsPerSection: 10,
  contextElements: 10,
  /** Slack truncates message `text` beyond 40,000 characters; the fallback is a notification line. */
  fallbackText: 3000,
} as const;

/** The input's invisible characters made visible, nothing else changed: for plain input values (a modal's initial_value). */
export function neutralize(value: string): string {
  return neutralizeInvisible(value);
}

export function escapeText(value: string): string {
  return neutralizeInvisible(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(here|channel|everyone)\b/gi, `@${WORD_JOINER}$1`);
}

/**
 * Cuts to at most `max` UTF-16 units without splitting a surrogate pair or an entity
 * produced by `escapeText`, marking the cut with an ellipsis.
 */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  let end = Math.max(0, max - 1);
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  const amp = value.lastIndexOf('&', end);
  if (amp !== -1 && end - amp < 6 && !value.slice(amp, end).includes(';')) end = amp;
  return `${value.slice(0, end)}…`;
}

/** Escaped and cut to fit: for plain_text objects. */
export function safeText(value: string, max: number): string {
  const oneLine = value.length > max * 4 ? value.slice(0, max * 4) : value;
  return truncate(escapeText(oneLine), max);
}

/**
 * Escaped text (escapeText's) cut into at most `max` pieces of at most `room` characters,
 * for sections of their own: never inside an entity escapeText made and, with `atLineEnd`,
 * at the last line end in a piece's second half. `rest` is what did not fit.
 */
export function escapedPieces(text: string, room: number, max: number, atLineEnd = false): { pieces: string[]; rest: string } {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > 0 && pieces.length < max) {
    let piece = rest.slice(0, room);
    if (piece.length < rest.length) {
      const nl = atLineEnd ? piece.lastIndexOf('\n') : -1;
      if (nl > room / 2) piece = piece.slice(0, nl);
      const amp = piece.lastIndexOf('&');
      if (amp !== -1 && piece.length - amp < 6 && !piece.slice(amp).includes(';')) piece = piece.slice(0, amp);
    }
    pieces.push(piece);
    rest = rest.slice(piece.length);
  }
  return { pieces, rest };
}

/** An identifier as an inline code span: formatting characters stay literal. */
export function code(value: string, max = 200): string {
  const cut = value.length > max * 4 ? value.slice(0, max * 4) : value;
  // Invisible characters first: the line breaks they include become spaces too.
  const cleaned = neutralizeInvisible(cut).replace(/`/g, 'ˋ').replace(/\n+/g, ' ');
  return `\`${truncate(escapeText(cleaned), max)}\``;
}

/** Slack renders this in the reader's time zone and falls back to the ISO string. */
export function slackDate(iso: string | null): string {
  if (!iso) return '—';
  const seconds = Math.floor(Date.parse(iso) / 1000);
  if (!Number.isFinite(seconds)) return '—';
  return `<!date^${seconds}^{date_short_pretty} {time}|${escapeText(iso)}>`;
}

/**
 * A URL that cannot close a link or hide in its text: `<`, `>`, `|`, white space and
 * invisible characters percent-encoded (a finding's own console URL may carry them).
 */
export function safeUrl(url: string): string {
  return url.replace(/[<>|\s\x00-\x1F\x7F-\x9F\p{Cf}]/gu, encodeURIComponent);
}

/** A link whose URL we built ourselves; the label is escaped so it cannot close the link. */
export function link(url: string, label: string): string {
  return `<${safeUrl(url)}|${escapeText(label).replace(/\|/g, '∣')}>`;
}

/**
 * Last line of defence for every text object (views/blocks.ts `plain`, `mrkdwn`): an
 * invisible character a builder let through becomes U+FFFD, which never lengthens the
 * text past a limit it was cut to. The word joiners escapeText puts into
 * `@here`/`@channel`/`@everyone` are kept.
 */
export function visibleOnly(text: string): string {
  return neutralizeInvisible(text, (codePoint, index, whole) =>
    codePoint === 0x2060 && whole[index - 1] === '@' && DEFUSED_MENTION.test(whole.slice(index + 1, index + 10)) ? WORD_JOINER : '\uFFFD',
  );
}

/**
 * Mentions come from our own configuration (validated ids), never from findings:
 * `S…` is a user group, `U…`/`W…` a user.
 */
export function mentionMarkup(id: string): string {
  if (/^S[A-Z0-9]+$/.test(id)) return `<!subteam^${id}>`;
  if (/^[UW][A-Z0-9]+$/.test(id)) return `<@${id}>`;
  return code(id, 60);
}
