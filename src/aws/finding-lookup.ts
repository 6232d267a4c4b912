import type { AwsClientFactory } from './clients.ts';
import { guardDutySdk, securityHubSdk } from './sdk.ts';

/** Where a finding id says it lives: ARNs name their region and account; a bare GuardDuty id does not. */
export function findingHome(
  id: string,
  fallback: { account: string; region: string },
): { account: string; region: string; service: 'securityhub' | 'guardduty' } {
  const arn = /^arn:aws[\w-]*:(securityhub|guardduty):([a-z0-9-]+):(\d{12}):/.exec(id);
  if (arn) return { service: arn[1] as 'securityhub' | 'guardduty', region: arn[2] as string, account: arn[3] as string };
  return { ...fallback, service: /^[0-9a-f]{32}$/.test(id) ? 'guardduty' : 'securityhub' };
}

/**
 * Fetches one finding as its service returns it (`/sir finding`): Security Hub by `Id`,
 * GuardDuty by id in each of the region's detectors. The document goes through ingest
 * like any delivered finding.
 */
export async function fetchFinding(clients: AwsClientFactory, id: string, fallback: { account: string; region: string }): Promise<unknown | null> {
  const home = findingHome(id, fallback);
  if (home.service === 'securityhub') {
    const { GetFindingsCommand } = securityHubSdk();
    const out = await clients
      .securityHub(home.account, home.region)
      .send(new GetFindingsCommand({ Filters: { Id: [{ Value: id, Comparison: 'EQUALS' }] }, MaxResults: 1 }));
    const found = out.Findings?.[0];
    return found ? { Findings: [found] } : null;
  }
  const findingId = id.split('/').pop() as string;
  const gd = clients.guardDuty(home.account, home.region);
  const { GetFindingsCommand: GetGuardDutyFindingsCommand, ListDetectorsCommand } = guardDutySdk();
  const { DetectorIds = [] } = await gd.send(new ListDetectorsCommand({}));
  for (const DetectorId of DetectorIds) {
    const out = await gd.send(new GetGuardDutyFindingsCommand({ DetectorId, FindingIds: [findingId] }));
    if (out.Findings?.[0]) return out.Findings[0];
  }
  return null;
}
