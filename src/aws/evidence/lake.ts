import type { AwsClientFactory } from '../clients.ts';
import type { QuotaQueues } from '../quotas.ts';
import { cloudTrailSdk } from '../sdk.ts';
import { lakeSql } from '../../domain/investigation/archive-query.ts';
import type { EventQuery } from '../../domain/investigation/event-query.ts';
import type { EventSearch, EventSearchResult } from '../../ports/event-search.ts';
import type { ArchiveSettings } from './archive-settings.ts';
import type { ArchiveRow } from './archive-rows.ts';
import { archiveRefuses, errorText, failedSearch, resultOfRows, untilDone } from './archive-search.ts';

const DONE = new Set(['FINISHED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);

/**
 * CloudTrail Lake: the query rendered over the event data store (StartQuery), polled
 * (DescribeQuery) until it finishes, its rows read page by page (GetQueryResults, up to
 * 1,000 a page). Read-only: the query service only selects.
 */
export class LakeSearch implements EventSearch {
  readonly via = 'cloudtrail-lake';

  constructor(
    private readonly clients: AwsClientFactory,
    private readonly quotas: QuotaQueues,
    private readonly settings: ArchiveSettings & { store: { kind: 'lake' } },
  ) {}

  refuses(query: EventQuery): string | null {
    return archiveRefuses(this.settings, query);
  }

  async search(query: EventQuery): Promise<EventSearchResult> {
    const account = this.settings.account ?? query.accountId;
    const region = this.settings.region;
    let sql: string;
    try {
      sql = lakeSql(query, this.settings.store.eventDataStore);
    } catch (err) {
      return failedSearch(this.via, query, `the query cannot be written: ${(err as Error).message}`);
    }
    const client = this.clients.cloudTrail(account, region);
    const { StartQueryCommand, DescribeQueryCommand, GetQueryResultsCommand } = cloudTrailSdk();
    const call = <T>(f: () => Promise<T>) => this.quotas.run('cloudtrail:Lake', account, region, f);
    try {
      const started = await call(() => client.send(new StartQueryCommand({ QueryStatement: sql })));
      const queryId = started.QueryId as string;
      const { state, timedOut } = await untilDone(
        this.settings,
        () => call(() => client.send(new DescribeQueryCommand({ QueryId: queryId }))),
        (d) => DONE.has(d.QueryStatus ?? ''),
      );
      if (timedOut) return failedSearch(this.via, query, `query ${queryId} still ${state.QueryStatus} when given up`, [sql]);
      if (state.QueryStatus !== 'FINISHED')
        return failedSearch(this.via, query, `query ${state.QueryStatus}: ${state.ErrorMessage ?? 'no reason given'}`, [sql]);
      const rows: ArchiveRow[] = [];
      let token: string | undefined;
      do {
        const page = await call(() =>
          client.send(new GetQueryResultsCommand({ QueryId: queryId, MaxQueryResults: 1000, ...(token ? { NextToken: token } : {}) })),
        );
        // Each row is a list of one-column maps: [{eventID: …}, {eventTime: …}, …].
        for (const columns of page.QueryResultRows ?? []) rows.push(Object.assign({}, ...columns) as ArchiveRow);
        token = page.NextToken;
      } while (token && rows.length <= query.limit);
      return resultOfRows(this.via, query, rows, sql, state.QueryStatistics?.BytesScanned);
    } catch (err) {
      return failedSearch(this.via, query, errorText(err), [sql]);
    }
  }
}
