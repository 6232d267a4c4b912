import { tacticsFor, type Tactic } from './attack.ts';
import type { CloudTrailRecord } from './cloudtrail-record.ts';

export interface TimelineEntry {
  /** Source event id; entries are deduplicated by it. */
  id: string;
  time: string;
  /** `vpc-flow` and `dns`: network evidence from Security Lake (conversations and lookups, not API calls). */
  source: 'cloudtrail' | 'guardduty' | 'securityhub' | 'iam' | 'ec2' | 'answer' | 'vpc-flow' | 'dns';
  /** API or event name. */
  action: string;
  service: string | null;
  actor: string | null;
  actorType: string | null;
  accessKeyId: string | null;
  sourceIp: string | null;
  userAgent: string | null;
  resources: string[];
  errorCode: string | null;
  accountId: string | null;
  region: string | null;
  tactics: Tactic[];
  /** Why this entry stands out: first use of a source IP, AccessDenied burst, root use… */
  highlights: string[];
  /** A CloudTrail record found in the trail's long-term store, not event history: `cloudtrail-lake`, `athena`, `s3-logs`. */
  via?: string;
}

/** Strings pulled from request parameters that name what a call touched. */
const RESOURCE_KEYS = [
  'userName',
  'roleName',
  'groupName',
  'policyArn',
  'policyName',
  'instanceProfileName',
  'bucketName',
  'secretId',
  'name',
  'trailName',
  'detectorId',
  'groupId',
  'imageId',
  'snapshotId',
  'dBSnapshotIdentifier',
  'keyName',
  'functionName',
  'modelId',
  'instanceId',
  'target',
];

/** EC2's ids: instances, security groups, snapshots, images, volumes. */
const ID_PATTERN = /^(i|sg|snap|ami|vol)-[0-9a-f]+$/i;

function collectStrings(value: unknown, out: Set<string>, depth = 0): void {
  if (depth > 4 || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    // Lists of ids (SendCommand's instanceIds, TerminateInstances' set) name what they touch one by one.
    for (const v of value) {
      if (typeof v === 'string' && ID_PATTERN.test(v)) out.add(v);
      else collectStrings(v, out, depth + 1);
    }
    return;
  }
  if (typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && (RESOURCE_KEYS.includes(k) || ID_PATTERN.test(v))) out.add(v);
    else if (typeof v === 'object') collectStrings(v, out, depth + 1);
  }
}

function resourcesOf(r: CloudTrailRecord): string[] {
  const out = new Set<string>();
  for (const res of r.resources ?? []) if (res.ARN) out.add(res.ARN);
  collectStrings(r.requestParameters, out);
  // What a call created is named in its response: new users, keys, roles, instances.
  const resp = r.responseElements ?? {};
  const user = (resp.user as { userName?: unknown } | undefined)?.userName;
  const key = (resp.accessKey as { accessKeyId?: unknown } | undefined)?.accessKeyId;
  const role = (resp.role as { roleName?: unknown } | undefined)?.roleName;
  for (const v of [user, key, role]) if (typeof v === 'string') out.add(v);
  const items = ((resp.instancesSet as { items?: Array<{ instanceId?: unknown }> } | undefined)?.items ?? []).map((i) => i.instanceId);
  for (const id of items) if (typeof id === 'string') out.add(id);
  return [...out].slice(0, 50);
}

function actorOf(r: CloudTrailRecord): string | null {
  const u = r.userIdentity;
  if (!u) return null;
  if (u.type === 'Root') return `root (${u.accountId ?? r.recipientAccountId ?? '?'})`;
  return u.arn ?? u.userName ?? u.principalId ?? null;
}

/**
 * Sign-in events (ConsoleLogin, SwitchRole, CheckMfa…) carry no errorCode when they fail:
 * the outcome is `responseElements.<eventName>: "Failure"`, the reason in errorMessage.
 */
function errorOf(r: CloudTrailRecord): string | null {
  if (r.errorCode) return r.errorCode;
  if (r.eventSource === 'signin.amazonaws.com' && r.responseElements?.[r.eventName] === 'Failure') return r.errorMessage || 'Failure';
  return null;
}

export function entryFromCloudTrail(r: CloudTrailRecord): TimelineEntry {
  return {
    id: r.eventID,
    time: new Date(Date.parse(r.eventTime)).toISOString(),
    source: 'cloudtrail',
    action: r.eventName,
    service: r.eventSource ?? null,
    actor: actorOf(r),
    actorType: r.userIdentity?.type ?? null,
    accessKeyId: r.userIdentity?.accessKeyId ?? null,
    sourceIp: r.sourceIPAddress ?? null,
    userAgent: r.userAgent ?? null,
    resources: resourcesOf(r),
    errorCode: errorOf(r),
    accountId: r.recipientAccountId ?? r.userIdentity?.accountId ?? null,
    region: r.awsRegion ?? null,
    tactics: tacticsFor(r.eventName),
    highlights: [],
  };
}

