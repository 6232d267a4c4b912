import type { WebClientOptions } from '@slack/web-api';

/** No Web API call waits longer than this for its answer: a hung call fails (and is retried) instead of blocking its queue for good. */
export const CALL_TIMEOUT_MS = 10_000;

/**
 * What every WebClient sirbot makes shares: the answer timeout, and the Web API URL when
 * it is not Slack's (an emulator, a proxy). Callers add their own retry policy.
 */
export function slackClientOptions(slackApiUrl?: string, timeoutMs = CALL_TIMEOUT_MS): WebClientOptions {
  return { timeout: timeoutMs, ...(slackApiUrl ? { slackApiUrl } : {}) };
}
