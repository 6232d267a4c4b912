import type { WebClientOptions } from '@slack/web-api';
import { webApiFetch } from './web-api-fetch.ts';

/** No Web API call waits longer than this for its answer: a hung call fails (and is retried) instead of blocking its queue for good. */
export const CALL_TIMEOUT_MS = 10_000;

/**
 * What every WebClient sirbot makes shares: the answer timeout, the transport that
 * enforces it (./web-api-fetch.ts: WebClient's own `timeout` would make an abort signal
 * and a timer per call that live for the whole timeout), and the Web API URL when it is
 * not Slack's (an emulator, a proxy). Callers add their own retry policy.
 */
export function slackClientOptions(slackApiUrl?: string, timeoutMs = CALL_TIMEOUT_MS): WebClientOptions {
  return { fetch: webApiFetch(timeoutMs), ...(slackApiUrl ? { slackApiUrl } : {}) };
}
