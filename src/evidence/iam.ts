import type { AwsClientFactory } from '../aws/clients.ts';
import { iamSdk } from '../aws/sdk.ts';
import type { QuotaQueues } from '../aws/quotas.ts';
import type { LimitingFactor } from '../domain/investigation/limiting.ts';
import type { TimelineEntry } from '../domain/investigation/timeline.ts';
import type { Collector, CollectorProgress, CollectorResult, EvidenceScope } from './collector.ts';
import { stateEntry } from './state-entry.ts';

const ADMIN = /AdministratorAccess|IAMFullAccess|PowerUserAccess/;

function iamEntry(scope: EvidenceScope, id: string, time: Date | undefined, action: string, resources: string[], highlights: string[]): TimelineEntry {
  return stateEntry({
    id: `iam:${scope.accountId}:${id}`,
    time: (time ?? new Date(scope.window.end)).toISOString(),
    source: 'iam',
    action,
    service: 'iam.amazonaws.com',
    accountId: scope.accountId,
    region: null,
    resources,
    highlights,
  });
}

/**
 * The current state of the IAM principals in play: the finding's user (or the one the
 * responder named) and every user and role the window's events created — do they still
 * exist, which keys are active and when were they last used, which policies are attached.
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
    // The root user is no IAM user: GetUser cannot describe it, and saying it "no longer exists" would mislead.
    const users = [...new Set([...scope.usernames, ...(scope.created?.users ?? []), ...(scope.touched?.users ?? [])])].filter((u) => u !== 'root');
    const roles = [...new Set([...(scope.created?.roles ?? []), ...(scope.touched?.roles ?? [])])];
    const createdRoles = new Set(scope.created?.roles ?? []);
    const items: TimelineEntry[] = [];
    const limitingFactors: LimitingFactor[] = [];
    let calls = 0;
    const progress = () => onProgress?.({ collector: this.id, pages: calls, items: items.length });
    const created = new Set(scope.created?.users ?? []);
    await Promise.all([
      ...users.map((u) => this.user(scope, u, created.has(u), items, limitingFactors, () => (calls++, progress()))),
      ...roles.map((r) => this.role(scope, r, createdRoles.has(r), items, limitingFactors, () => (calls++, progress()))),
    ]);
    return { collector: this.id, items, limitingFactors, pages: calls };
  }

  private async user(scope: EvidenceScope, name: string, createdInWindow: boolean, items: TimelineEntry[], limits: LimitingFactor[], tick: () => void) {
    const iam = this.clients.iam(scope.accountId);
    const { GetAccessKeyLastUsedCommand, GetUserCommand, ListAccessKeysCommand, ListAttachedUserPoliciesCommand, ListUserPoliciesCommand } = iamSdk();
    try {
      const { User } = await this.call(scope, () => iam.send(new GetUserCommand({ UserName: name })));
      tick();
      const [keys, attached, inline] = await Promise.all([
        this.call(scope, () => iam.send(new ListAccessKeysCommand({ UserName: name }))),
        this.call(scope, () => iam.send(new ListAttachedUserPoliciesCommand({ UserName: name }))),
        this.call(scope, () => iam.send(new ListUserPoliciesCommand({ UserName: name }))),
      ]);
      tick();
      const policies = (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? p.PolicyName ?? '?');
      items.push(
        iamEntry(scope, `user:${name}`, User?.CreateDate, 'IAMUser', [name, ...policies, ...(inline.PolicyNames ?? []).map((p) => `inline:${p}`)], [
          createdInWindow ? 'created in the window and still exists' : 'user exists',
          ...policies.filter((p) => ADMIN.test(p)).map((p) => `has ${p.split('/').pop()}`),
        ]),
      );
      for (const key of keys.AccessKeyMetadata ?? []) {
        const id = key.AccessKeyId ?? '?';
        const used = await this.call(scope, () => iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: id })));
        tick();
        const last = used.AccessKeyLastUsed;
        items.push(
          iamEntry(scope, `key:${id}`, key.CreateDate, 'AccessKey', [name, id], [
            `${key.Status ?? 'unknown'}${key.Status === 'Active' ? ' (still usable)' : ''}`,
            last?.LastUsedDate ? `last used ${last.LastUsedDate.toISOString()} on ${last.ServiceName} in ${last.Region}` : 'never used',
          ]),
        );
      }
    } catch (err) {
      const e = err as { name?: string; message?: string };
      if (e.name === 'NoSuchEntityException' || e.name === 'NoSuchEntity') {
        items.push(iamEntry(scope, `user:${name}`, undefined, 'IAMUser', [name], ['no longer exists']));
        return;
      }
      limits.push({ source: 'iam', reason: /AccessDenied/.test(e.name ?? '') ? 'access-denied' : 'failed', detail: `user ${name} in ${scope.accountId}: ${e.name}: ${e.message}` });
    }
  }

  private async role(scope: EvidenceScope, name: string, createdInWindow: boolean, items: TimelineEntry[], limits: LimitingFactor[], tick: () => void) {
    const iam = this.clients.iam(scope.accountId);
    const { GetRoleCommand, ListAttachedRolePoliciesCommand } = iamSdk();
    try {
      const { Role } = await this.call(scope, () => iam.send(new GetRoleCommand({ RoleName: name })));
      const attached = await this.call(scope, () => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name })));
      tick();
      const policies = (attached.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? p.PolicyName ?? '?');
      items.push(
        iamEntry(scope, `role:${name}`, Role?.CreateDate, 'IAMRole', [name, ...policies], [
          createdInWindow ? 'created in the window and still exists' : 'role exists',
          ...policies.filter((p) => ADMIN.test(p)).map((p) => `has ${p.split('/').pop()}`),
        ]),
      );
    } catch (err) {
      const e = err as { name?: string; message?: string };
      if (e.name === 'NoSuchEntityException' || e.name === 'NoSuchEntity') {
        items.push(iamEntry(scope, `role:${name}`, undefined, 'IAMRole', [name], ['no longer exists']));
        return;
      }
      limits.push({ source: 'iam', reason: 'failed', detail: `role ${name} in ${scope.accountId}: ${e.name}: ${e.message}` });
    }
  }
}
