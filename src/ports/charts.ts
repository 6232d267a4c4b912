import type { FindingStats } from '../domain/stats/stats.ts';

/** Pictures of the numbers, for Slack to show beside them. */
export interface StatsCharts {
  /** A PNG bar chart of the findings per day, stacked by severity; null when the window had no findings to draw. */
  findingsPerDay(stats: FindingStats): Promise<Uint8Array | null>;
}
