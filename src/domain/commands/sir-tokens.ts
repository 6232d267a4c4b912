/** `/sir` text as words: Slack's encoding undone, quotes kept together, `--options` told apart. */

/**
 * Slack's encoding undone: `<url|label>` → label, `<url>` → url (also mentions and
 * channel links), then the `&lt;` `&gt;` `&amp;` entities. Wrappers go first, as any
 * `<` the person typed arrives as `&lt;`.
 */
export function decodeSlackText(text: string): string {
  return text
    .replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_m, target: string, label: string | undefined) => (label ? label : target))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export interface Token {
  value: string;
  /** It began with a quote: never an option, and may hold spaces. */
  quoted: boolean;
  /** It was exactly one quoted string ("like this"). */
  wholeQuoted: boolean;
  start: number;
  end: number;
}

/** Opening quotes and what closes them: straight, curly (phones), and „German“. */
const QUOTES: Readonly<Record<string, RegExp>> = { '"': /["”]/, '“': /[”"]/, '”': /[”"]/, '„': /[“"]/ };

/** Whitespace-separated words; "double quotes" (straight or curly) keep spaces in a word. */
export function tokenize(text: string): { tokens: Token[]; unterminatedAt: number | null } {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) return { tokens, unterminatedAt: null };
    const start = i;
    let value = '';
    let sections = 0;
    let plain = false;
    while (i < text.length && !/\s/.test(text[i] as string)) {
      const ch = text[i] as string;
      const closer = QUOTES[ch];
      if (!closer) {
        value += ch;
        plain = true;
        i++;
        continue;
      }
      const length = text.slice(i + 1).search(closer);
      if (length === -1) {
        tokens.push({ value: value + text.slice(i + 1), quoted: start === i, wholeQuoted: false, start, end: text.length });
        return { tokens, unterminatedAt: i };
      }
      value += text.slice(i + 1, i + 1 + length);
      sections++;
      i += length + 2;
    }
    const quoted = QUOTES[text[start] as string] !== undefined;
    tokens.push({ value, quoted, wholeQuoted: quoted && sections === 1 && !plain, start, end: i });
  }
}

const DASHES = /^(?:--|[—–])(?=[a-z])/i;
export const isOption = (t: Token) => !t.quoted && (t.value.startsWith('--') || /^[—–]/.test(t.value));

type Options = Record<string, 'value' | 'switch'>;

/** Positionals and `--name value` / `--name=value` / `--switch` options, each at most once. */
export function parseArgs(tokens: Token[], allowed: Options): { positionals: Token[]; options: Map<string, string | true> } | { error: string } {
  const positionals: Token[] = [];
  const options = new Map<string, string | true>();
  const known = Object.keys(allowed).map((o) => `--${o}`);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (!isOption(t)) {
      positionals.push(t);
      continue;
    }
    // Phones turn "--" into a dash; "—since" is "--since".
    const raw = t.value.replace(DASHES, '--');
    const eq = raw.indexOf('=');
    const name = (eq === -1 ? raw : raw.slice(0, eq)).slice(2).toLowerCase();
    const kind = allowed[name];
    if (!kind)
      return {
        error: `unknown option ${eq === -1 ? raw : raw.slice(0, eq)}${known.length ? ` (options: ${known.join(', ')})` : ' (this subcommand takes no options)'}`,
      };
    if (options.has(name)) return { error: `--${name} is given twice` };
    if (kind === 'switch') {
      if (eq !== -1) return { error: `--${name} takes no value` };
      options.set(name, true);
      continue;
    }
    let value: string | undefined = eq === -1 ? undefined : raw.slice(eq + 1);
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next && !isOption(next)) {
        value = next.value;
        i++;
      }
    }
    if (!value) return { error: `--${name} needs a value` };
    options.set(name, value);
  }
  return { positionals, options };
}
