/**
 * Who may do what. Responders set workflow status, open cases and run reversible
 * remediations; approvers also approve destructive ones, never their own request
 * (the two-person rule). Membership is by Slack user id or by user group.
 */
export type Role = 'responder' | 'approver';

export interface Members {
  users: string[];
  groups: string[];
}

export interface AccessPolicy {
  responders: Members;
  approvers: Members;
}

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

function isMember(m: Members, userId: string, groupsOfUser: readonly string[]): boolean {
  return m.users.includes(userId) || m.groups.some((g) => groupsOfUser.includes(g));
}

export function rolesOf(policy: AccessPolicy, userId: string, groupsOfUser: readonly string[]): Set<Role> {
  const roles = new Set<Role>();
  // An approver is trusted with more than a responder, so they may respond too.
  if (isMember(policy.approvers, userId, groupsOfUser)) roles.add('approver').add('responder');
  if (isMember(policy.responders, userId, groupsOfUser)) roles.add('responder');
  return roles;
}

export function mayAct(policy: AccessPolicy, userId: string, groupsOfUser: readonly string[], needs: Role): AccessDecision {
  if (rolesOf(policy, userId, groupsOfUser).has(needs)) return { allowed: true };
  return { allowed: false, reason: `this needs the ${needs} role, which you do not have` };
}

export function mayApprove(policy: AccessPolicy, approver: string, groupsOfApprover: readonly string[], requester: string): AccessDecision {
  if (approver === requester) return { allowed: false, reason: 'you requested this action, so someone else must approve it (two-person rule)' };
  return mayAct(policy, approver, groupsOfApprover, 'approver');
}

/** The groups a policy names: only those need resolving to members. */
export function groupsNamed(policy: AccessPolicy): string[] {
  return [...new Set([...policy.responders.groups, ...policy.approvers.groups])];
}

/** Parses a list of Slack ids (`U…`/`W…` users, `S…` groups), as written in configuration. */
export function parseMembers(list: string): Members | { error: string } {
  const users: string[] = [];
  const groups: string[] = [];
  for (const raw of list.split(/[\s,]+/).filter(Boolean)) {
    if (/^[UW][A-Z0-9]{2,}$/.test(raw)) users.push(raw);
    else if (/^S[A-Z0-9]{2,}$/.test(raw)) groups.push(raw);
    else return { error: `"${raw}" is neither a Slack user id (U…/W…) nor a user group id (S…)` };
  }
  return { users, groups };
}
