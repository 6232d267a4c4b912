/** Reading a submitted view's `state.values` (block id → action id → element state). */
export type ViewValues = Record<
  string,
  Record<string, { type?: string; value?: string | null; selected_option?: { value?: string } | null; selected_date?: string | null }>
>;

/** The value of the `value` element in a block: typed text, a chosen option or a date. */
export function valueIn(values: ViewValues, block: string): string {
  const el = values[block]?.value;
  return (el?.value ?? el?.selected_option?.value ?? el?.selected_date ?? '').trim();
}

/** A comma-, space- or newline-separated list. */
export function listIn(values: ViewValues, block: string): string[] {
  return valueIn(values, block)
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
