import { POLICY_CHANGES } from './attack.ts';
/**
 * Which CloudTrail event-history lookups an investigation makes, and in which regions.
 *
 * Event history is per region, and an intruder is not: a stolen key works in every region
 * the account has enabled, and miners are launched where nobody watches the quotas. So the
 * plan is made over the account's enabled regions (learned by an adapter behind
 * `ports/enabled-regions.ts`; when they cannot be learned, the finding's region and
 * us-east-1, and the summary says so). Per kind of lookup:
 * - identities (by access key, by user or role session): every enabled region. A key or
 *   session can call any regional service anywhere; that is the blind spot this closes.
 * - calls by name (`EventName`): IAM, Organizations and STS's global endpoint are global
 *   services, recorded once in us-east-1 whatever region the caller used, so those names
 *   are read there only (`isGlobalServiceEvent`); every other watched call
 *   (RunInstances, AuthorizeSecurityGroupIngress, StopLogging…) in every enabled region.
 *   Console sign-ins and STS through its regional endpoints are recorded where they were
 *   made, so they are not in the global list.
 * - a role by name (`ResourceName`): every enabled region. Its changes are IAM calls (in
 *   us-east-1), but AssumeRole through STS's regional endpoints, the SDKs' default, is
 *   recorded in the region called, wherever the role's credentials are then used.
 * - other resources by name (instances, buckets, clusters, databases, functions): the
 *   finding's region only. They live in one region, and their ids are not reused across
 *   regions, so looking elsewhere only costs quota.
 * - calls into an instance that CloudTrail does not list among the event's resources
 *   (SendCommand names it in `requestParameters.instanceIds`, StartSession in `target`):
 *   looked up by name in the finding's region, where the instances are, and kept only
 *   when they name one of the investigated instances.
 *
 * Cost: each (account, region) has its own LookupEvents quota of 2 requests/s, and the
 * collector runs every region's lookups in parallel in that region's queue, so the wall
 * time is the busiest region's (usually the finding's, where the activity is), not the
 * sum. An empty lookup in a quiet region is one page: 17 regions add at most one
 * half-second slot per lookup to each queue, in parallel.
 */

/** Where global services' events are recorded. */
export const GLOBAL_EVENTS_REGION = 'us-east-1';

/** IAM and Organizations calls the playbooks watch for: recorded in us-east-1 only. */
const GLOBAL_EVENT_NAMES = new Set([
  'CreateUser',
  'CreateAccessKey',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'CreateRole',
  'CreateInstanceProfile',
  'AddRoleToInstanceProfile',
  'AddUserToGroup',
  'CreateServiceLinkedRole',
  ...POLICY_CHANGES,
  'DeleteRolePermissionsBoundary',
  'DeleteUserPermissionsBoundary',
  'UpdateAccountPasswordPolicy',
  'DeleteAccountPasswordPolicy',
  'DeactivateMFADevice',
  'LeaveOrganization',
  'CreateOpenIDConnectProvider',
  'CreateSAMLProvider',
  'UpdateSAMLProvider',
]);

export function isGlobalServiceEvent(eventName: string): boolean {
  return GLOBAL_EVENT_NAMES.has(eventName);
}

/**
 * Services whose every call is a global service event, recorded in us-east-1 whatever
 * region the caller used: IAM, Organizations, CloudFront, Route 53 (STS is not: its
 * regional endpoints record where they are called).
 */
const GLOBAL_EVENT_SOURCES = new Set(['iam.amazonaws.com', 'organizations.amazonaws.com', 'cloudfront.amazonaws.com', 'route53.amazonaws.com']);

export function isGlobalEventSource(eventSource: string): boolean {
  return GLOBAL_EVENT_SOURCES.has(eventSource);
}

export type LookupAttribute = 'AccessKeyId' | 'Username' | 'ResourceName' | 'EventName';

export interface PlannedLookup {
  attribute: LookupAttribute;
  value: string;
  region: string;
  /** Keep only events naming one of these (calls that reach into an instance without listing it as a resource). */
  keepNaming?: string[];
}

export interface LookupNeeds {
  /** The finding's region. */
  region: string;
  /**
   * The account's enabled regions, where identities and regional calls are looked up;
   * absent when they could not be learned: then the finding's region and us-east-1.
   */
  enabledRegions?: string[];
  accessKeyIds: string[];
  usernames: string[];
  roleNames: string[];
  resourceNames: string[];
  eventNames: string[];
  /** Calls into instances, kept when they name one of `instances`. */
  instanceEvents?: string[];
  instances?: string[];
}

/** The regions to search: the finding's first, then us-east-1, then the other enabled regions in order. */
export function searchRegions(home: string, enabled: string[] | undefined): string[] {
  return [...new Set([home, GLOBAL_EVENTS_REGION, ...[...(enabled ?? [])].sort()])];
}

export function planLookups(needs: LookupNeeds): PlannedLookup[] {
  const home = needs.region;
  const everywhere = searchRegions(home, needs.enabledRegions);
  const roles = new Set(needs.roleNames);
  const out: PlannedLookup[] = [];
  for (const value of needs.accessKeyIds) for (const region of everywhere) out.push({ attribute: 'AccessKeyId', value, region });
  for (const value of needs.usernames) for (const region of everywhere) out.push({ attribute: 'Username', value, region });
  for (const value of needs.resourceNames) {
    for (const region of roles.has(value) ? everywhere : [home]) out.push({ attribute: 'ResourceName', value, region });
  }
  for (const value of needs.eventNames) {
    for (const region of isGlobalServiceEvent(value) ? [GLOBAL_EVENTS_REGION] : everywhere) out.push({ attribute: 'EventName', value, region });
  }
  const instances = needs.instances ?? [];
  if (instances.length > 0) {
    for (const value of needs.instanceEvents ?? []) out.push({ attribute: 'EventName', value, region: home, keepNaming: instances });
  }
  return out;
}
