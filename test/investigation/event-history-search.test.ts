import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import { EventHistorySearch } from '../../src/aws/evidence/event-history-search.ts';
import type { EventQuery } from '../../src/domain/investigation/event-query.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';

/** Event history over the exposed key's scenario, through the real CloudTrail client, signed, against the fake's LookupEvents. */
const A = '111122223333';
let aws: FakeAws;
let clients: AwsClientFactory;
beforeAll(async () => {
  aws = await startFakeAws({ scenario: 'src/scenarios/exposed-access-key' });
  clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
});
afterAll(async () => {
  clients.destroy();
  await aws.close();
});

const none = { accessKeyIds: [], usernames: [], resourceNames: [], sourceIps: [], eventNames: [] };
const q = (over: Partial<EventQuery>): EventQuery => ({
  accountId: A,
  regions: ['us-east-1'],
  window: { start: '2026-11-20T00:00:00.000Z', end: '2026-11-21T12:00:00.000Z' },
  match: none,
  limit: 500,
  ...over,
});

describe('EventHistorySearch', () => {
  it('refuses source IPs, data events and windows older than its 90 days, with reasons', () => {
    const search = new EventHistorySearch(clients, new QuotaQueues());
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(search.refuses(q({ match: { ...none, sourceIps: ['203.0.113.7'] } }), now)).toBe('event history cannot search by source IP');
    expect(search.refuses(q({ match: { ...none, resourceNames: ['b'] }, only: { dataEvents: true } }), now)).toMatch(/^event history holds no data events/);
    expect(
      search.refuses(
        q({ match: { ...none, accessKeyIds: ['AKIAEXPOSEDKEY000001'] }, window: { start: '2026-07-01T00:00:00.000Z', end: '2026-11-21T00:00:00.000Z' } }),
        now,
      ),
    ).toBe('event history keeps 90 days: the range starts before 2026-08-23');
    expect(search.refuses(q({ match: { ...none, accessKeyIds: ['AKIAEXPOSEDKEY000001'] } }), now)).toBeNull();
  });

  it('a query becomes one lookup per value and region, each through the quota queue; `only` filters; the exact lookups are returned', async () => {
    const search = new EventHistorySearch(clients, new QuotaQueues());
    const before = aws.calls().length;
    const result = await search.search(
      q({
        regions: ['us-east-1', 'us-west-2'],
        match: { ...none, accessKeyIds: ['AKIAEXPOSEDKEY000001'], usernames: ['ci-deployer'] },
        only: { eventSources: ['iam.amazonaws.com', 's3.amazonaws.com'] },
      }),
    );
    const calls = aws.calls().slice(before);
    expect(calls.map((c) => [c.operation, c.region, c.status])).toEqual(
      expect.arrayContaining([
        ['LookupEvents', 'us-east-1', 200],
        ['LookupEvents', 'us-west-2', 200],
      ]),
    );
    expect(calls).toHaveLength(4);
    expect(result.via).toBe('event-history');
    expect(result.queries).toEqual([
      'LookupEvents region=us-east-1 LookupAttributes=[{AttributeKey=AccessKeyId,AttributeValue=AKIAEXPOSEDKEY000001}] StartTime=2026-11-20T00:00:00.000Z EndTime=2026-11-21T12:00:00.000Z',
      'LookupEvents region=us-east-1 LookupAttributes=[{AttributeKey=Username,AttributeValue=ci-deployer}] StartTime=2026-11-20T00:00:00.000Z EndTime=2026-11-21T12:00:00.000Z',
      'LookupEvents region=us-west-2 LookupAttributes=[{AttributeKey=AccessKeyId,AttributeValue=AKIAEXPOSEDKEY000001}] StartTime=2026-11-20T00:00:00.000Z EndTime=2026-11-21T12:00:00.000Z',
      'LookupEvents region=us-west-2 LookupAttributes=[{AttributeKey=Username,AttributeValue=ci-deployer}] StartTime=2026-11-20T00:00:00.000Z EndTime=2026-11-21T12:00:00.000Z',
    ]);
    // Deduplicated across the two lookups that find the same events, oldest first, IAM's and S3's only.
    expect(result.entries.map((e) => e.action)).toEqual([
      'ListBuckets',
      'PutObject',
      'ListUsers',
      'ListBuckets',
      'ListAttachedUserPolicies',
      'GetAccountAuthorizationDetails',
      'ListRoles',
      'CreateUser',
      'CreateAccessKey',
      'AttachUserPolicy',
    ]);
    expect(result.searched.map((s) => [s.what, s.region, s.found])).toEqual([
      ['events by access key AKIAEXPOSEDKEY000001', 'us-east-1', 10],
      ['events by user or session ci-deployer', 'us-east-1', 10],
      ['events by access key AKIAEXPOSEDKEY000001', 'us-west-2', 0],
      ['events by user or session ci-deployer', 'us-west-2', 0],
    ]);
    expect(result.regions).toEqual({ searched: ['us-east-1', 'us-west-2'], failed: [] });
  });

  it('global services’ calls are looked up in us-east-1 only, which covers every region of the query', async () => {
    const search = new EventHistorySearch(clients, new QuotaQueues());
    const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
    const iamOnly = await search.search(
      q({ regions, match: { ...none, accessKeyIds: ['AKIAEXPOSEDKEY000001'] }, only: { eventSources: ['iam.amazonaws.com'] } }),
    );
    expect(iamOnly.queries).toEqual([expect.stringMatching(/^LookupEvents region=us-east-1 .*AttributeKey=AccessKeyId/)]);
    expect(iamOnly.entries.map((e) => e.action)).toEqual([
      'ListUsers',
      'ListAttachedUserPolicies',
      'GetAccountAuthorizationDetails',
      'ListRoles',
      'CreateUser',
      'CreateAccessKey',
      'AttachUserPolicy',
    ]);
    expect(iamOnly.regions).toEqual({ searched: regions, failed: [] });
    // Calls by name: an IAM call once, a regional one everywhere.
    const named = await search.search(q({ regions, match: { ...none, eventNames: ['CreateUser', 'RunInstances'] } }));
    expect(named.queries.map((l) => /region=(\S+) .*AttributeValue=(\w+)/.exec(l)?.slice(1).join(' '))).toEqual([
      'us-east-1 CreateUser',
      'us-east-1 RunInstances',
      'us-west-2 RunInstances',
      'eu-west-1 RunInstances',
    ]);
    // Without us-east-1 in the query, what was asked is what is searched.
    const elsewhere = await search.search(q({ regions: ['eu-west-1'], match: { ...none, eventNames: ['CreateUser'] } }));
    expect(elsewhere.queries).toEqual([expect.stringMatching(/^LookupEvents region=eu-west-1 /)]);
  });

  it('a region whose lookups fail is named once, the others still answer', async () => {
    const denied = await startFakeAws({ scenario: 'src/scenarios/exposed-access-key', deny: ['cloudtrail:LookupEvents@us-west-2'] });
    const deniedClients = new AwsClientFactory({ region: 'us-east-1', endpoint: denied.endpoint, credentialsFor: fakeCredentials });
    try {
      const search = new EventHistorySearch(deniedClients, new QuotaQueues());
      const result = await search.search(
        q({ regions: ['us-east-1', 'us-west-2'], match: { ...none, accessKeyIds: ['AKIAEXPOSEDKEY000001'], usernames: ['ci-deployer'] } }),
      );
      expect(result.entries).toHaveLength(14);
      expect(result.regions?.searched).toEqual(['us-east-1']);
      expect(result.regions?.failed.map((f) => f.region)).toEqual(['us-west-2']);
      expect(result.limitingFactors).toEqual([
        {
          source: 'cloudtrail',
          reason: 'access-denied',
          detail: expect.stringMatching(
            /^CloudTrail in 111122223333\/us-west-2: 2 of 2 lookups failed, AccessKeyId=AKIAEXPOSEDKEY000001: AccessDeniedException/,
          ),
        },
      ]);
    } finally {
      deniedClients.destroy();
      await denied.close();
    }
  });

  it('a service alone is looked up by event source; the limit cuts and says so', async () => {
    const search = new EventHistorySearch(clients, new QuotaQueues());
    const s3 = await search.search(q({ only: { eventSources: ['s3.amazonaws.com'] } }));
    expect(s3.queries).toEqual([expect.stringContaining('AttributeKey=EventSource,AttributeValue=s3.amazonaws.com')]);
    expect(s3.entries.map((e) => e.action)).toEqual(['ListBuckets', 'PutObject', 'ListBuckets']);
    const cut = await search.search(q({ match: { ...none, accessKeyIds: ['AKIAEXPOSEDKEY000001'] }, limit: 3 }));
    expect(cut.entries).toHaveLength(3);
    expect(cut.limitingFactors).toEqual([expect.objectContaining({ reason: 'truncated', detail: '14 events matched; the first 3 are kept' })]);
  });
});
