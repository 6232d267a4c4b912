import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveSearch } from '../../src/aws/evidence/archive.ts';
import { athenaSql, lakeSql, recordMatches, trailDayPrefixes } from '../../src/domain/investigation/archive-query.ts';
import type { EventQuery } from '../../src/domain/investigation/event-query.ts';
import { loadScenario } from '../../src/emulator/aws/scenario.ts';
import { ATTACKER_IP, DORMANT, fakeArchive, type Run, settingsFor } from './support.ts';

const NONE = { accessKeyIds: [], usernames: [], resourceNames: [], sourceIps: [], eventNames: [] };
const HOSTILE = "o'brien' OR '1'='1";
const query = (match: Partial<EventQuery['match']>, over: Partial<EventQuery> = {}): EventQuery => ({
  accountId: '111122223333',
  regions: ['us-east-1'],
  window: { start: '2026-08-01T00:00:00Z', end: '2026-12-01T00:00:00Z' },
  match: { ...NONE, ...match },
  limit: 100,
  ...over,
});

describe('rendering a query (pure)', () => {
  it('keeps every value a quoted literal, quotes doubled', () => {
    for (const sql of [
      lakeSql(query({ usernames: [HOSTILE] }), 'arn:aws:cloudtrail:us-east-1:1:eventdatastore/abc-1'),
      athenaSql(query({ usernames: [HOSTILE] }), { database: 'db', table: 't' }),
    ]) {
      expect(sql).toContain("userIdentity.userName IN ('o''brien'' OR ''1''=''1')");
      expect(sql).not.toContain("'1'='1'");
    }
    expect(() => lakeSql(query({ usernames: ['a\nb'] }), 'abc')).toThrow(/control character/);
    expect(() => lakeSql(query({}), 'abc; DROP')).toThrow(/event data store/);
    expect(() => athenaSql(query({}), { database: 'db"; --', table: 't' })).toThrow(/Athena/);
  });

  it('lists each day folder of the window, in the organization-trail layout too', () => {
    const q = query({ sourceIps: ['1.2.3.4'] }, { window: { start: '2026-08-03T10:00:00Z', end: '2026-08-04T23:55:00Z' } });
    expect(trailDayPrefixes(q, { organizationId: 'o-abc123', keyPrefix: 'trails/' })).toEqual([
      'trails/AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/08/03/',
      'trails/AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/08/04/',
      // Delivered up to 15 minutes after the window's last events: the next day's folder.
      'trails/AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/08/05/',
    ]);
  });

  it('matches a record exactly: by session name, not by a name that only contains it; data events only when asked', () => {
    const record = {
      eventID: 'e',
      eventName: 'GetObject',
      eventSource: 's3.amazonaws.com',
      eventTime: '2026-08-03T10:00:00Z',
      awsRegion: 'us-east-1',
      recipientAccountId: '111122223333',
      eventCategory: 'Data',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/r/alice', principalId: 'AROA:alice' },
      requestParameters: { bucketName: 'finance-archive' },
    };
    expect(recordMatches(query({ usernames: ['alice'] }, { only: { dataEvents: true } }))(record)).toBe(true);
    expect(recordMatches(query({ usernames: ['ali'] }, { only: { dataEvents: true } }))(record)).toBe(false);
    expect(recordMatches(query({ usernames: ['alice'] }))(record)).toBe(false);
    expect(recordMatches(query({ resourceNames: ['finance-archive'] }, { only: { dataEvents: true, eventSources: ['s3.amazonaws.com'] } }))(record)).toBe(true);
    expect(recordMatches(query({ resourceNames: ['finance'] }, { only: { dataEvents: true } }))(record)).toBe(false);
  });
});

describe('a quote-laden user name, sent to each store', () => {
  let run: Run;
  const scenario = loadScenario(DORMANT);
  beforeAll(async () => {
    // One record really made by that user: the literal must find it, and only it.
    const records = scenario.cloudtrail.get('111122223333|us-east-1') ?? [];
    records.push({
      eventID: 'hostile-user-0001',
      eventTime: '2026-08-05T08:00:00Z',
      eventName: 'ListBuckets',
      eventSource: 's3.amazonaws.com',
      awsRegion: 'us-east-1',
      recipientAccountId: '111122223333',
      eventCategory: 'Management',
      managementEvent: true,
      sourceIPAddress: '192.0.2.9',
      userIdentity: { type: 'IAMUser', userName: HOSTILE, accountId: '111122223333', arn: `arn:aws:iam::111122223333:user/x`, principalId: 'AIDAHOSTILE' },
    });
    run = await fakeArchive(scenario);
  });
  afterAll(() => run.close());

  it.each(['lake', 'athena', 's3'] as const)('%s: stays a literal that finds that user’s one call and nothing else', async (kind) => {
    const search = archiveSearch(settingsFor(kind, scenario), run.clients, run.quotas);
    const result = await search?.search(query({ usernames: [HOSTILE] }));
    expect(result?.limitingFactors).toEqual([]);
    expect(result?.entries.map((e) => e.id)).toEqual(['hostile-user-0001']);
    // What it looked at, in words, for whoever shows the search (a follow-up question in a thread).
    expect(result?.searched).toEqual([
      expect.objectContaining({ via: search?.via, what: `by user or session ${HOSTILE}`, accountId: '111122223333', region: 'us-east-1', found: 1 }),
    ]);
    expect(result?.queries.length).toBeGreaterThan(0);
  });

  it.each(['lake', 'athena'] as const)('%s: a control character is refused before anything is sent', async (kind) => {
    const search = archiveSearch(settingsFor(kind, scenario), run.clients, run.quotas);
    const result = await search?.search(query({ usernames: ['a\u0000b'] }));
    expect(result?.queries).toEqual([]);
    expect(result?.limitingFactors.map((l) => l.detail)).toEqual([expect.stringMatching(/cannot be written: a control character/)]);
  });
});

describe('the S3 stream under S3’s GET rate', () => {
  it('waits out SlowDown answers and still reads every object', async () => {
    const scenario = loadScenario(DORMANT);
    scenario.trail.organizationId = 'o-exampleorg1';
    // A fake allowing 11 GETs a second, a reader paced for thousands: S3 has to say SlowDown.
    const run = await fakeArchive(scenario, { fakeScale: 0.002, queueScale: 1 });
    try {
      const search = archiveSearch(settingsFor('s3', scenario), run.clients, run.quotas);
      const result = await search?.search(query({ sourceIps: [ATTACKER_IP] }));
      expect(result?.limitingFactors).toEqual([]);
      expect(result?.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['CreateUser', 'ListSecrets', 'ListAccessKeys']));
      expect(result?.cost?.slowDowns).toBeGreaterThan(0);
      expect(result?.queries[0]).toMatch(
        /^s3:\/\/org-cloudtrail-logs-111122223333\/AWSLogs\/o-exampleorg1\/111122223333\/CloudTrail\/us-east-1\/2026\/08\/01\/$/,
      );
    } finally {
      await run.close();
    }
  }, 60_000);
});
