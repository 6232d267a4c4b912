import type { LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import * as z from 'zod';
import type { AwsClientFactory } from '../clients.ts';
import { cloudTrailSdk } from '../sdk.ts';
import type { QuotaQueues } from '../quotas.ts';
import type { CloudTrailRecord } from '../../domain/investigation/cloudtrail-record.ts';
import type { LimitingFactor } from '../../domain/investigation/limiting.ts';
import { entryFromCloudTrail, type TimelineEntry } from '../../domain/investigation/timeline.ts';
import type { Subject } from '../../domain/investigation/subjects.ts';
import { type LookupAttribute, type PlannedLookup, planLookups, searchRegions } from '../../domain/investigation/lookup-plan.ts';
import type { RegionCoverage } from '../../domain/investigation/region-coverage.ts';
import { CLOUDTRAIL_RETENTION_DAYS } from '../../domain/investigation/window.ts';
import type { Collector, CollectorProgress, CollectorResult, EvidenceScope } from '../../ports/collector.ts';
import type { EnabledRegions } from '../../ports/enabled-regions.ts';

/** CloudTrail records are attacker-influenced (user agents, names): shape-checked before use (here and by the event-history search). */
const optionalString = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
export const recordSchema = z.object({
  eventID: z.string(),
  eventName: z.string(),
  eventSource: z.string(),
  eventTime: z.string(),
  awsRegion: z.string(),
  recipientAccountId: optionalString,
  sourceIPAddress: optionalString,
  userAgent: optionalString,
  errorCode: optionalString,
  errorMessage: optionalString,
  readOnly: z
    .boolean()
    .nullish()
    .transform((v) => v ?? undefined),
  userIdentity: z
    .object({
      type: optionalString,
      arn: optionalString,
      userName: optionalString,
      principalId: optionalString,
      accountId: optionalString,
      accessKeyId: optionalString,
    })
    .nullish()
    .transform((v) => v ?? undefined),
  requestParameters: z.record(z.string(), z.unknown()).nullish(),
  responseElements: z.record(z.string(), z.unknown()).nullish(),
  resources: z
    .array(z.object({ ARN: optionalString, type: optionalString }))
    .nullish()
    .transform((v) => v ?? undefined),
});

/** How a lookup reads in a summary's list of what was searched. */
const LOOKUP_WORDS: Record<LookupAttribute, string> = {
  AccessKeyId: 'events by access key',
  Username: 'events by user or session',
  ResourceName: 'events naming',
  EventName: 'calls to',
};

export interface CloudTrailCollectorOptions {
  /** Stop a single lookup after this many events and say so. */
  maxEventsPerLookup?: number;
  /** Where the account can have activity; absent: the finding's region and us-east-1 only. */
  regions?: EnabledRegions;
}

/** A lookup that failed: the error, and whether it was a refusal. */
export interface LookupFailure {
  denied: boolean;
  detail: string;
}

/** A failed lookup's error, in words (`what`: the attribute and value looked up). */
export function lookupFailure(what: string, err: unknown): LookupFailure {
  const e = err as { name?: string; message?: string };
  return {
    // A region not enabled, or one that does not accept the session's token (a global STS token in an opt-in region), refuses the client.
    denied: /AccessDenied|UnrecognizedClient|InvalidClientTokenId|OptInRequired/.test(e.name ?? ''),
    detail: `${what}: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`,
  };
}

/**
 * CloudTrail LookupEvents by access key, user name, resource name and event name over
 * the window, in the regions lookup-plan.ts chooses among the account's enabled ones:
 * every page (50 events each), every lookup in parallel, each call through the
 * (LookupEvents, account, region) quota queue, so regions run side by side and each
 * region's lookups take turns at its 2 requests/s. A region whose lookups fail (an SCP
 * denying it, a region not opted in) is one limiting factor naming it.
 */
export class CloudTrailCollector implements Collector {
  readonly id = 'cloudtrail' as const;

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
    private readonly options: CloudTrailCollectorOptions = {},
  ) {}

  async collect(scope: EvidenceScope, onProgress?: (p: CollectorProgress) => void): Promise<CollectorResult> {
    const enabled = this.options.regions ? await this.options.regions.of(scope.accountId) : null;
    const lookups = planLookups({
      ...scope,
      ...(enabled?.regions ? { enabledRegions: enabled.regions } : {}),
      instances: scope.subjects.filter((s) => s.kind === 'instance').map((s) => s.id),
    });
    const progress = { collector: this.id, pages: 0, items: 0 };
    const results = await Promise.all(lookups.map((l) => this.lookup(scope, l, progress, onProgress)));
    const { coverage, limitingFactors } = regionOutcome(scope.accountId, lookups, results);
    return {
      collector: this.id,
      items: results.flatMap((r) => r.items),
      states: [],
      searched: lookups.map((l, i) => ({
        source: this.id,
        what: `${LOOKUP_WORDS[l.attribute]} ${l.value}${l.keepNaming ? ` naming ${l.keepNaming.join(', ')}` : ''}`,
        accountId: scope.accountId,
        region: l.region,
        window: scope.window,
        found: results[i]?.items.length ?? 0,
      })),
      limitingFactors: [...results.flatMap((r) => r.limitingFactors), ...limitingFactors],
      pages: progress.pages,
      ...(enabled ? { regionCoverage: { ...coverage, enabled: enabled.regions, via: enabled.via } } : {}),
    };
  }

  async lastActivity(subject: Subject, accountId: string, region: string, now: number): Promise<string | null> {
    const by: Partial<Record<Subject['kind'], [LookupAttributeKey, string]>> = {
      accessKey: ['AccessKeyId', subject.id],
      iamUser: ['Username', subject.id],
      root: ['Username', 'root'],
      role: ['ResourceName', subject.id],
      instance: ['ResourceName', subject.id],
      bucket: ['ResourceName', subject.id],
    };
    const attribute = by[subject.kind];
    if (!attribute) return null;
    const { LookupEventsCommand } = cloudTrailSdk();
    // A key or user works in every enabled region (global services' calls are in us-east-1, which is one of them).
    const identity = subject.kind === 'accessKey' || subject.kind === 'iamUser' || subject.kind === 'root';
    const enabled = identity && this.options.regions ? (await this.options.regions.of(accountId)).regions : null;
    const regions = identity ? searchRegions(region, enabled ?? undefined) : [region];
    const newest = await Promise.all(
      regions.map(async (r) => {
        const client = this.clients.cloudTrail(accountId, r);
        // Event history answers newest first: one event is the latest.
        const page = await this.quotas.run('cloudtrail:LookupEvents', accountId, r, () =>
          client.send(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: attribute[0], AttributeValue: attribute[1] }],
              StartTime: new Date(now - CLOUDTRAIL_RETENTION_DAYS * 86_400_000),
              EndTime: new Date(now),
              MaxResults: 1,
            }),
          ),
        );
        return page.Events?.[0]?.EventTime?.toISOString() ?? null;
      }),
    );
    return (
      newest
        .filter((t): t is string => t !== null)
        .sort()
        .pop() ?? null
    );
  }

  private async lookup(
    scope: EvidenceScope,
    { attribute: key, value, region, keepNaming }: PlannedLookup,
    progress: CollectorProgress,
    onProgress?: (p: CollectorProgress) => void,
  ): Promise<{ items: TimelineEntry[]; limitingFactors: LimitingFactor[]; failure?: LookupFailure }> {
    const client = this.clients.cloudTrail(scope.accountId, region);
    const kept = (e: TimelineEntry) => !keepNaming || e.resources.some((r) => keepNaming.includes(r));
    const { LookupEventsCommand } = cloudTrailSdk();
    const max = this.options.maxEventsPerLookup ?? 10_000;
    const items: TimelineEntry[] = [];
    const limitingFactors: LimitingFactor[] = [];
    let failure: LookupFailure | undefined;
    let unreadable = 0;
    let seen = 0;
    let token: string | undefined;
    try {
      do {
        const page = await this.quotas.run('cloudtrail:LookupEvents', scope.accountId, region, () =>
          client.send(
            new LookupEventsCommand({
              LookupAttributes: [{ AttributeKey: key, AttributeValue: value }],
              StartTime: new Date(scope.window.start),
              EndTime: new Date(scope.window.end),
              MaxResults: 50,
              ...(token ? { NextToken: token } : {}),
            }),
          ),
        );
        for (const e of page.Events ?? []) {
          const parsed = recordSchema.safeParse(safeJson(e.CloudTrailEvent));
          if (!parsed.success) {
            unreadable++;
            continue;
          }
          const entry = entryFromCloudTrail(parsed.data as CloudTrailRecord);
          if (kept(entry)) items.push(entry);
        }
        token = page.NextToken;
        progress.pages++;
        progress.items += page.Events?.length ?? 0;
        seen += page.Events?.length ?? 0;
        onProgress?.({ ...progress });
        if (token && seen >= max) {
          limitingFactors.push({
            source: 'cloudtrail',
            reason: 'truncated',
            detail: `${key}=${value} in ${region}: stopped after ${seen} events (limit ${max})`,
          });
          break;
        }
      } while (token);
    } catch (err) {
      failure = lookupFailure(`${key}=${value}`, err);
    }
    if (unreadable > 0) {
      limitingFactors.push({ source: 'cloudtrail', reason: 'failed', detail: `${key}=${value}: ${unreadable} event(s) could not be read` });
    }
    return { items, limitingFactors, ...(failure ? { failure } : {}) };
  }
}

