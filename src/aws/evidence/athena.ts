import type { AwsClientFactory } from '../clients.ts';
import type { QuotaQueues } from '../quotas.ts';
import { athenaSdk } from '../sdk.ts';
import { athenaSql } from '../../domain/investigation/archive-query.ts';
import type { EventQuery } from '../../domain/investigation/event-query.ts';
import type { EventSearch, EventSearchResult } from '../../ports/event-search.ts';
import type { ArchiveSettings } from './archive-settings.ts';
import type { ArchiveRow } from './archive-rows.ts';
import { archiveRefuses, errorText, failedSearch, resultOfRows, untilDone } from './archive-search.ts';

const DONE = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Athena over the CloudTrail table AWS documents for a trail's S3 logs: the query rendered
 * (StartQueryExecution in the configured work group), polled (GetQueryExecution) until it
 * ends, its rows read page by page (GetQueryResults, whose first row is the header).
 * Athena writes results to the work group's output location: that is Athena's own
 * bookkeeping, not a change to anything investigated.
 */
export class AthenaSearch implements EventSearch {
  readonly via = 'athena';

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
    private readonly settings: ArchiveSettings & { store: { kind: 'athena' } },
  ) {}

  refuses(query: EventQuery): string | null {
    return archiveRefuses(this.settings, query);
  }

  async search(query: EventQuery): Promise<EventSearchResult> {
    const account = this.settings.account ?? query.accountId;
    const region = this.settings.region;
    const store = this.settings.store;
    let sql: string;
    try {
      sql = athenaSql(query, store);
    } catch (err) {
      return failedSearch(this.via, query, `the query cannot be written: ${(err as Error).message}`);
    }
    const client = this.clients.athena(account, region);
    const { StartQueryExecutionCommand, GetQueryExecutionCommand, GetQueryResultsCommand } = athenaSdk();
    const call = <T>(f: () => Promise<T>) => this.quotas.run('athena', account, region, f);
    try {
      const started = await call(() =>
        client.send(
          new StartQueryExecutionCommand({
            QueryString: sql,
            WorkGroup: store.workGroup,
            QueryExecutionContext: { Database: store.database },
            ...(store.outputLocation ? { ResultConfiguration: { OutputLocation: store.outputLocation } } : {}),
          }),
        ),
      );
      const id = started.QueryExecutionId as string;
      const { state, timedOut } = await untilDone(
        this.settings,
        () => call(() => client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))),
        (d) => DONE.has(d.QueryExecution?.Status?.State ?? ''),
      );
      const status = state.QueryExecution?.Status;
      if (timedOut) return failedSearch(this.via, query, `query ${id} still ${status?.State} when given up`, [sql]);
      if (status?.State !== 'SUCCEEDED')
        return failedSearch(this.via, query, `query ${status?.State}: ${status?.StateChangeReason ?? status?.AthenaError?.ErrorMessage ?? 'no reason given'}`, [
          sql,
        ]);
      const rows: ArchiveRow[] = [];
      let token: string | undefined;
      let names: string[] = [];
      let first = true;
      do {
        const page = await call(() =>
          client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, ...(token ? { NextToken: token } : {}) })),
        );
        names = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
        const data = (page.ResultSet?.Rows ?? []).map((r) => (r.Data ?? []).map((d) => d.VarCharValue ?? null));
        // A SELECT's first page starts with the column names.
        if (first && data[0]?.every((v, i) => v === names[i])) data.shift();
        first = false;
        for (const values of data) rows.push(Object.fromEntries(names.map((n, i) => [n, values[i] ?? null])));
        token = page.NextToken;
      } while (token && rows.length <= query.limit);
      return resultOfRows(this.via, query, rows, sql, state.QueryExecution?.Statistics?.DataScannedInBytes);
    } catch (err) {
      return failedSearch(this.via, query, errorText(err), [sql]);
    }
  }
}
