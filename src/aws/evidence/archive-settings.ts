import type { AthenaTable, TrailLocation } from '../../domain/investigation/archive-query.ts';

/**
 * The organization's long-term store of CloudTrail records, searched for what event
 * history no longer holds (older than 90 days), cannot search (source IPs) or never
 * holds (data events). One is configured (config/archive.ts: Lake, else Athena, else the
 * trail's S3 objects).
 */
export type ArchiveStore =
  | { kind: 'lake'; eventDataStore: string }
  | ({ kind: 'athena'; workGroup: string; outputLocation?: string } & AthenaTable)
  | ({ kind: 's3'; bucket: string } & TrailLocation);

export interface ArchiveBounds {
  /** Lake and Athena: stop asking once this many bytes were scanned (what they charge for). */
  maxBytesScanned: number;
  /** S3 stream: objects read per search. */
  maxObjects: number;
  /** Records returned per search. */
  maxRecords: number;
}

export interface ArchiveSettings {
  store: ArchiveStore;
  /** The account holding the store (a log archive account); null: the account investigated. */
  account: string | null;
  region: string;
  /** Whether the trail records S3 data events (object reads and writes). */
  dataEvents: boolean;
  bounds: ArchiveBounds;
  /** How long to wait between polls of a running query, at first (it grows to 2 s). */
  pollMs?: number;
  /** How long a query may run before it is given up. */
  queryTimeoutMs?: number;
}

export const DEFAULT_ARCHIVE_BOUNDS: ArchiveBounds = { maxBytesScanned: 10 * 2 ** 30, maxObjects: 50_000, maxRecords: 5_000 };
