import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RawRecord, Scenario } from './scenario.ts';
import { isDataRecord, trailObjects, trailRecords } from './trail-archive.ts';
import { DNS_COLUMNS, FLOW_COLUMNS, fakeSecurityLake, lakeRow as securityLakeRow } from './security-lake.ts';

/**
 * A real SQL engine (DuckDB) over a scenario's trail records, for the fake CloudTrail Lake
 * and Athena: each gets its table with the real schema (Lake: the event data store's
 * columns; Athena: the CloudTrail table AWS documents, partitioned by `timestamp`), and
 * runs the SQL sirbot sends as it is. Trino functions both services offer and DuckDB
 * names otherwise are defined as macros (`json_format`). Once loaded, the engine is locked:
 * no file or network access, no configuration change — a query can only read the tables.
 */
export interface SqlAnswer {
  columns: string[];
  rows: Array<Array<string | null>>;
  /** What the service would have read: the events (Lake) or objects (Athena) its time or partition bounds leave in. */
  scanned: { events: number; bytes: number };
}

export interface ArchiveSql {
  /** Lake's table: the event data store id. */
  lakeTable: string;
  /** Parses without running: null, or the engine's message. */
  parseProblem(sql: string): Promise<string | null>;
  /** Runs a query as Lake (pruning by `eventTime`) or Athena (pruning by the `timestamp` partition) would. */
  run(sql: string, as: 'lake' | 'athena'): Promise<SqlAnswer>;
}

const LAKE_COLUMNS = {
  eventVersion: 'VARCHAR',
  userIdentity:
    'STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, accessKeyId VARCHAR, userName VARCHAR, invokedBy VARCHAR, sessionContext STRUCT(sessionIssuer STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, userName VARCHAR)))',
  eventTime: 'TIMESTAMP',
  eventSource: 'VARCHAR',
  eventName: 'VARCHAR',
  awsRegion: 'VARCHAR',
  sourceIPAddress: 'VARCHAR',
  userAgent: 'VARCHAR',
  errorCode: 'VARCHAR',
  errorMessage: 'VARCHAR',
  requestParameters: 'MAP(VARCHAR, VARCHAR)',
  responseElements: 'MAP(VARCHAR, VARCHAR)',
  additionalEventData: 'MAP(VARCHAR, VARCHAR)',
  requestID: 'VARCHAR',
  eventID: 'VARCHAR',
  readOnly: 'BOOLEAN',
  resources: 'STRUCT(accountId VARCHAR, type VARCHAR, arn VARCHAR)[]',
  eventType: 'VARCHAR',
  apiVersion: 'VARCHAR',
  managementEvent: 'BOOLEAN',
  recipientAccountId: 'VARCHAR',
  sharedEventID: 'VARCHAR',
  vpcEndpointId: 'VARCHAR',
  eventCategory: 'VARCHAR',
};

const ATHENA_COLUMNS = {
  eventversion: 'VARCHAR',
  useridentity:
    'STRUCT(type VARCHAR, principalid VARCHAR, arn VARCHAR, accountid VARCHAR, invokedby VARCHAR, accesskeyid VARCHAR, username VARCHAR, sessioncontext STRUCT(sessionissuer STRUCT(type VARCHAR, principalid VARCHAR, arn VARCHAR, accountid VARCHAR, username VARCHAR)))',
  eventtime: 'VARCHAR',
  eventsource: 'VARCHAR',
  eventname: 'VARCHAR',
  awsregion: 'VARCHAR',
  sourceipaddress: 'VARCHAR',
  useragent: 'VARCHAR',
  errorcode: 'VARCHAR',
  errormessage: 'VARCHAR',
  requestparameters: 'VARCHAR',
  responseelements: 'VARCHAR',
  additionaleventdata: 'VARCHAR',
  requestid: 'VARCHAR',
  eventid: 'VARCHAR',
  readonly: 'VARCHAR',
  resources: 'STRUCT(arn VARCHAR, accountid VARCHAR, type VARCHAR)[]',
  eventtype: 'VARCHAR',
  apiversion: 'VARCHAR',
  recipientaccountid: 'VARCHAR',
  serviceeventdetails: 'VARCHAR',
  sharedeventid: 'VARCHAR',
  vpcendpointid: 'VARCHAR',
  eventcategory: 'VARCHAR',
  timestamp: 'VARCHAR',
};

type Obj = Record<string, unknown>;
const str = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
/** Lake keeps request and response parameters as a map of strings: nested values as their JSON text. */
const stringMap = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, str(x)])) : null);
const resourcesOf = (r: RawRecord) =>
  Array.isArray(r.resources) ? (r.resources as Obj[]).map((x) => ({ accountId: str(x.accountId), type: str(x.type), arn: str(x.ARN) })) : null;
