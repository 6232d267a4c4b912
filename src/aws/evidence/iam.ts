import type { AwsClientFactory } from '../clients.ts';
import { iamSdk } from '../sdk.ts';
import type { QuotaQueues } from '../quotas.ts';
import type { SubjectState } from '../../domain/investigation/current-state.ts';
import { ACCESS_KEY_ID } from '../../domain/investigation/identifiers.ts';
import type { LimitingFactor } from '../../domain/investigation/limiting.ts';
import { trustedPrincipals } from '../../domain/investigation/trust-policy.ts';
import { REVOKE_POLICY_NAME } from '../../domain/remediation/role-sessions.ts';
import type { Searched } from '../../domain/investigation/searched.ts';
import type { Collector, CollectorProgress, CollectorResult, EvidenceScope } from '../../ports/collector.ts';

const ADMIN = /AdministratorAccess|IAMFullAccess|PowerUserAccess/;

const notFound = (err: unknown) => /^NoSuchEntity/.test((err as { name?: string }).name ?? '');
const iso = (d: Date | undefined) => (d ? d.toISOString() : undefined);

/** What the IAM collector learned, gathered as it goes. */
interface Findings {
  states: SubjectState[];
  searched: Searched[];
  limits: LimitingFactor[];
}

/**
 * The current state of the IAM principals in play, from the API for each kind: users
 * (GetUser, their keys and policies), roles (GetRole with its trust and last use, its
 * policies and the instance profiles it is in),
 * access keys (through their user's key list, so a deleted key is known to be gone),
 * and the role an instance profile carries. The root user is not an IAM user and has no
 * IAM description: nothing is said of it here. "No longer exists" is said only when IAM
 * answered NoSuchEntity (or the user's own key list lacks the key).
 */
