import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { AwsClientFactory } from '../clients.ts';
import type { QuotaQueues } from '../quotas.ts';
import { s3Sdk } from '../sdk.ts';
import { objectMayHold, recordMatches, trailDayPrefixes } from '../../domain/investigation/archive-query.ts';
import type { CloudTrailRecord } from '../../domain/investigation/cloudtrail-record.ts';
import type { EventQuery } from '../../domain/investigation/event-query.ts';
import type { LimitingFactor } from '../../domain/investigation/limiting.ts';
import { entryFromCloudTrail, type TimelineEntry } from '../../domain/investigation/timeline.ts';
import type { EventSearch, EventSearchResult } from '../../ports/event-search.ts';
import type { ArchiveSettings } from './archive-settings.ts';
import { archiveRefuses, errorText, failedSearch, searchedBy } from './archive-search.ts';
import { recordSchema } from './cloudtrail.ts';

const unzip = promisify(gunzip);
/**
 * How long one call keeps trying while S3 says SlowDown (after the SDK's own retries):
 * S3 asks for a slower rate, not for giving up, and a count of attempts ran out while
 * other readers' successes kept the shared pause short.
 */
const SLOW_DOWN_PATIENCE_MS = 60_000;

/**
 * The trail's own log objects, with neither Lake nor Athena: each day folder of the
 * window listed (ListObjectsV2), each object read (GetObject), gunzipped, parsed and
 * filtered record by record with the query's exact test, then dropped: a bounded stream,
 * at most the GetObject lane's concurrency of objects in memory. S3 serves 5,500 GETs a
 * second per prefix; the lane paces under that, and a `SlowDown` still answered makes
 * every reader pause, longer each time, before the object is read again.
 */
export class TrailObjectsSearch implements EventSearch {
  readonly via = 's3-logs';

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
    private readonly settings: ArchiveSettings & { store: { kind: 's3' } },
  ) {}

  refuses(query: EventQuery): string | null {
    return archiveRefuses(this.settings, query);
  }

  async search(query: EventQuery): Promise<EventSearchResult> {
    const account = this.settings.account ?? query.accountId;
    const region = this.settings.region;
    const store = this.settings.store;
    const client = this.clients.s3(account, region);
    const { ListObjectsV2Command, GetObjectCommand } = s3Sdk();
    const prefixes = trailDayPrefixes(query, store);
    const queries = prefixes.map((p) => `s3://${store.bucket}/${p}`);
    const limitingFactors: LimitingFactor[] = [];
    const pace = { slowDowns: 0, pauseMs: 0 };
    let keys: string[] = [];
    try {
      // Day folders are listed side by side (the list lane bounds how many at once), kept in day order.
      const listed = await Promise.all(
        prefixes.map(async (prefix) => {
          const found: string[] = [];
          let token: string | undefined;
          do {
            const page = await patiently(pace, () =>
              this.quotas.run('s3:ListObjectsV2', account, region, () =>
                client.send(new ListObjectsV2Command({ Bucket: store.bucket, Prefix: prefix, MaxKeys: 1000, ...(token ? { ContinuationToken: token } : {}) })),
              ),
            );
            pace.slowDowns += (page.$metadata.attempts ?? 1) - 1;
            for (const o of page.Contents ?? []) if (o.Key && /\.json(\.gz)?$/.test(o.Key) && objectMayHold(o.Key, query.window)) found.push(o.Key);
            token = page.IsTruncated ? page.NextContinuationToken : undefined;
          } while (token);
          return found;
        }),
      );
      keys = listed.flat();
      // Newest first: the objects bound then keeps the latest days.
      if (query.newestFirst) keys.reverse();
    } catch (err) {
      return failedSearch(this.via, query, `listing s3://${store.bucket}: ${errorText(err)}`, queries);
    }
    const max = this.settings.bounds.maxObjects;
    if (keys.length > max) {
      limitingFactors.push({
        source: this.via,
        reason: 'truncated',
        detail: `${this.via}: read ${max} of ${keys.length} log objects (the objects bound); events ${query.newestFirst ? 'before' : 'after'} ${keyTime(keys[max - 1] as string)} were not read`,
      });
      keys = keys.slice(0, max);
    }
    const matches = recordMatches(query);
    const entries: TimelineEntry[] = [];
    let objectsRead = 0;
    let bytesRead = 0;
    let unreadable = 0;
    let full = false;
    const failures: string[] = [];
    const readOne = async (key: string) => {
      if (full) return;
      try {
        const object = await patiently(pace, () =>
          this.quotas.run('s3:GetObject', account, region, () => client.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }))),
        );
        // The SDK retried SlowDown itself before answering: those count as pauses S3 asked for.
        pace.slowDowns += (object.$metadata.attempts ?? 1) - 1;
        const raw = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
        bytesRead += raw.length;
        objectsRead++;
        const text = key.endsWith('.gz') ? (await unzip(raw)).toString('utf8') : raw.toString('utf8');
        for (const r of recordsOf(text)) {
          const parsed = recordSchema.safeParse(r);
          if (!parsed.success) {
            unreadable++;
            continue;
          }
          const record = { ...(parsed.data as CloudTrailRecord), ...categoryOf(r) };
          if (!matches(record)) continue;
          if (entries.length >= query.limit) {
            full = true;
            return;
          }
          entries.push({ ...entryFromCloudTrail(record), via: this.via });
        }
      } catch (err) {
        failures.push(`${key}: ${errorText(err)}`);
      }
    };
    await Promise.all(keys.map(readOne));
    if (full)
      limitingFactors.push({ source: this.via, reason: 'truncated', detail: `${this.via}: stopped at ${query.limit} records (the records bound); more match` });
    if (failures.length > 0)
      limitingFactors.push({
        source: this.via,
        reason: failures.some((f) => /AccessDenied/.test(f)) ? 'access-denied' : 'failed',
        detail: `${this.via}: ${failures.length} log object(s) could not be read, e.g. ${failures[0]}`,
      });
    if (unreadable > 0) limitingFactors.push({ source: this.via, reason: 'failed', detail: `${this.via}: ${unreadable} record(s) could not be read` });
    entries.sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
    const cost = { objectsRead, bytesScanned: bytesRead, ...(pace.slowDowns > 0 ? { slowDowns: pace.slowDowns } : {}) };
    return { via: this.via, entries, searched: [searchedBy(this.via, query, entries.length, cost)], limitingFactors, queries, cost };
  }
}

