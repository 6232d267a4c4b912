import type { AwsClientFactory } from '../clients.ts';
import { s3Sdk } from '../sdk.ts';
import type { QuotaQueues } from '../quotas.ts';
import { outsideAccountsGranted } from '../../domain/investigation/bucket-policy.ts';
import type { SubjectState } from '../../domain/investigation/current-state.ts';
import type { LimitingFactor } from '../../domain/investigation/limiting.ts';
import type { Searched } from '../../domain/investigation/searched.ts';
import type { Collector, CollectorProgress, CollectorResult, EvidenceScope } from '../../ports/collector.ts';

const SETTINGS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/** S3's "this does not exist" answers, which are facts about the bucket, not failures. */
const absent = (err: unknown, code: string) => (err as { name?: string }).name === code;

/**
 * The buckets in play — named by the finding, or whose policy, ACL or access block the
 * window's calls changed — as they are now: whether S3 deems the bucket public
 * (GetBucketPolicyStatus), its Block Public Access settings, which other accounts its
 * policy lets in, and whether server access logging is on (the only record of object
 * reads when the trail does not log data events). The client follows S3's redirect to
 * the bucket's own region.
 */
export class S3Collector implements Collector {
  readonly id = 's3' as const;

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
  ) {}

  async collect(scope: EvidenceScope, onProgress?: (p: CollectorProgress) => void): Promise<CollectorResult> {
    const buckets = [...new Set([...scope.subjects.filter((s) => s.kind === 'bucket').map((s) => s.id), ...(scope.touched?.buckets ?? [])])];
    const states: SubjectState[] = [];
    const searched: Searched[] = [];
    const limitingFactors: LimitingFactor[] = [];
    let pages = 0;
    await Promise.all(
      buckets.map(async (bucket) => {
        const region = scope.subjects.find((s) => s.kind === 'bucket' && s.id === bucket)?.region ?? scope.region;
        const state = await this.describe(scope, bucket, region, limitingFactors);
        pages += 4;
        onProgress?.({ collector: this.id, pages, items: states.length + 1 });
        if (state) states.push(state);
        searched.push({ source: this.id, what: `S3 bucket ${bucket}`, accountId: scope.accountId, region, window: null, found: state?.exists ? 1 : 0 });
      }),
    );
    return { collector: this.id, items: [], states, searched, limitingFactors, pages };
  }

  private async describe(scope: EvidenceScope, bucket: string, region: string, limits: LimitingFactor[]): Promise<SubjectState | null> {
    const s3 = this.clients.s3(scope.accountId, region);
    const { GetBucketLoggingCommand, GetBucketPolicyCommand, GetBucketPolicyStatusCommand, GetPublicAccessBlockCommand } = s3Sdk();
    const call = <T>(fn: () => Promise<T>) => this.quotas.run('s3', scope.accountId, region, fn);
    const base = { kind: 'bucket' as const, id: bucket, accountId: scope.accountId, region };
    // Each read answers on its own: a missing policy or access block is a fact, a refusal a limiting factor.
    const [status, block, policy, logging] = await Promise.allSettled([
      call(() => s3.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }))),
      call(() => s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))),
      call(() => s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))),
      call(() => s3.send(new GetBucketLoggingCommand({ Bucket: bucket }))),
    ]);
    const gone = [status, block, policy, logging].some((r) => r.status === 'rejected' && absent(r.reason, 'NoSuchBucket'));
    if (gone) return { ...base, exists: false, facts: ['S3 says the bucket no longer exists'] };
    const facts: string[] = [];
    const failed = (what: string, r: PromiseRejectedResult) => {
      const e = r.reason as { name?: string; message?: string };
      limits.push({
        source: 's3',
        reason: /AccessDenied/.test(e.name ?? '') ? 'access-denied' : 'failed',
        detail: `${what} of ${bucket} in ${scope.accountId}: ${e.name}: ${e.message}`,
      });
    };

    let publicNow: boolean | undefined;
    if (status.status === 'fulfilled') publicNow = status.value.PolicyStatus?.IsPublic === true;
    else if (absent(status.reason, 'NoSuchBucketPolicy')) publicNow = false;
    else failed('GetBucketPolicyStatus', status);

    if (block.status === 'fulfilled') {
      const c = block.value.PublicAccessBlockConfiguration ?? {};
      const off = SETTINGS.filter((k) => c[k] !== true);
      facts.push(off.length === 0 ? 'Block Public Access all on' : `Block Public Access off: ${off.join(', ')}`);
    } else if (absent(block.reason, 'NoSuchPublicAccessBlockConfiguration')) facts.push('no bucket-level Block Public Access');
    else failed('GetPublicAccessBlock', block);

    if (policy.status === 'fulfilled') {
      const outside = outsideAccountsGranted(policy.value.Policy, scope.accountId);
      if (outside === null) facts.push('bucket policy unreadable');
      else if (outside.length > 0) facts.push(`policy grants other account(s) ${outside.join(', ')}`);
    } else if (absent(policy.reason, 'NoSuchBucketPolicy')) facts.push('no bucket policy');
    else failed('GetBucketPolicy', policy);

    if (logging.status === 'fulfilled') {
      const target = logging.value.LoggingEnabled?.TargetBucket;
      facts.push(target ? `server access logging to ${target}` : 'server access logging off');
    } else failed('GetBucketLogging', logging);

    return { ...base, exists: true, ...(publicNow === undefined ? {} : { status: publicNow ? 'public' : 'not public' }), facts };
  }
}
