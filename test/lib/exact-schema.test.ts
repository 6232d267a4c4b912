import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { exactly } from '../../src/lib/exact-schema.ts';

interface Target {
  id: string;
  at: string | null;
  note?: string;
}

describe('exactly', () => {
  it('takes a schema that parses the type, and gives it back', () => {
    const schema = z.object({ id: z.string(), at: z.string().nullable(), note: z.string().optional() });
    expect(exactly<Target>()(schema)).toBe(schema);
  });

  it('does not compile for a schema missing a field of the type, or with one the type lacks', () => {
    // @ts-expect-error `at` is missing: what it parses is not a Target.
    exactly<Target>()(z.object({ id: z.string() }));
    // @ts-expect-error `extra` is not a field of Target.
    exactly<Target>()(z.object({ id: z.string(), at: z.string().nullable(), extra: z.number() }));
    expect(true).toBe(true);
  });
});