const identityOf = (r: RawRecord) => (r.userIdentity && typeof r.userIdentity === 'object' ? (r.userIdentity as Obj) : null);

function lakeRow(r: RawRecord): Obj {
  const u = identityOf(r);
  return {
    ...Object.fromEntries(Object.keys(LAKE_COLUMNS).map((k) => [k, typeof r[k] === 'string' ? r[k] : null])),
    userIdentity: u,
    requestParameters: stringMap(r.requestParameters),
    responseElements: stringMap(r.responseElements),
    additionalEventData: stringMap(r.additionalEventData),
    readOnly: typeof r.readOnly === 'boolean' ? r.readOnly : r.readOnly === 'true' ? true : null,
    resources: resourcesOf(r),
    managementEvent: !isDataRecord(r),
    eventCategory: typeof r.eventCategory === 'string' ? r.eventCategory : 'Management',
  };
}

function athenaRow(r: RawRecord, day: string): Obj {
  const u = identityOf(r);
  const lower = (o: Obj | null): Obj | null =>
    o ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k.toLowerCase(), v && typeof v === 'object' && !Array.isArray(v) ? lower(v as Obj) : v])) : null;
  const row: Obj = {};
  for (const k of Object.keys(r)) row[k.toLowerCase()] = typeof r[k] === 'string' ? r[k] : str(r[k]);
  return {
    ...row,
    useridentity: lower(u),
    readonly: r.readOnly === undefined ? null : String(r.readOnly),
    resources: resourcesOf(r)?.map((x) => ({ arn: x.arn, accountid: x.accountId, type: x.type })) ?? null,
    timestamp: day,
  };
}

const columnsSpec = (columns: Record<string, string>) =>
  `{${Object.entries(columns)
    .map(([k, t]) => `"${k}": '${t}'`)
    .join(', ')}}`;

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

type Tree = Record<string, unknown> | null | undefined;

/** The top-level AND-ed conditions of a WHERE clause. */
function conjuncts(where: unknown): Tree[] {
  const w = where as Tree;
  if (!w) return [];
  if (w.type === 'CONJUNCTION_AND') return (w.children as Tree[]).flatMap(conjuncts);
  return [w];
}

