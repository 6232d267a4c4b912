import { ValidationFailure } from './security-ir-state.ts';
import { SIR_LIMITS, requireString, type Problems, type Body } from './security-ir-fields.ts';

/** ListCases / ListComments paging: `maxResults` and opaque `nextToken`s bound to what they list. */

export function paging(o: Body, problems: Problems): { max: number; token: string | undefined } {
  const v = o.maxResults;
  let max: number = SIR_LIMITS.maxResults.max;
  if (v !== undefined && v !== null) {
    const { min, max: top } = SIR_LIMITS.maxResults;
    if (typeof v !== 'number' || !Number.isInteger(v)) problems.push({ name: 'maxResults', message: 'must be an integer' });
    else if (v < min || v > top) problems.push({ name: 'maxResults', message: `must be between ${min} and ${top}` });
    else max = v;
  }
  const token = requireString(o, 'nextToken', 0, SIR_LIMITS.nextToken.max, problems, false);
  return { max, token: token || undefined };
}

/** Opaque to callers: which listing it continues, and the last key it returned. */
export function encodeToken(scope: string, after: string): string {
  return Buffer.from(JSON.stringify({ v: 1, scope, after }), 'utf8').toString('base64url');
}
export function decodeToken(token: string, scope: string): string {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: number; scope?: string; after?: string };
    if (t.v === 1 && t.scope === scope && typeof t.after === 'string' && /^\d{1,32}$/.test(t.after)) return t.after;
  } catch {
    // falls through to the refusal
  }
  throw new ValidationFailure([{ name: 'nextToken', message: 'is not a token this listing returned' }]);
}

/**
 * One page of `items` (already in the listing's order): those after the key the token
 * names (`follows(key, last)`), so cases added meanwhile neither repeat nor shift a page.
 */
export function page<T>(
  items: T[],
  keyOf: (t: T) => string,
  follows: (key: string, last: string) => boolean,
  scope: string,
  paged: { max: number; token: string | undefined },
) {
  let start = 0;
  if (paged.token !== undefined) {
    const last = decodeToken(paged.token, scope);
    const i = items.findIndex((t) => follows(keyOf(t), last));
    start = i === -1 ? items.length : i;
  }
  const slice = items.slice(start, start + paged.max);
  const lastItem = slice[slice.length - 1];
  const more = start + slice.length < items.length;
  return { slice, nextToken: more && lastItem !== undefined ? encodeToken(scope, keyOf(lastItem)) : undefined };
}

/** Case and comment ids are digit strings; compare them as numbers. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
