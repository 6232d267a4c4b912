import type { AwsClientFactory } from '../clients.ts';
import type { QuotaQueues } from '../quotas.ts';
import type { LimitingFactor } from '../../domain/investigation/limiting.ts';
import { dnsEntry, flowEntry, type LakeRow } from '../../domain/investigation/network-entries.ts';
import { dnsSql, flowSql, type LakeTable, type NetworkQuery, networkQueryProblem } from '../../domain/investigation/network-query.ts';
import type { Searched } from '../../domain/investigation/searched.ts';
import type { TimelineEntry } from '../../domain/investigation/timeline.ts';
import type { Collector, CollectorProgress, CollectorResult, EvidenceScope } from '../../ports/collector.ts';
import { runAthena } from './athena-run.ts';
import type { SecurityLakeSettings } from './security-lake-settings.ts';

const SOURCE = 'security-lake';
/** Instances looked for at once: the finding's, then those the activity created or touched. */
const MAX_INSTANCES = 50;
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

interface Look {
  what: string;
  table: LakeTable;
  sql: (q: NetworkQuery, t: LakeTable) => string;
  entry: (row: LakeRow, accountId: string) => TimelineEntry | null;
}

/**
 * Network evidence from Amazon Security Lake through Athena: the VPC flows (aggregated per
 * conversation) and Route 53 resolver lookups of the instances and addresses in play, over
 * the window, in the regions their events put them in. Only reads: Athena writes its
 * results to the work group's output location, its own bookkeeping.
 */
export class NetworkCollector implements Collector {
  readonly id = 'network' as const;

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
    private readonly settings: SecurityLakeSettings,
  ) {}

  /** The query for a scope, or null when nothing in it has network traffic to look for. */
  queryFor(scope: EvidenceScope): NetworkQuery | null {
    const instanceIds = [
      ...new Set([
        ...scope.subjects.filter((s) => s.kind === 'instance').map((s) => s.id),
        ...(scope.created?.instances ?? []),
        ...(scope.touched?.instances ?? []),
      ]),
    ]
      .filter((id) => INSTANCE_ID.test(id))
      .slice(0, MAX_INSTANCES);
    const ips = [...new Set(scope.subjects.filter((s) => s.kind === 'ip').map((s) => s.id))];
    if (instanceIds.length === 0 && ips.length === 0) return null;
    const regions = [...new Set([scope.region, ...Object.values(scope.instanceRegions ?? {})])];
    return { accountId: scope.accountId, regions, window: scope.window, instanceIds, ips, limit: this.settings.maxRows };
  }

  async collect(scope: EvidenceScope, onProgress?: (p: CollectorProgress) => void): Promise<CollectorResult> {
    const items: TimelineEntry[] = [];
    const searched: Searched[] = [];
    const limitingFactors: LimitingFactor[] = [];
    const result = () => ({ collector: this.id, items, states: [], searched, limitingFactors, pages: searched.length });
    const query = this.queryFor(scope);
    if (!query) return result();
    const problem = networkQueryProblem(query);
    if (problem) {
      limitingFactors.push({ source: SOURCE, reason: 'not-searched', detail: `network evidence: ${problem}` });
      return result();
    }
    const who = [...query.instanceIds, ...query.ips].join(', ');
    const looks: Look[] = [
      { what: `VPC flow logs of ${who}`, table: this.settings.flowTable, sql: flowSql, entry: flowEntry },
      { what: `Route 53 resolver queries by ${who}`, table: this.settings.dnsTable, sql: dnsSql, entry: dnsEntry },
    ];
    const target = {
      account: this.settings.account ?? scope.accountId,
      region: this.settings.region,
      workGroup: this.settings.workGroup,
      ...(this.settings.outputLocation ? { outputLocation: this.settings.outputLocation } : {}),
      ...(this.settings.pollMs !== undefined ? { pollMs: this.settings.pollMs } : {}),
      ...(this.settings.queryTimeoutMs !== undefined ? { queryTimeoutMs: this.settings.queryTimeoutMs } : {}),
    };
    let bytes = 0;
    for (const look of looks) {
      if (bytes >= this.settings.maxBytesScanned) {
        limitingFactors.push({
          source: SOURCE,
          reason: 'truncated',
          detail: `${look.what}: not searched, the bytes scanned bound (${this.settings.maxBytesScanned.toLocaleString('en')}) was reached`,
        });
        continue;
      }
      let sql: string;
      try {
        sql = look.sql(query, look.table);
      } catch (err) {
        limitingFactors.push({ source: SOURCE, reason: 'failed', detail: `${look.what}: the query cannot be written: ${(err as Error).message}` });
        continue;
      }
      const run = await runAthena(this.clients, this.quotas, { ...target, database: look.table.database }, sql, query.limit);
      if (!run.ok) {
        const denied = /AccessDenied|not authorized|Insufficient Lake Formation/i.test(run.detail);
        limitingFactors.push({ source: SOURCE, reason: denied ? 'access-denied' : 'failed', detail: `${look.what} (Security Lake): ${run.detail}` });
        continue;
      }
      bytes += run.bytesScanned ?? 0;
      const found = run.rows
        .slice(0, query.limit)
        .map((row) => look.entry(row, scope.accountId))
        .filter((e): e is TimelineEntry => e !== null);
      items.push(...found);
      if (run.rows.length > query.limit)
        limitingFactors.push({ source: SOURCE, reason: 'truncated', detail: `${look.what}: stopped at ${query.limit} rows (the rows bound); more match` });
      searched.push({
        source: SOURCE,
        what: look.what,
        accountId: scope.accountId,
        region: query.regions.join(', '),
        window: query.window,
        found: found.length,
        ...(run.bytesScanned !== undefined ? { cost: { bytesScanned: run.bytesScanned } } : {}),
      });
      onProgress?.({ collector: this.id, pages: searched.length, items: items.length });
    }
    return result();
  }
}

/** The network collector over Security Lake, or null when it is not configured. */
export function networkCollector(settings: SecurityLakeSettings | null, clients: AwsClientFactory, quotas: QuotaQueues): NetworkCollector | null {
  return settings ? new NetworkCollector(clients, quotas, settings) : null;
}
