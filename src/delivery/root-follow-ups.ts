import type { Finding } from '../domain/finding.ts';
import type { RouteDecision } from '../domain/routing/decision.ts';

/** Work that lives in a finding's thread: started when its root is posted, moved when the root is replaced. */
export interface ThreadWork {
  /** A finding's root was posted (first delivery, or afresh): start what speaks in its thread. */
  rootPosted?(finding: Finding, decision: RouteDecision, channel: string, ts: string): Promise<unknown> | undefined;
  /** A newer version of a posted finding was shown in its thread (it may say the finding is closed). */
  newerShown?(finding: Finding): Promise<unknown> | undefined;
  /** The finding's root, gone from Slack, was posted afresh: what speaks in the old thread moves to the new one. */
  rootReplaced?(findingId: string, channel: string, ts: string): Promise<void>;
}

/**
 * Where the deliverer announces roots to the use cases working in threads (investigations,
 * escalations). They join after the deliverer is built, because they redraw roots through
 * it: handing them to its constructor would make each need the other first.
 */
export class RootFollowUps {
  private readonly work: ThreadWork[] = [];

  join(work: ThreadWork): void {
    this.work.push(work);
  }

  /** Everyone's start, side by side. */
  readonly rootPosted = (finding: Finding, decision: RouteDecision, channel: string, ts: string): Promise<unknown> =>
    Promise.all(this.work.map((w) => w.rootPosted?.(finding, decision, channel, ts)));

  /** Everyone's answer to a newer version, side by side. */
  readonly newerShown = (finding: Finding): Promise<unknown> => Promise.all(this.work.map((w) => w.newerShown?.(finding)));

  /** One move after the other, in the order they joined; the first failure stops the rest. */
  readonly rootReplaced = async (findingId: string, channel: string, ts: string): Promise<void> => {
    for (const w of this.work) await w.rootReplaced?.(findingId, channel, ts);
  };
}
