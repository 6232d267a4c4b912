import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';

/**
 * What a failed Web API call means for whoever retries it:
 * - `ratelimited`: Slack did nothing; try again after `retryAfterMs`.
 * - `transient`: a 5xx, a timeout or a broken connection; the call may or may not have
 *   taken effect (a load balancer's 504 can follow a post Slack made), so a post is
 *   looked for before it is sent again.
 * - `permanent`: Slack answered and refused (`channel_not_found`, `invalid_blocks`…):
 *   sending the same call again cannot help.
 */
export type SlackFailure =
  | { kind: 'ratelimited'; retryAfterMs: number; reason: string }
  | { kind: 'transient'; reason: string }
  | { kind: 'permanent'; reason: string };

/** Platform errors that are Slack's own trouble, not the call's. */
const TRANSIENT_PLATFORM_ERRORS = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

export function classifySlackError(err: unknown): SlackFailure {
  if (err instanceof WebAPIRateLimitedError) return { kind: 'ratelimited', retryAfterMs: Math.max(1, err.retryAfter) * 1000, reason: 'ratelimited' };
  if (err instanceof WebAPIHTTPError) return { kind: 'transient', reason: `HTTP ${err.statusCode}` };
  if (err instanceof WebAPIRequestError) return { kind: 'transient', reason: `request failed: ${err.original.message}` };
  if (err instanceof WebAPIPlatformError) {
    const data = err.data as { error?: string; errors?: string[] };
    const error = data.error ?? 'unknown_error';
    const detail = data.errors?.slice(0, 3).join('; ');
    const reason = detail ? `${error}: ${detail}` : error;
    return TRANSIENT_PLATFORM_ERRORS.has(error) ? { kind: 'transient', reason } : { kind: 'permanent', reason };
  }
  return { kind: 'transient', reason: err instanceof Error ? err.message : String(err) };
}

/**
 * Slack answered that the message (or its channel) an edit was for does not exist:
 * someone deleted it, the channel is gone, or this is not the workspace it was posted in.
 */
export function rootIsGone(failure: SlackFailure): boolean {
  return failure.kind === 'permanent' && /^(message_not_found|channel_not_found|thread_not_found)\b/.test(failure.reason);
}

/** A post that could not be made; `permanent` when retrying cannot help. */
export class SlackPostError extends Error {
  readonly code = 'SLACK_POST_FAILED';
  constructor(
    readonly failure: SlackFailure,
    readonly attempts: number,
  ) {
    super(`Slack post failed after ${attempts} attempt(s): ${failure.reason}`);
  }

  get permanent(): boolean {
    return this.failure.kind === 'permanent';
  }
}
