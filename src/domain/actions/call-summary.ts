import { type AwsCall, isCallTime, isJson, isRef } from './aws-call.ts';
import { OCSF_STATUS_ID } from './workflow-status.ts';

/**
 * An AWS call as people read it in a preview, a confirmation or a result: the action
 * (`iam:UpdateAccessKey`, as IAM policies and CloudTrail name it), where it runs, what it
 * acts on and its other parameters, each one value — never the request's JSON. Values
 * are raw text here (they may come from a finding); views escape them.
 */
export interface CallSummary {
  action: string;
  account: string;
  region: string;
  /** What the call acts on (`access key`, `instance`, `finding`…) and its ids. */
  target: { noun: string; ids: CallValue[] } | null;
  parameters: Array<{ name: string; value: CallValue }>;
}

/**
 * One value: `data` is AWS data (an id, a setting, a note someone wrote, a policy
 * document in sentences) and shown as such; `words` is sirbot's own description of a
 * value known only when the call is made (an earlier call's answer, the moment of the call).
 */
export interface CallValue {
  text: string;
  kind: 'data' | 'words';
}

/** Parameters naming what a call acts on, most telling first; the first one present is the target. */
const TARGETS: ReadonlyArray<[string, string]> = [
  ['AccessKeyId', 'access key'],
  ['InstanceId', 'instance'],
  ['InstanceIds', 'instance'],
  ['Bucket', 'bucket'],
  ['RoleName', 'role'],
  ['FindingIds', 'finding'],
  ['FindingInfoUid', 'finding'],
  ['MetadataUids', 'finding'],
  ['GroupId', 'security group'],
  ['GroupName', 'security group'],
  ['UserName', 'user'],
  ['DocumentName', 'runbook'],
];

/** Under FindingIdentifiers, `Id` is the finding's id. */
const FINDING_ID_PATH = 'FindingIdentifiers.Id';

/** Parameter names too vague on their own: shown with their parent (`Note.Text`). */
const VAGUE = new Set(['Text', 'Value', 'Key', 'Name', 'Id', 'Type']);

const OCSF_STATUS_NAME = new Map(Object.entries(OCSF_STATUS_ID).map(([name, id]) => [id, name]));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const data = (text: string): CallValue => ({ text, kind: 'data' });
const words = (text: string): CallValue => ({ text, kind: 'words' });

/** A leaf of a call's input: its keys (array positions left out) and its value. */
interface Leaf {
  path: string[];
  value: CallValue;
}

/** What an earlier answer is, in words: `GroupId from step 1 (CreateSecurityGroup)`. */
function refWords(ref: string, earlier: readonly AwsCall[]): string {
  const [name = '', ...path] = ref.split('.');
  const fields = path.filter((p) => !/^\d+$/.test(p));
  const field = fields.length > 0 ? fields.join('.') : 'the answer';
  const first = path.some((p) => /^\d+$/.test(p)) ? 'the first of ' : '';
  const step = earlier.findIndex((c) => c.saveAs === name);
  const source = step === -1 ? `the answer saved as ${name}` : `step ${step + 1} (${(earlier[step] as AwsCall).operation})`;
  return `${first}${field} from ${source}`;
}

/** A policy document in sentences, one per statement: `Deny * on * when aws:TokenIssueTime is before the time of the call`. */
const OPERATOR_WORDS: Record<string, string> = {
  DateLessThan: 'is before',
  DateLessThanEquals: 'is at or before',
  DateGreaterThan: 'is after',
  DateGreaterThanEquals: 'is at or after',
  StringEquals: 'is',
  StringNotEquals: 'is not',
  StringLike: 'matches',
  StringNotLike: 'does not match',
  ArnEquals: 'is',
  ArnLike: 'matches',
  Bool: 'is',
  IpAddress: 'is in',
  NotIpAddress: 'is not in',
  NumericEquals: 'is',
  NumericLessThan: 'is less than',
  NumericGreaterThan: 'is more than',
};

/** Any value in one line of words: `Key value, Key value`, lists joined, markers described. */
function scalarText(v: unknown, earlier: readonly AwsCall[] = []): string {
  if (isRef(v)) return refWords(v.$ref, earlier);
  if (isCallTime(v)) return 'the time of the call';
  if (Array.isArray(v)) return v.map((x) => scalarText(x, earlier)).join(', ');
  if (isObject(v))
    return Object.entries(v)
      .map(([k, x]) => `${k} ${scalarText(x, earlier)}`)
      .join(', ');
  return v === null || v === undefined ? 'none' : String(v);
}

function principalText(p: unknown, earlier: readonly AwsCall[]): string {
  if (p === '*') return 'anyone';
  if (isObject(p))
    return Object.values(p)
      .map((x) => scalarText(x, earlier))
      .join(', ');
  return scalarText(p, earlier);
}

