import type { FindingStats } from '../../domain/stats/stats.ts';
import type { SendOnce } from './delivery.ts';

/** The weekly numbers, told where configuration says. */
export interface StatsNotices {
  /**
   * The week's numbers in `channel`, exactly once for `once.key`, with the chart (a PNG)
   * beside them when there is one; nothing when a post with that key is already there
   * (`already`).
   */
  weeklyStatsPosted(e: { channel: string; stats: FindingStats; chart: Uint8Array | null; once: SendOnce }): Promise<'posted' | 'already'>;
}
