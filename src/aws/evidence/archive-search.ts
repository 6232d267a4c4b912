import { setTimeout as sleep } from 'node:timers/promises';
import type { EventQuery } from '../../domain/investigation/event-query.ts';
import { queryProblem } from '../../domain/investigation/event-query.ts';
import { queryWords, recordMatches } from '../../domain/investigation/archive-query.ts';
import type { Searched } from '../../domain/investigation/searched.ts';
import type { LimitingFactor } from '../../domain/investigation/limiting.ts';
import { entryFromCloudTrail } from '../../domain/investigation/timeline.ts';
import type { EventSearchResult } from '../../ports/event-search.ts';
import type { ArchiveSettings } from './archive-settings.ts';
import { type ArchiveRow, recordOfRow } from './archive-rows.ts';

/** What every long-term source refuses: a query that is not bounded, or data events the trail never recorded. */
export function archiveRefuses(settings: ArchiveSettings, query: EventQuery): string | null {
  const problem = queryProblem(query);
  if (problem) return problem;
  if (query.only?.dataEvents && !settings.dataEvents) return 'the trail does not record data events (S3 object reads and writes)';
  return null;
}

/** Polls a running query with growing pauses until `done` says it finished, or the time runs out. */
export async function untilDone<T>(
  settings: Pick<ArchiveSettings, 'pollMs' | 'queryTimeoutMs'>,
  poll: () => Promise<T>,
  done: (state: T) => boolean,
): Promise<{ state: T; timedOut: boolean }> {
  const deadline = Date.now() + (settings.queryTimeoutMs ?? 300_000);
  let pause = settings.pollMs ?? 250;
  for (;;) {
    const state = await poll();
    if (done(state)) return { state, timedOut: false };
    if (Date.now() + pause > deadline) return { state, timedOut: true };
    await sleep(pause);
    pause = Math.min(pause * 2, 2000);
  }
}

/**
 * The rows a query returned, as an EventSearch answers: each checked again against the
 * query (the SQL narrows by substrings; this is the exact test), unreadable rows counted,
 * and a row beyond the limit reported as a cut.
 */
export function resultOfRows(via: string, query: EventQuery, rows: ArchiveRow[], sql: string, bytesScanned: number | undefined): EventSearchResult {
  const matches = recordMatches(query);
  const limitingFactors: LimitingFactor[] = [];
  let unreadable = 0;
  const entries = [];
  for (const row of rows.slice(0, query.limit)) {
    const record = recordOfRow(row);
    if (!record) {
      unreadable++;
      continue;
    }
    if (matches(record)) entries.push({ ...entryFromCloudTrail(record), via });
  }
  if (rows.length > query.limit)
    limitingFactors.push({ source: via, reason: 'truncated', detail: `${via}: stopped at ${query.limit} records (the records bound); more match` });
  if (unreadable > 0) limitingFactors.push({ source: via, reason: 'failed', detail: `${via}: ${unreadable} record(s) could not be read` });
  const cost = bytesScanned !== undefined ? { bytesScanned } : undefined;
  return { via, entries, searched: [searchedBy(via, query, entries.length, cost)], limitingFactors, queries: [sql], ...(cost ? { cost } : {}) };
}

/** The one look a search made, for the list of what was searched. */
export function searchedBy(via: string, query: EventQuery, found: number, cost?: Searched['cost']): Searched {
  return {
    source: via,
    via,
    what: queryWords(query),
    accountId: query.accountId,
    region: query.regions.join(', '),
    window: query.window,
    found,
    ...(cost ? { cost } : {}),
  };
}

/** A failed call or query, as a limiting factor naming the source. */
export function failedSearch(via: string, query: EventQuery, detail: string, queries: string[] = []): EventSearchResult {
  const denied = /AccessDenied|not authorized/i.test(detail);
  return {
    via,
    entries: [],
    searched: [],
    limitingFactors: [{ source: via, reason: denied ? 'access-denied' : 'failed', detail: `${via} for ${query.accountId}: ${detail}` }],
    queries,
  };
}

export const errorText = (err: unknown) => {
  const e = err as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
};
