import { rmSync } from 'node:fs';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';
import type { Collector, EvidenceScope } from '../../src/ports/collector.ts';
import { CloudTrailCollector } from '../../src/aws/evidence/cloudtrail.ts';
import { investigate } from '../../src/investigation/investigate.ts';
import { generateRecords, writeScenario } from '../support/cloudtrail-scenario.ts';
import { makeFinding } from '../support/findings.ts';

const A = '111122223333';
const B = '444455556666';
const KEY = 'AKIAGENERATED0000001';
const LATEST = '2026-11-21T12:00:00Z';

const dirs: string[] = [];
const fakes: FakeAws[] = [];
afterAll(async () => {
  for (const f of fakes) await f.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function fakeWith(records: Array<Record<string, unknown>>, quotaScale = 1) {
  const dir = writeScenario(records);
  dirs.push(dir);
  const aws = await startFakeAws({ scenario: dir, quotaScale });
  fakes.push(aws);
  return aws;
}

function scope(accountId: string, over: Partial<EvidenceScope> = {}): EvidenceScope {
  return {
    accountId,
    region: 'us-east-1',
    window: { start: '2026-11-01T00:00:00.000Z', end: '2026-11-22T00:00:00.000Z' },
    accessKeyIds: [KEY],
    usernames: [],
    roleNames: [],
    subjects: [],
    resourceNames: [],
    eventNames: [],
    ...over,
  };
}

describe('fake CloudTrail', () => {
  it('loads every file format, serves each account and region its own records, newest first, 50 a page', async () => {
    const aws = await fakeWith([
      ...generateRecords({ count: 120, accountId: A, region: 'us-east-1', accessKeyId: KEY, userName: 'alice', latest: LATEST }),
      ...generateRecords({ count: 7, accountId: B, region: 'ap-isob-central-3r', accessKeyId: KEY, userName: 'bob', latest: LATEST }),
    ]);
    expect(aws.scenario.problems).toEqual([]);
    const client = new CloudTrailClient({ region: 'us-east-1', endpoint: aws.endpoint, credentials: fakeCredentials(A) });
    const first = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: KEY }] }));
    expect(first.Events).toHaveLength(50);
    expect(first.NextToken).toBeDefined();
    const times = (first.Events ?? []).map((e) => e.EventTime?.getTime() ?? 0);
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    const other = new CloudTrailClient({ region: 'ap-isob-central-3r', endpoint: aws.endpoint, credentials: fakeCredentials(B) });
    const b = await other.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'bob' }] }));
    expect(b.Events).toHaveLength(7);
    await expect(
      client.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'Username', AttributeValue: 'alice' },
            { AttributeKey: 'EventName', AttributeValue: 'ListUsers' },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidLookupAttributesException' });
    client.destroy();
    other.destroy();
  });

  it('answers over 2 requests per second per account and region with ThrottlingException', async () => {
    const aws = await fakeWith(generateRecords({ count: 10, accountId: A, region: 'us-east-1', accessKeyId: KEY, userName: 'a', latest: LATEST }));
    const client = new CloudTrailClient({ region: 'us-east-1', endpoint: aws.endpoint, credentials: fakeCredentials(A), maxAttempts: 1 });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => client.send(new LookupEventsCommand({}))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.map((r) => (r.reason as Error).name)).toEqual(['ThrottlingException', 'ThrottlingException', 'ThrottlingException']);
    client.destroy();
  });
});