/**
 * Which regions answered and which failed: one limiting factor per failed region (an SCP
 * denying a region fails every lookup there; saying so once names the region, not twenty
 * lookups).
 */
export function regionOutcome(
  accountId: string,
  lookups: ReadonlyArray<{ region: string }>,
  results: Array<{ failure?: LookupFailure }>,
): { coverage: Pick<RegionCoverage, 'accountId' | 'searched' | 'failed'>; limitingFactors: LimitingFactor[] } {
  const regions = [...new Set(lookups.map((l) => l.region))];
  const failed: RegionCoverage['failed'] = [];
  const limitingFactors: LimitingFactor[] = [];
  for (const region of regions) {
    const here = lookups.map((l, i) => ({ l, r: results[i] })).filter((x) => x.l.region === region);
    const failures = here.map((x) => x.r?.failure).filter((f): f is LookupFailure => !!f);
    if (failures.length === 0) continue;
    const first = failures[0] as LookupFailure;
    const detail = `${failures.length} of ${here.length} lookup${here.length === 1 ? '' : 's'} failed, ${first.detail}`;
    failed.push({ region, detail });
    limitingFactors.push({
      source: 'cloudtrail',
      reason: failures.every((f) => f.denied) ? 'access-denied' : 'failed',
      detail: `CloudTrail in ${accountId}/${region}: ${detail}; activity there is not in these results`,
    });
  }
  return { coverage: { accountId, searched: regions.filter((r) => !failed.some((f) => f.region === r)), failed }, limitingFactors };
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? 'null');
  } catch {
    return null;
  }
}
