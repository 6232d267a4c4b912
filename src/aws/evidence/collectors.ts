import type { AwsClientFactory } from '../clients.ts';
import type { QuotaQueues } from '../quotas.ts';
import { archiveCollector } from './archive.ts';
import type { ArchiveSettings } from './archive-settings.ts';
import { AccountRegions } from '../regions.ts';
import { CloudTrailCollector } from './cloudtrail.ts';
import { CostCollector } from './cost.ts';
import type { Collector } from '../../ports/collector.ts';
import type { EnabledRegions } from '../../ports/enabled-regions.ts';
import { Ec2Collector } from './ec2.ts';
import { FindingsCollector } from './findings.ts';
import { IamCollector } from './iam.ts';
import { S3Collector } from './s3.ts';
import { networkCollector } from './network.ts';
import type { SecurityLakeSettings } from './security-lake-settings.ts';

/**
 * Every evidence source sirbot has, sharing one client factory and one set of quota
 * queues; CloudTrail searches each account's enabled regions, learned once per account
 * for a while (regions.ts) — the same list follow-up questions search (pass one `regions`
 * to both, so they share its cache); with a long-term store configured, the archive
 * collector beside event history, searching the same regions; with Security Lake
 * configured, the network collector (VPC flows and DNS lookups).
 */
export function createCollectors(
  clients: AwsClientFactory,
  quotas: QuotaQueues,
  archive: ArchiveSettings | null = null,
  regions: EnabledRegions = new AccountRegions(clients, quotas),
  securityLake: SecurityLakeSettings | null = null,
): Collector[] {
  const beyondHistory = archiveCollector(archive, clients, quotas, regions);
  const network = networkCollector(securityLake, clients, quotas);
  return [
    new CloudTrailCollector(clients, quotas, { regions }),
    // After event history: an event both hold (the store's IP and data-event searches cover the last 90 days too) keeps event history's entry.
    ...(beyondHistory ? [beyondHistory] : []),
    new CostCollector(clients, quotas),
    new IamCollector(clients, quotas),
    new Ec2Collector(clients, quotas),
    new S3Collector(clients, quotas),
    new FindingsCollector(clients, quotas),
    ...(network ? [network] : []),
  ];
}
