import { z } from 'zod';

/** Shared zod pieces for source documents. Sources are lenient about extra fields, strict about types. */

export const nonEmpty = z.string().min(1, 'must be a non-empty string');

/** An ISO-8601 (or any Date.parse-able) timestamp, normalized to ISO-8601 UTC. */
export const isoDate = z.string().transform((value, ctx) => {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `not a valid date: ${JSON.stringify(value.slice(0, 40))}` });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

/** Epoch milliseconds (OCSF `*_time`) normalized to ISO-8601 UTC. */
export const epochMillis = z.number().finite().transform((ms) => new Date(ms).toISOString());

export const stringMap = z.record(z.string(), z.string());

export function firstDefined<T>(...values: (T | null | undefined)[]): T | null {
  for (const v of values) if (v !== undefined && v !== null && v !== '') return v;
  return null;
}

export function regionOfArn(arn: string | null | undefined): string | null {
  if (!arn) return null;
  const parts = arn.split(':');
  return parts.length > 3 && parts[3] ? parts[3] : null;
}
