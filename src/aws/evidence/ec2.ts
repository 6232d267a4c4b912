import type { Instance, SecurityGroup } from '@aws-sdk/client-ec2';
import type { AwsClientFactory } from '../clients.ts';
import { ec2Sdk } from '../sdk.ts';
import type { QuotaQueues } from '../quotas.ts';
import type { SubjectState } from '../../domain/investigation/current-state.ts';
import { INSTANCE_ID } from '../../domain/investigation/identifiers.ts';
import type { LimitingFactor } from '../../domain/investigation/limiting.ts';
import type { Collector, CollectorProgress, CollectorResult, EvidenceScope } from '../../ports/collector.ts';

const SENSITIVE_PORTS = [22, 3389, 3306, 5432, 6379, 9200, 27017];

/** Rules open to the internet, as facts a responder can act on. */
function openToWorld(group: SecurityGroup): string[] {
  const facts: string[] = [];
  for (const p of group.IpPermissions ?? []) {
    if (!(p.IpRanges ?? []).some((r) => r.CidrIp === '0.0.0.0/0')) continue;
    const all = p.IpProtocol === '-1';
    const ports = all ? 'all ports' : p.FromPort === p.ToPort ? `port ${p.FromPort}` : `ports ${p.FromPort}-${p.ToPort}`;
    const sensitive = all || SENSITIVE_PORTS.some((port) => (p.FromPort ?? 0) <= port && port <= (p.ToPort ?? 65535));
    facts.push(`${group.GroupId} open to 0.0.0.0/0 on ${ports}${sensitive ? ' (sensitive)' : ''}`);
  }
  return facts;
}

function stateOfInstance(scope: EvidenceScope, region: string, i: Instance, groups: SecurityGroup[], createdInWindow: boolean): SubjectState {
  const id = i.InstanceId as string;
  const tokens = i.MetadataOptions?.HttpTokens;
  const exposure = groups.filter((g) => (i.SecurityGroups ?? []).some((s) => s.GroupId === g.GroupId)).flatMap(openToWorld);
  return {
    kind: 'instance',
    id,
    accountId: scope.accountId,
    region,
    exists: true,
    status: i.State?.Name ?? 'unknown',
    ...(i.IamInstanceProfile?.Arn ? { owner: i.IamInstanceProfile.Arn } : {}),
    ...(i.LaunchTime ? { createdAt: i.LaunchTime.toISOString() } : {}),
    ...(tokens === 'required' || tokens === 'optional' ? { metadataTokens: tokens } : {}),
    ...(i.PublicIpAddress ? { publicIp: i.PublicIpAddress } : {}),
    exposure,
    createdInWindow,
    facts: [
      ...(i.InstanceType ? [i.InstanceType] : []),
      ...(tokens === 'optional' ? ['IMDSv1 still allowed (HttpTokens optional)'] : tokens === 'required' ? ['IMDSv2 required'] : []),
      ...exposure,
    ],
  };
}

/**
 * The instances in play — named by the finding (as the affected resource, or as the
 * session of the role whose credentials were used), by the responder, or launched in
 * the window — as they are now: state, type, instance profile, whether IMDSv1 is still
 * allowed, public IP, security group rules open to the internet. Each is described in
 * the region the window's events put it in (a miner launched elsewhere), else the
 * finding's. An instance DescribeInstances does not return is "not found in <region>",
 * which is all it says.
 */
export class Ec2Collector implements Collector {
  readonly id = 'ec2' as const;

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
  ) {}

  async collect(scope: EvidenceScope, onProgress?: (p: CollectorProgress) => void): Promise<CollectorResult> {
    const created = new Set(scope.created?.instances ?? []);
    const ids = [
      ...new Set([
        ...scope.subjects.filter((s) => s.kind === 'instance').map((s) => s.id),
        ...scope.resourceNames.filter((r) => INSTANCE_ID.test(r)),
        ...created,
        ...(scope.touched?.instances ?? []),
      ]),
    ];
    const states: SubjectState[] = [];
    const limitingFactors: LimitingFactor[] = [];
    const empty = { collector: this.id, items: [], states, searched: [], limitingFactors, pages: 0 };
    if (ids.length === 0) return empty;
    const regionOf = (id: string) => scope.instanceRegions?.[id] ?? scope.region;
    const byRegion = new Map<string, string[]>();
    for (const id of ids) byRegion.set(regionOf(id), [...(byRegion.get(regionOf(id)) ?? []), id]);
    let pages = 0;
    for (const [region, here] of byRegion) {
      const out = await this.describe(scope, region, here, created);
      pages += out.pages;
      states.push(...out.states);
      limitingFactors.push(...out.limitingFactors);
      onProgress?.({ collector: this.id, pages, items: states.length });
    }
    const searched = ids.map((id) => ({
      source: this.id,
      what: `EC2 instance ${id}`,
      accountId: scope.accountId,
      region: regionOf(id),
      window: null,
      found: states.some((s) => s.id === id && s.exists) ? 1 : 0,
    }));
    return { ...empty, searched, pages };
  }

  private async describe(
    scope: EvidenceScope,
    region: string,
    ids: string[],
    created: Set<string>,
  ): Promise<{ states: SubjectState[]; limitingFactors: LimitingFactor[]; pages: number }> {
    const states: SubjectState[] = [];
    const limitingFactors: LimitingFactor[] = [];
    const ec2 = this.clients.ec2(scope.accountId, region);
    const { DescribeInstancesCommand, DescribeSecurityGroupsCommand } = ec2Sdk();
    const call = <T>(fn: () => Promise<T>) => this.quotas.run('ec2:Describe', scope.accountId, region, fn);
    let pages = 0;
    try {
      // A filter, not InstanceIds: one purged instance must not fail the whole call.
      const out = await call(() => ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: ids }] })));
      pages++;
      const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
      const groupIds = [...new Set(instances.flatMap((i) => (i.SecurityGroups ?? []).map((g) => g.GroupId as string)))];
      const groups = groupIds.length ? ((await call(() => ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: groupIds })))).SecurityGroups ?? []) : [];
      pages++;
      for (const i of instances) states.push(stateOfInstance(scope, region, i, groups, created.has(i.InstanceId as string)));
      for (const missing of ids.filter((id) => !instances.some((i) => i.InstanceId === id))) {
        states.push({
          kind: 'instance',
          id: missing,
          accountId: scope.accountId,
          region,
          exists: false,
          facts: [`DescribeInstances does not return it in ${region} (terminated and purged, or in another region)`],
        });
      }
    } catch (err) {
      const e = err as { name?: string; message?: string };
      limitingFactors.push({
        source: 'ec2',
        reason: /UnauthorizedOperation|AccessDenied/.test(e.name ?? '') ? 'access-denied' : 'failed',
        detail: `instances in ${scope.accountId}/${region}: ${e.name}: ${e.message}`,
      });
    }
    return { states, limitingFactors, pages };
  }
}