describe('CloudTrail collector', () => {
  it('collects a 3,000-event lookup to its last page under the 2 req/s quota, with no error shown', async () => {
    const aws = await fakeWith(
      generateRecords({ count: 3000, accountId: A, region: 'us-east-1', accessKeyId: KEY, userName: 'alice', latest: LATEST, spacingMs: 10_000 }),
    );
    const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
    const pages: number[] = [];
    const started = Date.now();
    const result = await new CloudTrailCollector(clients, new QuotaQueues()).collect(scope(A), (p) => pages.push(p.pages));
    expect(result.items).toHaveLength(3000);
    expect(new Set(result.items.map((i) => i.id)).size).toBe(3000);
    expect(result.pages).toBe(60);
    expect(pages.at(-1)).toBe(60);
    expect(result.limitingFactors).toEqual([]);
    expect(aws.calls().filter((c) => c.status !== 200)).toEqual([]);
    // 60 pages at 2 per second cannot take less than ~29.5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(29_000);
    clients.destroy();
  }, 60_000);

  it('still gets every event when something outruns the quota: the SDK retries the throttled calls', async () => {
    const aws = await fakeWith(generateRecords({ count: 500, accountId: A, region: 'us-east-1', accessKeyId: KEY, userName: 'alice', latest: LATEST }));
    const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
    // Queues paced at 3× the fake's quota: throttles happen, and are absorbed.
    const result = await new CloudTrailCollector(clients, new QuotaQueues(3)).collect(scope(A));
    expect(aws.calls().some((c) => c.status === 400)).toBe(true);
    expect(result.items).toHaveLength(500);
    expect(result.limitingFactors).toEqual([]);
    clients.destroy();
  }, 60_000);

  it('a failing source becomes a limiting factor while the others complete', async () => {
    const aws = await fakeWith(generateRecords({ count: 30, accountId: A, region: 'us-east-1', accessKeyId: KEY, userName: 'alice', latest: LATEST }), 10);
    const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
    const broken: Collector = {
      id: 'iam',
      collect: async () => {
        throw new Error('AccessDenied: iam:GetUser');
      },
    };
    const finding = makeFinding({
      schema: 'guardduty',
      type: 'Recon:IAMUser/MaliciousIPCaller',
      types: ['Recon:IAMUser/MaliciousIPCaller'],
      firstSeenAt: '2026-11-21T11:00:00.000Z',
      lastSeenAt: '2026-11-21T11:30:00.000Z',
      resources: [{ type: 'AwsIamAccessKey', id: KEY, region: 'us-east-1', tags: {} }],
    });
    const result = await investigate(finding, {}, [new CloudTrailCollector(clients, new QuotaQueues(10)), broken], aws.now());
    expect(result.timeline.length).toBe(30);
    expect(result.limitingFactors).toEqual(
      expect.arrayContaining([
        { source: 'iam', reason: 'failed', detail: 'AccessDenied: iam:GetUser' },
        { source: 'ec2', reason: 'not-configured', detail: 'no ec2 collector in this runtime' },
      ]),
    );
    clients.destroy();
  });

  it('reports a lookup the service refuses as a limiting factor, not a crash', async () => {
    const aws = await fakeWith(generateRecords({ count: 5, accountId: A, region: 'us-east-1', accessKeyId: KEY, userName: 'alice', latest: LATEST }), 10);
    const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
    const result = await new CloudTrailCollector(clients, new QuotaQueues(10)).collect(
      scope(A, { window: { start: '2026-11-22T00:00:00.000Z', end: '2026-11-01T00:00:00.000Z' } }),
    );
    expect(result.items).toEqual([]);
    expect(result.limitingFactors[0]).toMatchObject({ source: 'cloudtrail', reason: 'failed' });
    expect(result.limitingFactors[0]?.detail).toContain('InvalidTimeRangeException');
    clients.destroy();
  });
});

describe('cross-account gathering', () => {
  const HOME = '999999999999';

  it("assumes the configured role in the finding's account once, and reuses the session", async () => {
    const aws = await fakeWith(generateRecords({ count: 120, accountId: B, region: 'us-east-1', accessKeyId: KEY, userName: 'bob', latest: LATEST }), 10);
    const clients = new AwsClientFactory({
      region: 'us-east-1',
      endpoint: aws.endpoint,
      credentialsFor: fakeCredentials,
      assumeRole: { roleName: 'sirbot-evidence', homeAccount: HOME, externalId: 'sirbot-ext-1' },
    });
    const collector = new CloudTrailCollector(clients, new QuotaQueues(10));
    const result = await collector.collect(scope(B, { usernames: ['bob'] }));
    // Both lookups (key and user) find the same 120 events; the timeline merges them.
    expect(result.items.length).toBe(240);
    expect(new Set(result.items.map((i) => i.id)).size).toBe(120);
    expect(result.limitingFactors).toEqual([]);
    const calls = aws.calls();
    expect(calls.filter((c) => c.operation === 'AssumeRole')).toHaveLength(1);
    // Every lookup ran in the role's account, not the home account.
    expect(new Set(calls.filter((c) => c.operation === 'LookupEvents').map((c) => c.account))).toEqual(new Set([B]));
    clients.destroy();
  });

  it('a role that cannot be assumed is a limiting factor, not a crash', async () => {
    const aws = await fakeWith(generateRecords({ count: 5, accountId: A, region: 'us-east-1', accessKeyId: KEY, userName: 'a', latest: LATEST }), 10);
    const clients = new AwsClientFactory({
      region: 'us-east-1',
      endpoint: aws.endpoint,
      credentialsFor: fakeCredentials,
      assumeRole: { roleName: 'sirbot-evidence', homeAccount: HOME },
    });
    const result = await new CloudTrailCollector(clients, new QuotaQueues(10)).collect(scope('777777777777'));
    expect(result.items).toEqual([]);
    expect(result.limitingFactors).toHaveLength(1);
    expect(result.limitingFactors[0]).toMatchObject({ source: 'cloudtrail', reason: 'access-denied' });
    expect(result.limitingFactors[0]?.detail).toContain('arn:aws:iam::777777777777:role/sirbot-evidence');
    clients.destroy();
  });
});
