import { type Snooze, snoozeMatching } from '../domain/actions/snooze.ts';
import type { Finding } from '../domain/finding.ts';
import type { Store } from '../ports/store.ts';

/**
 * Delivery's snooze decision, apart from the Deliverer: whether an active snooze holds a
 * finding back. A held finding is stored and counted (once per snooze and finding, so a
 * redelivery or a resumed attempt does not count it twice) but not posted; its record
 * ends `snoozed`, which nothing resumes.
 */
export class SnoozeGate {
  constructor(
    private readonly store: Store,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The snooze holding the finding back now, its hold recorded; null when none does. */
  async holdBack(finding: Finding): Promise<Snooze | null> {
    const now = this.clock();
    const snooze = snoozeMatching(finding, await this.store.actions.listSnoozes('active'), now);
    if (snooze) await this.store.actions.holdFinding(snooze.id, finding.id, new Date(now).toISOString());
    return snooze;
  }
}