/** CloudTrail names an AWS service acting for someone (`config.amazonaws.com`) where an IP would be. */
export const isAwsServiceSource = (sourceIp: string | null): boolean => sourceIp?.endsWith('.amazonaws.com') === true;

/**
 * A call an AWS service made on someone's behalf (Auto Scaling launching instances,
 * CloudFormation creating users): CloudTrail names the service as the source, or the
 * caller is a service-linked role. In the window, but not the activity investigated.
 */
export function byAwsService(e: Pick<TimelineEntry, 'actorType' | 'sourceIp' | 'actor'>): boolean {
  return e.actorType === 'AWSService' || isAwsServiceSource(e.sourceIp) || /:assumed-role\/AWSServiceRoleFor/.test(e.actor ?? '');
}

export const ACCESS_DENIED = /AccessDenied|UnauthorizedOperation|Unauthorized|Forbidden/i;

export interface HighlightPolicy {
  /** AccessDenied-type errors from one actor within `deniedWindowMs` that make a burst. */
  deniedBurst: number;
  deniedWindowMs: number;
  /** RunInstances calls within `launchWindowMs` that make a burst (resource hijacking). */
  launchBurst: number;
  launchWindowMs: number;
}

export const DEFAULT_HIGHLIGHTS: HighlightPolicy = {
  deniedBurst: 5,
  deniedWindowMs: 5 * 60_000,
  launchBurst: 3,
  launchWindowMs: 15 * 60_000,
};

/** Flags each entry inside a run of at least `size` matching entries within `windowMs`. */
function markBursts(entries: TimelineEntry[], matches: (e: TimelineEntry) => boolean, size: number, windowMs: number, mark: (e: TimelineEntry) => void): void {
  const hits = entries.filter(matches);
  let start = 0;
  for (let end = 0; end < hits.length; end++) {
    const tEnd = Date.parse((hits[end] as TimelineEntry).time);
    while (tEnd - Date.parse((hits[start] as TimelineEntry).time) > windowMs) start++;
    if (end - start + 1 >= size) for (let i = start; i <= end; i++) mark(hits[i] as TimelineEntry);
  }
}

/**
 * One timeline from every source: deduplicated by event id (the same event found by
 * several lookups), sorted by time (ties by id, so the order is stable), tagged with
 * highlights. Entries are copied; inputs are not modified.
 */
export function buildTimeline(entries: TimelineEntry[], policy: HighlightPolicy = DEFAULT_HIGHLIGHTS): TimelineEntry[] {
  const byId = new Map<string, TimelineEntry>();
  for (const e of entries) if (!byId.has(e.id)) byId.set(e.id, { ...e, tactics: [...e.tactics], highlights: [...e.highlights] });
  const timeline = [...byId.values()].sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));

  const seenIps = new Set<string>();
  for (const e of timeline) {
    if (e.sourceIp && !seenIps.has(e.sourceIp) && !isAwsServiceSource(e.sourceIp)) {
      seenIps.add(e.sourceIp);
      e.highlights.push(`first seen source IP ${e.sourceIp}`);
    }
    if (e.actorType === 'Root') e.highlights.push('root credentials used');
  }
  const byActor = new Map<string, TimelineEntry[]>();
  for (const e of timeline) {
    const k = e.actor ?? '?';
    byActor.set(k, [...(byActor.get(k) ?? []), e]);
  }
  for (const list of byActor.values()) {
    markBursts(
      list,
      (e) => e.errorCode !== null && ACCESS_DENIED.test(e.errorCode),
      policy.deniedBurst,
      policy.deniedWindowMs,
      (e) => {
        if (!e.highlights.includes('burst of access denied')) e.highlights.push('burst of access denied');
      },
    );
  }
  const launch = (e: TimelineEntry) => {
    if (!e.tactics.includes('Impact')) e.tactics.push('Impact');
    if (!e.highlights.includes('burst of instance launches')) e.highlights.push('burst of instance launches');
  };
  markBursts(timeline, (e) => e.action === 'RunInstances' && e.errorCode === null, policy.launchBurst, policy.launchWindowMs, launch);
  // One call launching many instances is a burst by itself.
  for (const e of timeline) {
    if (e.action === 'RunInstances' && e.errorCode === null && e.resources.filter((r) => r.startsWith('i-')).length >= policy.launchBurst) launch(e);
  }
  return timeline;
}
