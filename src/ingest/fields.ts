import * as z from 'zod';

/** Shared zod pieces for source documents. Sources are lenient about extra fields, strict about types. */

export const nonEmpty = z.string().min(1, 'must be a non-empty string');

/*
 * Schemas validate and never transform: zod's compiled fast path does not survive a
 * transform, and normalization runs on every finding of every storm. Normalizers
 * convert validated values with the helpers below. Objects are `z.object`, never
 * `z.looseObject`: normalizers read only the fields a schema names (the rest stays in the
 * raw document), and copying unnamed keys into the parsed value cost as much as checking
 * the named ones.
 */

/** `\d`: an ASCII digit, as in a regular expression. */
const digit = (c: number) => c >= 48 && c <= 57;
/** Two digits from `at` forming a number between `min` and `max`. */
function twoDigits(v: string, at: number, min: number, max: number): boolean {
  const a = v.charCodeAt(at);
  const b = v.charCodeAt(at + 1);
  if (!digit(a) || !digit(b)) return false;
  const n = (a - 48) * 10 + (b - 48);
  return n >= min && n <= max;
}

/**
 * `^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]\d\d:?\d\d)$`,
 * the usual form of a finding's timestamps, read character by character: on every
 * finding of a storm, the regular expression cost more than the rest of the field's check.
 */
export function isIso8601(v: string): boolean {
  if (v.length < 20) return false;
  if (!digit(v.charCodeAt(0)) || !digit(v.charCodeAt(1)) || !digit(v.charCodeAt(2)) || !digit(v.charCodeAt(3))) return false;
  if (v.charCodeAt(4) !== 45 || !twoDigits(v, 5, 1, 12) || v.charCodeAt(7) !== 45 || !twoDigits(v, 8, 1, 31)) return false;
  if (v.charCodeAt(10) !== 84 || !twoDigits(v, 11, 0, 23) || v.charCodeAt(13) !== 58) return false;
  if (!twoDigits(v, 14, 0, 59) || v.charCodeAt(16) !== 58 || !twoDigits(v, 17, 0, 59)) return false;
  let at = 19;
  if (v.charCodeAt(at) === 46) {
    let digits = 0;
    while (digit(v.charCodeAt(at + 1 + digits))) digits++;
    if (digits < 1 || digits > 9) return false;
    at += 1 + digits;
  }
  const zone = v.charCodeAt(at);
  if (zone === 90) return at + 1 === v.length;
  if (zone !== 43 && zone !== 45) return false;
  if (!digit(v.charCodeAt(at + 1)) || !digit(v.charCodeAt(at + 2))) return false;
  at += 3;
  if (v.charCodeAt(at) === 58) at++;
  return at + 2 === v.length && digit(v.charCodeAt(at)) && digit(v.charCodeAt(at + 1));
}

/** An ISO-8601 (or any Date.parse-able) timestamp; the usual form spares Date.parse. */
export const isoDate = z.string().refine((value) => isIso8601(value) || !Number.isNaN(Date.parse(value)), {
  message: 'not a valid date',
});

/**
 * Epoch milliseconds (OCSF `*_time`), within what a JavaScript date can hold (±8.64e15 ms,
 * ECMAScript's time value range): a value beyond it is refused here, as its finding's
 * error, rather than throwing a RangeError when it is turned into a date.
 */
const MAX_TIME_VALUE = 8.64e15;
export const epochMillis = z.number().finite().min(-MAX_TIME_VALUE).max(MAX_TIME_VALUE);

const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A validated timestamp (string or epoch ms) as ISO-8601 UTC with milliseconds. */
export function toIso(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' && CANONICAL_ISO.test(value)) return value;
  return new Date(typeof value === 'number' ? value : Date.parse(value)).toISOString();
}

/**
 * A map of strings (ASFF `Tags`, `ProductFields`). Written as an object whose every other
 * key must be a string rather than `z.record(z.string(), z.string())`, which validates
 * each key as a schema too and costs twice as much on every finding; it accepts the same
 * JSON documents, and a value that is not an object is still reported as "expected record".
 */
const asRecord: z.core.$ZodErrorMap = (issue) => (issue.code === 'invalid_type' ? z.config().localeError?.({ ...issue, expected: 'record' }) : undefined);
export const stringMap = z.object({}, { error: asRecord }).catchall(z.string());

const given = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null && v !== '';

/** The first value given (not undefined, null or empty); three at most, so no array is built per call. */
export function firstDefined<T>(a: T | null | undefined, b: T | null | undefined, c?: T | null): T | null {
  if (given(a)) return a;
  if (given(b)) return b;
  return given(c) ? c : null;
}

/** The region field of an ARN (`arn:partition:service:region:…`), without splitting the whole ARN. */
export function regionOfArn(arn: string | null | undefined): string | null {
  if (!arn) return null;
  const a = arn.indexOf(':');
  const b = a === -1 ? -1 : arn.indexOf(':', a + 1);
  const c = b === -1 ? -1 : arn.indexOf(':', b + 1);
  const d = c === -1 ? -1 : arn.indexOf(':', c + 1);
  return d > c + 1 ? arn.slice(c + 1, d) : null;
}
