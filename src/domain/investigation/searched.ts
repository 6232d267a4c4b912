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
}
