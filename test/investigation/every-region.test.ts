import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AccountClient, ListRegionsCommand, paginateListRegions } from '@aws-sdk/client-account';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { CloudTrailCollector } from '../../src/aws/evidence/cloudtrail.ts';
import { createCollectors } from '../../src/aws/evidence/collectors.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import { AccountRegions } from '../../src/aws/regions.ts';
import { scenarioJsonRegions } from '../../src/emulator/aws/scenario-regions.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';
import { investigate } from '../../src/investigation/investigate.ts';
import { makeFinding } from '../support/findings.ts';
import { writeScenario } from '../support/cloudtrail-scenario.ts';

/**
 * A key used in two regions that are neither us-east-1 nor the finding's: found because
 * lookups cover every region the account has enabled, learned from the account itself.
 */
const A = '555566667777';
const KEY = 'AKIAEVERYREGION00001';

const dirs: string[] = [];
const fakes: FakeAws[] = [];
afterAll(async () => {
  for (const f of fakes) await f.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function record(id: string, name: string, region: string, time: string) {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEVERYREGION00001',
      arn: `arn:aws:iam::${A}:user/builder`,
      accountId: A,
      accessKeyId: KEY,
      userName: 'builder',
    },
    eventTime: time,
    eventSource: 'ec2.amazonaws.com',
    eventName: name,
    awsRegion: region,
    sourceIPAddress: '203.0.113.77',
    userAgent: 'aws-cli/2.15.30',
    requestParameters: null,
    responseElements: null,
    eventID: id,
    readOnly: true,
    eventType: 'AwsApiCall',
    recipientAccountId: A,
  };
}

/** The scenario: the key in eu-west-1 (the finding's region), ap-southeast-2 and eu-central-1; an opt-in region enabled and one disabled. */
function scenario(): string {
  const dir = writeScenario([
    record('w1', 'DescribeInstances', 'eu-west-1', '2026-11-10T10:00:00Z'),
    record('s1', 'DescribeInstances', 'ap-southeast-2', '2026-11-10T10:10:00Z'),
    record('c1', 'DescribeSecurityGroups', 'eu-central-1', '2026-11-10T10:20:00Z'),
  ]);
  // Other keys (another helper's `now`) are ignored by the regions reader.
  writeFileSync(
    path.join(dir, 'scenario.json'),
    JSON.stringify({ now: '2026-11-10T11:00:00Z', regions: ['af-south-1', { name: 'ap-east-1', status: 'DISABLED' }] }),
  );
  dirs.push(dir);
  return dir;
}

const finding = makeFinding({
  id: 'every-region-finding',
  schema: 'guardduty',
  type: 'Recon:IAMUser/MaliciousIPCaller',
  types: ['Recon:IAMUser/MaliciousIPCaller'],
  accountId: A,
  region: 'eu-west-1',
  firstSeenAt: '2026-11-10T10:00:00.000Z',
  lastSeenAt: '2026-11-10T10:20:00.000Z',
  resources: [{ type: 'AwsIamAccessKey', id: KEY, region: 'eu-west-1', tags: {} }],
});

