import type { ArchiveSql } from './archive-sql.ts';
import { AwsError } from './errors.ts';
import { type QueryRuns, pageOffset, pageToken } from './query-runs.ts';

/**
 * CloudTrail Lake's query API (awsJson1.1, `CloudTrail_20131101.*`) over the scenario's
 * event data store: StartQuery checks the statement (one SELECT, FROM a known event data
 * store; else InvalidQueryStatementException or EventDataStoreNotFoundException) and runs
 * it in the SQL engine; DescribeQuery reports QUEUED, RUNNING, FINISHED or FAILED with
 * statistics (the events its `eventTime` bounds leave in, and their bytes); GetQueryResults pages rows of
 * one-column maps, at most 1,000 (MaxQueryResults 1–1,000).
 */
const QUERY_ID = /^[a-f0-9-]{36}$/;

/** Lake takes the event data store id (or ARN's id) bare after FROM: quoted for the engine, which reads `-` as minus. */
function forEngine(sql: string, table: string): string | null {
  const from = /\bFROM\s+("?)([A-Za-z0-9:/_-]+)\1/i.exec(sql);
  if (!from) return sql;
  const named = (from[2] as string).split('/').pop();
  if (named !== table) return null;
  return sql.replace(from[0], `FROM "${table}"`);
}

const status = { QUEUED: 'QUEUED', RUNNING: 'RUNNING', DONE: 'FINISHED', FAILED: 'FAILED' } as const;

export async function lakeAction(
  engine: Promise<ArchiveSql>,
  runs: QueryRuns,
  account: string,
  operation: string,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const sql = await engine;
  if (operation === 'StartQuery') {
    const statement = input.QueryStatement;
    if (typeof statement !== 'string' || statement.length < 1 || statement.length > 10_000)
      throw new AwsError('InvalidParameterException', 'QueryStatement must be between 1 and 10000 characters.');
    const runnable = forEngine(statement, sql.lakeTable);
    if (runnable === null) throw new AwsError('EventDataStoreNotFoundException', 'The specified event data store was not found.');
    const problem = await sql.parseProblem(runnable);
    if (problem) throw new AwsError('InvalidQueryStatementException', `Query statement is not valid: ${problem.split('\n')[0]}`);
    const q = runs.start(engine, account, runnable, (e, text) => e.run(text, 'lake'));
    return { QueryId: q.id };
  }
  const q = runs.get(input.QueryId, account);
  if (typeof input.QueryId !== 'string' || !QUERY_ID.test(input.QueryId)) throw new AwsError('InvalidParameterException', 'QueryId is not valid.');
  if (!q) throw new AwsError('QueryIdNotFoundException', 'The query ID does not exist or does not map to a query.');
  const rows = q.answer?.rows.length ?? 0;
  if (operation === 'DescribeQuery') {
    return {
      QueryId: q.id,
      QueryString: q.sql,
      QueryStatus: status[q.state],
      QueryStatistics: {
        EventsMatched: rows,
        EventsScanned: q.answer?.scanned.events ?? 0,
        BytesScanned: q.answer?.scanned.bytes ?? 0,
        ExecutionTimeInMillis: (q.completedAt ?? Date.now()) - (q.startedAt ?? q.submittedAt),
        CreationTime: q.submittedAt / 1000,
      },
      ...(q.error ? { ErrorMessage: q.error.split('\n')[0] } : {}),
    };
  }
  if (operation === 'GetQueryResults') {
    const max = input.MaxQueryResults ?? 1000;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 1000)
      throw new AwsError('InvalidMaxResultsException', 'MaxQueryResults must be between 1 and 1000.');
    const offset = pageOffset(input.NextToken, q.id);
    if (offset === null)
      throw new AwsError('InvalidNextTokenException', 'A token that is not valid, or a token that was previously used in a request with different parameters.');
    const answer = q.answer;
    const page = answer ? answer.rows.slice(offset, offset + max) : [];
    return {
      QueryStatus: status[q.state],
      QueryStatistics: { ResultsCount: page.length, TotalResultsCount: rows, BytesScanned: q.answer?.scanned.bytes ?? 0 },
      QueryResultRows: page.map((row) => row.flatMap((v, i) => (v === null ? [] : [{ [answer?.columns[i] as string]: v }]))),
      ...(answer && offset + max < rows ? { NextToken: pageToken(q.id, offset + max) } : {}),
      ...(q.error ? { ErrorMessage: q.error.split('\n')[0] } : {}),
    };
  }
  throw new AwsError('UnknownOperationException', `${operation} is not served by the fake`);
}
