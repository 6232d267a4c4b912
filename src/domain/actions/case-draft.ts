import type { Finding } from '../finding.ts';
import type { InvestigationSummary } from '../investigation/summary.ts';
import { ACCESS_DENIED, type TimelineEntry } from '../investigation/timeline.ts';

/**
 * What an "Open SIR case" modal starts from: the finding and, when there is one, its
 * investigation. Limits are Security Incident Response's (CreateCase, CreateCaseComment).
 */
export const CASE_LIMITS = {
  title: 300,
  description: 8000,
  comment: 12_000,
  impactedAccounts: 200,
  threatActorIps: 200,
  impactedRegions: 50,
  watchers: 30,
} as const;

export type EngagementType = 'Security Incident' | 'Investigation';

export interface CaseDraft {
  title: string;
  description: string;
  engagementType: EngagementType;
  /** ISO date-time of the first suspicious event (or the finding's first sighting). */
  reportedIncidentStartDate: string;
  impactedAccounts: string[];
  impactedAwsRegions: string[];
  threatActorIpAddresses: string[];
  impactedServices: string[];
}

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * Security Incident Response names impacted services as AWS names them (its API model's
 * examples: `Amazon EC2`, `Amazon EKS`; cases record `Amazon GuardDuty`), by the key
 * every spelling of a service comes down to: a CloudTrail event source
 * (`guardduty.amazonaws.com`), a product name (`GuardDuty`, `Security Hub`) or a
 * resource type's service (`AWS::EC2::Instance`).
 */
const SERVICE_NAMES: Record<string, string> = {
  accessanalyzer: 'AWS IAM Access Analyzer',
  account: 'AWS Account Management',
  cloudformation: 'AWS CloudFormation',
  cloudfront: 'Amazon CloudFront',
  cloudtrail: 'AWS CloudTrail',
  config: 'AWS Config',
  dynamodb: 'Amazon DynamoDB',
  ebs: 'Amazon EBS',
  ec2: 'Amazon EC2',
  ecr: 'Amazon ECR',
  ecs: 'Amazon ECS',
  eks: 'Amazon EKS',
  elasticloadbalancing: 'Elastic Load Balancing',
  guardduty: 'Amazon GuardDuty',
  iam: 'AWS IAM',
  inspector: 'Amazon Inspector',
  inspector2: 'Amazon Inspector',
  kms: 'AWS KMS',
  lambda: 'AWS Lambda',
  logs: 'Amazon CloudWatch Logs',
  macie: 'Amazon Macie',
  macie2: 'Amazon Macie',
  monitoring: 'Amazon CloudWatch',
  organizations: 'AWS Organizations',
  rds: 'Amazon RDS',
  route53: 'Amazon Route 53',
  s3: 'Amazon S3',
  secretsmanager: 'AWS Secrets Manager',
  securityhub: 'AWS Security Hub',
  servicequotas: 'Service Quotas',
  signin: 'AWS Sign-In',
  sns: 'Amazon SNS',
  sqs: 'Amazon SQS',
  sso: 'AWS IAM Identity Center',
  ssm: 'AWS Systems Manager',
  sts: 'AWS STS',
  vpc: 'Amazon VPC',
};

/** Security IR's `AwsService`: 3 to 50 of letters, digits, space to dot, parentheses and colons. */
const AWS_SERVICE = /^[a-zA-Z0-9 -.():]{3,50}$/;

