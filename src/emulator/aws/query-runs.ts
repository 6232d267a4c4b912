import { randomUUID } from 'node:crypto';
import type { ArchiveSql, SqlAnswer } from './archive-sql.ts';

/**
 * Queries as Lake and Athena run them: asynchronously. A query is QUEUED when started,
 * RUNNING once the engine has it, then done (finished or failed) when the engine answers;
 * callers poll, as they do against AWS.
 */
export interface QueryRun {
  id: string;
  account: string;
  sql: string;
  state: 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';
  error?: string;
  answer?: SqlAnswer;
  submittedAt: number;
  startedAt?: number;
  completedAt?: number;
}

export class QueryRuns {
  private readonly runs = new Map<string, QueryRun>();

  start(engine: Promise<ArchiveSql>, account: string, sql: string, run: (e: ArchiveSql, sql: string) => Promise<SqlAnswer>): QueryRun {
    const q: QueryRun = { id: randomUUID(), account, sql, state: 'QUEUED', submittedAt: Date.now() };
    this.runs.set(q.id, q);
    setImmediate(() => {
      q.state = 'RUNNING';
      q.startedAt = Date.now();
      engine
        .then((e) => run(e, sql))
        .then(
          (answer) => Object.assign(q, { state: 'DONE', answer, completedAt: Date.now() }),
          (err: unknown) => Object.assign(q, { state: 'FAILED', error: (err as Error).message, completedAt: Date.now() }),
        );
    });
    return q;
  }

  get(id: unknown, account: string): QueryRun | undefined {
    const q = typeof id === 'string' ? this.runs.get(id) : undefined;
    return q && q.account === account ? q : undefined;
  }
}

/** Page tokens: the offset of the next row, tied to the query. */
export const pageToken = (id: string, offset: number) => Buffer.from(JSON.stringify({ id, offset })).toString('base64');
export function pageOffset(token: unknown, id: string): number | null {
  if (token === undefined || token === null) return 0;
  try {
    const t = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as { id?: unknown; offset?: unknown };
    return t.id === id && typeof t.offset === 'number' ? t.offset : null;
  } catch {
    return null;
  }
}
