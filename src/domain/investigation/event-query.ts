import type { InvestigationWindow } from './window.ts';

/**
 * One bounded search of CloudTrail records, whatever answers it: event history
 * (LookupEvents), a CloudTrail Lake event data store, an Athena table over the trail's
 * logs, or the trail's S3 objects read as a stream. Investigations build one per source
 * for what their scope needs; a responder's follow-up question in a thread is parsed into
 * one (never into anything that writes to AWS).
 *
 * Every value may come from a finding or a person, so every value is attacker-controlled:
 * adapters that render SQL quote it as a literal (`sqlString`), never splice it.
 */
export interface EventQuery {
  accountId: string;
  /** The regions searched; global services' events are in their home region (lookup-plan.ts). */
  regions: string[];
  window: InvestigationWindow;
  /**
   * Who or what the records must name: a record matches when it names any one of these
   * (an empty `match` matches every record: only allowed with a narrowing `only`).
   */
  match: {
    accessKeyIds: string[];
    /** IAM user names, `root`, role session names. */
    usernames: string[];
    /** Resource names or ids: instance ids, bucket names, role names… */
    resourceNames: string[];
    /** Source IP addresses (`sourceIPAddress`). */
    sourceIps: string[];
    /** API calls whoever made them. */
    eventNames: string[];
  };
  /** What every matching record must also be. */
  only?: {
    /** e.g. `s3.amazonaws.com` */
    eventSources?: string[];
    eventNames?: string[];
    /** `true`: include data events (S3 object access); by default only management events. */
    dataEvents?: boolean;
  };
  /** Stop after this many records and say so. */
  limit: number;
  /** The newest records first, so a limit keeps the latest (where something last acted); by default the oldest first. */
  newestFirst?: boolean;
}

/** Is the query bounded enough to run: a window, at least one region, and something that narrows it. */
export function queryProblem(q: EventQuery): string | null {
  if (q.regions.length === 0) return 'no region to search';
  const start = Date.parse(q.window.start);
  const end = Date.parse(q.window.end);
  if (Number.isNaN(start) || Number.isNaN(end) || start > end) return 'the time range is not a range';
  const matchCount = Object.values(q.match).reduce((n, list) => n + list.length, 0);
  const narrowed = (q.only?.eventSources?.length ?? 0) + (q.only?.eventNames?.length ?? 0) > 0;
  if (matchCount === 0 && !narrowed) return 'nothing names what to look for (a key, user, resource, IP, call or service)';
  if (!Number.isInteger(q.limit) || q.limit < 1) return 'no limit on the records returned';
  return null;
}

/** A SQL string literal: the value between single quotes, each quote doubled; control characters refused. */
export function sqlString(value: string): string {
  if (/[\u0000-\u001f]/.test(value)) throw new Error('a control character cannot be part of a query value');
  return `'${value.replaceAll("'", "''")}'`;
}
