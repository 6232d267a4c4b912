import { POLICY_CHANGES } from './attack.ts';
/**
 * Which CloudTrail event-history lookups an investigation makes, and in which region.
 *
 * Event history is per region, and two kinds of activity land away from the finding's
 * region: calls to global services (IAM, Organizations, STS's global endpoint) are
 * recorded in us-east-1 whatever region the caller used, and a stolen key driven from a
 * CLI with its default region leaves its recon there too. So identity lookups (by key, by
 * user or session) run in the finding's region and in us-east-1, lookups for IAM calls by
 * name run in us-east-1 only, and lookups for a role by name (what changed the role) run
 * in both. Each region has its own 2 requests/s quota, so the second region costs no
 * wall time while the first is the busier one.
 *
 * Some calls reach into an instance without CloudTrail listing it among the event's
 * resources (SendCommand names it in `requestParameters.instanceIds`, StartSession in
 * `target`), so the ResourceName lookup never finds them: they are looked up by name and
 * kept only when they name one of the investigated instances.
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
  accessKeyIds: string[];
  usernames: string[];
  roleNames: string[];
  resourceNames: string[];
  eventNames: string[];
  /** Calls into instances, kept when they name one of `instances`. */
  instanceEvents?: string[];
  instances?: string[];
}

export function planLookups(needs: LookupNeeds): PlannedLookup[] {
  const home = needs.region;
  const identityRegions = home === GLOBAL_EVENTS_REGION ? [home] : [home, GLOBAL_EVENTS_REGION];
  const roles = new Set(needs.roleNames);
  const out: PlannedLookup[] = [];
  for (const value of needs.accessKeyIds) for (const region of identityRegions) out.push({ attribute: 'AccessKeyId', value, region });
  for (const value of needs.usernames) for (const region of identityRegions) out.push({ attribute: 'Username', value, region });
  for (const value of needs.resourceNames) {
    for (const region of roles.has(value) ? identityRegions : [home]) out.push({ attribute: 'ResourceName', value, region });
  }
  for (const value of needs.eventNames) out.push({ attribute: 'EventName', value, region: isGlobalServiceEvent(value) ? GLOBAL_EVENTS_REGION : home });
  const instances = needs.instances ?? [];
  if (instances.length > 0) {
    for (const value of needs.instanceEvents ?? []) out.push({ attribute: 'EventName', value, region: home, keepNaming: instances });
  }
  return out;
}
