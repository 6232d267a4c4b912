import * as z from 'zod';
import type { AwsClientFactory } from './clients.ts';
import type { QuotaQueues } from './quotas.ts';
import { accountSdk, ec2Sdk } from './sdk.ts';
import type { EnabledRegions, EnabledRegionsAnswer } from '../ports/enabled-regions.ts';

/**
 * How long an account's enabled regions are kept: fifteen minutes. Opt-in changes are
 * rare, but enabling a region is itself a move an intruder makes (account:EnableRegion,
 * then launch where nobody looks), so a list kept for a day could hide the very region
 * they just opened. Fifteen minutes still spares the discovery calls across the burst of
 * investigations one incident starts in the same account.
 */
export const ENABLED_REGIONS_TTL_MS = 15 * 60_000;

/** Region names are attacker-reachable only through AWS's own answers; still, only names that look like regions are used. */
const regionName = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/);
const listRegionsPage = z.object({
  Regions: z.array(z.object({ RegionName: z.string().optional(), RegionOptStatus: z.string().optional() })).optional(),
  NextToken: z.string().optional(),
});
const describeRegions = z.object({ Regions: z.array(z.object({ RegionName: z.string().optional(), OptInStatus: z.string().optional() })).optional() });

const errorWords = (err: unknown) => {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
};

/**
 * The account's enabled regions from the Account Management API (`ListRegions`, the
 * statuses ENABLED and ENABLED_BY_DEFAULT, every page), or, when that is denied or not
 * reachable (the permission is newer than many member roles), EC2 `DescribeRegions`,
 * which lists the enabled regions by default. Kept per account for the TTL above; two
 * investigations asking at once share one discovery.
 */
export class AccountRegions implements EnabledRegions {
  private readonly cache = new Map<string, { at: number; answer: Promise<EnabledRegionsAnswer> }>();

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
    private readonly clock: () => number = Date.now,
    private readonly ttlMs = ENABLED_REGIONS_TTL_MS,
  ) {}

  of(accountId: string): Promise<EnabledRegionsAnswer> {
    const kept = this.cache.get(accountId);
    if (kept && this.clock() - kept.at < this.ttlMs) return kept.answer;
    const answer = this.discover(accountId);
    this.cache.set(accountId, { at: this.clock(), answer });
    // A list that could not be learned is not kept: the next investigation asks again.
    void answer.then((a) => {
      if (a.regions === null && this.cache.get(accountId)?.answer === answer) this.cache.delete(accountId);
    });
    return answer;
  }

  private async discover(accountId: string): Promise<EnabledRegionsAnswer> {
    let listed: string;
    try {
      return { regions: await this.listRegions(accountId), via: 'account:ListRegions' };
    } catch (err) {
      listed = errorWords(err);
    }
    try {
      return { regions: await this.describeRegions(accountId), via: `ec2:DescribeRegions (account:ListRegions: ${listed})` };
    } catch (err) {
      return { regions: null, via: `account:ListRegions: ${listed}; ec2:DescribeRegions: ${errorWords(err)}` };
    }
  }

  private async listRegions(accountId: string): Promise<string[]> {
    const { ListRegionsCommand } = accountSdk();
    const client = this.clients.account(accountId);
    const out: string[] = [];
    let token: string | undefined;
    do {
      const page = listRegionsPage.parse(
        await this.quotas.run('account', accountId, 'us-east-1', () =>
          client.send(
            new ListRegionsCommand({ RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'], MaxResults: 50, ...(token ? { NextToken: token } : {}) }),
          ),
        ),
      );
      for (const r of page.Regions ?? []) {
        if ((r.RegionOptStatus === 'ENABLED' || r.RegionOptStatus === 'ENABLED_BY_DEFAULT') && regionName.safeParse(r.RegionName).success)
          out.push(r.RegionName as string);
      }
      token = page.NextToken;
    } while (token);
    if (out.length === 0) throw new Error('ListRegions listed no enabled region');
    return [...new Set(out)].sort();
  }

  private async describeRegions(accountId: string): Promise<string[]> {
    const { DescribeRegionsCommand } = ec2Sdk();
    // Any region answers for the account; us-east-1 is enabled in every account.
    const client = this.clients.ec2(accountId, 'us-east-1');
    const page = describeRegions.parse(await this.quotas.run('ec2:Describe', accountId, 'us-east-1', () => client.send(new DescribeRegionsCommand({}))));
    const out = (page.Regions ?? [])
      .filter((r) => r.OptInStatus !== 'not-opted-in')
      .map((r) => r.RegionName)
      .filter((r): r is string => regionName.safeParse(r).success);
    if (out.length === 0) throw new Error('DescribeRegions listed no region');
    return [...new Set(out)].sort();
  }
}
