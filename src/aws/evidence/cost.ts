import * as z from 'zod';
import type { AwsClientFactory } from '../clients.ts';
import type { QuotaQueues } from '../quotas.ts';
import { costExplorerSdk } from '../sdk.ts';
import { type CostDay, costPeriods, costSpikes } from '../../domain/investigation/cost-spikes.ts';
import type { LimitingFactor } from '../../domain/investigation/limiting.ts';
import type { Collector, CollectorResult, EvidenceScope } from '../../ports/collector.ts';

const amountsSchema = z.object({ Amount: z.string().optional(), Unit: z.string().optional() });
const pageSchema = z.object({
  NextPageToken: z.string().optional(),
  ResultsByTime: z
    .array(
      z.object({
        TimePeriod: z.object({ Start: z.string().optional() }).optional(),
        Groups: z.array(z.object({ Keys: z.array(z.string()).optional(), Metrics: z.record(z.string(), amountsSchema).optional() })).optional(),
      }),
    )
    .optional(),
});

/** Pages at most: a year of days by service and region is far below; the cap only guards against a token that never ends. */
const MAX_PAGES = 20;

/**
 * Spend by service and region from Cost Explorer (`GetCostAndUsage`, DAILY
 * UnblendedCost grouped by SERVICE and REGION, every page), over the window's days and
 * the same number of days before, in one request range: spikes are what
 * `costSpikes` (domain) flags. Cost Explorer answers for the whole account from
 * us-east-1, and each request is billed ($0.01), so an investigation makes one (and its
 * pages), through the (ce, account) quota queue. Cost data lags by up to a day, so the
 * last day may be partial. Denied or not enabled is a limiting factor, never a failure.
 */
export class CostCollector implements Collector {
  readonly id = 'cost' as const;

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
  ) {}

  async collect(scope: EvidenceScope): Promise<CollectorResult> {
    const periods = costPeriods(scope.window);
    const { GetCostAndUsageCommand } = costExplorerSdk();
    const client = this.clients.costExplorer(scope.accountId);
    const days: CostDay[] = [];
    const limitingFactors: LimitingFactor[] = [];
    let pages = 0;
    let token: string | undefined;
    try {
      do {
        const page = pageSchema.parse(
          await this.quotas.run('ce', scope.accountId, 'us-east-1', () =>
            client.send(
              new GetCostAndUsageCommand({
                TimePeriod: { Start: periods.baseline.start, End: periods.window.end },
                Granularity: 'DAILY',
                Metrics: ['UnblendedCost'],
                GroupBy: [
                  { Type: 'DIMENSION', Key: 'SERVICE' },
                  { Type: 'DIMENSION', Key: 'REGION' },
                ],
                ...(token ? { NextPageToken: token } : {}),
              }),
            ),
          ),
        );
        pages++;
        for (const r of page.ResultsByTime ?? []) {
          const date = r.TimePeriod?.Start?.slice(0, 10);
          for (const g of r.Groups ?? []) {
            const cost = g.Metrics?.UnblendedCost;
            const amount = Number(cost?.Amount);
            const [service, region] = g.Keys ?? [];
            if (date && service && region && Number.isFinite(amount)) days.push({ date, service, region, amount, unit: cost?.Unit ?? 'USD' });
          }
        }
        token = page.NextPageToken;
      } while (token && pages < MAX_PAGES);
    } catch (err) {
      const e = err as { name?: string; message?: string };
      const words = `${e.name} ${e.message}`;
      // An account that never turned Cost Explorer on is told "not enabled for cost explorer access".
      const reason = /not enabled|DataUnavailable/i.test(words) ? 'not-configured' : /AccessDenied|not authorized/i.test(words) ? 'access-denied' : 'failed';
      limitingFactors.push({
        source: this.id,
        reason,
        detail: `Cost Explorer in ${scope.accountId} (spend by service and region) could not be read: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`,
      });
    }
    const spikes = limitingFactors.length === 0 ? costSpikes(days, periods) : [];
    return {
      collector: this.id,
      items: [],
      states: [],
      searched: [
        {
          source: this.id,
          what: `daily spend by service and region, ${periods.window.start} to ${periods.window.end} (exclusive) against the ${periods.days} day${periods.days === 1 ? '' : 's'} before`,
          accountId: scope.accountId,
          region: null,
          window: { start: `${periods.baseline.start}T00:00:00.000Z`, end: `${periods.window.end}T00:00:00.000Z` },
          found: spikes.length,
        },
      ],
      limitingFactors,
      pages,
      costSpikes: spikes,
    };
  }
}