function statementText(s: Record<string, unknown>, earlier: readonly AwsCall[]): string {
  const text = (v: unknown) => scalarText(v, earlier);
  const parts = [String(s.Effect ?? '?')];
  if (s.Principal !== undefined) parts.push(principalText(s.Principal, earlier));
  if (s.NotPrincipal !== undefined) parts.push(`everyone but ${principalText(s.NotPrincipal, earlier)}`);
  parts.push(s.Action !== undefined ? text(s.Action) : s.NotAction !== undefined ? `all but ${text(s.NotAction)}` : '?');
  parts.push('on', s.Resource !== undefined ? text(s.Resource) : s.NotResource !== undefined ? `all but ${text(s.NotResource)}` : 'this resource');
  const conditions: string[] = [];
  if (isObject(s.Condition)) {
    for (const [operator, tests] of Object.entries(s.Condition)) {
      if (!isObject(tests)) continue;
      for (const [key, value] of Object.entries(tests)) conditions.push(`${key} ${OPERATOR_WORDS[operator] ?? operator} ${text(value)}`);
    }
  }
  return `${parts.join(' ')}${conditions.length > 0 ? ` when ${conditions.join(' and ')}` : ''}`;
}

/** A JSON document (or its text) as a policy in words, or null when it is no policy. */
export function policyWords(document: unknown, earlier: readonly AwsCall[] = []): string | null {
  let doc = document;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc) as unknown;
    } catch {
      return null;
    }
  }
  if (!isObject(doc) || doc.Statement === undefined) return null;
  const statements = (Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]).filter(isObject);
  if (statements.length === 0) return null;
  return statements.map((st) => statementText(st, earlier)).join('; ');
}

function leaves(value: unknown, path: string[], earlier: readonly AwsCall[], out: Leaf[]): Leaf[] {
  if (isRef(value)) out.push({ path, value: words(refWords(value.$ref, earlier)) });
  else if (isCallTime(value)) out.push({ path, value: words('the time of the call') });
  else if (isJson(value)) {
    const policy = policyWords(value.$json, earlier);
    out.push({ path, value: data(policy ?? scalarText(value.$json, earlier)) });
  } else if (Array.isArray(value)) {
    if (value.every((v) => !isObject(v) && !Array.isArray(v)))
      out.push({
        path,
        value: value.some(isRef)
          ? words(value.map((v) => (isRef(v) ? refWords(v.$ref, earlier) : String(v))).join(', '))
          : data(value.map((v) => String(v)).join(', ')),
      });
    else for (const v of value) leaves(v, path, earlier, out);
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], earlier, out);
  } else if (typeof value === 'string' && /Document$/.test(path.at(-1) ?? '') && policyWords(value)) {
    out.push({ path, value: data(policyWords(value) as string) });
  } else if (path.at(-1) === 'StatusId' && typeof value === 'number' && OCSF_STATUS_NAME.has(value)) {
    out.push({ path, value: data(`${value} (${OCSF_STATUS_NAME.get(value)})`) });
  } else {
    out.push({ path, value: data(value === null || value === undefined ? 'none' : String(value)) });
  }
  return out;
}

/** Leaves with the same path become one value (`Groups sg-1, sg-2`). */
function grouped(all: Leaf[]): Array<{ path: string[]; values: CallValue[] }> {
  const byPath = new Map<string, { path: string[]; values: CallValue[] }>();
  for (const leaf of all) {
    const key = leaf.path.join('.');
    const entry = byPath.get(key) ?? { path: leaf.path, values: [] };
    entry.values.push(leaf.value);
    byPath.set(key, entry);
  }
  return [...byPath.values()];
}

function joined(values: CallValue[]): CallValue {
  if (values.length === 1) return values[0] as CallValue;
  return { text: values.map((v) => v.text).join(', '), kind: values.some((v) => v.kind === 'words') ? 'words' : 'data' };
}

/**
 * `call` in the terms people read; `earlier` are the calls run before it in the same
 * plan, so an answer it uses is named by its step.
 */
export function summarizeCall(call: AwsCall, earlier: readonly AwsCall[] = []): CallSummary {
  const groups = grouped(leaves(call.input, [], earlier, []));
  let target: CallSummary['target'] = null;
  let targetKey: string | null = null;
  const findingIds = groups.find((g) => g.path.join('.') === FINDING_ID_PATH);
  if (findingIds) {
    target = { noun: 'finding', ids: findingIds.values };
    targetKey = FINDING_ID_PATH;
  } else {
    for (const [name, noun] of TARGETS) {
      const g = groups.find((x) => x.path.at(-1) === name);
      if (g) {
        target = { noun, ids: g.values };
        targetKey = g.path.join('.');
        break;
      }
    }
  }
  const rest = groups.filter((g) => g.path.join('.') !== targetKey);
  const lastKeys = rest.map((g) => g.path.at(-1) ?? '');
  const parameters = rest.map((g) => {
    const last = g.path.at(-1) ?? '';
    const shared = lastKeys.filter((k) => k === last).length > 1;
    const name = (VAGUE.has(last) || shared) && g.path.length > 1 ? g.path.slice(-2).join('.') : last;
    return { name, value: joined(g.values) };
  });
  return { action: `${call.service}:${call.operation}`, account: call.account, region: call.region, target, parameters };
}

/** Every call of a plan, each knowing the calls before it. */
export function summarizeCalls(calls: readonly AwsCall[]): CallSummary[] {
  return calls.map((c, n) => summarizeCall(c, calls.slice(0, n)));
}

/** One plain line (no markup): for plain_text objects, logs and tests. */
export function callLine(s: CallSummary): string {
  const target = s.target ? ` on ${s.target.noun} ${s.target.ids.map((v) => v.text).join(', ')}` : '';
  const parameters = s.parameters.length > 0 ? ` — ${s.parameters.map((p) => `${p.name} ${p.value.text}`).join(' · ')}` : '';
  return `${s.action} in ${s.account}/${s.region}${target}${parameters}`;
}
