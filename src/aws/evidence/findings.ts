import type { AwsClientFactory } from '../clients.ts';
import { guardDutySdk, securityHubSdk } from '../sdk.ts';
import type { QuotaQueues } from '../quotas.ts';
import type { Tactic } from '../../domain/investigation/attack.ts';
import type { LimitingFactor } from '../../domain/investigation/limiting.ts';
import type { TimelineEntry } from '../../domain/investigation/timeline.ts';
import type { Finding } from '../../domain/finding.ts';
import { normalizeInput } from '../../ingest/normalize.ts';
import type { Collector, CollectorProgress, CollectorResult, EvidenceScope } from '../../ports/collector.ts';

/** GuardDuty's threat purposes, as ATT&CK tactics. */
const PURPOSE: Record<string, Tactic> = {
  Recon: 'Discovery',
  Discovery: 'Discovery',
  Persistence: 'Persistence',
  PrivilegeEscalation: 'Privilege Escalation',
  DefenseEvasion: 'Defense Evasion',
  Stealth: 'Defense Evasion',
  CredentialAccess: 'Credential Access',
  Exfiltration: 'Exfiltration',
  Impact: 'Impact',
  CryptoCurrency: 'Impact',
  InitialAccess: 'Initial Access',
  Execution: 'Execution',
};

function entryOf(f: Finding, scope: EvidenceScope): TimelineEntry {
  const purpose = f.type.split(':')[0] ?? '';
  const tactic = PURPOSE[purpose];
  return {
    id: `${FINDING_ENTRY_PREFIX}${f.id}`,
    time: f.firstSeenAt ?? f.createdAt ?? scope.window.end,
    source: f.schema === 'guardduty' ? 'guardduty' : 'securityhub',
    action: f.controlId ? `control ${f.controlId}` : f.type || f.title,
    service: f.product,
    actor: null,
    actorType: null,
    accessKeyId: f.resources.find((r) => r.type === 'AwsIamAccessKey')?.id ?? null,
    sourceIp: null,
    userAgent: null,
    resources: f.resources.map((r) => r.id).slice(0, 10),
    errorCode: null,
    accountId: f.accountId,
    region: f.region,
    tactics: tactic ? [tactic] : [],
    highlights: [`severity ${f.severity.label}`, `finding: ${f.title}`.slice(0, 200)],
  };
}

/**
 * Other findings on the same access key, user or instance, from GuardDuty and Security
 * Hub in the finding's account and region: the picture of what else the same actor did.
 */
export const FINDING_ENTRY_PREFIX = 'finding:';

