import type { InvestigationWindow } from './window.ts';

/**
 * One look an investigation made, and what it found: so that "nothing found" always says
 * where nothing was found (which lookup, over which window, in which account and region),
 * and a responder can tell an empty result from a search that was never made.
 */
export interface Searched {
  /** The evidence source: `cloudtrail`, `iam`, `ec2`, `findings`… */
  source: string;
  /** What was looked for, in words: `events by access key AKIA…`, `IAM role web-app-role`. */
  what: string;
  accountId: string;
  region: string | null;
  window: InvestigationWindow | null;
  /** Items found (events, or 1 for a described resource). */
  found: number;
  /** A look in the trail's long-term store: which (`cloudtrail-lake`, `athena`, `s3-logs`), and what it was for. */
  via?: string;
  look?: 'before-history' | 'source-ip' | 'data-events';
  /** What the look cost, as the store reported it. */
  cost?: { bytesScanned?: number; objectsRead?: number; slowDowns?: number };
}
