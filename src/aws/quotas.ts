import PQueue from 'p-queue';
import { SlidingWindowPacer } from '../lib/pacer.ts';

/** Documented request rates, per account and region. */
export const API_RATES: Record<string, { limit: number; windowMs: number; concurrency?: number }> = {
  // "LookupEvents: 2 requests per second per account per Region" (CloudTrail quotas).
  'cloudtrail:LookupEvents': { limit: 2, windowMs: 1000 },
  // IAM's read APIs share an account-wide budget AWS does not publish; stay well below it.
  iam: { limit: 10, windowMs: 1000 },
  // EC2 Describe* calls draw on a token bucket of 100 refilled at 20 per second per account and region.
  'ec2:Describe': { limit: 20, windowMs: 1000 },
  // GuardDuty and Security Hub read APIs: well under their per-account rates (GetFindings is 3/s in Security Hub).
  guardduty: { limit: 5, windowMs: 1000 },
  securityhub: { limit: 3, windowMs: 1000 },
  // Account Management (ListRegions) and Cost Explorer publish no read rate; a call or two per investigation, kept slow.
  account: { limit: 5, windowMs: 1000 },
  ce: { limit: 5, windowMs: 1000 },
  // S3 bucket-configuration reads: far below S3's per-prefix rates (5,500 GET/s); a few buckets per investigation.
  s3: { limit: 20, windowMs: 1000 },
  // A trail's log objects: S3 serves 5,500 GET/s per partitioned prefix, and a bucket starts as one partition;
  // objects are small, so many are in flight at once.
  's3:GetObject': { limit: 5500, windowMs: 1000, concurrency: 32 },
  // Listing a trail's day folders (a LIST is a GET in S3's request rates, but the stream lists a few hundred at most).
  's3:ListObjectsV2': { limit: 200, windowMs: 1000, concurrency: 8 },
  // CloudTrail Lake's query APIs (StartQuery, DescribeQuery, GetQueryResults): well below their rates.
  'cloudtrail:Lake': { limit: 5, windowMs: 1000 },
  // Athena: StartQueryExecution 20/s, GetQueryExecution and GetQueryResults 100/s per account and region.
  athena: { limit: 20, windowMs: 1000 },
};

/**
 * One queue per (API, account, region), each paced at that API's documented rate (one call
 * at a time, or `concurrency` for APIs whose calls are many and small: a trail's objects), so
 * gathering in parallel across sources and accounts never outruns a quota; the SDK's
 * retry handles the throttling that still slips through.
 */
export class QuotaQueues {
  private readonly lanes = new Map<string, { queue: PQueue; pacer: SlidingWindowPacer }>();

  /** `scale` multiplies every rate, for a fake AWS that runs its clock faster. */
  constructor(private readonly scale = 1) {}

  run<T>(api: string, accountId: string, region: string, call: () => Promise<T>): Promise<T> {
    const key = `${api}|${accountId}|${region}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      const rate = API_RATES[api] ?? { limit: 5, windowMs: 1000 };
      lane = { queue: new PQueue({ concurrency: rate.concurrency ?? 1 }), pacer: new SlidingWindowPacer(rate.limit * this.scale, rate.windowMs) };
      this.lanes.set(key, lane);
    }
    const { queue, pacer } = lane;
    return queue.add(() => pacer.run(call)) as Promise<T>;
  }
}
