import type { EventQuery } from '../domain/investigation/event-query.ts';
import type { LimitingFactor } from '../domain/investigation/limiting.ts';
import type { Searched } from '../domain/investigation/searched.ts';
import type { TimelineEntry } from '../domain/investigation/timeline.ts';

/** What one search found, and exactly how it was asked, so a thread can show the query it ran. */
export interface EventSearchResult {
  /** Where the records came from: `event-history`, `cloudtrail-lake`, `athena`, `s3-logs`. */
  via: string;
  entries: TimelineEntry[];
  searched: Searched[];
  limitingFactors: LimitingFactor[];
  /** The exact requests made: SQL text, LookupEvents attributes, S3 prefixes read. */
  queries: string[];
  /**
   * Which of the query's regions were read and which failed (an SCP denying a region, a
   * region not opted in), when the source can tell them apart; absent: all or nothing.
   */
  regions?: { searched: string[]; failed: Array<{ region: string; detail: string }> };
  /** What it cost, when the source reports it: bytes scanned, objects read (and S3's SlowDown answers waited out). */
  cost?: { bytesScanned?: number; objectsRead?: number; slowDowns?: number };
}

/** A source of CloudTrail records that answers an `EventQuery`. Read-only by construction. */
export interface EventSearch {
  readonly via: string;
  /**
   * Why this source cannot answer the query, or null when it can: event history cannot
   * search by source IP, holds 90 days and no data events. Callers pick the first source
   * that does not refuse, and say why the others did.
   */
  refuses(query: EventQuery, now: number): string | null;
  search(query: EventQuery): Promise<EventSearchResult>;
}
