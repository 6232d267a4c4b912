import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { dnsSql, flowSql, type NetworkQuery } from '../../src/domain/investigation/network-query.ts';
import { fakeArchive, type Run } from '../archive/support.ts';
import { lake, scenario } from './support.ts';

/**
 * The fake's Security Lake: its two OCSF tables (DuckDB, STRUCT columns, locked after load)
 * answer the network SQL through the real Athena SDK client, and Athena's bytes scanned are
 * what the `eventday` partitions the query keeps hold.
 */
const MINER = 'i-0f3b9d2e8a6c40001';
const base: NetworkQuery = {
  accountId: '111122223333',
  regions: ['us-east-1'],
  window: { start: '2026-10-14T00:00:00Z', end: '2026-10-15T08:45:00Z' },
  instanceIds: [MINER],
  ips: [],
  limit: 100,
};

describe("the fake's Security Lake through Athena", () => {
  let run: Run;
  beforeAll(async () => {
    run = await fakeArchive(scenario);
  });
  afterAll(() => run.close());

  async function athena(sql: string) {
    const client = run.clients.athena('111122223333', 'us-east-1');
    const { QueryExecutionId } = await client.send(
      new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: scenario.trail.athena.workGroup, QueryExecutionContext: { Database: lake!.database } }),
    );
    for (;;) {
      const state = await client.send(new GetQueryExecutionCommand({ QueryExecutionId }));
      const status = state.QueryExecution?.Status?.State;
      if (status === 'SUCCEEDED' || status === 'FAILED') {
        if (status === 'FAILED') return { error: state.QueryExecution?.Status?.StateChangeReason, rows: [], bytes: 0 };
        const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId }));
        const [header, ...rows] = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
        return {
          rows: rows.map((r) => Object.fromEntries((header ?? []).map((h, i) => [h, r[i]]))),
          bytes: state.QueryExecution?.Statistics?.DataScannedInBytes ?? 0,
        };
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('serves the flow table: the miner talks to the pool on 3333, aggregated, biggest first', async () => {
    const { rows, bytes } = await athena(flowSql(base, { database: lake!.database, table: lake!.flowTable }));
    const pool = rows.filter((r) => r.remote_ip === '203.0.113.250');
    expect(pool.map((r) => `${r.direction} ${r.service_port}`).sort()).toEqual(['Inbound 3333', 'Outbound 3333']);
    expect(Number(pool.find((r) => r.direction === 'Outbound')?.flows)).toBeGreaterThan(30);
    expect(rows[0]?.remote_ip).toBe('203.0.113.250');
    expect(rows.every((r) => r.local_end === MINER)).toBe(true);
    expect(bytes).toBeGreaterThan(0);
  });

  it('serves the DNS table with its answers', async () => {
    const { rows } = await athena(dnsSql(base, { database: lake!.database, table: lake!.dnsTable }));
    const pool = rows.find((r) => r.hostname === 'pool.xmr-mining.example.');
    expect(pool).toMatchObject({ local_end: MINER, rcode: 'NoError' });
    expect(JSON.parse(pool?.answers ?? '[]')[0]).toMatchObject({ rdata: '203.0.113.250', type: 'A' });
    expect(rows.find((r) => r.hostname === 'xmr.pool-old.example.')).toMatchObject({ rcode: 'NXDomain', answers: '[]' });
  });

  it('scans only the eventday partitions the query keeps', async () => {
    const table = { database: lake!.database, table: lake!.flowTable };
    const oneDay = await athena(flowSql({ ...base, window: { start: '2026-10-14T00:00:00Z', end: '2026-10-14T23:59:59Z' } }, table));
    const twoDays = await athena(flowSql(base, table));
    expect(oneDay.bytes).toBeGreaterThan(0);
    expect(twoDays.bytes).toBeGreaterThan(oneDay.bytes);
  });

  it('keeps a hostile value a literal: no rows, no error', async () => {
    const hostile = { ...base, instanceIds: ["x') OR 1=1 OR ('"], ips: ["1' OR '1'='1"] };
    const { rows, error } = await athena(flowSql(hostile, { database: lake!.database, table: lake!.flowTable }));
    expect(error).toBeUndefined();
    expect(rows).toEqual([]);
  });
});
