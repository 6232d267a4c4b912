import type * as z from 'zod';

/** Why one input (an envelope, or one finding inside it) could not be normalized. */
export interface IngestError {
  /** Where the input sits in what was received, e.g. `Records[0].Sns.Message.detail.findings[2]`. */
  path: string;
  /** Names the offending field and what was wrong with it. */
  message: string;
  /** The part of the input that failed, kept for the dead-letter store so it can be replayed. */
  input: unknown;
}

export function joinPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  return base ? `${base}.${segment}` : segment;
}

/** One line per zod issue, each naming the field by its full path. */
export function describeZodError(error: z.ZodError, base: string): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.reduce<string>((acc, seg) => joinPath(acc, typeof seg === 'symbol' ? String(seg) : seg), base);
      return `${where || '(root)'}: ${issue.message}`;
    })
    .join('; ');
}
