/**
 * Making finding-supplied (attacker-controlled) strings safe for Slack.
 *
 * Slack parses `&`, `<` and `>` as control characters in every text object, so they
 * are always entity-escaped: that alone defuses `<!channel>`, `<@U…>` and forged
 * `<https://evil|click>` links. Prose goes into plain_text objects (no formatting is
 * parsed there); identifiers go into mrkdwn code spans, where `*`, `_` and `~` are
 * literal. Bare `@here`/`@channel`/`@everyone` get a word joiner so no client or
 * `link_names` setting can turn them into a broadcast.
 */

const WORD_JOINER = '\u2060';

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

export function escapeText(value: string): string {
  return value
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

/** An identifier as an inline code span: formatting characters stay literal. */
export function code(value: string, max = 200): string {
  const cleaned = value.replace(/`/g, 'ˋ').replace(/[\r\n]+/g, ' ');
  return `\`${truncate(escapeText(cleaned.length > max * 4 ? cleaned.slice(0, max * 4) : cleaned), max)}\``;
}

/** Slack renders this in the reader's time zone and falls back to the ISO string. */
export function slackDate(iso: string | null): string {
  if (!iso) return '—';
  const seconds = Math.floor(Date.parse(iso) / 1000);
  if (!Number.isFinite(seconds)) return '—';
  return `<!date^${seconds}^{date_short_pretty} {time}|${escapeText(iso)}>`;
}

/** A link whose URL we built ourselves; the label is escaped so it cannot close the link. */
export function link(url: string, label: string): string {
  const safeUrl = url.replace(/[<>|\s]/g, encodeURIComponent);
  return `<${safeUrl}|${escapeText(label).replace(/\|/g, '∣')}>`;
}
