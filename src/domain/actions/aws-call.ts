/**
 * One AWS API call, as data: what remediations and status changes will do, shown to
 * people before it happens (call-summary.ts says it in their terms) and executed exactly
 * as shown. In an input:
 * - `{ $ref: 'name.Field' }` stands for a field of an earlier call's answer (saved under `saveAs`);
 * - `{ $time: 'call' }` stands for the moment the call is made (ISO 8601, UTC), for
 *   what must be decided then and not at preview: a revocation covers every session
 *   issued until it runs, however long an approval took;
 * - `{ $json: value }` is `value` (markers resolved) sent as JSON text, for parameters
 *   AWS takes as a document string (a policy), shown as the document in previews.
 */
export interface AwsCall {
  service: 'iam' | 'ec2' | 'ssm' | 's3' | 'securityhub' | 'guardduty';
  operation: string;
  account: string;
  region: string;
  input: Record<string, unknown>;
  saveAs?: string;
}

export interface Ref {
  $ref: string;
}

/** The time the call is made. */
export const CALL_TIME = { $time: 'call' } as const;

const only = (v: unknown, key: string): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && key in v;

export function isRef(v: unknown): v is Ref {
  return only(v, '$ref') && typeof (v as unknown as Ref).$ref === 'string';
}

export const isCallTime = (v: unknown): boolean => only(v, '$time') && v.$time === 'call';
export const isJson = (v: unknown): v is { $json: unknown } => only(v, '$json');

/** Replaces references with the saved answers' fields, the call's time with `at`, and `$json` with its JSON text. */
export function resolveRefs(value: unknown, saved: Record<string, unknown>, at?: string): unknown {
  if (isRef(value)) {
    const [name, ...path] = value.$ref.split('.');
    let current: unknown = saved[name ?? ''];
    for (const key of path) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
    if (current === undefined) throw new Error(`reference ${value.$ref} has no value`);
    return current;
  }
  if (isCallTime(value)) {
    if (!at) throw new Error('the time of the call is not known');
    return at;
  }
  if (isJson(value)) return JSON.stringify(resolveRefs(value.$json, saved, at));
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, saved, at));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, saved, at)]));
  return value;
}
