import type { Finding } from '../finding.ts';
import type { Tactic } from './attack.ts';
import type { LimitingFactor } from './limiting.ts';
import { isAwsServiceSource, type TimelineEntry } from './timeline.ts';

export interface CreatedIdentity {
  kind: 'user' | 'role' | 'access-key' | 'login-profile' | 'instance';
  name: string;
  by: string | null;
  at: string;
  accountId: string | null;
}

export interface InvestigationSummary {
  text: string;
  criticalFindings: Array<{ id: string; title: string; severity: string }>;
  timeframe: { start: string | null; end: string | null; events: number };
  activity: Array<{ tactic: Tactic; events: number; actions: string[] }>;
  actors: string[];
  sourceIps: string[];
  affectedResources: string[];
  createdIdentities: CreatedIdentity[];
  policyChanges: Array<{ action: string; target: string; at: string }>;
  /** What the identities and resources in play look like now (IAM, EC2), as opposed to what happened. */
  currentState: Array<{ kind: string; resources: string[]; facts: string[] }>;
  limitingFactors: LimitingFactor[];
  recommendations: string[];
}

const TACTIC_ORDER: Tactic[] = [
  'Initial Access', 'Execution', 'Persistence', 'Privilege Escalation', 'Defense Evasion', 'Credential Access',
  'Discovery', 'Lateral Movement', 'Collection', 'Exfiltration', 'Impact',
];

const POLICY_CHANGES = new Set([
  'AttachUserPolicy', 'PutUserPolicy', 'AttachRolePolicy', 'PutRolePolicy', 'AttachGroupPolicy', 'PutGroupPolicy',
  'CreatePolicyVersion', 'SetDefaultPolicyVersion', 'UpdateAssumeRolePolicy',
]);

function succeeded(e: TimelineEntry): boolean {
  return e.errorCode === null;
}

/** Users, roles, keys, login profiles and instances the window's events created. */
export function createdIdentities(timeline: TimelineEntry[]): CreatedIdentity[] {
  const out: CreatedIdentity[] = [];
  const add = (kind: CreatedIdentity['kind'], name: string | undefined, e: TimelineEntry) => {
    if (name && !out.some((c) => c.kind === kind && c.name === name)) out.push({ kind, name, by: e.actor, at: e.time, accountId: e.accountId });
  };
  for (const e of timeline.filter(succeeded)) {
    switch (e.action) {
      case 'CreateUser':
        add('user', e.resources[0], e);
        break;
      case 'CreateRole':
        add('role', e.resources[0], e);
        break;
      case 'CreateLoginProfile':
        add('login-profile', e.resources[0], e);
        break;
      case 'CreateAccessKey':
        add('access-key', e.resources.find((r) => /^(AKIA|ASIA)[A-Z0-9]{12,}$/.test(r)), e);
        break;
      case 'RunInstances':
        for (const id of e.resources.filter((r) => /^i-[0-9a-f]+$/.test(r))) add('instance', id, e);
        break;
      default:
        break;
    }
  }
  return out;
}

/** S3 calls that can open a bucket to the public or other accounts, and what undoes each. */
const S3_EXPOSURES: Record<string, string> = {
  DeletePublicAccessBlock: 'restore its Block Public Access settings',
  DeleteBucketPublicAccessBlock: 'restore its Block Public Access settings',
  PutBucketPolicy: 'remove bucket-policy statements that grant public or outside access',
  PutBucketAcl: 'remove ACL grants to everyone or to other accounts',
};

/** Per bucket: who opened it, when, and how to close it again, from the calls that succeeded. */
function s3Recommendations(timeline: TimelineEntry[]): string[] {
  const byBucket = new Map<string, { fixes: Set<string>; who: Set<string>; first: string }>();
  for (const e of timeline) {
    const fix = S3_EXPOSURES[e.action];
    if (!fix || !succeeded(e)) continue;
    const bucket = e.resources.find((r) => !r.startsWith('arn:')) ?? e.resources[0];
    if (!bucket) continue;
    const b = byBucket.get(bucket) ?? { fixes: new Set<string>(), who: new Set<string>(), first: e.time };
    b.fixes.add(fix);
    if (e.actor) b.who.add(e.actor);
    byBucket.set(bucket, b);
  }
  return [...byBucket].map(
    ([bucket, b]) =>
      `Bucket ${bucket}: ${[...b.fixes].join(', and ')} (changed from ${b.first} by ${[...b.who].join(', ') || 'an unknown principal'}); then fix what made the change, or its next run undoes yours.`,
  );
}

