import type { ArchiveSql } from './archive-sql.ts';
import { AwsError } from './errors.ts';
import { type QueryRuns, pageOffset, pageToken } from './query-runs.ts';
import type { TrailConfig } from './trail-config.ts';

/**
 * Athena (awsJson1.1, `AmazonAthena.*`) over the scenario's CloudTrail table:
 * StartQueryExecution (a work group the fake knows; an output location from the call or
 * the work group), GetQueryExecution (QUEUED, RUNNING, SUCCEEDED or FAILED, with the
 * engine's error under Trino's error names, and DataScannedInBytes: the gzipped objects of
 * the partitions its `timestamp` bounds leave in), GetQueryResults (the header row first, pages of at most 1,000).
 */
const ID = /^[a-f0-9-]{36}$/;

/** The engine's errors under the names Athena (engine version 3, Trino) gives them. */
function athenaError(message: string): { reason: string; type: number } {
  const first = (message.split('\n')[0] ?? message).replace(/^Failed to extract statements: /, '');
  if (/Parser Error/.test(first)) return { reason: `SYNTAX_ERROR: ${first}`, type: 1100 };
  if (/Catalog Error: Table/.test(first)) return { reason: `TABLE_NOT_FOUND: ${first}`, type: 1101 };
  if (/Binder Error/.test(first)) return { reason: `COLUMN_NOT_FOUND: ${first}`, type: 1102 };
  return { reason: `GENERIC_USER_ERROR: ${first}`, type: 1100 };
}

const state = { QUEUED: 'QUEUED', RUNNING: 'RUNNING', DONE: 'SUCCEEDED', FAILED: 'FAILED' } as const;

export async function athenaAction(
  engine: Promise<ArchiveSql>,
  runs: QueryRuns,
  trail: TrailConfig,
  account: string,
  operation: string,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (operation === 'StartQueryExecution') {
    const text = input.QueryString;
    if (typeof text !== 'string' || text.length < 1 || text.length > 262_144)
      throw new AwsError('InvalidRequestException', 'QueryString must be between 1 and 262144 characters.');
    const workGroup = (input.WorkGroup as string | undefined) ?? 'primary';
    if (workGroup !== trail.athena.workGroup) throw new AwsError('InvalidRequestException', `WorkGroup ${workGroup} is not found.`);
    const output = (input.ResultConfiguration as { OutputLocation?: string } | undefined)?.OutputLocation ?? trail.athena.outputLocation;
    if (!output)
      throw new AwsError(
        'InvalidRequestException',
        'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.',
      );
    const q = runs.start(engine, account, text, (e, sql) => e.run(sql, 'athena'));
    const context = (input.QueryExecutionContext as Record<string, unknown> | undefined) ?? {};
    Object.assign(q, { workGroup, output, context });
    return { QueryExecutionId: q.id };
  }
  const id = input.QueryExecutionId;
  if (typeof id !== 'string' || !ID.test(id)) throw new AwsError('InvalidRequestException', 'QueryExecutionId is not valid.');
  const q = runs.get(id, account) as (ReturnType<QueryRuns['get']> & { workGroup?: string; output?: string; context?: Record<string, unknown> }) | undefined;
  if (!q) throw new AwsError('InvalidRequestException', `QueryExecution ${id} was not found`);
  if (operation === 'GetQueryExecution') {
    const failure = q.error ? athenaError(q.error) : null;
    return {
      QueryExecution: {
        QueryExecutionId: q.id,
        Query: q.sql,
        StatementType: 'DML',
        ResultConfiguration: { OutputLocation: `${(q.output ?? '').replace(/\/?$/, '/')}${q.id}.csv` },
        QueryExecutionContext: q.context ?? {},
        Status: {
          State: state[q.state],
          SubmissionDateTime: q.submittedAt / 1000,
          ...(q.completedAt ? { CompletionDateTime: q.completedAt / 1000 } : {}),
          ...(failure
            ? { StateChangeReason: failure.reason, AthenaError: { ErrorCategory: 2, ErrorType: failure.type, Retryable: false, ErrorMessage: failure.reason } }
            : {}),
        },
        Statistics: {
          EngineExecutionTimeInMillis: (q.completedAt ?? Date.now()) - (q.startedAt ?? q.submittedAt),
          DataScannedInBytes: q.answer?.scanned.bytes ?? 0,
          TotalExecutionTimeInMillis: (q.completedAt ?? Date.now()) - q.submittedAt,
          QueryQueueTimeInMillis: (q.startedAt ?? Date.now()) - q.submittedAt,
        },
        WorkGroup: q.workGroup,
        EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
      },
    };
  }
  if (operation === 'GetQueryResults') {
    if (q.state === 'QUEUED' || q.state === 'RUNNING') throw new AwsError('InvalidRequestException', `Query has not yet finished. Current state: ${q.state}`);
    if (q.state === 'FAILED') throw new AwsError('InvalidRequestException', `${athenaError(q.error ?? '').reason}`);
    const max = input.MaxResults ?? 1000;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 1000)
      throw new AwsError('InvalidRequestException', 'MaxResults must be between 1 and 1000.');
    const offset = pageOffset(input.NextToken, q.id);
    if (offset === null) throw new AwsError('InvalidRequestException', 'Invalid NextToken');
    const answer = q.answer ?? { columns: [], rows: [] };
    // Trino names result columns in lower case; a SELECT's first page starts with them.
    const names = answer.columns.map((c) => c.toLowerCase());
    const all = [names, ...answer.rows];
    const page = all.slice(offset, offset + max);
    return {
      UpdateCount: 0,
      ResultSet: {
        Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        ResultSetMetadata: {
          ColumnInfo: names.map((n) => ({
            CatalogName: 'hive',
            SchemaName: '',
            TableName: '',
            Name: n,
            Label: n,
            Type: 'varchar',
            Precision: 2147483647,
            Scale: 0,
            Nullable: 'UNKNOWN',
            CaseSensitive: true,
          })),
        },
      },
      ...(offset + max < all.length ? { NextToken: pageToken(q.id, offset + max) } : {}),
    };
  }
  throw new AwsError('InvalidRequestException', `${operation} is not served by the fake`);
}
