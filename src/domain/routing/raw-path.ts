/**
 * The keys a path reads, `[]`/`[x]` suffixes dropped (any array met fans out). Paths come
 * from rules and field definitions and are read for every finding, so each is split
 * once; the map only grows with the distinct paths they name.
 */
const keysByPath = new Map<string, string[]>();

function keysOf(path: string): string[] {
  let keys = keysByPath.get(path);
  if (!keys) {
    keys = path.split('.').map((raw) => (raw.endsWith('[]') || raw.endsWith('[x]') ? raw.slice(0, raw.indexOf('[')) : raw));
    keysByPath.set(path, keys);
  }
  return keys;
}

/**
 * Reads values from a source document by a dotted path, where `[]` or `[x]` after a
 * segment fans out over an array (`resources[].tags`). Always returns a flat list.
 */
export function readPath(doc: unknown, path: string): unknown[] {
  let current: unknown[] = [doc];
  for (const key of keysOf(path)) {
    const next: unknown[] = [];
    for (const node of current) {
      if (node === null || typeof node !== 'object') continue;
      const value = (node as Record<string, unknown>)[key];
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) next.push(...value);
      else next.push(value);
    }
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

/** `resources[x].tags`, `resources[].tags` and `resources.tags` (the API's spelling) name one field. */
export function canonicalPath(path: string): string {
  return path.replace(/\[(x|\d*)\]/g, '');
}

export function strings(values: unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
  }
  return out;
}

export function numbers(values: unknown[]): number[] {
  return values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** ASFF maps are objects; OCSF tags are `[{name, value}]`. Both become plain maps. */
export function maps(values: unknown[]): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  const pairs: Record<string, string> = {};
  let sawPairs = false;
  for (const v of values) {
    if (!v || typeof v !== 'object') continue;
    const o = v as Record<string, unknown>;
    if (typeof o.name === 'string' && 'value' in o) {
      pairs[o.name] = String(o.value ?? '');
      sawPairs = true;
    } else {
      out.push(Object.fromEntries(Object.entries(o).filter(([, x]) => typeof x === 'string')) as Record<string, string>);
    }
  }
  if (sawPairs) out.push(pairs);
  return out;
}
