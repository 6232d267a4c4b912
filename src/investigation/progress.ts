import type { CollectorProgress } from '../ports/collector.ts';
import type { SourceProgress } from '../ports/notices/investigation.ts';

/**
 * How far each evidence source has got while gathering, told at most once per
 * `everyMs` (the message showing it is edited, and edits are rate limited).
 */
export class GatheringProgress {
  private readonly bySource = new Map<string, SourceProgress>();
  private lastTold = 0;

  constructor(
    sources: string[],
    private readonly clock: () => number,
    private readonly everyMs: number,
  ) {
    for (const source of sources) this.bySource.set(source, { source, pages: 0, items: 0, done: false });
  }

  sources(): SourceProgress[] {
    return [...this.bySource.values()].map((s) => ({ ...s }));
  }

  /** Records a source's progress; true when enough time has passed to tell it. */
  advanced(p: CollectorProgress): boolean {
    this.bySource.set(p.collector, { source: p.collector, pages: p.pages, items: p.items, done: false });
    const t = this.clock();
    if (t - this.lastTold < this.everyMs) return false;
    this.lastTold = t;
    return true;
  }

  finished(): void {
    for (const s of this.bySource.values()) s.done = true;
  }
}
