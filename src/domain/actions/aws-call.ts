/**
 * One AWS API call, as data: what remediations and status changes will do, shown to
 * people before it happens and executed exactly as shown. `{ $ref: 'name.Field' }` in
 * an input stands for a field of an earlier call's answer (saved under `saveAs`).
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

export function isRef(v: unknown): v is Ref {
  return typeof v === 'object' && v !== null && typeof (v as Ref).$ref === 'string' && Object.keys(v).length === 1;
}

/** Replaces references with the saved answers' fields. */
export function resolveRefs(value: unknown, saved: Record<string, unknown>): unknown {
  if (isRef(value)) {
    const [name, ...path] = value.$ref.split('.');
    let current: unknown = saved[name ?? ''];
    for (const key of path) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
    if (current === undefined) throw new Error(`reference ${value.$ref} has no value`);
    return current;
  }
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, saved));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, saved)]));
  return value;
}

/** `iam:UpdateAccessKey {…}` in one line, references shown as `<name.Field>`, for previews and audit. */
export function describeCall(call: AwsCall): string {
  const input = JSON.stringify(call.input, (_k, v: unknown) => (isRef(v) ? `<${v.$ref}>` : v));
  return `${call.service}:${call.operation} in ${call.account}/${call.region} ${input}`;
}
