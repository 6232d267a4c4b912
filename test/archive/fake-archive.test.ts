import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand as AthenaResults, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CloudTrailClient, DescribeQueryCommand, GetQueryResultsCommand, LookupEventsCommand, StartQueryCommand } from '@aws-sdk/client-cloudtrail';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/aws/fake-credentials.ts';
import { loadScenario } from '../../src/emulator/aws/scenario.ts';
import { type FakeAws, startFakeAws } from '../../src/emulator/aws/server.ts';
import { DORMANT } from './support.ts';

/**
 * The fake's long-term store, through the real SDK clients: the scenario's clock; event
 * history that stops at 90 days and holds no data events; the trail's objects in
 * CloudTrail's key layout, listed in pages and read under S3's GET rate; Lake's and
 * Athena's query APIs running the SQL they are sent, with their states, pages and errors.
 */
const ACCOUNT = '111122223333';
const EDS = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
let aws: FakeAws;
const config = () => ({ region: 'us-east-1', endpoint: aws.endpoint, credentials: fakeCredentials(ACCOUNT), maxAttempts: 1 });

beforeAll(async () => {
  aws = await startFakeAws({ scenario: DORMANT });
});
afterAll(() => aws.close());

async function lakeRun(client: CloudTrailClient, sql: string) {
  const { QueryId } = await client.send(new StartQueryCommand({ QueryStatement: sql }));
  const states: string[] = [];
  for (;;) {
    const d = await client.send(new DescribeQueryCommand({ QueryId }));
    states.push(d.QueryStatus as string);
    if (d.QueryStatus === 'FINISHED' || d.QueryStatus === 'FAILED') return { id: QueryId as string, d, states };
    await sleep(2);
  }
}

describe('the scenario clock and event history', () => {
  it('reads scenario.json through its schema: a name that AWS would refuse is a problem, not a trail', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-scenario-json-'));
    try {
      writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify({ now: 'yesterday', trail: { bucket: "logs'; DROP", dataEvents: 'yes' } }));
      const s = loadScenario(dir);
      expect(s.problems).toEqual([
        expect.stringMatching(/scenario\.json: now: /),
        expect.stringMatching(/scenario\.json: trail\.bucket: must be an S3 bucket name$/),
        expect.stringMatching(/scenario\.json: trail\.dataEvents: /),
      ]);
      expect(s.nowMs).toBeNull();
      expect(s.trail.declared).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs from scenario.json now', () => {
    expect(aws.now() - Date.parse('2026-12-01T12:00:00Z')).toBeLessThan(60_000);
  });

  it('serves neither events older than 90 days nor data events from LookupEvents', async () => {
    const client = new CloudTrailClient(config());
    const out = await client.send(
      new LookupEventsCommand({ StartTime: new Date('2026-07-01T00:00:00Z'), EndTime: new Date('2026-12-01T00:00:00Z'), MaxResults: 50 }),
    );
    const names = (out.Events ?? []).map((e) => `${e.EventTime?.toISOString().slice(0, 10)} ${e.EventName}`);
    expect(names.every((n) => n >= '2026-09-02')).toBe(true);
    expect(names.some((n) => n.endsWith('ListAccessKeys'))).toBe(true);
    expect(names.some((n) => n.endsWith('GetObject'))).toBe(false);
    client.destroy();
  });
});