export class FindingsCollector implements Collector {
  readonly id = 'findings' as const;

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
  ) {}

  async collect(scope: EvidenceScope, onProgress?: (p: CollectorProgress) => void): Promise<CollectorResult> {
    const items: TimelineEntry[] = [];
    const limitingFactors: LimitingFactor[] = [];
    let pages = 0;
    const run = <T>(api: string, fn: () => Promise<T>) => this.quotas.run(api, scope.accountId, scope.region, fn).finally(() => pages++);
    const keep = (docs: unknown[]) => {
      if (docs.length > 0) for (const f of normalizeInput(docs).findings) items.push(entryOf(f, scope));
    };

    const gd = this.clients.guardDuty(scope.accountId, scope.region);
    const { GetFindingsCommand: GetGuardDutyFindings, ListDetectorsCommand, ListFindingsCommand } = guardDutySdk();
    const criteria: Array<[string, string[]]> = [
      ['resource.accessKeyDetails.accessKeyId', scope.accessKeyIds],
      // GuardDuty names the root user "Root" where CloudTrail says "root".
      ['resource.accessKeyDetails.userName', scope.usernames.flatMap((u) => (u === 'root' ? ['root', 'Root'] : [u]))],
      ['resource.instanceDetails.instanceId', scope.resourceNames.filter((r) => r.startsWith('i-'))],
    ];
    try {
      const detectors = (await run('guardduty', () => gd.send(new ListDetectorsCommand({})))).DetectorIds ?? [];
      for (const detectorId of detectors) {
        const ids = new Set<string>();
        for (const [field, values] of criteria.filter(([, v]) => v.length > 0)) {
          const out = await run('guardduty', () =>
            gd.send(new ListFindingsCommand({ DetectorId: detectorId, FindingCriteria: { Criterion: { [field]: { Equals: values } } } })),
          );
          for (const id of out.FindingIds ?? []) ids.add(id);
        }
        const all = [...ids];
        for (let i = 0; i < all.length; i += 50) {
          const out = await run('guardduty', () => gd.send(new GetGuardDutyFindings({ DetectorId: detectorId, FindingIds: all.slice(i, i + 50) })));
          // Back to the wire form sirbot ingests: the SDK hands back PascalCase members and Dates.
          keep(JSON.parse(JSON.stringify(out.Findings ?? [])));
        }
      }
    } catch (err) {
      limitingFactors.push(this.limit('GuardDuty', scope, err));
    }

    const sh = this.clients.securityHub(scope.accountId, scope.region);
    const { GetFindingsCommand: GetSecurityHubFindings } = securityHubSdk();
    const resourceIds = securityHubResourceIds(scope);
    if (resourceIds.length > 0) {
      try {
        const out = await run('securityhub', () =>
          sh.send(new GetSecurityHubFindings({ Filters: { ResourceId: resourceIds.map((v) => ({ Value: v, Comparison: 'EQUALS' })) }, MaxResults: 100 })),
        );
        keep(JSON.parse(JSON.stringify(out.Findings ?? [])));
      } catch (err) {
        limitingFactors.push(this.limit('Security Hub', scope, err));
      }
    }
    onProgress?.({ collector: this.id, pages, items: items.length });
    const where = { accountId: scope.accountId, region: scope.region, window: null };
    const searched = [
      ...criteria
        .filter(([, v]) => v.length > 0)
        .map(([field, values]) => ({
          source: this.id,
          what: `GuardDuty findings with ${field} ${values.join(', ')}`,
          ...where,
          found: items.filter((e) => e.source === 'guardduty').length,
        })),
      ...(resourceIds.length > 0
        ? [
            {
              source: this.id,
              what: `Security Hub findings on ${resourceIds.join(', ')}`,
              ...where,
              found: items.filter((e) => e.source === 'securityhub').length,
            },
          ]
        : []),
    ];
    return { collector: this.id, items, states: [], searched, limitingFactors, pages };
  }

  private limit(service: string, scope: EvidenceScope, err: unknown): LimitingFactor {
    const e = err as { name?: string; message?: string };
    return {
      source: 'findings',
      reason: /AccessDenied|Unauthorized/.test(e.name ?? '') ? 'access-denied' : 'failed',
      detail: `${service} in ${scope.accountId}/${scope.region}: ${e.name}: ${e.message}`,
    };
  }
}

/** Security Hub filters take at most 20 values per field. */
const MAX_FILTER_VALUES = 20;

/**
 * ASFF names resources by ARN (`arn:aws:s3:::bucket`, `…:instance/i-…`, `…:user/name`)
 * while the evidence names them bare: EQUALS needs both spellings.
 */
export function securityHubResourceIds(
  scope: Pick<EvidenceScope, 'accountId' | 'region' | 'accessKeyIds' | 'usernames' | 'roleNames' | 'resourceNames'>,
): string[] {
  const ids = new Set<string>();
  // Security Hub writes an access key resource as `AWS::IAM::AccessKey:<id>` (GuardDuty's findings), sometimes bare.
  for (const key of scope.accessKeyIds) ids.add(key).add(`AWS::IAM::AccessKey:${key}`);
  for (const user of scope.usernames.filter((u) => u !== 'root' && !/^i-[0-9a-f]+$/.test(u))) ids.add(user).add(`arn:aws:iam::${scope.accountId}:user/${user}`);
  for (const role of scope.roleNames) ids.add(`arn:aws:iam::${scope.accountId}:role/${role}`);
  for (const name of scope.resourceNames) {
    ids.add(name);
    if (/^i-[0-9a-f]{8,17}$/.test(name)) ids.add(`arn:aws:ec2:${scope.region}:${scope.accountId}:instance/${name}`);
    else if (/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) ids.add(`arn:aws:s3:::${name}`);
  }
  return [...ids].slice(0, MAX_FILTER_VALUES);
}