export class IamCollector implements Collector {
  readonly id = 'iam' as const;

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
  ) {}

  private call<T>(scope: EvidenceScope, fn: () => Promise<T>): Promise<T> {
    return this.quotas.run('iam', scope.accountId, 'global', fn);
  }

  async collect(scope: EvidenceScope, onProgress?: (p: CollectorProgress) => void): Promise<CollectorResult> {
    const keys = scope.subjects.filter(
      (s) => s.kind === 'accessKey' && ACCESS_KEY_ID.test(s.id) && s.principalType !== 'Root' && s.principalType !== 'AssumedRole',
    );
    const keyOwners = keys.map((k) => k.principal).filter((p): p is string => !!p);
    const users = unique([
      ...scope.subjects.filter((s) => s.kind === 'iamUser').map((s) => s.id),
      ...keyOwners,
      ...(scope.created?.users ?? []),
      ...(scope.touched?.users ?? []),
    ]).filter((u) => u !== 'root');
    const roles = unique([...scope.roleNames, ...(scope.created?.roles ?? []), ...(scope.touched?.roles ?? [])]);
    const profiles = unique(scope.subjects.filter((s) => s.kind === 'instance' && s.instanceProfile).map((s) => s.instanceProfile as string));
    const created = { users: new Set(scope.created?.users ?? []), roles: new Set(scope.created?.roles ?? []) };
    const out: Findings = { states: [], searched: [], limits: [] };
    let calls = 0;
    const tick = () => onProgress?.({ collector: this.id, pages: ++calls, items: out.states.length });
    await Promise.all([
      ...users.map((u) => this.user(scope, u, created.users.has(u), out, tick)),
      ...roles.map((r) => this.role(scope, r, created.roles.has(r), out, tick)),
      ...profiles.map((p) => this.instanceProfile(scope, p, out, tick)),
    ]);
    // Keys whose owner was not named: IAM tells the owner, if the key is in this account.
    const described = new Set(out.states.filter((s) => s.kind === 'accessKey').map((s) => s.id));
    await Promise.all(keys.filter((k) => !described.has(k.id)).map((k) => this.keyAlone(scope, k.id, out, tick)));
    return { collector: this.id, items: [], states: out.states, searched: out.searched, limitingFactors: out.limits, pages: calls };
  }

  private searched(scope: EvidenceScope, what: string, found: boolean, out: Findings): void {
    out.searched.push({ source: this.id, what, accountId: scope.accountId, region: null, window: null, found: found ? 1 : 0 });
  }

  private failed(scope: EvidenceScope, what: string, err: unknown, out: Findings): void {
    const e = err as { name?: string; message?: string };
    out.limits.push({
      source: 'iam',
      reason: /AccessDenied/.test(e.name ?? '') ? 'access-denied' : 'failed',
      detail: `${what} in ${scope.accountId}: ${e.name}: ${e.message}`,
    });
  }

  private async user(scope: EvidenceScope, name: string, createdInWindow: boolean, out: Findings, tick: () => void): Promise<void> {
    const iam = this.clients.iam(scope.accountId);
    const { GetAccessKeyLastUsedCommand, GetUserCommand, ListAccessKeysCommand, ListAttachedUserPoliciesCommand, ListUserPoliciesCommand } = iamSdk();
    const base = { kind: 'iamUser' as const, id: name, accountId: scope.accountId, region: null };
    try {
      const { User } = await this.call(scope, () => iam.send(new GetUserCommand({ UserName: name })));
      tick();
      const [keys, attached, inline] = await Promise.all([
        this.call(scope, () => iam.send(new ListAccessKeysCommand({ UserName: name }))),
        this.call(scope, () => iam.send(new ListAttachedUserPoliciesCommand({ UserName: name }))),
        this.call(scope, () => iam.send(new ListUserPoliciesCommand({ UserName: name }))),
      ]);
      tick();
      const policies = [
        ...(attached.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? p.PolicyName ?? '?'),
        ...(inline.PolicyNames ?? []).map((p) => `inline:${p}`),
      ];
      const active = (keys.AccessKeyMetadata ?? []).filter((k) => k.Status === 'Active').length;
      out.states.push({
        ...base,
        exists: true,
        ...(iso(User?.CreateDate) ? { createdAt: iso(User?.CreateDate) as string } : {}),
        ...(iso(User?.PasswordLastUsed) ? { lastUsedAt: iso(User?.PasswordLastUsed) as string, lastUsedWhere: 'console' } : {}),
        policies,
        createdInWindow,
        facts: [`${active} active access key(s)`, ...policies.filter((p) => ADMIN.test(p)).map((p) => `has ${p.split('/').pop()}`)],
      });
      this.searched(scope, `IAM user ${name}`, true, out);
      for (const key of keys.AccessKeyMetadata ?? []) {
        const id = key.AccessKeyId ?? '?';
        const used = await this.call(scope, () => iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id })));
        tick();
        const last = used.AccessKeyLastUsed;
        out.states.push({
          kind: 'accessKey',
          id,
          accountId: scope.accountId,
          region: null,
          exists: true,
          status: key.Status ?? 'unknown',
          owner: name,
          ...(iso(key.CreateDate) ? { createdAt: iso(key.CreateDate) as string } : {}),
          ...(last?.LastUsedDate ? { lastUsedAt: last.LastUsedDate.toISOString(), lastUsedWhere: `${last.ServiceName} in ${last.Region}` } : {}),
          facts: last?.LastUsedDate ? [] : ['never used'],
        });
      }
      // The keys the finding named that the user no longer has: IAM's own list says they are gone.
      for (const gone of unique(scope.subjects.filter((s) => s.kind === 'accessKey' && s.principal === name).map((s) => s.id))) {
        if (!(keys.AccessKeyMetadata ?? []).some((k) => k.AccessKeyId === gone)) {
          out.states.push({
            kind: 'accessKey',
            id: gone,
            accountId: scope.accountId,
            region: null,
            exists: false,
            owner: name,
            facts: [`no longer among ${name}'s access keys (deleted)`],
          });
        }
      }
    } catch (err) {
      if (notFound(err)) {
        out.states.push({ ...base, exists: false, facts: ['IAM says the user no longer exists'] });
        this.searched(scope, `IAM user ${name}`, false, out);
        return;
      }
      this.failed(scope, `user ${name}`, err, out);
    }
  }

  private async role(scope: EvidenceScope, name: string, createdInWindow: boolean, out: Findings, tick: () => void): Promise<void> {
    const iam = this.clients.iam(scope.accountId);
    const { GetRoleCommand, ListAttachedRolePoliciesCommand, ListInstanceProfilesForRoleCommand, ListRolePoliciesCommand } = iamSdk();
    const base = { kind: 'role' as const, id: name, accountId: scope.accountId, region: null };
    try {
      const { Role } = await this.call(scope, () => iam.send(new GetRoleCommand({ RoleName: name })));
      const [attached, inline, profiles] = await Promise.all([
        this.call(scope, () => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }))),
        this.call(scope, () => iam.send(new ListRolePoliciesCommand({ RoleName: name }))),
        this.call(scope, () => iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: name }))),
      ]);
      tick();
      const inlineNames = inline.PolicyNames ?? [];
      const policies = [...(attached.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? p.PolicyName ?? '?'), ...inlineNames.map((p) => `inline:${p}`)];
      const profileNames = (profiles.InstanceProfiles ?? []).map((p) => p.InstanceProfileName).filter((p): p is string => !!p);
      const trusted = trustedPrincipals(Role?.AssumeRolePolicyDocument);
      const lastUsed = Role?.RoleLastUsed;
      out.states.push({
        ...base,
        exists: true,
        ...(profileNames.length > 0 ? { owner: profileNames.join(', ') } : {}),
        ...(iso(Role?.CreateDate) ? { createdAt: iso(Role?.CreateDate) as string } : {}),
        ...(lastUsed?.LastUsedDate ? { lastUsedAt: lastUsed.LastUsedDate.toISOString(), ...(lastUsed.Region ? { lastUsedWhere: lastUsed.Region } : {}) } : {}),
        policies,
        createdInWindow,
        facts: [
          trusted === null ? 'trust policy unreadable' : trusted.length > 0 ? `trusted by ${trusted.join(', ')}` : 'trusts no one',
          ...policies.filter((p) => ADMIN.test(p)).map((p) => `has ${p.split('/').pop()}`),
          // The console's "Revoke active sessions" leaves this policy: sessions issued before its time are already refused.
          ...(inlineNames.includes(REVOKE_POLICY_NAME) ? ['older sessions revoked (AWSRevokeOlderSessions)'] : []),
        ],
      });
      this.searched(scope, `IAM role ${name}`, true, out);
    } catch (err) {
      if (notFound(err)) {
        out.states.push({ ...base, exists: false, facts: ['IAM says the role no longer exists'] });
        this.searched(scope, `IAM role ${name}`, false, out);
        return;
      }
      this.failed(scope, `role ${name}`, err, out);
    }
  }

  /** The role an instance runs with, through its instance profile (the names may differ). */
  private async instanceProfile(scope: EvidenceScope, profileArn: string, out: Findings, tick: () => void): Promise<void> {
    const name = profileArn.split('/').pop() as string;
    const { GetInstanceProfileCommand } = iamSdk();
    try {
      const { InstanceProfile } = await this.call(scope, () =>
        this.clients.iam(scope.accountId).send(new GetInstanceProfileCommand({ InstanceProfileName: name })),
      );
      tick();
      const roles = (InstanceProfile?.Roles ?? []).map((r) => r.RoleName).filter((r): r is string => !!r);
      out.states.push({
        kind: 'instanceProfile',
        id: name,
        accountId: scope.accountId,
        region: null,
        exists: true,
        ...(roles[0] ? { owner: roles[0] } : {}),
        facts: roles.length === 0 ? ['no role'] : roles.length > 1 ? [`roles ${roles.join(', ')}`] : [],
      });
      this.searched(scope, `instance profile ${name}`, true, out);
      await Promise.all(roles.filter((r) => !scope.roleNames.includes(r)).map((r) => this.role(scope, r, false, out, tick)));
    } catch (err) {
      if (notFound(err)) {
        out.states.push({
          kind: 'instanceProfile',
          id: name,
          accountId: scope.accountId,
          region: null,
          exists: false,
          facts: ['IAM says the instance profile no longer exists'],
        });
        return;
      }
      this.failed(scope, `instance profile ${name}`, err, out);
    }
  }

  /** A key whose owner the finding did not say: IAM names it, if the key belongs to this account. */
  private async keyAlone(scope: EvidenceScope, keyId: string, out: Findings, tick: () => void): Promise<void> {
    const { GetAccessKeyLastUsedCommand } = iamSdk();
    try {
      const used = await this.call(scope, () => this.clients.iam(scope.accountId).send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId })));
      tick();
      if (used.UserName) await this.user(scope, used.UserName, false, out, tick);
      else out.states.push({ kind: 'accessKey', id: keyId, accountId: scope.accountId, region: null, exists: null, facts: ['IAM names no owner'] });
    } catch (err) {
      // IAM answers a key that is not in the account (another account's, or deleted) with AccessDenied: not "gone".
      this.failed(scope, `access key ${keyId}`, err, out);
      out.states.push({
        kind: 'accessKey',
        id: keyId,
        accountId: scope.accountId,
        region: null,
        exists: null,
        facts: ['IAM would not describe it (not in this account, or deleted)'],
      });
    }
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