describe('the trail bucket', () => {
  const trail = loadScenario(DORMANT).trail;
  const day = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/08/03/`;

  it('lists the day folder in pages of MaxKeys with continuation tokens, keys in CloudTrail layout', async () => {
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: trail.bucket, Prefix: day, MaxKeys: 1, ...(token ? { ContinuationToken: token } : {}) }));
      keys.push(...(page.Contents ?? []).map((c) => c.Key as string));
      expect(page.KeyCount).toBeLessThanOrEqual(1);
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThan(1);
    expect(keys.length).toBe(pages);
    for (const k of keys)
      expect(k).toMatch(
        /^AWSLogs\/111122223333\/CloudTrail\/us-east-1\/2026\/08\/03\/111122223333_CloudTrail_us-east-1_20260803T\d{4}Z_[0-9a-f]{16}\.json\.gz$/,
      );
    const object = await s3.send(new GetObjectCommand({ Bucket: trail.bucket, Key: keys[0] }));
    const doc = JSON.parse(
      gunzipSync(Buffer.from(await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray())).toString(),
    ) as {
      Records: Array<{ eventTime: string }>;
    };
    expect(doc.Records[0]?.eventTime).toMatch(/^2026-08-03T/);
    await expect(s3.send(new ListObjectsV2Command({ Bucket: trail.bucket, Prefix: day, ContinuationToken: 'bm90LWEtdG9rZW4=' }))).rejects.toMatchObject({
      name: 'InvalidArgument',
    });
    await expect(s3.send(new GetObjectCommand({ Bucket: trail.bucket, Key: `${day}missing.json.gz` }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    s3.destroy();
  });

  it('answers 503 SlowDown beyond 5,500 GETs a second on the bucket', async () => {
    const slow = await startFakeAws({ scenario: DORMANT, quotaScale: 0.001 });
    const s3 = new S3Client({ region: 'us-east-1', endpoint: slow.endpoint, credentials: fakeCredentials(ACCOUNT), forcePathStyle: true, maxAttempts: 1 });
    try {
      const settled = await Promise.allSettled(Array.from({ length: 12 }, () => s3.send(new ListObjectsV2Command({ Bucket: trail.bucket, Prefix: day }))));
      const refused = settled
        .filter((s) => s.status === 'rejected')
        .map((s) => (s as PromiseRejectedResult).reason as { name: string; $metadata: { httpStatusCode: number } });
      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(6);
      expect(refused.map((e) => [e.name, e.$metadata.httpStatusCode])).toEqual(Array.from({ length: 6 }, () => ['SlowDown', 503]));
    } finally {
      s3.destroy();
      await slow.close();
    }
  });

  it('refuses another account', async () => {
    const s3 = new S3Client({ ...config(), credentials: fakeCredentials('444455556666'), forcePathStyle: true });
    await expect(s3.send(new ListObjectsV2Command({ Bucket: trail.bucket, Prefix: day }))).rejects.toMatchObject({ name: 'AccessDenied' });
    s3.destroy();
  });
});

describe('CloudTrail Lake', () => {
  it('runs the SQL it is sent: states, statistics, pages of one-column maps', async () => {
    const client = new CloudTrailClient(config());
    const sql = `SELECT eventID, eventName, eventTime FROM ${EDS} WHERE eventTime < '2026-09-01 00:00:00' AND sourceIPAddress = '198.51.100.77' ORDER BY eventTime`;
    const { id, d, states } = await lakeRun(client, sql);
    expect(states[0]).toMatch(/QUEUED|RUNNING|FINISHED/);
    expect(states.at(-1)).toBe('FINISHED');
    expect(d.QueryStatistics?.EventsMatched).toBe(12);
    // Lake reads what the eventTime bound leaves in: the 13 events before September, not the 17 in the store.
    expect(d.QueryStatistics?.EventsScanned).toBe(13);
    expect(d.QueryStatistics?.BytesScanned).toBeGreaterThan(1000);
    const all = await lakeRun(client, `SELECT eventID FROM ${EDS} WHERE sourceIPAddress = '198.51.100.77'`);
    expect(all.d.QueryStatistics?.EventsScanned).toBe(17);
    expect(all.d.QueryStatistics?.BytesScanned).toBeGreaterThan(d.QueryStatistics?.BytesScanned as number);
    const first = await client.send(new GetQueryResultsCommand({ QueryId: id, MaxQueryResults: 4 }));
    expect(first.QueryResultRows).toHaveLength(4);
    expect(first.QueryResultRows?.[0]).toEqual([{ eventID: expect.any(String) }, { eventName: 'GetCallerIdentity' }, { eventTime: '2026-08-03 10:00:05' }]);
    const rest: unknown[] = [];
    let token = first.NextToken;
    while (token) {
      const page = await client.send(new GetQueryResultsCommand({ QueryId: id, MaxQueryResults: 4, NextToken: token }));
      rest.push(...(page.QueryResultRows ?? []));
      token = page.NextToken;
    }
    expect(rest).toHaveLength(8);
    await expect(client.send(new GetQueryResultsCommand({ QueryId: id, MaxQueryResults: 1001 }))).rejects.toMatchObject({ name: 'InvalidMaxResultsException' });
    client.destroy();
  });

  it('answers malformed SQL, an unknown event data store and an unknown query with the service’s errors', async () => {
    const client = new CloudTrailClient(config());
    await expect(client.send(new StartQueryCommand({ QueryStatement: `SELEC eventID FROM ${EDS}` }))).rejects.toMatchObject({
      name: 'InvalidQueryStatementException',
    });
    await expect(client.send(new StartQueryCommand({ QueryStatement: `SELECT eventID FROM ${EDS}; DROP TABLE x` }))).rejects.toMatchObject({
      name: 'InvalidQueryStatementException',
    });
    await expect(client.send(new StartQueryCommand({ QueryStatement: 'SELECT eventID FROM 00000000-0000-0000-0000-000000000000' }))).rejects.toMatchObject({
      name: 'EventDataStoreNotFoundException',
    });
    await expect(client.send(new StartQueryCommand({ QueryStatement: `SELECT * FROM read_csv('/etc/passwd')` }))).rejects.toMatchObject({
      name: 'EventDataStoreNotFoundException',
    });
    await expect(client.send(new DescribeQueryCommand({ QueryId: '0f0f0f0f-0000-4000-8000-000000000000' }))).rejects.toMatchObject({
      name: 'QueryIdNotFoundException',
    });
    client.destroy();
  });
});

describe('Athena', () => {
  const start = (client: AthenaClient, sql: string) =>
    client.send(new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: 'primary', QueryExecutionContext: { Database: 'security_logs' } }));
  async function until(client: AthenaClient, id: string) {
    for (;;) {
      const q = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = q.QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED' || state === 'FAILED') return q.QueryExecution;
      await sleep(2);
    }
  }

  it('runs the SQL over the documented CloudTrail table: header row first, data scanned reported', async () => {
    const client = new AthenaClient(config());
    const { QueryExecutionId } = await start(
      client,
      `SELECT eventname, useridentity.accesskeyid AS key, "timestamp" FROM "security_logs"."cloudtrail_logs" WHERE "timestamp" = '2026/08/03' AND eventcategory = 'Data' ORDER BY eventtime`,
    );
    const done = await until(client, QueryExecutionId as string);
    expect(done?.Status?.State).toBe('SUCCEEDED');
    const oneDay = done?.Statistics?.DataScannedInBytes as number;
    expect(oneDay).toBeGreaterThan(100);
    // The partition bound is what keeps the scan small: without it, every day's objects are read.
    const whole = await start(client, `SELECT eventname FROM "security_logs"."cloudtrail_logs" WHERE eventcategory = 'Data'`);
    expect((await until(client, whole.QueryExecutionId as string))?.Statistics?.DataScannedInBytes).toBeGreaterThan(oneDay);
    const out = await client.send(new AthenaResults({ QueryExecutionId }));
    expect(out.ResultSet?.Rows?.map((r) => r.Data?.map((d) => d.VarCharValue))).toEqual([
      ['eventname', 'key', 'timestamp'],
      ['GetObject', 'AKIATELEMETRYKEY0001', '2026/08/03'],
      ['GetObject', 'AKIATELEMETRYKEY0001', '2026/08/03'],
    ]);
    client.destroy();
  });

  it('fails malformed SQL with Trino’s error names, and refuses the results of a failed query', async () => {
    const client = new AthenaClient(config());
    const { QueryExecutionId } = await start(client, 'SELEC eventname FROM "security_logs"."cloudtrail_logs"');
    const failed = await until(client, QueryExecutionId as string);
    expect(failed?.Status?.State).toBe('FAILED');
    expect(failed?.Status?.StateChangeReason).toMatch(/^SYNTAX_ERROR: /);
    expect(failed?.Status?.AthenaError?.ErrorCategory).toBe(2);
    await expect(client.send(new AthenaResults({ QueryExecutionId }))).rejects.toMatchObject({ name: 'InvalidRequestException' });
    const missing = await start(client, 'SELECT eventname FROM "security_logs"."nothing_here"');
    expect((await until(client, missing.QueryExecutionId as string))?.Status?.StateChangeReason).toMatch(/^TABLE_NOT_FOUND: /);
    await expect(client.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', WorkGroup: 'nowhere' }))).rejects.toMatchObject({
      name: 'InvalidRequestException',
    });
    client.destroy();
  });
});