const serviceKey = (s: string) =>
  s
    .replace(/\.amazonaws\.com$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/**
 * A service as Security IR names it, from an event source, product name or service key;
 * one it has no name for keeps its own spelling (first letter raised), if the API takes it.
 */
export function securityIrServiceName(source: string): string | null {
  const known = SERVICE_NAMES[serviceKey(source)];
  if (known) return known;
  const short = source.replace(/\.amazonaws\.com$/i, '').trim();
  const name = short.charAt(0).toUpperCase() + short.slice(1);
  return AWS_SERVICE.test(name) ? name : null;
}

/** Resource types (ASFF `AwsEc2Instance`, CloudFormation-style `AWS::EC2::Instance`) to the service they belong to. */
const RESOURCE_SERVICES: ReadonlyArray<[RegExp, string]> = [
  [/^AwsEc2|^AWS::EC2::/i, 'ec2'],
  [/^AwsIam|^AWS::IAM::/i, 'iam'],
  [/^AwsS3|^AWS::S3::/i, 's3'],
  [/^AwsEks|^AWS::EKS::/i, 'eks'],
  [/^AwsLambda|^AWS::Lambda::/i, 'lambda'],
  [/^AwsRds|^AWS::RDS::/i, 'rds'],
  [/^AwsEcs|^AWS::ECS::/i, 'ecs'],
  [/^AwsEcr|^AWS::ECR::/i, 'ecr'],
  [/^AwsDynamoDb|^AWS::DynamoDB::/i, 'dynamodb'],
  [/^AwsKms|^AWS::KMS::/i, 'kms'],
  [/^AwsSecretsManager|^AWS::SecretsManager::/i, 'secretsmanager'],
  [/^AwsCloudTrail|^AWS::CloudTrail::/i, 'cloudtrail'],
];

function resourceService(type: string): string | null {
  const key = RESOURCE_SERVICES.find(([pattern]) => pattern.test(type))?.[1];
  return key ? (SERVICE_NAMES[key] ?? null) : null;
}

/** Names once each, whatever their case (`GuardDuty` and `Guardduty` are one), first spelling kept. */
export function uniqueServices(names: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const n of names) {
    const name = n.trim();
    if (name && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  }
  return [...seen.values()];
}

/**
 * The services a case names as impacted: those the finding's resources belong to and
 * those the activity called (CloudTrail), each once, as Security IR names them. The
 * products that reported findings (GuardDuty, Security Hub) are not impacted for that.
 */
export function impactedServices(finding: Finding, timeline: readonly TimelineEntry[]): string[] {
  const fromResources = finding.resources.map((r) => resourceService(r.type));
  const called = timeline.filter((e) => e.source === 'cloudtrail' && e.service).map((e) => securityIrServiceName(e.service as string));
  return uniqueServices([...fromResources, ...called].filter((s): s is string => s !== null));
}

function isPublicIp(ip: string): boolean {
  if (ip.includes(':')) return !/^(fe80|fc|fd|::1)/i.test(ip);
  const [a = 0, b = 0] = ip.split('.').map(Number);
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return false;
  return !(a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254));
}

const IP_KEYS = new Set(['ipAddressV4', 'IpAddressV4', 'SourceIpV4', 'ipAddressV6', 'IpAddressV6', 'SourceIpV6']);

/** IP addresses the finding itself names as the actor's (GuardDuty remoteIpDetails, ASFF Network/Action). */
export function findingIps(raw: unknown, depth = 0, out = new Set<string>()): Set<string> {
  if (depth > 8 || !raw || typeof raw !== 'object') return out;
  for (const [k, v] of Object.entries(raw)) {
    if (IP_KEYS.has(k) && typeof v === 'string') out.add(v);
    else findingIps(v, depth + 1, out);
  }
  return out;
}

/**
 * When the incident started: the first event from an address the case names as the
 * threat actor's (the finding's, and those that acted as an intruder does — the failed
 * sign-ins before a stolen key's first use count); else the first highlighted event after
 * the window's first (which is only the baseline every "first seen" is measured from);
 * else the finding's first sighting.
 */
function incidentStart(finding: Finding, timeline: readonly TimelineEntry[], actors: ReadonlySet<string>): string {
  const fromActor = timeline.find((e) => e.sourceIp && actors.has(canonicalIp(e.sourceIp) ?? e.sourceIp));
  const highlighted = timeline.slice(1).find((e) => e.highlights.length > 0);
  return fromActor?.time ?? highlighted?.time ?? finding.firstSeenAt ?? finding.createdAt ?? finding.updatedAt ?? new Date(0).toISOString();
}

