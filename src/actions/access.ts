import { type AccessDecision, type AccessPolicy, type Role, groupsNamed, mayAct, mayApprove } from '../domain/actions/access.ts';

/** Who is in a Slack user group (usergroups.users.list), behind an interface so tests and runtimes choose. */
export interface GroupDirectory {
  membersOf(groupId: string): Promise<string[]>;
}

/**
 * Decides with the configured policy, resolving the user groups it names. Membership
 * is cached briefly: a person removed from a group loses access within `ttlMs`.
 */
export class AccessControl {
  private readonly cache = new Map<string, { members: string[]; until: number }>();

  constructor(
    readonly policy: AccessPolicy,
    private readonly directory: GroupDirectory | null,
    private readonly ttlMs = 5 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  private async members(groupId: string): Promise<string[]> {
    const hit = this.cache.get(groupId);
    if (hit && hit.until > this.clock()) return hit.members;
    // A group that cannot be read grants nothing: failing closed is the safe side.
    const members = this.directory ? await this.directory.membersOf(groupId).catch(() => []) : [];
    this.cache.set(groupId, { members, until: this.clock() + this.ttlMs });
    return members;
  }

  async groupsOf(userId: string): Promise<string[]> {
    const out: string[] = [];
    for (const g of groupsNamed(this.policy)) if ((await this.members(g)).includes(userId)) out.push(g);
    return out;
  }

  async check(userId: string, needs: Role): Promise<AccessDecision> {
    return mayAct(this.policy, userId, await this.groupsOf(userId), needs);
  }

  async checkApproval(approver: string, requester: string): Promise<AccessDecision> {
    return mayApprove(this.policy, approver, await this.groupsOf(approver), requester);
  }
}
