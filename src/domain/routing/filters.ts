/**
 * Security Hub automation-rule filter semantics, evaluated over the values a finding
 * has for one field (a field may have several: Types, ResourceId, ResourceTags…).
 *
 * Within one criterion, positive comparisons (EQUALS, PREFIX, CONTAINS, CONTAINS_WORD) are OR'ed and
 * negative ones (NOT_EQUALS, PREFIX_NOT_EQUALS, NOT_CONTAINS) are AND'ed, as Security
 * Hub does; different criteria of one rule are AND'ed. A field the finding does not
 * have matches no positive filter and every negative one.
 */

export const STRING_COMPARISONS = ['EQUALS', 'PREFIX', 'NOT_EQUALS', 'PREFIX_NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS', 'CONTAINS_WORD'] as const;
export type StringComparison = (typeof STRING_COMPARISONS)[number];

export const MAP_COMPARISONS = ['EQUALS', 'NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS'] as const;
export type MapComparison = (typeof MAP_COMPARISONS)[number];

export interface StringFilter {
  Value: string;
  Comparison: StringComparison;
}

export interface NumberFilter {
  Gte?: number;
  Lte?: number;
  Gt?: number;
  Lt?: number;
  Eq?: number;
}

export interface DateFilter {
  Start?: string;
  End?: string;
  DateRange?: { Value: number; Unit: 'DAYS' };
}

/** A date filter with its bounds parsed once, when the rule is loaded. */
export interface CompiledDateFilter {
  fromMs?: number;
  toMs?: number;
  lastDays?: number;
}

export function compileDateFilter(f: DateFilter): CompiledDateFilter {
  if (f.DateRange) return { lastDays: f.DateRange.Value };
  return {
    ...(f.Start !== undefined ? { fromMs: Date.parse(f.Start) } : {}),
    ...(f.End !== undefined ? { toMs: Date.parse(f.End) } : {}),
  };
}

export interface MapFilter {
  Key: string;
  Value: string;
  Comparison: MapComparison;
}

export function isNegative(comparison: string): boolean {
  return comparison === 'NOT_EQUALS' || comparison === 'PREFIX_NOT_EQUALS' || comparison === 'NOT_CONTAINS';
}

function matchString(value: string, filter: StringFilter): boolean {
  switch (filter.Comparison) {
    case 'EQUALS':
    case 'NOT_EQUALS':
      return value === filter.Value;
    case 'PREFIX':
    case 'PREFIX_NOT_EQUALS':
      return value.startsWith(filter.Value);
    case 'CONTAINS':
    case 'NOT_CONTAINS':
      return value.includes(filter.Value);
    case 'CONTAINS_WORD':
      return containsWord(value, filter.Value);
  }
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** The value contains the filter as a whole word: not preceded or followed by a letter, digit or underscore. */
function containsWord(value: string, word: string): boolean {
  if (word === '') return false;
  for (let at = value.indexOf(word); at !== -1; at = value.indexOf(word, at + 1)) {
    const before = at === 0 ? '' : value.charAt(at - 1);
    const after = value.charAt(at + word.length);
    if (!WORD_CHAR.test(before) && !WORD_CHAR.test(after)) return true;
  }
  return false;
}

function anyString(values: readonly string[], f: StringFilter): boolean {
  for (const v of values) if (matchString(v, f)) return true;
  return false;
}

function anyMap(maps: readonly Record<string, string>[], f: MapFilter): boolean {
  const contains = f.Comparison === 'CONTAINS' || f.Comparison === 'NOT_CONTAINS';
  for (const m of maps) {
    if (!Object.hasOwn(m, f.Key)) continue;
    const v = m[f.Key] as string;
    if (contains ? v.includes(f.Value) : v === f.Value) return true;
  }
  return false;
}

/*
 * A negative filter holds when no value hits it; a positive one when any value does.
 * `hit` is a module-level function, not a closure: this runs for every rule against
 * every finding of a storm.
 */
function combine<F extends { Comparison: string }, V>(filters: F[], values: V, hit: (values: V, f: F) => boolean): boolean {
  let positives = 0;
  let positiveHit = false;
  for (const f of filters) {
    if (isNegative(f.Comparison)) {
      if (hit(values, f)) return false;
    } else {
      positives++;
      if (!positiveHit && hit(values, f)) positiveHit = true;
    }
  }
  return positives === 0 || positiveHit;
}

export function matchStringFilters(values: readonly string[], filters: StringFilter[]): boolean {
  return combine(filters, values, anyString);
}

export function matchMapFilters(maps: readonly Record<string, string>[], filters: MapFilter[]): boolean {
  return combine(filters, maps, anyMap);
}

function inRange(n: number, f: NumberFilter): boolean {
  if (f.Eq !== undefined && n !== f.Eq) return false;
  if (f.Gte !== undefined && n < f.Gte) return false;
  if (f.Gt !== undefined && n <= f.Gt) return false;
  if (f.Lte !== undefined && n > f.Lte) return false;
  if (f.Lt !== undefined && n >= f.Lt) return false;
  return true;
}

/** Several number (or date) filters on one field are alternatives. */
export function matchNumberFilters(values: readonly number[], filters: NumberFilter[]): boolean {
  for (const f of filters) for (const n of values) if (inRange(n, f)) return true;
  return false;
}

const DAY_MS = 86_400_000;

function inDateRange(t: number, f: CompiledDateFilter, now: number): boolean {
  if (f.lastDays !== undefined) return t >= now - f.lastDays * DAY_MS && t <= now;
  if (f.fromMs !== undefined && t < f.fromMs) return false;
  if (f.toMs !== undefined && t > f.toMs) return false;
  return true;
}

/** `values` are epoch milliseconds; a relative range counts back from `now`. */
export function matchDateFilters(values: readonly number[], filters: CompiledDateFilter[], now: number): boolean {
  for (const t of values) for (const f of filters) if (inDateRange(t, f, now)) return true;
  return false;
}
