import type { SecurityGroup } from '@aws-sdk/client-ec2';
import type { AwsClientFactory } from '../aws/clients.ts';
import { ec2Sdk } from '../aws/sdk.ts';
import type { QuotaQueues } from '../aws/quotas.ts';
import type { LimitingFactor } from '../domain/investigation/limiting.ts';
import type { TimelineEntry } from '../domain/investigation/timeline.ts';
import type { Collector, CollectorProgress, CollectorResult, EvidenceScope } from './collector.ts';
import { stateEntry } from './state-entry.ts';

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

function instanceEntry(scope: EvidenceScope, id: string, time: string, resources: string[], highlights: string[]): TimelineEntry {
  return stateEntry({ id: `ec2:${scope.accountId}:${id}`, time, source: 'ec2', action: 'EC2Instance', service: 'ec2.amazonaws.com', accountId: scope.accountId, region: scope.region, resources, highlights });
}

/**
 * The instances in play — named by the finding or the responder, or launched in the
 * window — as they are now: state, type, role, network exposure of their security groups.
 */
export class Ec2Collector implements Collector {
  readonly id = 'ec2' as const;

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
  ) {}

  async collect(scope: EvidenceScope, onProgress?: (p: CollectorProgress) => void): Promise<CollectorResult> {
    const ids = [
      ...new Set([...scope.resourceNames.filter((r) => /^i-[0-9a-f]+$/.test(r)), ...(scope.created?.instances ?? []), ...(scope.touched?.instances ?? [])]),
    ];
    const items: TimelineEntry[] = [];
    const limitingFactors: LimitingFactor[] = [];
    if (ids.length === 0) return { collector: this.id, items, limitingFactors, pages: 0 };
    const ec2 = this.clients.ec2(scope.accountId, scope.region);
    const { DescribeInstancesCommand, DescribeSecurityGroupsCommand } = ec2Sdk();
    const call = <T>(fn: () => Promise<T>) => this.quotas.run('ec2:Describe', scope.accountId, scope.region, fn);
    let pages = 0;
    try {
      // A filter, not InstanceIds: one purged instance must not fail the whole call.
      const out = await call(() => ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: ids }] })));
      pages++;
      const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
      const groupIds = [...new Set(instances.flatMap((i) => (i.SecurityGroups ?? []).map((g) => g.GroupId as string)))];
      const groups = groupIds.length
        ? ((await call(() => ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: groupIds })))).SecurityGroups ?? [])
        : [];
      pages++;
      for (const i of instances) {
        const id = i.InstanceId as string;
        const exposure = groups.filter((g) => (i.SecurityGroups ?? []).some((s) => s.GroupId === g.GroupId)).flatMap(openToWorld);
        items.push(
          instanceEntry(
            scope,
            id,
            (i.LaunchTime ?? new Date(scope.window.end)).toISOString(),
            [id, ...(i.SecurityGroups ?? []).map((g) => g.GroupId as string), ...(i.IamInstanceProfile?.Arn ? [i.IamInstanceProfile.Arn] : [])],
            [`${i.State?.Name ?? 'unknown'}${i.InstanceType ? ` ${i.InstanceType}` : ''}`, ...(i.PublicIpAddress ? [`public IP ${i.PublicIpAddress}`] : []), ...exposure],
          ),
        );
      }
      for (const missing of ids.filter((id) => !instances.some((i) => i.InstanceId === id))) {
        items.push(instanceEntry(scope, missing, scope.window.end, [missing], ['not found (terminated and purged, or in another region)']));
      }
      onProgress?.({ collector: this.id, pages, items: items.length });
    } catch (err) {
      const e = err as { name?: string; message?: string };
      limitingFactors.push({
        source: 'ec2',
        reason: /UnauthorizedOperation|AccessDenied/.test(e.name ?? '') ? 'access-denied' : 'failed',
        detail: `instances in ${scope.accountId}/${scope.region}: ${e.name}: ${e.message}`,
      });
    }
    return { collector: this.id, items, limitingFactors, pages };
  }
}
