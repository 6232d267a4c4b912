import { createHash } from 'node:crypto';

/**
 * Ids and keys derived from what they stand for (a finding id, a request), so the same
 * thing always gets the same id, in every process and after a restart. They are stored
 * and sent to Slack and AWS: an id once given must stay byte for byte what it is, so each
 * caller keeps its own prefix, input and length.
 */

/** How many hex digits of the SHA-256 are kept: 20 (80 bits), 24 (96 bits) or 32 (128 bits). */
export type HashLength = 20 | 24 | 32;

/** The first `length` hex digits of the SHA-256 of `parts`, joined by newlines. */
export function shortHash(parts: string | readonly string[], length: HashLength): string {
  const text = typeof parts === 'string' ? parts : parts.join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** `<prefix>-<shortHash(parts, length)>`. */
export function hashedId(prefix: string, parts: string | readonly string[], length: HashLength): string {
  return `${prefix}-${shortHash(parts, length)}`;
}
