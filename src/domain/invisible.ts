/**
 * Characters a reader does not see but which change what they see: bidi embeddings,
 * overrides, isolates and marks (Trojan Source: `invoice\u202Efdp.exe` reads
 * "invoiceexe.pdf"), zero-width spaces and joiners, the word joiner and BOM, and every
 * other Unicode format character (Cf); and the C0/C1 controls terminals and some
 * clients act on (NUL, ESC `\u001b[31m`…), tab and newline aside. Findings are
 * attacker-controlled, so wherever their text is shown these are replaced by
 * something visible: a responder must see that something was there.
 */

/** `[U+202E]`: visible, names the character, and is neither mrkdwn nor an entity. */
export function visibleCodePoint(codePoint: number): string {
  return `[U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}]`;
}

/**
 * 1. Emoji that need an invisible character to be drawn, kept whole: a zero-width joiner
 *    between pictographs (👩‍💻), the tag characters of a subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿).
 * 2. Line breaks other than `\n` (CR, CRLF, U+2028, U+2029): they mean a new line.
 * 3. Controls (C0 but tab and newline, DEL, C1) and format characters.
 */
const SCAN =
  /(\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}]?\u200D(?=\p{Extended_Pictographic})|\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F})|(\r\n?|[\u2028\u2029])|([\x00-\x08\x0B-\x1F\x7F-\x9F]|\p{Cf})/gu;
const ANY = /[\x00-\x08\x0B-\x1F\x7F-\x9F\u2028\u2029\p{Cf}]/u;

/**
 * Replaces every invisible or control character (see above) with `replacement(codePoint,
 * index, whole)` — `[U+XXXX]` unless told otherwise; other line breaks become `\n`.
 * The result contains none of them, so applying it again changes nothing.
 */
export function neutralizeInvisible(value: string, replacement: (codePoint: number, index: number, whole: string) => string = visibleCodePoint): string {
  if (!ANY.test(value)) return value;
  return value.replace(
    SCAN,
    (match: string, emoji: string | undefined, lineBreak: string | undefined, _c: string | undefined, index: number, whole: string) => {
      if (emoji) return emoji;
      if (lineBreak) return '\n';
      return replacement(match.codePointAt(0) as number, index, whole);
    },
  );
}

const JSON_INVISIBLE = /[\x7F-\x9F\u2028\u2029\p{Cf}]/gu;

/**
 * JSON text with the invisible characters of its strings written as `\uXXXX` escapes:
 * the same document once parsed, but a preview shows them. (JSON.stringify already
 * escapes C0 controls; it leaves these as they are.)
 */
export function escapeInvisibleInJson(json: string): string {
  return json.replace(JSON_INVISIBLE, (ch) => Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''));
}
