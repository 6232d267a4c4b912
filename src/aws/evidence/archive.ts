import type { AwsClientFactory } from '../clients.ts';
import type { QuotaQueues } from '../quotas.ts';
import type { EventQuery } from '../../domain/investigation/event-query.ts';
import type { LimitingFactor } from '../../domain/investigation/limiting.ts';
import { GLOBAL_EVENTS_REGION } from '../../domain/investigation/lookup-plan.ts';
import type { Searched } from '../../domain/investigation/searched.ts';
import type { Subject } from '../../domain/investigation/subjects.ts';
import type { TimelineEntry } from '../../domain/investigation/timeline.ts';
import type { InvestigationWindow } from '../../domain/investigation/window.ts';
import type { Collector, CollectorProgress, CollectorResult, EvidenceScope } from '../../ports/collector.ts';
import type { EnabledRegions } from '../../ports/enabled-regions.ts';
import type { EventSearch } from '../../ports/event-search.ts';
import { AthenaSearch } from './athena.ts';
import type { ArchiveSettings } from './archive-settings.ts';
import { LakeSearch } from './lake.ts';
import { TrailObjectsSearch } from './trail-objects.ts';

/** The configured long-term store as an `EventSearch` (for investigations and follow-up questions alike), or null with none. */
export function archiveSearch(settings: ArchiveSettings | null, clients: AwsClientFactory, quotas: QuotaQueues): EventSearch | null {
  if (!settings) return null;
  const { store } = settings;
  if (store.kind === 'lake') return new LakeSearch(clients, quotas, { ...settings, store });
  if (store.kind === 'athena') return new AthenaSearch(clients, quotas, { ...settings, store });
  return new TrailObjectsSearch(clients, quotas, { ...settings, store });
}

/** The archive collector over the configured store, or null with none. */
export function archiveCollector(
  settings: ArchiveSettings | null,
  clients: AwsClientFactory,
  quotas: QuotaQueues,
  regions?: EnabledRegions,
): ArchiveCollector | null {
  const search = archiveSearch(settings, clients, quotas);
  return settings && search ? new ArchiveCollector(search, settings, regions) : null;
}

interface PlannedSearch {
  look: NonNullable<Searched['look']>;
  what: string;
  query: EventQuery;
}

/** How far back an address's last calls are looked for. */
const IP_LOOKBACK_DAYS = 365;
const NONE = { accessKeyIds: [], usernames: [], resourceNames: [], sourceIps: [], eventNames: [] };
const words = (label: string, values: string[]) => (values.length ? [`${label} ${values.join(', ')}`] : []);

/**
 * What event history cannot answer, asked of the trail's long-term store: the part of the
 * window older than event history (by the same keys, users, resources and watched calls),
 * the calls from the addresses in play (event history cannot search by source IP), and S3
 * object access on the buckets in play (data events, which event history never holds) —
 * those two over the whole window. The store's costs are bounded: once the bytes scanned
 * pass the bound, the remaining searches are not made, and the summary says so.
 */
export class ArchiveCollector implements Collector {
  readonly id = 'archive' as const;

  constructor(
    readonly search: EventSearch,
    private readonly settings: ArchiveSettings,
    /** Where the account can have activity, as event history searches it; absent: the finding's region and us-east-1. */
    private readonly regions?: EnabledRegions,
  ) {}

  /** Every region the account has enabled (the same list and cache event history uses), with the home and global-events regions. */
  private async regionsOf(accountId: string, home: string): Promise<string[]> {
    const enabled = this.regions ? (await this.regions.of(accountId)).regions : null;
    return [...new Set([home, GLOBAL_EVENTS_REGION, ...(enabled ?? [])])];
  }

  /** What event history cannot answer about the scope: the older part of the window, and the addresses in play. */
  plan(scope: EvidenceScope, regions: string[] = [scope.region, GLOBAL_EVENTS_REGION]): PlannedSearch[] {
    const searches: PlannedSearch[] = [];
    const base = this.base(scope, regions);
    const from = scope.eventHistoryFrom;
    if (from && scope.window.start < from) {
      const older: InvestigationWindow = { start: scope.window.start, end: new Date(Math.min(Date.parse(scope.window.end), Date.parse(from))).toISOString() };
      const match = { ...NONE, accessKeyIds: scope.accessKeyIds, usernames: scope.usernames, resourceNames: scope.resourceNames, eventNames: scope.eventNames };
      if (Object.values(match).some((l) => l.length > 0))
        searches.push({
          look: 'before-history',
          what: [
            'events before event history',
            ...words('by access key', match.accessKeyIds),
            ...words('by user or session', match.usernames),
            ...words('naming', match.resourceNames),
            ...words('calls to', match.eventNames.slice(0, 6)),
          ].join('; '),
          query: { ...base, window: older, match },
        });
    }
    const ips = [...new Set(scope.subjects.filter((s) => s.kind === 'ip').map((s) => s.id))];
    if (ips.length > 0)
      searches.push({ look: 'source-ip', what: `calls from ${ips.join(', ')}`, query: { ...base, window: scope.window, match: { ...NONE, sourceIps: ips } } });
    return searches;
  }