function recommendations(finding: Finding, timeline: TimelineEntry[], created: CreatedIdentity[], containment: string[]): string[] {
  const recs = [...containment];
  const keys = new Set(timeline.filter((e) => e.accessKeyId?.startsWith('AKIA')).map((e) => e.accessKeyId as string));
  for (const r of finding.resources) if (r.type === 'AwsIamAccessKey' && /^AKIA/.test(r.id)) keys.add(r.id);
  if (keys.size > 0) recs.push(`Deactivate, then delete, the access key(s) used: ${[...keys].join(', ')}.`);
  const users = created.filter((c) => c.kind === 'user').map((c) => c.name);
  const roles = created.filter((c) => c.kind === 'role').map((c) => c.name);
  const newKeys = created.filter((c) => c.kind === 'access-key').map((c) => c.name);
  const instances = created.filter((c) => c.kind === 'instance').map((c) => c.name);
  if (newKeys.length) recs.push(`Delete the access key(s) created during the activity: ${newKeys.join(', ')}.`);
  if (users.length) recs.push(`Remove the IAM user(s) created during the activity, after preserving evidence: ${users.join(', ')}.`);
  if (roles.length) recs.push(`Remove the IAM role(s) created during the activity: ${roles.join(', ')}.`);
  const policy = timeline.filter((e) => succeeded(e) && POLICY_CHANGES.has(e.action));
  if (policy.length) recs.push(`Revert the ${policy.length} policy change(s) made during the activity (${[...new Set(policy.map((p) => p.action))].join(', ')}).`);
  recs.push(...s3Recommendations(timeline));
  if (instances.length) recs.push(`Snapshot, then terminate, the instance(s) launched during the activity: ${instances.join(', ')}.`);
  if (timeline.some((e) => e.tactics.includes('Defense Evasion') && succeeded(e))) recs.push('Re-enable logging and detection that was stopped or changed (CloudTrail, GuardDuty, Security Hub, Config).');
  if (keys.size > 0 || users.length > 0) recs.push("Review the other IAM users' access keys and recent activity in the affected account(s).");
  return [...new Set(recs)];
}

/** The investigation's conclusions, from the finding, the merged timeline and what could not be seen. */
export function summarize(
  finding: Finding,
  timeline: TimelineEntry[],
  limitingFactors: LimitingFactor[],
  containment: string[],
  relatedFindings: Array<{ id: string; title: string; severity: string }> = [],
  state: TimelineEntry[] = [],
): InvestigationSummary {
  const created = createdIdentities(timeline);
  const activity = TACTIC_ORDER.map((tactic) => {
    const hits = timeline.filter((e) => e.tactics.includes(tactic));
    return { tactic, events: hits.length, actions: [...new Set(hits.map((e) => e.action))].slice(0, 10) };
  }).filter((a) => a.events > 0);
  const affected = new Set<string>(finding.resources.map((r) => r.id));
  for (const e of timeline) if (succeeded(e) && e.tactics.some((t) => t !== 'Discovery')) for (const r of e.resources) affected.add(r);
  const critical = [
    { id: finding.id, title: finding.title, severity: finding.severity.label },
    ...relatedFindings.filter((f) => f.id !== finding.id && (f.severity === 'HIGH' || f.severity === 'CRITICAL')),
  ];
  const start = timeline[0]?.time ?? null;
  const end = timeline.at(-1)?.time ?? null;
  const actors = [...new Set(timeline.map((e) => e.actor).filter((a): a is string => !!a))];
  const ips = [...new Set(timeline.map((e) => e.sourceIp).filter((ip): ip is string => !!ip && !isAwsServiceSource(ip)))];
  const policyChanges = timeline
    .filter((e) => succeeded(e) && POLICY_CHANGES.has(e.action))
    .map((e) => ({ action: e.action, target: e.resources.join(' '), at: e.time }));
  const recs = recommendations(finding, timeline, created, containment);

  const lines = [
    `${finding.severity.label} ${finding.type || finding.title} in account ${finding.accountId} (${finding.region}).`,
    timeline.length > 0
      ? `${timeline.length} events from ${start} to ${end} by ${actors.length} principal(s) from ${ips.length} source IP(s).`
      : 'No activity was found in the investigation window.',
    activity.length > 0 ? `Observed: ${activity.map((a) => `${a.tactic} (${a.events})`).join(', ')}.` : '',
    created.length > 0 ? `Created: ${created.map((c) => `${c.kind} ${c.name}`).join(', ')}.` : '',
    state.length > 0
      ? `Now: ${state.map((e) => `${e.action === 'AccessKey' ? 'key' : e.action === 'IAMUser' ? 'user' : e.action} ${e.resources[e.action === 'AccessKey' ? 1 : 0] ?? '?'} ${e.highlights[0] ?? ''}`.trim()).join('; ')}.`
      : '',
    limitingFactors.length > 0 ? `Limits: ${limitingFactors.map((l) => `${l.source} ${l.reason}`).join(', ')}.` : '',
  ].filter(Boolean);
  return {
    text: lines.join(' '),
    criticalFindings: critical,
    timeframe: { start, end, events: timeline.length },
    activity,
    actors,
    sourceIps: ips,
    affectedResources: [...affected],
    createdIdentities: created,
    policyChanges,
    currentState: state.map((e) => ({ kind: e.action, resources: e.resources, facts: e.highlights })),
    limitingFactors,
    recommendations: recs,
  };
}
