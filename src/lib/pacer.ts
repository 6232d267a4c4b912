import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Paces calls so that no more than `limit` land in any `windowMs`, as Slack counts
 * them: on arrival. A call's arrival is somewhere between when we send it and when
 * its answer comes back, so each call is recorded at its answer (the latest it can
 * have arrived) and the next one waits until the window measured from those answers
 * has room. Callers run one call at a time per pacer (the poster's queues do).
 */
export class SlidingWindowPacer {
  private readonly answered: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async acquire(): Promise<void> {
    for (;;) {
      const t = this.now();
      while (this.answered.length > 0 && (this.answered[0] as number) <= t - this.windowMs) this.answered.shift();
      if (this.answered.length < this.limit) return;
      await sleep((this.answered[0] as number) + this.windowMs - t + 1);
    }
  }

  /** Marks one call as answered now. */
  release(): void {
    this.answered.push(this.now());
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await call();
    } finally {
      this.release();
    }
  }
}
