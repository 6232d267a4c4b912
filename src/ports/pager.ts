import type { PagerName } from '../domain/actions/paging.ts';
import type { Finding } from '../domain/finding.ts';

/** What is paged: the finding, under its key (PagerDuty's dedup key, Opsgenie's alias), with its thread. */
export interface PageRequest {
  key: string;
  finding: Finding;
  threadLink: string | null;
}

/**
 * A paging service (PagerDuty, Opsgenie) as the escalation uses it: one incident or
 * alert per key. Every call is idempotent at the service (the same key names the same
 * incident), so a retried call changes nothing. A failure throws `PagerError`.
 */
export interface Pager {
  trigger(page: PageRequest): Promise<void>;
  acknowledge(key: string): Promise<void>;
  resolve(key: string): Promise<void>;
}

/** The pagers configured in this runtime; a rule naming another one is told so in its audit record. */
export type Pagers = Partial<Record<PagerName, Pager>>;

export class PagerError extends Error {
  readonly code = 'PAGER_FAILED';
  constructor(
    message: string,
    /** The service's HTTP status, null when it could not be reached. */
    readonly status: number | null,
    /** Worth trying again later (rate limited, unreachable, 5xx); false for a refusal of the request itself. */
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PagerError';
  }
}
