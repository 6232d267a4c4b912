/**
 * Cuts what no real finding has and anything downstream would choke on: nesting deep
 * enough to overflow the stack of a recursive walk (`JSON.stringify` throws past a few
 * thousand levels) and strings big enough to bloat the store and every message. The
 * walk recurses, but never deeper than `maxDepth` frames: whatever lies deeper is
 * replaced before it is entered, so the check itself cannot overflow. The value is
 * changed in place (it is a freshly parsed document) and each cut leaves a marker
 * saying what was there. This runs on every finding, so it stays a plain loop over
 * keys with nothing allocated per node and no call per string.
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
  if (typeof value === 'string') return { value: cutString(value, bounds, cuts), cuts };
  if (value === null || typeof value !== 'object') return { value, cuts };
  if (bounds.maxDepth <= 0) return { value: deepMarker(bounds, cuts), cuts };
  walk(value, 0, bounds, cuts);
  return { value, cuts };
}

const cutString = (v: string, bounds: Bounds, cuts: Cuts): string => {
  if (v.length <= bounds.maxString) return v;
  cuts.long++;
  return `${v.slice(0, bounds.maxString)}…[cut by sirbot: ${v.length} characters]`;
};

const deepMarker = (bounds: Bounds, cuts: Cuts): string => {
  cuts.deep++;
  return `[cut by sirbot: nested deeper than ${bounds.maxDepth} levels]`;
};

/**
 * Visits the members of a container at `depth`: strings are measured where they are (no
 * call per leaf), containers one level down are entered, or replaced when that level is
 * past the bound. Objects are walked with for…in (no key array per object): a freshly
 * parsed document has only its own enumerable keys.
 */
function walk(container: object, depth: number, bounds: Bounds, cuts: Cuts): void {
  const next = depth + 1;
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) {
      const v: unknown = container[i];
      if (typeof v === 'string') {
        if (v.length > bounds.maxString) container[i] = cutString(v, bounds, cuts);
      } else if (v !== null && typeof v === 'object') {
        if (next >= bounds.maxDepth) container[i] = deepMarker(bounds, cuts);
        else walk(v, next, bounds, cuts);
      }
    }
    return;
  }
  const object = container as Record<string, unknown>;
  for (const key in object) {
    const v = object[key];
    if (typeof v === 'string') {
      if (v.length > bounds.maxString) object[key] = cutString(v, bounds, cuts);
    } else if (v !== null && typeof v === 'object') {
      if (next >= bounds.maxDepth) object[key] = deepMarker(bounds, cuts);
      else walk(v, next, bounds, cuts);
    }
  }
}
