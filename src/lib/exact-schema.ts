import type * as z from 'zod';

/** Whether A and B are assignable to each other (the same fields, of the same types). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * A zod schema checked against the type it stands for: `exactly<T>()(schema)` compiles
 * only when what the schema parses is T, so the type stays the one definition and a
 * field added to it (or to the schema) without the other is a compile error.
 */
export function exactly<T>() {
  return <S extends z.ZodType<T>>(schema: S, ..._sameAsType: Same<z.output<S>, T> extends true ? [] : [never]): S => schema;
}
