import type { LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import * as z from 'zod';
import type { AwsClientFactory } from '../clients.ts';
import { cloudTrailSdk } from '../sdk.ts';
import type { QuotaQueues } from '../quotas.ts';
import type { CloudTrailRecord } from '../../domain/investigation/cloudtrail-record.ts';
import type { LimitingFactor } from '../../domain/investigation/limiting.ts';
import { entryFromCloudTrail, type TimelineEntry } from '../../domain/investigation/timeline.ts';
import type { Subject } from '../../domain/investigation/subjects.ts';
import { GLOBAL_EVENTS_REGION, type LookupAttribute, type PlannedLookup, planLookups } from '../../domain/investigation/lookup-plan.ts';
import { CLOUDTRAIL_RETENTION_DAYS } from '../../domain/investigation/window.ts';
import type { Collector, CollectorProgress, CollectorResult, EvidenceScope } from '../../ports/collector.ts';

/** CloudTrail records are attacker-influenced (user agents, names): shape-checked before use. */
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
}

/**
 * CloudTrail LookupEvents by access key, user name, resource name and event name over
 * the window, in the regions lookup-plan.ts chooses: every page (50 events each), every
 * lookup in parallel, each call through the (LookupEvents, account, region) quota queue.
 */
export class CloudTrailCollector implements Collector {
  readonly id = 'cloudtrail' as const;

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
    private readonly options: CloudTrailCollectorOptions = {},
  ) {}

  async collect(scope: EvidenceScope, onProgress?: (p: CollectorProgress) => void): Promise<CollectorResult> {
    const lookups = planLookups({ ...scope, instances: scope.subjects.filter((s) => s.kind === 'instance').map((s) => s.id) });
    const progress = { collector: this.id, pages: 0, items: 0 };
    const results = await Promise.all(lookups.map((l) => this.lookup(scope, l, progress, onProgress)));
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
      limitingFactors: results.flatMap((r) => r.limitingFactors),
      pages: progress.pages,
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
    // A key or user may have been used only with a CLI's default region, or only on global services: both are in us-east-1.
    const identity = subject.kind === 'accessKey' || subject.kind === 'iamUser' || subject.kind === 'root';
    const regions = identity && region !== GLOBAL_EVENTS_REGION ? [region, GLOBAL_EVENTS_REGION] : [region];
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
  ): Promise<{ items: TimelineEntry[]; limitingFactors: LimitingFactor[] }> {
    const client = this.clients.cloudTrail(scope.accountId, region);
    const kept = (e: TimelineEntry) => !keepNaming || e.resources.some((r) => keepNaming.includes(r));
    const { LookupEventsCommand } = cloudTrailSdk();
    const max = this.options.maxEventsPerLookup ?? 10_000;
    const items: TimelineEntry[] = [];
    const limitingFactors: LimitingFactor[] = [];
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
      const e = err as { name?: string; message?: string };
      limitingFactors.push({
        source: 'cloudtrail',
        reason: /AccessDenied/.test(e.name ?? '') ? 'access-denied' : 'failed',
        detail: `${key}=${value} in ${scope.accountId}/${region}: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`,
      });
    }
    if (unreadable > 0) {
      limitingFactors.push({ source: 'cloudtrail', reason: 'failed', detail: `${key}=${value}: ${unreadable} event(s) could not be read` });
    }
    return { items, limitingFactors };
  }
}

function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? 'null');
  } catch {
    return null;
  }
}
