import type { AwsClientFactory } from '../clients.ts';
import type { QuotaQueues } from '../quotas.ts';
import { athenaSql } from '../../domain/investigation/archive-query.ts';
import type { EventQuery } from '../../domain/investigation/event-query.ts';
import type { EventSearch, EventSearchResult } from '../../ports/event-search.ts';
import type { ArchiveSettings } from './archive-settings.ts';
import { archiveRefuses, failedSearch, resultOfRows } from './archive-search.ts';
import { runAthena } from './athena-run.ts';

/**
 * Athena over the CloudTrail table AWS documents for a trail's S3 logs: the query rendered,
 * then run in the configured work group (athena-run.ts: started, polled, read page by page).
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
    const store = this.settings.store;
    let sql: string;
    try {
      sql = athenaSql(query, store);
    } catch (err) {
      return failedSearch(this.via, query, `the query cannot be written: ${(err as Error).message}`);
    }
    const target = {
      account: this.settings.account ?? query.accountId,
      region: this.settings.region,
      workGroup: store.workGroup,
      database: store.database,
      ...(store.outputLocation ? { outputLocation: store.outputLocation } : {}),
      ...(this.settings.pollMs !== undefined ? { pollMs: this.settings.pollMs } : {}),
      ...(this.settings.queryTimeoutMs !== undefined ? { queryTimeoutMs: this.settings.queryTimeoutMs } : {}),
    };
    const run = await runAthena(this.clients, this.quotas, target, sql, query.limit);
    if (!run.ok) return failedSearch(this.via, query, run.detail, [sql]);
    return resultOfRows(this.via, query, run.rows, sql, run.bytesScanned);
  }
}
