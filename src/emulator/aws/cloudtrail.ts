import { AwsError } from './errors.ts';
import type { RawRecord } from './scenario.ts';

/** CloudTrail LookupEvents, as the service answers it, over a scenario's records. */

const DAY = 86_400_000;
const MAX_RESULTS = 50;
const KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
type Key = (typeof KEYS)[number];

interface LookupResource {
  ResourceType: string;
  ResourceName: string;
}

const RESOURCE_TYPES: Record<string, string> = {
  userName: 'AWS::IAM::User',
  roleName: 'AWS::IAM::Role',
  groupName: 'AWS::IAM::Group',
  policyArn: 'AWS::IAM::Policy',
  instanceProfileName: 'AWS::IAM::InstanceProfile',
  instanceId: 'AWS::EC2::Instance',
  groupId: 'AWS::EC2::SecurityGroup',
  imageId: 'AWS::EC2::Ami',
  snapshotId: 'AWS::EC2::Snapshot',
  bucketName: 'AWS::S3::Bucket',
  secretId: 'AWS::SecretsManager::Secret',
  trailName: 'AWS::CloudTrail::Trail',
  keyName: 'AWS::EC2::KeyPair',
};

function walk(value: unknown, out: LookupResource[], depth = 0): void {
  if (depth > 5 || !value || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) walk(v, out, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const type = RESOURCE_TYPES[k];
    if (type && typeof v === 'string') out.push({ ResourceType: type, ResourceName: v });
    else if (typeof v === 'object') walk(v, out, depth + 1);
  }
}

/** The resources CloudTrail lists for an event: named in its request, created in its response. */
export function lookupResources(r: RawRecord): LookupResource[] {
  const out: LookupResource[] = [];
  for (const res of (r.resources as Array<{ ARN?: string; type?: string }> | undefined) ?? []) {
    if (res.ARN) out.push({ ResourceType: res.type ?? 'AWS::Unknown', ResourceName: res.ARN });
  }
  walk(r.requestParameters, out);
  walk(r.responseElements, out);
  const key = (r.responseElements as { accessKey?: { accessKeyId?: unknown } } | null)?.accessKey?.accessKeyId;
  if (typeof key === 'string') out.push({ ResourceType: 'AWS::IAM::AccessKey', ResourceName: key });
  const seen = new Set<string>();
  return out.filter((x) => !seen.has(`${x.ResourceType}|${x.ResourceName}`) && !!seen.add(`${x.ResourceType}|${x.ResourceName}`));
}

/** CloudTrail's "User name": the IAM user, the role session, or root. */
export function usernameOf(r: RawRecord): string | undefined {
  const u = r.userIdentity as { type?: string; userName?: string; arn?: string; principalId?: string } | undefined;
  if (!u) return undefined;
  if (u.type === 'Root') return 'root';
  if (u.userName) return u.userName;
  if (u.type === 'AssumedRole' && u.arn) return u.arn.split('/').pop();
  return u.principalId?.split(':').pop();
}

function matches(r: RawRecord, key: Key, value: string): boolean {
  switch (key) {
    case 'EventId':
      return r.eventID === value;
    case 'EventName':
      return r.eventName === value;
    case 'ReadOnly':
      return String(r.readOnly ?? false) === value;
    case 'Username':
      return usernameOf(r) === value;
    case 'EventSource':
      return r.eventSource === value;
    case 'AccessKeyId':
      return (r.userIdentity as { accessKeyId?: string } | undefined)?.accessKeyId === value;
    case 'ResourceType':
      return lookupResources(r).some((x) => x.ResourceType === value);
    case 'ResourceName':
      return lookupResources(r).some((x) => x.ResourceName === value);
  }
}

export interface LookupEventsInput {
  LookupAttributes?: Array<{ AttributeKey?: string; AttributeValue?: string }>;
  StartTime?: number;
  EndTime?: number;
  MaxResults?: number;
  NextToken?: string;
  EventCategory?: string;
}

/** Tokens name the position after the last event returned, so pages stay stable. */
function encodeToken(offset: number, filter: string): string {
  return Buffer.from(JSON.stringify({ offset, filter })).toString('base64');
}

function decodeToken(token: string, filter: string): number {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset: number; filter: string };
    if (t.filter !== filter || typeof t.offset !== 'number') throw new Error('mismatch');
    return t.offset;
  } catch {
    throw new AwsError('InvalidNextTokenException', 'Invalid NextToken');
  }
}

/**
 * Newest first, at most 50 per page, one lookup attribute at most, within the time
 * range and CloudTrail's 90 days of event history (relative to the scenario clock).
 */
export function lookupEvents(records: RawRecord[], input: LookupEventsInput, now: number) {
  const attrs = input.LookupAttributes ?? [];
  if (attrs.length > 1) throw new AwsError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
  const attr = attrs[0];
  if (attr && !KEYS.includes(attr.AttributeKey as Key)) {
    throw new AwsError('InvalidLookupAttributesException', `Invalid attribute key: ${String(attr.AttributeKey)}`);
  }
  const max = input.MaxResults ?? MAX_RESULTS;
  if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) throw new AwsError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
  const start = Math.max((input.StartTime ?? 0) * 1000, now - 90 * DAY);
  const end = Math.min(input.EndTime !== undefined ? input.EndTime * 1000 : now, now);
  if (input.StartTime !== undefined && input.EndTime !== undefined && input.StartTime > input.EndTime) {
    throw new AwsError('InvalidTimeRangeException', 'StartTime must be before EndTime.');
  }
  const filter = JSON.stringify([attr?.AttributeKey, attr?.AttributeValue, input.StartTime, input.EndTime]);
  const offset = input.NextToken ? decodeToken(input.NextToken, filter) : 0;
  const hits = records.filter((r) => {
    const t = Date.parse(r.eventTime);
    return t >= start && t <= end && (!attr || matches(r, attr.AttributeKey as Key, String(attr.AttributeValue ?? '')));
  });
  const page = hits.slice(offset, offset + max);
  return {
    Events: page.map((r) => ({
      EventId: r.eventID,
      EventName: r.eventName,
      ReadOnly: String(r.readOnly ?? false),
      AccessKeyId: (r.userIdentity as { accessKeyId?: string } | undefined)?.accessKeyId,
      EventTime: Date.parse(r.eventTime) / 1000,
      EventSource: r.eventSource,
      Username: usernameOf(r),
      Resources: lookupResources(r),
      CloudTrailEvent: JSON.stringify(r),
    })),
    ...(offset + max < hits.length ? { NextToken: encodeToken(offset + max, filter) } : {}),
  };
}
