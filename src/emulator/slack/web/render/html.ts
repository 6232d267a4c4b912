/**
 * HTML building where every interpolated value is escaped unless it is already `SafeHtml`.
 * The renderers show what a bot sent, and bots echo attacker-chosen text (finding titles,
 * resource names), so nothing is trusted by default — attribute values included.
 */

/** Escapes text for element content and for double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A fragment already built by these helpers; the only thing `html` inserts unescaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Interpolation = SafeHtml | string | number | boolean | null | undefined | readonly Interpolation[];

function interpolate(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template: `html\`<b title="${t}">${body}</b>\`` escapes `t` and `body` unless they
 * are `SafeHtml`; arrays are joined, and null, undefined and false render nothing.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += interpolate(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Marks a string built elsewhere in this module tree as HTML. Never for outside input. */
export function raw(trusted: string): SafeHtml {
  return new SafeHtml(trusted);
}

export function join(parts: readonly Interpolation[], separator: SafeHtml | string = ''): SafeHtml {
  const sep = separator instanceof SafeHtml ? separator.value : escapeHtml(separator);
  return new SafeHtml(
    parts
      .map(interpolate)
      .filter((p) => p !== '')
      .join(sep),
  );
}

export type AttributeValue = string | number | boolean | null | undefined;

const ATTRIBUTE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * ` name="value"` pairs with escaped values; null, undefined and false are left out and
 * true gives a bare boolean attribute. Names are ours, never data, but are checked anyway.
 */
export function attrs(values: Record<string, AttributeValue>): SafeHtml {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (!ATTRIBUTE_NAME.test(name)) throw new Error(`bad attribute name: ${name}`);
    if (value === null || value === undefined || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return new SafeHtml(out);
}