async function arrange(deny: string[] = []) {
  const aws = await startFakeAws({ scenario: scenario(), quotaScale: 10, deny });
  fakes.push(aws);
  const clients = new AwsClientFactory({ region: 'eu-west-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
  const collectors = createCollectors(clients, new QuotaQueues(10));
  return { aws, clients, run: () => investigate(finding, {}, collectors, aws.now()) };
}

const lookupRegions = (aws: FakeAws) =>
  new Set(
    aws
      .calls()
      .filter((c) => c.operation === 'LookupEvents')
      .map((c) => c.region),
  );
const discoveries = (aws: FakeAws) => aws.calls().filter((c) => c.operation === 'ListRegions' || c.operation === 'DescribeRegions');

describe('CloudTrail in every enabled region', () => {
  it('finds the key in both far regions, names the regions searched, and asks for them once per account', async () => {
    const { aws, clients, run } = await arrange();
    const out = await run();
    expect(out.timeline.filter((e) => e.source === 'cloudtrail').map((e) => `${e.id} ${e.region}`)).toEqual([
      'w1 eu-west-1',
      's1 ap-southeast-2',
      'c1 eu-central-1',
    ]);
    expect(out.summary.text).toContain(
      'CloudTrail was searched in every enabled region of 555566667777 (eu-west-1, us-east-1, af-south-1, ap-southeast-2, eu-central-1).',
    );
    expect(out.summary.regionsSearched).toEqual([
      {
        accountId: A,
        enabled: ['af-south-1', 'ap-southeast-2', 'eu-central-1', 'eu-west-1', 'us-east-1'],
        via: 'account:ListRegions',
        searched: ['eu-west-1', 'us-east-1', 'af-south-1', 'ap-southeast-2', 'eu-central-1'],
        failed: [],
      },
    ]);
    expect(out.limitingFactors.map((l) => l.detail).join('\n')).not.toMatch(/only .* searched|other regions/);
    // The disabled opt-in region is not searched: it can hold no activity.
    expect(lookupRegions(aws)).toEqual(new Set(['eu-west-1', 'us-east-1', 'af-south-1', 'ap-southeast-2', 'eu-central-1']));
    expect(discoveries(aws)).toEqual([expect.objectContaining({ service: 'account', operation: 'ListRegions', account: A, region: 'us-east-1', status: 200 })]);

    // A second investigation in the same account makes no discovery call.
    const again = await run();
    expect(again.timeline.filter((e) => e.source === 'cloudtrail')).toHaveLength(3);
    expect(discoveries(aws)).toHaveLength(1);
    clients.destroy();
  }, 30_000);

  it('an investigation nobody’s finding started looks for the key’s newest event in every enabled region', async () => {
    const { aws, clients } = await arrange();
    const quotas = new QuotaQueues(10);
    const collector = new CloudTrailCollector(clients, quotas, { regions: new AccountRegions(clients, quotas) });
    expect(await collector.lastActivity({ kind: 'accessKey', id: KEY }, A, 'eu-west-1', aws.now())).toBe('2026-11-10T10:20:00.000Z');
    clients.destroy();
  }, 30_000);

  it('falls back to EC2 DescribeRegions when ListRegions is denied', async () => {
    const { aws, clients, run } = await arrange(['account:ListRegions']);
    const out = await run();
    expect(out.timeline.filter((e) => e.source === 'cloudtrail').map((e) => e.region)).toEqual(['eu-west-1', 'ap-southeast-2', 'eu-central-1']);
    expect(out.summary.regionsSearched?.[0]?.via).toMatch(
      /^ec2:DescribeRegions \(account:ListRegions: AccessDeniedException: .*not authorized to perform: account:ListRegions/,
    );
    expect(out.summary.regionsSearched?.[0]?.enabled).toEqual(['af-south-1', 'ap-southeast-2', 'eu-central-1', 'eu-west-1', 'us-east-1']);
    expect(discoveries(aws).map((c) => [c.operation, c.status])).toEqual([
      ['ListRegions', 403],
      ['DescribeRegions', 200],
    ]);
    clients.destroy();
  }, 30_000);

  it('when neither lists the regions, searches the finding’s region and us-east-1 and says what it could not see', async () => {
    const { clients, run } = await arrange(['account:ListRegions', 'ec2:DescribeRegions']);
    const out = await run();
    expect(out.timeline.filter((e) => e.source === 'cloudtrail').map((e) => e.id)).toEqual(['w1']);
    const factor = out.limitingFactors.find((l) => l.detail.includes('could not be listed'));
    expect(factor).toMatchObject({ source: 'cloudtrail', reason: 'not-searched' });
    expect(factor?.detail).toContain('only eu-west-1, us-east-1 were searched; activity in other regions is not in these results');
    expect(factor?.detail).toContain('UnauthorizedOperation');
    expect(out.summary.text).toContain("CloudTrail was searched in 555566667777's eu-west-1, us-east-1.");
    clients.destroy();
  }, 30_000);

  it('a region an SCP denies is one limiting factor naming it; the others are still searched', async () => {
    const { clients, run } = await arrange(['cloudtrail:LookupEvents@eu-central-1']);
    const out = await run();
    expect(out.timeline.filter((e) => e.source === 'cloudtrail').map((e) => e.id)).toEqual(['w1', 's1']);
    const denied = out.limitingFactors.filter((l) => l.detail.includes('eu-central-1'));
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ source: 'cloudtrail', reason: 'access-denied' });
    expect(denied[0]?.detail).toMatch(
      /^CloudTrail in 555566667777\/eu-central-1: \d+ of \d+ lookups failed, AccessKeyId=AKIAEVERYREGION00001: AccessDeniedException/,
    );
    expect(out.summary.text).toContain("CloudTrail was searched in 555566667777's eu-west-1, us-east-1, af-south-1, ap-southeast-2; not in eu-central-1.");
    clients.destroy();
  }, 30_000);

  it('a list that could not be learned is asked for again next time; a learned one is kept for its TTL', async () => {
    const aws = await startFakeAws({ scenario: scenario(), quotaScale: 10, deny: ['account:ListRegions', 'ec2:DescribeRegions'] });
    fakes.push(aws);
    const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials, maxAttempts: 1 });
    let now = 0;
    const regions = new AccountRegions(clients, new QuotaQueues(10), () => now, 1000);
    expect((await regions.of(A)).regions).toBeNull();
    expect((await regions.of(A)).regions).toBeNull();
    expect(discoveries(aws)).toHaveLength(4);
    clients.destroy();

    const open = await startFakeAws({ scenario: scenario(), quotaScale: 10 });
    fakes.push(open);
    const openClients = new AwsClientFactory({ region: 'us-east-1', endpoint: open.endpoint, credentialsFor: fakeCredentials });
    const kept = new AccountRegions(openClients, new QuotaQueues(10), () => now, 1000);
    await Promise.all([kept.of(A), kept.of(A)]);
    now = 999;
    await kept.of(A);
    expect(discoveries(open)).toHaveLength(1);
    now = 1000;
    await kept.of(A);
    expect(discoveries(open)).toHaveLength(2);
    openClients.destroy();
  }, 30_000);
});

