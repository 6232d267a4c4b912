import type { AwsClientFactory } from '../clients.ts';
import type { QuotaQueues } from '../quotas.ts';
import { archiveCollector } from './archive.ts';
import type { ArchiveSettings } from './archive-settings.ts';
import { AccountRegions } from '../regions.ts';
import { CloudTrailCollector } from './cloudtrail.ts';
import { CostCollector } from './cost.ts';
import type { Collector } from '../../ports/collector.ts';
import { Ec2Collector } from './ec2.ts';
import { FindingsCollector } from './findings.ts';
import { IamCollector } from './iam.ts';
import { S3Collector } from './s3.ts';

/**
 * Every evidence source sirbot has, sharing one client factory and one set of quota
 * queues; CloudTrail searches each account's enabled regions, learned once per account
 * for a while (regions.ts); with a long-term store configured, the archive collector
 * beside event history.
 */
export function createCollectors(clients: AwsClientFactory, quotas: QuotaQueues, archive: ArchiveSettings | null = null): Collector[] {
  // One list of each account's regions (and one cache) for event history and the long-term store alike.
  const regions = new AccountRegions(clients, quotas);
  const beyondHistory = archiveCollector(archive, clients, quotas, regions);
  return [
    new CloudTrailCollector(clients, quotas, { regions }),
    // After event history: an event both hold (the store's IP and data-event searches cover the last 90 days too) keeps event history's entry.
    ...(beyondHistory ? [beyondHistory] : []),
    new CostCollector(clients, quotas),
    new IamCollector(clients, quotas),
    new Ec2Collector(clients, quotas),
    new S3Collector(clients, quotas),
    new FindingsCollector(clients, quotas),
  ];
}
