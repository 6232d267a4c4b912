/**
 * Security Hub automation-rule filter semantics, evaluated over the values a finding
 * has for one field (a field may have several: Types, ResourceId, ResourceTags…).
 *
 * Within one criterion, positive comparisons (EQUALS, PREFIX, CONTAINS) are OR'ed and
 * negative ones (NOT_EQUALS, PREFIX_NOT_EQUALS, NOT_CONTAINS) are AND'ed, as Security
 * Hub does; different criteria of one rule are AND'ed. A field the finding does not
 * have matches no positive filter and every negative one.
 */

export const STRING_COMPARISONS = ['EQUALS', 'PREFIX', 'NOT_EQUALS', 'PREFIX_NOT_EQUALS', 'CONTAINS', 'NOT_CONTAINS'] as const;
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

export interface MapFilter {
  Key: string;
  Value: string;
  Comparison: MapComparison;
}

const NEGATIVE = new Set<string>(['NOT_EQUALS', 'PREFIX_NOT_EQUALS', 'NOT_CONTAINS']);

export function isNegative(comparison: string): boolean {
  return NEGATIVE.has(comparison);
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
  }
}

/** A negative filter holds when no value hits it; a positive one when any value does. */
function combine<F extends { Comparison: string }>(filters: F[], hit: (f: F) => boolean): boolean {
  let positives = 0;
  let positiveHit = false;
  for (const f of filters) {
    if (isNegative(f.Comparison)) {
      if (hit(f)) return false;
    } else {
      positives++;
      if (!positiveHit && hit(f)) positiveHit = true;
    }
  }
  return positives === 0 || positiveHit;
}

export function matchStringFilters(values: readonly string[], filters: StringFilter[]): boolean {
  return combine(filters, (f) => values.some((v) => matchString(v, f)));
}

export function matchMapFilters(maps: readonly Record<string, string>[], filters: MapFilter[]): boolean {
  return combine(filters, (f) =>
    maps.some((m) => {
      const v = Object.hasOwn(m, f.Key) ? m[f.Key] : undefined;
      if (v === undefined) return false;
      return f.Comparison === 'CONTAINS' || f.Comparison === 'NOT_CONTAINS' ? v.includes(f.Value) : v === f.Value;
    }),
  );
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
  return filters.some((f) => values.some((n) => inRange(n, f)));
}

const DAY_MS = 86_400_000;

export function matchDateFilters(values: readonly string[], filters: DateFilter[], now: number): boolean {
  return filters.some((f) =>
    values.some((iso) => {
      const t = Date.parse(iso);
      if (Number.isNaN(t)) return false;
      if (f.DateRange) return t >= now - f.DateRange.Value * DAY_MS && t <= now;
      if (f.Start !== undefined && t < Date.parse(f.Start)) return false;
      if (f.End !== undefined && t > Date.parse(f.End)) return false;
      return true;
    }),
  );
}
