// A Lambda-shaped entry for test/deploy/chart-bundle.test.ts: draws one chart the way the functions do and prints it as base64.
import { VegaStatsCharts } from '../../src/charts/findings-chart.ts';
import { computeStats, type StatsFinding } from '../../src/domain/stats/stats.ts';

const WINDOW = { from: '2026-11-30T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' };
const finding = (id: string, deliveredAt: string): StatsFinding => ({
  findingId: id,
  channel: 'C0SECURITY',
  severity: 'HIGH',
  state: 'posted',
  deliveredAt,
  product: 'GuardDuty',
  type: 'Recon',
  rules: [],
});

export async function draw(withFindings: boolean): Promise<string> {
  const stats = computeStats({ window: WINDOW, findings: withFindings ? [finding('a', '2026-12-01T09:00:00.000Z')] : [], events: [] });
  const png = await new VegaStatsCharts().findingsPerDay(stats);
  return png ? Buffer.from(png).toString('base64') : '';
}
