/**
 * Cuts what no real finding has and anything downstream would choke on: nesting deep
 * enough to overflow the stack of a recursive walk (`JSON.stringify` throws past a few
 * thousand levels) and strings big enough to bloat the store and every message. The
 * walk recurses, but never deeper than `maxDepth` frames: whatever lies deeper is
 * replaced before it is entered, so the check itself cannot overflow. The value is
 * changed in place (it is a freshly parsed document) and each cut leaves a marker
 * saying what was there. This runs on every finding, so it stays a plain loop over
 * keys with nothing allocated per node.
 */
export interface Bounds {
  /** Objects and arrays deeper than this (below the value given) become a marker string. */
  maxDepth: number;
  /** Longer strings are cut to this length (Infinity: strings are left alone). */
  maxString: number;
}

/** A whole request body: only the depth (SNS messages are long strings, cut once unwrapped). */
export const BODY_BOUNDS: Bounds = { maxDepth: 64, maxString: Number.POSITIVE_INFINITY };
/**
 * One finding document. Real ASFF/OCSF/GuardDuty documents nest about ten levels and
 * their longest fields (descriptions, remediation text) run to a few kilobytes.
 */
export const DOCUMENT_BOUNDS: Bounds = { maxDepth: 32, maxString: 32 * 1024 };

export interface Cuts {
  deep: number;
  long: number;
}

export function boundInPlace(value: unknown, bounds: Bounds): { value: unknown; cuts: Cuts } {
  const cuts: Cuts = { deep: 0, long: 0 };
  const holder: Record<string, unknown> = { value };
  boundEntry(holder, 'value', 0, bounds, cuts);
  return { value: holder.value, cuts };
}

function boundEntry(container: Record<string | number, unknown>, key: string | number, depth: number, bounds: Bounds, cuts: Cuts): void {
  const v = container[key];
  if (typeof v === 'string') {
    if (v.length > bounds.maxString) {
      container[key] = `${v.slice(0, bounds.maxString)}…[cut by sirbot: ${v.length} characters]`;
      cuts.long++;
    }
    return;
  }
  if (v === null || typeof v !== 'object') return;
  if (depth >= bounds.maxDepth) {
    container[key] = `[cut by sirbot: nested deeper than ${bounds.maxDepth} levels]`;
    cuts.deep++;
    return;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) boundEntry(v as unknown as Record<number, unknown>, i, depth + 1, bounds, cuts);
    return;
  }
  const object = v as Record<string, unknown>;
  const keys = Object.keys(object);
  for (let i = 0; i < keys.length; i++) boundEntry(object, keys[i] as string, depth + 1, bounds, cuts);
}
