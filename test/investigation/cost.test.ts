import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { afterAll, describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { CostCollector } from '../../src/aws/evidence/cost.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import { type CostDay, costLine, costPeriods, costSpikes } from '../../src/domain/investigation/cost-spikes.ts';
import { GROUPS_PER_PAGE } from '../../src/emulator/aws/cost-explorer.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';
import type { EvidenceScope } from '../../src/ports/collector.ts';
import { writeScenario } from '../support/cloudtrail-scenario.ts';

const A = '444433332222';
const WINDOW = { start: '2026-11-07T10:00:00.000Z', end: '2026-11-10T11:00:00.000Z' };
const EC2 = 'Amazon Elastic Compute Cloud - Compute';

describe('spend spikes (domain)', () => {
  const periods = costPeriods(WINDOW);
  const day = (date: string, amount: number, service = EC2, region = 'us-east-1'): CostDay => ({ date, service, region, amount, unit: 'USD' });
  const steady = (from: number, to: number, amount: number, service = EC2, region = 'us-east-1') =>
    Array.from({ length: to - from + 1 }, (_, i) => day(`2026-11-${String(from + i).padStart(2, '0')}`, amount, service, region));

  it('compares the window’s whole days (End exclusive) with as many days just before', () => {
    expect(periods).toEqual({ baseline: { start: '2026-11-03', end: '2026-11-07' }, window: { start: '2026-11-07', end: '2026-11-11' }, days: 4 });
  });

  it('flags a day far above the days before, or a service new to a region, only when the jump is worth money', () => {
    const spikes = costSpikes(
      [
        // A fleet of miners on the 10th, on top of a steady $40 a day.
        ...steady(3, 9, 40),
        day('2026-11-10', 190),
        // New in us-west-2: no baseline, $24 in a day.
        day('2026-11-10', 24, EC2, 'us-west-2'),
        // Five times a few cents: noise.
        ...steady(3, 6, 0.02, 'AWS Lambda'),
        day('2026-11-09', 0.1, 'AWS Lambda'),
        // A busy day for a big steady service: +$60, but 2.5 times: within its own swings.
        ...steady(3, 9, 40, 'Amazon Relational Database Service'),
        day('2026-11-10', 100, 'Amazon Relational Database Service'),
        // Outside both periods: ignored.
        day('2026-10-01', 5000, 'Amazon SageMaker'),
      ],
      periods,
    );
    expect(spikes).toEqual([
      { service: EC2, region: 'us-east-1', unit: 'USD', peakDay: '2026-11-10', peak: 190, baselineDaily: 40, window: 310, baseline: 160, ratio: 4.75 },
      { service: EC2, region: 'us-west-2', unit: 'USD', peakDay: '2026-11-10', peak: 24, baselineDaily: 0, window: 24, baseline: 0, ratio: null },
    ]);
    expect(costLine(spikes)).toBe(
      `Spend jumped during the window: ${EC2} in us-east-1 $190.00 on 10 Nov 2026 against $40.00 a day before (4.75×); ${EC2} in us-west-2 $24.00 on 10 Nov 2026 against $0.00 a day before (new).`,
    );
    expect(costLine([])).toBe('');
  });
});

const dirs: string[] = [];
const fakes: FakeAws[] = [];
afterAll(async () => {
  for (const f of fakes) await f.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A scenario whose clock is 2026-11-10 10:31 (its one CloudTrail event plus a minute), with `cost.json` as given. */
async function fakeWithCosts(costs: unknown, deny: string[] = []): Promise<FakeAws> {
  const dir = writeScenario([
    {
      eventVersion: '1.09',
      userIdentity: { type: 'Root', arn: `arn:aws:iam::${A}:root`, accountId: A },
      eventTime: '2026-11-10T10:30:00Z',
      eventSource: 'ec2.amazonaws.com',
      eventName: 'DescribeRegions',
      awsRegion: 'us-east-1',
      eventID: 'clock',
      recipientAccountId: A,
    },
  ]);
  dirs.push(dir);
  if (costs) writeFileSync(path.join(dir, 'cost.json'), JSON.stringify(costs));
  const aws = await startFakeAws({ scenario: dir, quotaScale: 10, deny });
  fakes.push(aws);
  return aws;
}

const scope: EvidenceScope = {
  accountId: A,
  region: 'us-east-1',
  window: WINDOW,
  accessKeyIds: [],
  usernames: [],
  roleNames: [],
  subjects: [],
  resourceNames: [],
  eventNames: [],
};

describe('Cost Explorer (the fake and the collector)', () => {
  const services = Array.from({ length: 60 }, (_, i) => `Service ${String(i).padStart(2, '0')}`);
  const costs = {
    accounts: {
      [A]: [
        ...services.map((service) => ({ service, region: 'us-east-1', from: '2026-11-01', to: '2026-11-12', amount: 1 })),
        { service: EC2, region: 'eu-north-1', date: '2026-11-09', amount: 75.5 },
        // After the clock's day: Cost Explorer has no such costs yet.
        { service: EC2, region: 'eu-north-1', date: '2026-11-11', amount: 999 },
      ],
    },
  };

  it('enforces the API’s rules: dates, End after Start, at most two GroupBy, known metrics, its own page tokens', async () => {
    const aws = await fakeWithCosts(costs);
    const ce = new CostExplorerClient({ region: 'us-east-1', endpoint: aws.endpoint, credentials: fakeCredentials(A) });
    const ask = (over: Record<string, unknown>) =>
      ce.send(
        new GetCostAndUsageCommand({
          TimePeriod: { Start: '2026-11-08', End: '2026-11-10' },
          Granularity: 'DAILY',
          Metrics: ['UnblendedCost'],
          GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
          ...over,
        } as never),
      );
    await expect(ask({ TimePeriod: { Start: '2026/11/08', End: '2026-11-10' } })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ask({ TimePeriod: { Start: '2026-11-10', End: '2026-11-10' } })).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'Start date (and hour) should be before end date (and hour)',
    });
    await expect(
      ask({
        GroupBy: [
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'DIMENSION', Key: 'REGION' },
          { Type: 'DIMENSION', Key: 'LINKED_ACCOUNT' },
        ],
      }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ask({ Metrics: ['Dollars'] })).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ask({ NextPageToken: 'bm90IGEgdG9rZW4=' })).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
    // End is exclusive: two days; 61 groups a day is more than a page holds, so the second day is on the next page.
    const first = await ask({});
    expect(first.ResultsByTime?.map((r) => r.TimePeriod)).toEqual([{ Start: '2026-11-08', End: '2026-11-09' }]);
    expect(first.ResultsByTime?.[0]?.Groups).toHaveLength(60);
    expect(GROUPS_PER_PAGE).toBeLessThan(120);
    const second = await ask({ NextPageToken: first.NextPageToken });
    expect(second.ResultsByTime?.[0]?.TimePeriod).toEqual({ Start: '2026-11-09', End: '2026-11-10' });
    expect(second.ResultsByTime?.[0]?.Groups).toContainEqual({ Keys: [EC2], Metrics: { UnblendedCost: { Amount: '75.5000000000', Unit: 'USD' } } });
    expect(second.NextPageToken).toBeUndefined();
    // The clock's day is still coming in; the day after it has no costs yet.
    const ahead = await ask({ TimePeriod: { Start: '2026-11-10', End: '2026-11-12' } });
    expect(ahead.ResultsByTime?.map((r) => [r.TimePeriod?.Start, r.Estimated, r.Groups?.length])).toEqual([
      ['2026-11-10', true, 60],
      ['2026-11-11', true, 0],
    ]);
    ce.destroy();
  });

  it('reads every page and flags the spike', async () => {
    const aws = await fakeWithCosts(costs);
    const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
    const result = await new CostCollector(clients, new QuotaQueues(10)).collect(scope);
    expect(result.limitingFactors).toEqual([]);
    // Eight days of 60 to 61 groups, at most 100 groups a page: a page a day.
    expect(result.pages).toBe(8);
    expect(result.costSpikes).toEqual([
      { service: EC2, region: 'eu-north-1', unit: 'USD', peakDay: '2026-11-09', peak: 75.5, baselineDaily: 0, window: 75.5, baseline: 0, ratio: null },
    ]);
    expect(result.searched).toEqual([
      expect.objectContaining({
        source: 'cost',
        accountId: A,
        region: null,
        found: 1,
        window: { start: '2026-11-03T00:00:00.000Z', end: '2026-11-11T00:00:00.000Z' },
      }),
    ]);
    // One request range for the window and the baseline, each page through the queue, in us-east-1.
    const calls = aws.calls().filter((c) => c.service === 'ce');
    expect(calls.map((c) => [c.operation, c.region, c.status])).toEqual(Array.from({ length: 8 }, () => ['GetCostAndUsage', 'us-east-1', 200]));
    clients.destroy();
  });

  it('denied or never enabled is a limiting factor, never a failure; an account without spend has no spikes', async () => {
    const denied = await fakeWithCosts(costs, ['ce:GetCostAndUsage']);
    const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: denied.endpoint, credentialsFor: fakeCredentials });
    const result = await new CostCollector(clients, new QuotaQueues(10)).collect(scope);
    expect(result.costSpikes).toEqual([]);
    expect(result.limitingFactors).toEqual([
      {
        source: 'cost',
        reason: 'access-denied',
        detail: expect.stringMatching(
          /^Cost Explorer in 444433332222 \(spend by service and region\) could not be read: AccessDeniedException: .*ce:GetCostAndUsage/,
        ),
      },
    ]);
    clients.destroy();

    // Never turned on: not configured, as Cost Explorer says it.
    const off = await fakeWithCosts({ enabled: false, accounts: {} });
    const offClients = new AwsClientFactory({ region: 'us-east-1', endpoint: off.endpoint, credentialsFor: fakeCredentials });
    const notEnabled = await new CostCollector(offClients, new QuotaQueues(10)).collect(scope);
    expect(notEnabled.limitingFactors).toEqual([
      {
        source: 'cost',
        reason: 'not-configured',
        detail:
          'Cost Explorer in 444433332222 (spend by service and region) could not be read: AccessDeniedException: User not enabled for cost explorer access',
      },
    ]);
    offClients.destroy();

    const none = await fakeWithCosts(null);
    const noneClients = new AwsClientFactory({ region: 'us-east-1', endpoint: none.endpoint, credentialsFor: fakeCredentials });
    const quiet = await new CostCollector(noneClients, new QuotaQueues(10)).collect(scope);
    expect(quiet).toMatchObject({ costSpikes: [], limitingFactors: [], pages: 1 });
    noneClients.destroy();
  });
});