  /**
   * S3 object access on the buckets in play (the finding's, and those the activity found
   * named), over the whole window; or, when the trail does not record data events, a
   * limiting factor naming those buckets.
   */
  planDataEvents(
    scope: EvidenceScope,
    buckets: string[],
    regions: string[] = [scope.region, GLOBAL_EVENTS_REGION],
  ): { search?: PlannedSearch; limitingFactor?: LimitingFactor } {
    if (buckets.length === 0) return {};
    if (!this.settings.dataEvents)
      return {
        limitingFactor: {
          source: this.search.via,
          reason: 'data-events',
          detail: `the trail does not record S3 data events: object reads and writes in ${buckets.join(', ')} are not seen (${this.search.via})`,
        },
      };
    return {
      search: {
        look: 'data-events',
        what: `S3 data events on ${buckets.join(', ')}`,
        query: {
          ...this.base(scope, regions),
          window: scope.window,
          match: { ...NONE, resourceNames: buckets },
          only: { eventSources: ['s3.amazonaws.com'], dataEvents: true },
        },
      },
    };
  }

  private base(scope: EvidenceScope, regions: string[]) {
    return { accountId: scope.accountId, regions: [...new Set(regions)], limit: this.settings.bounds.maxRecords };
  }

  /**
   * Where an address last made calls (what event history cannot say): the newest of its
   * calls in the store over the last year, for an ad-hoc investigation of an IP. Other
   * subjects are event history's to answer.
   */
  async lastActivity(subject: Subject, accountId: string, region: string, now: number): Promise<string | null> {
    if (subject.kind !== 'ip') return null;
    const query: EventQuery = {
      accountId,
      regions: await this.regionsOf(accountId, region),
      window: { start: new Date(now - IP_LOOKBACK_DAYS * 86_400_000).toISOString(), end: new Date(now).toISOString() },
      match: { ...NONE, sourceIps: [subject.id] },
      limit: 50,
      newestFirst: true,
    };
    if (this.search.refuses(query, now)) return null;
    const result = await this.search.search(query);
    return (
      result.entries
        .map((e) => e.time)
        .sort()
        .pop() ?? null
    );
  }

  async collect(scope: EvidenceScope, onProgress?: (p: CollectorProgress) => void): Promise<CollectorResult> {
    const limitingFactors: LimitingFactor[] = [];
    const items: TimelineEntry[] = [];
    const searched: Searched[] = [];
    const progress = { collector: this.id, pages: 0, items: 0 };
    let bytes = 0;
    const maxBytes = this.settings.bounds.maxBytesScanned;
    const run = async (planned: PlannedSearch) => {
      const refused = this.search.refuses(planned.query, Date.now());
      if (refused) {
        limitingFactors.push({ source: this.search.via, reason: 'not-searched', detail: `${planned.what}: ${refused}` });
        return;
      }
      if (bytes >= maxBytes) {
        limitingFactors.push({
          source: this.search.via,
          reason: 'truncated',
          detail: `${planned.what}: not searched, the bytes scanned bound (${maxBytes.toLocaleString('en')}) was reached`,
        });
        return;
      }
      const result = await this.search.search(planned.query);
      bytes += result.cost?.bytesScanned ?? 0;
      items.push(...result.entries);
      limitingFactors.push(...result.limitingFactors);
      // The search's own account of what it looked at, in the investigation's words.
      for (const look of result.searched) searched.push({ ...look, what: planned.what, look: planned.look });
      progress.pages++;
      progress.items += result.entries.length;
      onProgress?.({ ...progress });
    };
    const regions = await this.regionsOf(scope.accountId, scope.region);
    for (const planned of this.plan(scope, regions)) await run(planned);
    const named = items.filter((e) => e.service === 's3.amazonaws.com').flatMap((e) => e.resources.filter((r) => !r.startsWith('arn:')));
    const buckets = [...new Set([...scope.subjects.filter((s) => s.kind === 'bucket').map((s) => s.id), ...named])];
    const dataEvents = this.planDataEvents(scope, buckets, regions);
    if (dataEvents.search) await run(dataEvents.search);
    if (dataEvents.limitingFactor) limitingFactors.push(dataEvents.limitingFactor);
    if (bytes > maxBytes && !limitingFactors.some((l) => l.reason === 'truncated' && l.detail.includes('bytes scanned bound')))
      limitingFactors.push({
        source: this.search.via,
        reason: 'truncated',
        detail: `${this.search.via}: ${bytes.toLocaleString('en')} bytes scanned, past the bytes scanned bound (${maxBytes.toLocaleString('en')})`,
      });
    return { collector: this.id, items, states: [], searched, limitingFactors, pages: progress.pages };
  }
}