/** Whether a condition names one column (by name, in any case) and constants only. */
function onlyColumn(tree: unknown, column: string): boolean {
  let named = false;
  const walk = (t: unknown): boolean => {
    if (Array.isArray(t)) return t.every(walk);
    if (!t || typeof t !== 'object') return true;
    const o = t as Record<string, unknown>;
    if (o.class === 'SUBQUERY' || o.class === 'FUNCTION' || o.class === 'STAR') return false;
    if (o.class === 'COLUMN_REF') {
      const names = (o.column_names as string[]) ?? [];
      if (names.at(-1)?.toLowerCase() !== column) return false;
      named = true;
      return true;
    }
    return Object.values(o).every(walk);
  };
  return walk(tree) && named;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function archiveSql(scenario: Scenario): Promise<ArchiveSql> {
  const { DuckDBInstance, StatementType } = await import('@duckdb/node-api');
  const trail = scenario.trail;
  const lakeTable = trail.eventDataStore.split('/').pop() as string;
  const records = trailRecords(scenario);
  const objects = trailObjects(scenario);
  const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-archive-'));
  const instance = await DuckDBInstance.create(':memory:');
  const db: DuckDBConnection = await instance.connect();
  // What each event costs Lake to read (its JSON), and each day's objects cost Athena (gzipped).
  const eventBytes = new Map<string, number>();
  const dayBytes = new Map<string, number>();
  for (const o of objects) dayBytes.set(o.day, (dayBytes.get(o.day) ?? 0) + o.body.length);
  // Security Lake's tables: what each day's partition holds (its records' bytes), per table.
  const lakeDayBytes = new Map<string, Map<string, number>>();
  try {
    const lakeFile = path.join(dir, 'lake.ndjson');
    writeFileSync(
      lakeFile,
      records
        .map((r) => {
          eventBytes.set(r.eventID, Buffer.byteLength(JSON.stringify(r)));
          return JSON.stringify(lakeRow(r));
        })
        .join('\n'),
    );
    const athenaFile = path.join(dir, 'athena.ndjson');
    writeFileSync(athenaFile, objects.flatMap((o) => o.records.map((r) => JSON.stringify(athenaRow(r, o.day)))).join('\n'));
    const read = (file: string, columns: Record<string, string>) =>
      `SELECT * FROM read_json(${quote(file).replaceAll('"', "'")}, format = 'newline_delimited', columns = ${columnsSpec(columns)})`;
    await db.run(`CREATE TABLE ${quote(lakeTable)} AS ${read(lakeFile, LAKE_COLUMNS)}`);
    await db.run(`CREATE SCHEMA ${quote(trail.athena.database)}`);
    await db.run(`CREATE TABLE ${quote(trail.athena.database)}.${quote(trail.athena.table)} AS ${read(athenaFile, ATHENA_COLUMNS)}`);
    // Security Lake's OCSF tables (security-lake.ts), for network evidence through the same Athena.
    const lake = fakeSecurityLake(scenario);
    if (lake) {
      await db.run(`CREATE SCHEMA ${quote(lake.database)}`);
      for (const [table, records, columns] of [
        [lake.flowTable, lake.flows, FLOW_COLUMNS],
        [lake.dnsTable, lake.dns, DNS_COLUMNS],
      ] as const) {
        const file = path.join(dir, `${table}.ndjson`);
        const days = new Map<string, number>();
        const rows = records.map(securityLakeRow);
        for (const row of rows)
          if (typeof row.eventday === 'string') days.set(row.eventday, (days.get(row.eventday) ?? 0) + Buffer.byteLength(JSON.stringify(row)));
        lakeDayBytes.set(table, days);
        writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
        await db.run(`CREATE TABLE ${quote(lake.database)}.${quote(table)} AS ${read(file, columns)}`);
      }
    }
    // Trino's json_format(JSON) → varchar; DuckDB's JSON is already its text.
    await db.run('CREATE MACRO json_format(j) AS CAST(j AS VARCHAR)');
    await db.run('SET enable_external_access = false');
    await db.run('SET lock_configuration = true');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const oneSelect = async (sql: string) => {
    const statements = await db.extractStatements(sql);
    if (statements.count !== 1) throw new Error(`expected one statement, found ${statements.count}`);
    const prepared = await statements.prepare(0);
    if (prepared.statementType !== StatementType.SELECT) throw new Error('only SELECT statements are supported');
    return prepared;
  };
  /**
   * What a query's scan reads. Lake prunes by `eventTime`, Athena by partition: the top-level
   * conjuncts of the WHERE clause that name only that column and constants are kept (through
   * DuckDB's own parse tree of the query), and the table is read with them alone.
   */
  const scannedBy = async (sql: string, as: 'lake' | 'athena'): Promise<SqlAnswer['scanned']> => {
    const tree = JSON.parse(String((await db.runAndReadAll(`SELECT json_serialize_sql(${sqlText(sql)})`)).getRows()[0]?.[0] ?? '{}')) as {
      error?: boolean;
      statements?: Array<{ node: Record<string, unknown> }>;
    };
    const node = tree.statements?.[0]?.node;
    if (tree.error || !node) return { events: 0, bytes: 0 };
    // A Security Lake table is partitioned by `eventday`; the trail's table by `timestamp`.
    const lakeDays = as === 'athena' ? lakeDayBytes.get(String((node.from_table as Tree)?.table_name ?? '')) : undefined;
    const column = as === 'lake' ? 'eventid' : lakeDays ? 'eventday' : 'timestamp';
    const pruneBy = as === 'lake' ? 'eventtime' : lakeDays ? 'eventday' : 'timestamp';
    const kept = conjuncts(node.where_clause).filter((c) => onlyColumn(c, pruneBy));
    node.where_clause =
      kept.length === 0 ? null : kept.length === 1 ? kept[0] : { class: 'CONJUNCTION', type: 'CONJUNCTION_AND', alias: '', query_location: 0, children: kept };
    node.select_list = [{ class: 'COLUMN_REF', type: 'COLUMN_REF', alias: '', query_location: 0, column_names: [column] }];
    node.modifiers = [];
    node.group_expressions = [];
    node.group_sets = [];
    node.having = null;
    const pruned = String((await db.runAndReadAll(`SELECT json_deserialize_sql(${sqlText(JSON.stringify(tree))})`)).getRows()[0]?.[0] ?? '');
    const values = (await db.runAndReadAll(pruned)).getRows().map((r) => String(r[0]));
    if (as === 'lake') return { events: values.length, bytes: values.reduce((n, id) => n + (eventBytes.get(id) ?? 0), 0) };
    const days = new Set(values);
    return { events: values.length, bytes: [...days].reduce((n, d) => n + ((lakeDays ?? dayBytes).get(d) ?? 0), 0) };
  };
  return {
    lakeTable,
    async parseProblem(sql) {
      try {
        await oneSelect(sql);
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    },
    async run(sql, as) {
      const prepared = await oneSelect(sql);
      const reader = await prepared.runAndReadAll();
      const columns = reader.columnNames();
      const rows = reader.getRowsJson().map((row) => row.map((v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v))));
      return { columns, rows, scanned: await scannedBy(sql, as) };
    },
  };
}
