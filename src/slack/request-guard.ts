import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from '../ports/logger.ts';
import type { Store } from '../ports/store.ts';

/**
 * What sirbot checks on every signed Slack request before Bolt sees it, beyond Bolt's own
 * check (which refuses only timestamps in the past):
 * - the v0 signature, HMAC-SHA256 over `v0:<timestamp>:<raw body>`, compared in constant time;
 * - the timestamp within five minutes of now, in either direction: a request dated in the
 *   future would otherwise stay replayable for as long as its date is ahead;
 * - the signature not seen before: a captured request sent again within the window is
 *   acknowledged with an empty 200 and not dispatched (Slack's own redeliveries are new,
 *   separately signed requests; app.ts drops those by event id).
 * Socket Mode carries no signatures and does not come through here.
 */
export const WINDOW_SECONDS = 5 * 60;
/**
 * How long a signature stays claimed: until its timestamp has left the window, which for a
 * request dated five minutes ahead is ten minutes from now; a minute more for clock skew
 * between instances.
 */
const CLAIM_SECONDS = 2 * WINDOW_SECONDS + 60;

export type GuardVerdict =
  | { pass: true }
  /** Refused: 401, the reason logged (never the body). */
  | { pass: false; status: 401; reason: string }
  /** A replay of a request already taken: acknowledged, not dispatched. */
  | { pass: false; status: 200; reason: 'replayed signature' };

/** Header lookup, whatever the transport's casing. */
export type HeaderOf = (name: 'x-slack-signature' | 'x-slack-request-timestamp' | 'content-type') => string | undefined;

const SIGNATURE = /^v0=([0-9a-f]{64})$/;
const TIMESTAMP = /^\d{1,12}$/;

/**
 * Slack's `ssl_check=1` probe of a slash command URL is sent unsigned; Bolt answers it
 * without dispatching anything (and strips whatever else the body carries), so it goes
 * through as it would without this guard.
 */
function isSslCheck(body: Buffer, header: HeaderOf): boolean {
  if (!(header('content-type') ?? '').startsWith('application/x-www-form-urlencoded') || body.length > 1024) return false;
  return new URLSearchParams(body.toString('utf8')).get('ssl_check') === '1';
}

export class SlackRequestGuard {
  private readonly clock: () => number;

  constructor(
    private readonly o: {
      signingSecret: string;
      /** Where signatures are claimed: shared by every process and Lambda instance. */
      store: Pick<Store, 'claimKey'>;
      logger: Logger;
      /** Wall clock: Slack dates requests by it (tests of other timers may move the bot's own clock). */
      clock?: () => number;
    },
  ) {
    this.clock = o.clock ?? Date.now;
  }

  async check(body: Buffer, header: HeaderOf): Promise<GuardVerdict> {
    const verdict = await this.decide(body, header);
    if (!verdict.pass) this.o.logger.warn({ reason: verdict.reason, status: verdict.status, bytes: body.length }, 'Slack request not dispatched');
    return verdict;
  }

  private async decide(body: Buffer, header: HeaderOf): Promise<GuardVerdict> {
    const signature = SIGNATURE.exec(header('x-slack-signature') ?? '')?.[1];
    const timestamp = header('x-slack-request-timestamp') ?? '';
    if (!signature || !TIMESTAMP.test(timestamp)) {
      return isSslCheck(body, header) ? { pass: true } : { pass: false, status: 401, reason: 'missing or malformed signature headers' };
    }
    const now = this.clock();
    const skew = Number(timestamp) - Math.floor(now / 1000);
    if (skew > WINDOW_SECONDS) return { pass: false, status: 401, reason: `timestamp ${skew} s in the future` };
    if (skew < -WINDOW_SECONDS) return { pass: false, status: 401, reason: `timestamp ${-skew} s in the past` };
    const expected = createHmac('sha256', this.o.signingSecret).update(`v0:${timestamp}:`).update(body).digest();
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return { pass: false, status: 401, reason: 'signature mismatch' };
    const first = await this.o.store.claimKey(`slack-signature:${signature}`, CLAIM_SECONDS, new Date(now).toISOString());
    return first ? { pass: true } : { pass: false, status: 200, reason: 'replayed signature' };
  }
}
