import * as z from 'zod';

/** Shared zod pieces for source documents. Sources are lenient about extra fields, strict about types. */

export const nonEmpty = z.string().min(1, 'must be a non-empty string');

/*
 * Schemas validate and never transform: zod's compiled fast path does not survive a
 * transform, and normalization runs on every finding of every storm. Normalizers
 * convert validated values with the helpers below.
 */

const ISO_8601 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]\d\d:?\d\d)$/;

/** An ISO-8601 (or any Date.parse-able) timestamp; the regex spares Date.parse for the usual form. */
export const isoDate = z.string().refine((value) => ISO_8601.test(value) || !Number.isNaN(Date.parse(value)), {
  message: 'not a valid date',
});

/** Epoch milliseconds (OCSF `*_time`). */
export const epochMillis = z.number().finite();

const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A validated timestamp (string or epoch ms) as ISO-8601 UTC with milliseconds. */
export function toIso(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' && CANONICAL_ISO.test(value)) return value;
  return new Date(typeof value === 'number' ? value : Date.parse(value)).toISOString();
}

export const stringMap = z.record(z.string(), z.string());

export function firstDefined<T>(...values: (T | null | undefined)[]): T | null {
  for (const v of values) if (v !== undefined && v !== null && v !== '') return v;
  return null;
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
