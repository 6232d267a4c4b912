import type { AwsClientFactory } from '../clients.ts';
import type { QuotaQueues } from '../quotas.ts';
import { athenaSdk } from '../sdk.ts';
import type { ArchiveRow } from './archive-rows.ts';
import { errorText, untilDone } from './archive-search.ts';

const DONE = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Where a query runs: the account and region holding the tables, the work group, the database. */
export interface AthenaTarget {
  account: string;
  region: string;
  workGroup: string;
  database: string;
  outputLocation?: string;
  pollMs?: number;
  queryTimeoutMs?: number;
}

export type AthenaRun = { ok: true; rows: ArchiveRow[]; bytesScanned: number | undefined } | { ok: false; detail: string };

/**
 * One SQL query through Athena: started (StartQueryExecution in the work group), polled
 * (GetQueryExecution) until it ends, its rows read page by page (GetQueryResults, whose
 * first row is the header) until `maxRows` are past. Every call goes through the
 * (athena, account, region) quota queue. Athena writes results to the work group's output
 * location: that is Athena's own bookkeeping, not a change to anything investigated.
 */
export async function runAthena(clients: AwsClientFactory, quotas: QuotaQueues, target: AthenaTarget, sql: string, maxRows: number): Promise<AthenaRun> {
  const { account, region } = target;
  const client = clients.athena(account, region);
  const { StartQueryExecutionCommand, GetQueryExecutionCommand, GetQueryResultsCommand } = athenaSdk();
  const call = <T>(f: () => Promise<T>) => quotas.run('athena', account, region, f);
  try {
    const started = await call(() =>
      client.send(
        new StartQueryExecutionCommand({
          QueryString: sql,
          WorkGroup: target.workGroup,
          QueryExecutionContext: { Database: target.database },
          ...(target.outputLocation ? { ResultConfiguration: { OutputLocation: target.outputLocation } } : {}),
        }),
      ),
    );
    const id = started.QueryExecutionId as string;
    const { state, timedOut } = await untilDone(
      target,
      () => call(() => client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))),
      (d) => DONE.has(d.QueryExecution?.Status?.State ?? ''),
    );
    const status = state.QueryExecution?.Status;
    if (timedOut) return { ok: false, detail: `query ${id} still ${status?.State} when given up` };
    if (status?.State !== 'SUCCEEDED')
      return { ok: false, detail: `query ${status?.State}: ${status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage ?? 'no reason given'}` };
    const rows: ArchiveRow[] = [];
    let token: string | undefined;
    let first = true;
    do {
      const page = await call(() =>
        client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, ...(token ? { NextToken: token } : {}) })),
      );
      const names = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
      const data = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
      // A SELECT's first page starts with the column names.
      if (first && data[0]?.every((v, i) => v === names[i])) data.shift();
      first = false;
      for (const values of data) rows.push(Object.fromEntries(names.map((n, i) => [n, values[i] ?? null])));
      token = page.NextToken;
    } while (token && rows.length <= maxRows);
    return { ok: true, rows, bytesScanned: state.QueryExecution?.Statistics?.DataScannedInBytes };
  } catch (err) {
    return { ok: false, detail: errorText(err) };
  }
}
