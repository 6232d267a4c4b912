import { describe, expect, it } from 'vitest';
import { VegaStatsCharts } from '../../src/charts/findings-chart.ts';
import { computeStats, type StatsFinding } from '../../src/domain/stats/stats.ts';

const WINDOW = { from: '2026-11-30T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' };
const finding = (id: string, deliveredAt: string, severity: StatsFinding['severity']): StatsFinding => ({
  findingId: id,
  channel: 'C0SECURITY',
  severity,
  state: 'posted',
  deliveredAt,
  product: 'GuardDuty',
  type: 'Recon:EC2/PortProbeUnprotectedPort',
  rules: [],
});
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('the findings-per-day chart', () => {
  it('is a PNG drawn by Vega-Lite and resvg', async () => {
    const stats = computeStats({
      window: WINDOW,
      findings: [
        finding('a', '2026-12-01T09:00:00.000Z', 'HIGH'),
        finding('b', '2026-12-01T10:00:00.000Z', 'CRITICAL'),
        finding('c', '2026-12-03T10:00:00.000Z', 'LOW'),
      ],
      events: [],
    });
    const png = await new VegaStatsCharts().findingsPerDay(stats);
    expect(png).not.toBeNull();
    expect([...(png as Uint8Array).subarray(0, 8)]).toEqual(PNG_MAGIC);
    // Width as asked (the IHDR chunk's first field).
    expect(Buffer.from(png as Uint8Array).readUInt32BE(16)).toBe(900);
  });

  it('draws nothing for a window without findings', async () => {
    expect(await new VegaStatsCharts().findingsPerDay(computeStats({ window: WINDOW, findings: [], events: [] }))).toBeNull();
  });
});