/**
 * A call S3 may answer with SlowDown once the SDK's own retries are spent: every reader
 * pauses (the shared pause doubles with each SlowDown, up to 5 s, and halves with each
 * success), the call itself backs off too (100 ms doubling, up to 5 s), and it is made
 * again until S3 has said SlowDown to it for SLOW_DOWN_PATIENCE_MS.
 */
async function patiently<T>(pace: { slowDowns: number; pauseMs: number }, call: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const own = attempt > 1 ? Math.min(100 * 2 ** (attempt - 2), 5000) : 0;
    const wait = Math.max(pace.pauseMs, own);
    if (wait > 0) await sleep(wait);
    try {
      const out = await call();
      pace.pauseMs = Math.floor(pace.pauseMs / 2);
      return out;
    } catch (err) {
      if ((err as { name?: string }).name !== 'SlowDown' || Date.now() - started >= SLOW_DOWN_PATIENCE_MS) throw err;
      pace.slowDowns++;
      pace.pauseMs = Math.min(Math.max(pace.pauseMs * 2, 100), 5000);
    }
  }
}

function recordsOf(text: string): unknown[] {
  try {
    const doc = JSON.parse(text) as { Records?: unknown };
    return Array.isArray(doc?.Records) ? doc.Records : [];
  } catch {
    return [];
  }
}

function categoryOf(r: unknown): { eventCategory?: string; managementEvent?: boolean } {
  const o = r as { eventCategory?: unknown; managementEvent?: unknown };
  return {
    ...(typeof o?.eventCategory === 'string' ? { eventCategory: o.eventCategory } : {}),
    ...(typeof o?.managementEvent === 'boolean' ? { managementEvent: o.managementEvent } : {}),
  };
}

function keyTime(key: string): string {
  return /_(\d{8}T\d{4}Z)_/.exec(key)?.[1] ?? key;
}