export function caseDraft(finding: Finding, summary: InvestigationSummary | null, timeline: readonly TimelineEntry[] = []): CaseDraft {
  const named = findingIps(finding.raw);
  const ips = new Set(threatActorIps(named, timeline));
  const start = incidentStart(finding, timeline, ips);
  const accounts = new Set([finding.accountId, ...timeline.map((e) => e.accountId).filter((a): a is string => Boolean(a && /^\d{12}$/.test(a)))]);
  const regions = new Set([finding.region, ...timeline.map((e) => e.region).filter((r): r is string => Boolean(r))]);
  const description = [
    `sirbot finding ${finding.id} (${finding.product}, ${finding.severity.label}) in account ${finding.accountId}, ${finding.region}.`,
    finding.description,
    summary ? `\nInvestigation summary:\n${summary.text}` : '',
    summary && summary.recommendations.length > 0 ? `\nRecommended containment:\n${summary.recommendations.map((r) => `- ${r}`).join('\n')}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    title: cut(finding.title || `sirbot: ${finding.type}`, CASE_LIMITS.title),
    description: cut(description, CASE_LIMITS.description),
    engagementType: 'Security Incident',
    reportedIncidentStartDate: start,
    impactedAccounts: [...accounts].slice(0, CASE_LIMITS.impactedAccounts),
    impactedAwsRegions: [...regions].slice(0, CASE_LIMITS.impactedRegions),
    threatActorIpAddresses: [...ips].slice(0, CASE_LIMITS.threatActorIps),
    impactedServices: impactedServices(finding, timeline).slice(0, 50),
  };
}

/** Tactics no owner's routine shows: an address behind one of them acted as an intruder does. */
const HOSTILE_TACTICS = new Set<string>([
  'Persistence',
  'Privilege Escalation',
  'Defense Evasion',
  'Credential Access',
  'Lateral Movement',
  'Collection',
  'Exfiltration',
  'Impact',
  'Execution',
]);

/** A call that says the address is the intruder's: a hostile tactic, a refused call or a failed sign-in (not a lookup of something absent). */
const hostile = (e: TimelineEntry) =>
  e.tactics.some((t) => HOSTILE_TACTICS.has(t)) || (e.errorCode !== null && (ACCESS_DENIED.test(e.errorCode) || /failed authentication/i.test(e.errorCode)));

/**
 * The addresses a case offers as the threat actor's: those the finding names first, then
 * every public address the investigation saw doing what an intruder does (a hostile
 * tactic, refused or failed calls), most recently active first — each in the form
 * Security IR takes. An address is not left out for coming before the incident's start:
 * an intruder often signs in from one address and works from another (root-credential-use:
 * failed sign-ins and a password reset from one, the stolen key from the next). An address
 * that only signed in and read, as the owner's office does, is not offered: a case tells
 * AWS CIRT whom to look at.
 */
export function threatActorIps(named: ReadonlySet<string>, timeline: readonly TimelineEntry[]): string[] {
  const latest = new Map<string, string>();
  for (const e of timeline) if (e.sourceIp && hostile(e) && (latest.get(e.sourceIp) ?? '') < e.time) latest.set(e.sourceIp, e.time);
  const byRecency = [...latest.entries()].sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0)).map(([ip]) => ip);
  const all = [...named, ...byRecency].filter((ip) => isPublicIp(ip));
  return [...new Set(all.map(canonicalIp).filter((ip): ip is string => ip !== null))];
}

/**
 * An IP address as Security IR's `IPAddress` pattern takes it: IPv4 as is, IPv6 in full
 * upper-case form (eight groups of four digits). Null when it is neither.
 */
export function canonicalIp(ip: string): string | null {
  if (/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(ip)) return ip;
  if (!/^[0-9a-fA-F:]+$/.test(ip) || ip.split('::').length > 2) return null;
  const [head = '', tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array.from({ length: tail === undefined ? 0 : missing }, () => '0'), ...right];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return null;
  return groups.map((g) => g.padStart(4, '0').toUpperCase()).join(':');
}

/** One line per highlighted timeline entry, for case comments. */
export function highlightLines(timeline: readonly TimelineEntry[]): string[] {
  return timeline
    .filter((e) => e.highlights.length > 0)
    .map((e) =>
      [e.time, e.action, e.actor ?? '-', e.sourceIp ?? '-', e.accountId ?? '-', e.region ?? '-', e.errorCode ?? 'ok', e.highlights.join('; ')].join(' | '),
    );
}

/**
 * Splits lines into comments of at most `max` characters, each headed "Timeline
 * highlights (n/N)"; a single line longer than a comment is cut, never dropped.
 */
export function splitComments(lines: readonly string[], max: number = CASE_LIMITS.comment): string[] {
  const headerRoom = 40;
  const room = max - headerRoom;
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const raw of lines) {
    const line = raw.length > room ? `${raw.slice(0, room - 1)}…` : raw;
    if (size + line.length + 1 > room && current.length > 0) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(line);
    size += line.length + 1;
  }
  if (current.length > 0) chunks.push(current);
  return chunks.map((c, i) => `Timeline highlights (${i + 1}/${chunks.length})\n${c.join('\n')}`);
}
