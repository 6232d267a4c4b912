import type { LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import type { AwsClientFactory } from '../clients.ts';
import { cloudTrailSdk } from '../sdk.ts';
import type { QuotaQueues } from '../quotas.ts';
import type { CloudTrailRecord } from '../../domain/investigation/cloudtrail-record.ts';
import type { EventQuery } from '../../domain/investigation/event-query.ts';
import type { LimitingFactor } from '../../domain/investigation/limiting.ts';
import type { Searched } from '../../domain/investigation/searched.ts';
import { entryFromCloudTrail, type TimelineEntry } from '../../domain/investigation/timeline.ts';
import { GLOBAL_EVENTS_REGION, isGlobalEventSource, isGlobalServiceEvent } from '../../domain/investigation/lookup-plan.ts';
import { CLOUDTRAIL_RETENTION_DAYS } from '../../domain/investigation/window.ts';
import type { EventSearch, EventSearchResult } from '../../ports/event-search.ts';
import { type LookupFailure, lookupFailure, recordSchema, regionOutcome } from './cloudtrail.ts';

const DAY = 86_400_000;
/** LookupEvents returns at most 50 events a page. */
const PAGE = 50;

/** One LookupEvents attribute, in one region: event history takes one attribute per call. */
interface Lookup {
  key: LookupAttributeKey;
  value: string;
  region: string;
}

const WORDS: Partial<Record<LookupAttributeKey, string>> = {
  AccessKeyId: 'events by access key',
  Username: 'events by user or session',
  ResourceName: 'events naming',
  EventName: 'calls to',
  EventSource: 'events from',
};

/**
 * Whether a value's events are recorded in us-east-1 only (lookup-plan.ts): calls to
 * IAM and other global services, wherever made, or a query narrowed to nothing but them.
 */
function globalOnly(q: EventQuery, key: LookupAttributeKey, value: string): boolean {
  if (key === 'EventName' && isGlobalServiceEvent(value)) return true;
  if (key === 'EventSource' && isGlobalEventSource(value)) return true;
  const names = q.only?.eventNames ?? [];
  const sources = q.only?.eventSources ?? [];
  return (names.length > 0 && names.every(isGlobalServiceEvent)) || (sources.length > 0 && sources.every(isGlobalEventSource));
}

/**
 * The lookups a query becomes: each value it matches, in each region (or, matching
 * nothing, each service or call it narrows to). Identities are looked up in every region
 * of the query; global services' calls only in us-east-1 when the query has it (reading
 * there covers every region: the others hold none of them).
 */
function lookupsOf(q: EventQuery): Lookup[] {
  const values: Array<[LookupAttributeKey, string]> = [
    ...q.match.accessKeyIds.map((v) => ['AccessKeyId', v] as [LookupAttributeKey, string]),
    ...q.match.usernames.map((v) => ['Username', v] as [LookupAttributeKey, string]),
    ...q.match.resourceNames.map((v) => ['ResourceName', v] as [LookupAttributeKey, string]),
    ...q.match.eventNames.map((v) => ['EventName', v] as [LookupAttributeKey, string]),
  ];
  if (values.length === 0) {
    // An empty match is narrowed by `only`: calls by name are fewer than a whole service's events.
    if (q.only?.eventNames?.length) values.push(...q.only.eventNames.map((v) => ['EventName', v] as [LookupAttributeKey, string]));
    else for (const s of q.only?.eventSources ?? []) values.push(['EventSource', s]);
  }
  const hasGlobalRegion = q.regions.includes(GLOBAL_EVENTS_REGION);
  return q.regions.flatMap((region) =>
    values
      .filter(([key, value]) => !hasGlobalRegion || region === GLOBAL_EVENTS_REGION || !globalOnly(q, key, value))
      .map(([key, value]) => ({ key, value, region })),
  );
}

/** Whether a record is also what `only` requires. */
function kept(q: EventQuery, e: TimelineEntry): boolean {
  if (q.only?.eventSources?.length && !q.only.eventSources.includes(e.service ?? '')) return false;
  if (q.only?.eventNames?.length && !q.only.eventNames.includes(e.action)) return false;
  return true;
}

/** How a lookup is shown in the thread: exactly what was sent. */
function shown(l: Lookup, q: EventQuery): string {
  return `LookupEvents region=${l.region} LookupAttributes=[{AttributeKey=${l.key},AttributeValue=${l.value}}] StartTime=${q.window.start} EndTime=${q.window.end}`;
}

function parsed(text: string | undefined): CloudTrailRecord | null {
  try {
    const r = recordSchema.safeParse(JSON.parse(text ?? 'null'));
    return r.success ? (r.data as CloudTrailRecord) : null;
  } catch {
    return null;
  }
}

/**
 * CloudTrail event history (LookupEvents) answering an `EventQuery`: one attribute per
 * call, so a query becomes one lookup per value and region, each paged through its
 * (LookupEvents, account, region) quota queue with the account's client. It holds 90
 * days of management events and cannot search by source IP: such queries are refused
 * with the reason, for another source to answer.
 */
export class EventHistorySearch implements EventSearch {
  readonly via = 'event-history';

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
  ) {}

  refuses(q: EventQuery, now: number): string | null {
    if (q.match.sourceIps.length > 0) return 'event history cannot search by source IP';
    if (q.only?.dataEvents) return 'event history holds no data events (S3 object access, Lambda invocations)';
    const oldest = now - CLOUDTRAIL_RETENTION_DAYS * DAY;
    if (Date.parse(q.window.start) < oldest) {
      return `event history keeps ${CLOUDTRAIL_RETENTION_DAYS} days: the range starts before ${new Date(oldest).toISOString().slice(0, 10)}`;
    }
    if (lookupsOf(q).length === 0) return 'event history needs a key, user, resource, call or service to look up';
    return null;
  }

  async search(q: EventQuery): Promise<EventSearchResult> {
    const lookups = lookupsOf(q);
    const byId = new Map<string, TimelineEntry>();
    const searched: Searched[] = [];
    const limitingFactors: LimitingFactor[] = [];
    // Lookups in parallel: each region's lane paces its own calls at 2 a second.
    const results = await Promise.all(lookups.map((l) => this.lookup(q, l)));
    results.forEach((r, i) => {
      const l = lookups[i] as Lookup;
      for (const e of r.entries) byId.set(e.id, e);
      limitingFactors.push(...r.limitingFactors);
      searched.push({
        source: 'cloudtrail',
        what: `${WORDS[l.key] ?? l.key} ${l.value}`,
        accountId: q.accountId,
        region: l.region,
        window: q.window,
        found: r.entries.length,
      });
    });
    // A region whose lookups failed (an SCP denying it, a region not opted in) is said once, by name.
    const outcome = regionOutcome(q.accountId, lookups, results);
    limitingFactors.push(...outcome.limitingFactors);
    const all = [...byId.values()].sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
    if (all.length > q.limit) {
      limitingFactors.push({ source: 'cloudtrail', reason: 'truncated', detail: `${all.length} events matched; the first ${q.limit} are kept` });
    }
    const failed = outcome.coverage.failed;
    return {
      via: this.via,
      entries: all.slice(0, q.limit),
      searched,
      limitingFactors,
      queries: lookups.map((l) => shown(l, q)),
      // Every region of the query is covered unless it failed: one left without lookups holds none of the global calls asked for.
      regions: { searched: q.regions.filter((r) => !failed.some((f) => f.region === r)), failed },
    };
  }

  private async lookup(q: EventQuery, l: Lookup): Promise<{ entries: TimelineEntry[]; limitingFactors: LimitingFactor[]; failure?: LookupFailure }> {
    const client = this.clients.cloudTrail(q.accountId, l.region);
    const { LookupEventsCommand } = cloudTrailSdk();
    const entries: TimelineEntry[] = [];
    const limitingFactors: LimitingFactor[] = [];
    let unreadable = 0;
    let seen = 0;
    let token: string | undefined;
    let failure: LookupFailure | undefined;
    try {
      do {
        const page = await this.quotas.run('cloudtrail:LookupEvents', q.accountId, l.region, () =>
          client.send(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: l.key, AttributeValue: l.value }],
              StartTime: new Date(q.window.start),
              EndTime: new Date(q.window.end),
              MaxResults: PAGE,
              ...(token ? { NextToken: token } : {}),
            }),
          ),
        );
        for (const e of page.Events ?? []) {
          const record = parsed(e.CloudTrailEvent);
          if (!record) unreadable++;
          else {
            const entry = entryFromCloudTrail(record);
            if (kept(q, entry)) entries.push(entry);
          }
        }
        seen += page.Events?.length ?? 0;
        token = page.NextToken;
        // Pages come newest first: past the limit, the rest is older and would be cut anyway.
        if (token && entries.length >= q.limit) {
          limitingFactors.push({
            source: 'cloudtrail',
            reason: 'truncated',
            detail: `${l.key}=${l.value} in ${l.region}: stopped after ${seen} events (limit ${q.limit})`,
          });
          break;
        }
      } while (token);
    } catch (err) {
      failure = lookupFailure(`${l.key}=${l.value}`, err);
    }
    if (unreadable > 0)
      limitingFactors.push({ source: 'cloudtrail', reason: 'failed', detail: `${l.key}=${l.value}: ${unreadable} event(s) could not be read` });
    return { entries, limitingFactors, ...(failure ? { failure } : {}) };
  }
}
