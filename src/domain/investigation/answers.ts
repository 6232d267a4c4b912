import type { QuestionId } from './playbooks.ts';

/**
 * Answers arrive from people: through blocks or as a plain reply in the thread. Each is
 * checked for its form here; a reply may give several as `key: value` lines, or in plain
 * sentences (free-text-answers.ts reads those).
 */

const FORMS: Record<QuestionId, { re: RegExp; hint: string }> = {
  exposedAt: {
    re: /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
    hint: 'a date such as 2026-11-20 or 2026-11-20T09:30Z (UTC unless a zone is given)',
  },
  principal: { re: /^(arn:aws[\w-]*:(iam|sts)::\d{12}:[\w+=,.@/-]{1,512}|[\w+=,.@-]{1,128})$/, hint: 'an IAM user or role name, or its ARN' },
  accessKeyId: { re: /^(AKIA|ASIA)[A-Z0-9]{12,124}$/, hint: 'an access key id (AKIA… or ASIA…)' },
  rotated: { re: /^(no|deactivated|deleted|unknown)$/, hint: 'no, deactivated, deleted or unknown' },
  accountId: { re: /^\d{12}$/, hint: 'a 12-digit AWS account id' },
  instanceId: { re: /^i-[0-9a-f]{8,17}$/, hint: 'an instance id such as i-0123456789abcdef0' },
};

const KEYS: Array<[RegExp, QuestionId]> = [
  [/^(exposed(\s*at)?|exposedat|when|since)$/i, 'exposedAt'],
  [/^(principal|user|iam\s*user|role|who)$/i, 'principal'],
  [/^(access\s*key(\s*id)?|accesskeyid|key)$/i, 'accessKeyId'],
  [/^(rotated|rotation)$/i, 'rotated'],
  [/^(account(\s*id)?|accountid)$/i, 'accountId'],
  [/^(instance(\s*id)?|instanceid)$/i, 'instanceId'],
];

const ROTATED_WORDS: Array<[RegExp, string]> = [
  [/^(no|not yet|not rotated|still active|active)$/i, 'no'],
  [/^(deactivated|disabled|inactive)$/i, 'deactivated'],
  [/^(yes|rotated|deleted|removed)$/i, 'deleted'],
  [/^(unknown|don'?t know|not sure)$/i, 'unknown'],
];

export type Checked = { ok: true; value: string } | { ok: false; error: string };

/** Normalizes and checks one answer. */
export function checkAnswer(id: QuestionId, raw: string): Checked {
  let value = raw.trim().replace(/^`|`$/g, '');
  if (id === 'rotated') value = ROTATED_WORDS.find(([re]) => re.test(value))?.[1] ?? value.toLowerCase();
  const form = FORMS[id];
  if (!form.re.test(value)) return { ok: false, error: `${id}: expected ${form.hint}` };
  if (id === 'exposedAt') {
    // A time with no zone is UTC, as the hint says, wherever sirbot runs (JavaScript would read it in the server's zone).
    const utc = /[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
    if (Number.isNaN(Date.parse(utc))) return { ok: false, error: `${id}: ${value} is not a date` };
    return { ok: true, value: utc };
  }
  return { ok: true, value };
}

/**
 * A `key: value` line (`exposed at: 2026-11-19`, `user = ci-deployer`): the question its
 * key names and the value as written, or null when the line is not one (its key names
 * no question). Plain sentences are read by free-text-answers.ts.
 */
export function keyedLine(line: string): { id: QuestionId; value: string } | null {
  const kv = /^\s*([\w\s]{2,20}?)\s*[:=]\s*(.+?)\s*$/.exec(line);
  if (!kv) return null;
  const id = KEYS.find(([re]) => re.test((kv[1] as string).trim()))?.[1];
  return id ? { id, value: kv[2] as string } : null;
}
