import type { Finding, Resource } from '../finding.ts';
import { readIdentifier } from './identifiers.ts';
import type { Answers } from './playbooks.ts';
import type { Subject } from './subjects.ts';

/** What a person can ask sirbot to investigate without a finding. */
export type TargetType = 'accessKey' | 'iamUser' | 'roleArn' | 'userArn' | 'instance' | 'ip';

export interface InvestigationTarget {
  type: TargetType;
  value: string;
}

const PATTERNS: Array<[TargetType, RegExp]> = [
  ['accessKey', /\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/],
  ['roleArn', /(arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512})/],
  ['userArn', /(arn:aws[\w-]*:iam::\d{12}:user\/[\w+=,.@/-]{1,512})/],
  ['instance', /\b(i-[0-9a-f]{17}|i-[0-9a-f]{8})\b/],
  ['ip', /\b((?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3})\b/],
];

/** Investigation targets named anywhere in a message's text (the message shortcut), most specific first. */
export function extractTargets(text: string): InvestigationTarget[] {
  const out: InvestigationTarget[] = [];
  for (const [type, re] of PATTERNS) {
    const global = new RegExp(re.source, 'g');
    for (const m of text.matchAll(global)) {
      const value = m[1] as string;
      if (!out.some((t) => t.value === value)) out.push({ type, value });
    }
  }
  return out;
}

const ACCOUNT_IN_ARN = /^arn:aws[\w-]*:iam::(\d{12}):/;

/**
 * Where an ad-hoc investigation looks, and why there: where the person said, or around
 * the newest event CloudTrail holds for the target (the data is where it last acted, not
 * in the last hours of the clock), or the last day when there is none to find.
 */
export type AdHocWindow = { how: 'asked'; start: string } | { how: 'last-activity'; lastActivity: string } | { how: 'no-activity' } | { how: 'not-searchable' };

const DAY = 86_400_000;

/** The subject a target names, read like any identifier (a role ARN is a role, `AKIA…` a key). */
export function subjectOfTarget(target: InvestigationTarget): Subject | null {
  const hint = target.type === 'iamUser' ? 'AwsIamUser' : '';
  const named = readIdentifier(target.value, hint);
  return named ? ({ ...named } as Subject) : null;
}

function span(window: AdHocWindow, now: string): { start: string; end: string } {
  const nowMs = Date.parse(now);
  switch (window.how) {
    case 'asked':
      return { start: window.start, end: now };
    case 'last-activity':
      return { start: new Date(Date.parse(window.lastActivity) - DAY).toISOString(), end: window.lastActivity };
    default:
      return { start: new Date(nowMs - DAY).toISOString(), end: now };
  }
}

/**
 * A finding that stands for an ad-hoc request, so the investigation engine (playbook,
 * questions, window, collectors) runs on it as on any other. Its types choose the
 * playbook; its resources pre-fill the answers.
 */
export function adHocFinding(o: {
  id: string;
  target: InvestigationTarget;
  account: string;
  region: string;
  /** Where to look (see AdHocWindow); `now` is the AWS side's clock. */
  window: AdHocWindow;
  now: string;
  requestedBy: string;
}): { finding: Finding; answers: Answers } {
  const { target } = o;
  const account = ACCOUNT_IN_ARN.exec(target.value)?.[1] ?? o.account;
  const resource = (type: string, id: string): Resource => ({ type, id, region: o.region, tags: {} });
  const byType: Record<TargetType, { types: string[]; resources: Resource[] }> = {
    accessKey: { types: ['UnauthorizedAccess:IAMUser/AdHocInvestigation'], resources: [resource('AwsIamAccessKey', target.value)] },
    iamUser: { types: ['UnauthorizedAccess:IAMUser/AdHocInvestigation'], resources: [resource('AwsIamUser', target.value)] },
    userArn: { types: ['UnauthorizedAccess:IAMUser/AdHocInvestigation'], resources: [resource('AwsIamUser', target.value.split('/').pop() as string)] },
    roleArn: { types: ['UnauthorizedAccess:IAMUser/AdHocInvestigation'], resources: [resource('AwsIamRole', target.value.split('/').pop() as string)] },
    instance: { types: ['UnauthorizedAccess:EC2/AdHocInvestigation'], resources: [resource('AwsEc2Instance', target.value)] },
    ip: { types: ['Unusual Behaviors/Network/AdHocInvestigation'], resources: [resource('Other', target.value)] },
  };
  const { types, resources } = byType[target.type];
  const { start, end } = span(o.window, o.now);
  const since = o.window.how === 'asked' ? o.window.start : null;
  const finding: Finding = {
    id: o.id,
    schema: 'asff',
    product: 'sirbot',
    productArn: null,
    type: types[0] as string,
    types,
    title: `Ad-hoc investigation of ${target.value}`,
    description: `Requested in Slack by ${o.requestedBy}.`,
    severity: { label: 'MEDIUM', score: 40 },
    accountId: account,
    region: o.region,
    resources,
    controlId: null,
    generatorId: 'sirbot/ad-hoc',
    createdAt: o.now,
    updatedAt: o.now,
    firstSeenAt: start,
    lastSeenAt: end,
    workflowStatus: 'NEW',
    recordState: 'ACTIVE',
    consoleUrl: null,
    raw: { sirbot: { adHoc: target, window: o.window } },
  };
  const answers: Answers = {};
  if (since && (target.type === 'accessKey' || target.type === 'iamUser' || target.type === 'userArn' || target.type === 'roleArn')) answers.exposedAt = since;
  if (target.type === 'ip') answers.principal = 'unknown';
  return { finding, answers };
}