describe('the fake Account and EC2 region lists', () => {
  it('scenario.json: regions read beside other keys; what is not a region is said, not served', () => {
    const dir = scenario();
    writeFileSync(
      path.join(dir, 'scenario.json'),
      JSON.stringify({
        now: '2026-11-10T11:00:00Z',
        lake: { anything: true },
        regions: ['me-south-1', { name: 'eu-south-1', status: 'ENABLING' }, 'Mars', { name: 'ap-east-1', status: 'ON' }],
      }),
    );
    const problems: string[] = [];
    expect(scenarioJsonRegions(dir, problems)).toEqual([
      { name: 'me-south-1', status: 'ENABLED' },
      { name: 'eu-south-1', status: 'ENABLING' },
    ]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('"Mars" is not a region name');
    writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify({ now: '2026-11-10T11:00:00Z' }));
    expect(scenarioJsonRegions(dir, problems)).toEqual([]);
    expect(problems).toHaveLength(2);
  });

  it('ListRegions pages, filters by opt-in status and refuses what the API refuses; DescribeRegions lists enabled regions unless AllRegions', async () => {
    const aws = await startFakeAws({ scenario: scenario(), quotaScale: 10 });
    fakes.push(aws);
    const config = { region: 'us-east-1', endpoint: aws.endpoint, credentials: fakeCredentials(A) };
    const account = new AccountClient(config);
    const all: Array<[string | undefined, string | undefined]> = [];
    for await (const page of paginateListRegions({ client: account, pageSize: 2 }, {})) {
      expect(page.Regions?.length).toBeLessThanOrEqual(2);
      for (const r of page.Regions ?? []) all.push([r.RegionName, r.RegionOptStatus]);
    }
    expect(all).toEqual([
      ['af-south-1', 'ENABLED'],
      ['ap-east-1', 'DISABLED'],
      ['ap-southeast-2', 'ENABLED_BY_DEFAULT'],
      ['eu-central-1', 'ENABLED_BY_DEFAULT'],
      ['eu-west-1', 'ENABLED_BY_DEFAULT'],
      ['us-east-1', 'ENABLED_BY_DEFAULT'],
    ]);
    const disabled = await account.send(new ListRegionsCommand({ RegionOptStatusContains: ['DISABLED'] }));
    expect(disabled.Regions).toEqual([{ RegionName: 'ap-east-1', RegionOptStatus: 'DISABLED' }]);
    await expect(account.send(new ListRegionsCommand({ MaxResults: 51 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(account.send(new ListRegionsCommand({ AccountId: '999988887777' }))).rejects.toMatchObject({ name: 'AccessDeniedException' });

    const ec2 = new EC2Client(config);
    const enabled = await ec2.send(new DescribeRegionsCommand({}));
    expect(enabled.Regions?.map((r) => [r.RegionName, r.OptInStatus])).toEqual([
      ['af-south-1', 'opted-in'],
      ['ap-southeast-2', 'opt-in-not-required'],
      ['eu-central-1', 'opt-in-not-required'],
      ['eu-west-1', 'opt-in-not-required'],
      ['us-east-1', 'opt-in-not-required'],
    ]);
    const everything = await ec2.send(new DescribeRegionsCommand({ AllRegions: true, Filters: [{ Name: 'opt-in-status', Values: ['not-opted-in'] }] }));
    expect(everything.Regions?.map((r) => [r.RegionName, r.Endpoint])).toEqual([['ap-east-1', 'ec2.ap-east-1.amazonaws.com']]);
    await expect(ec2.send(new DescribeRegionsCommand({ RegionNames: ['xx-nowhere-9'] }))).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    // A region not opted into does not know the account's credentials.
    const closed = new CloudTrailClient({ ...config, region: 'ap-east-1', maxAttempts: 1 });
    await expect(closed.send(new LookupEventsCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    closed.destroy();
    account.destroy();
    ec2.destroy();
  });
});
