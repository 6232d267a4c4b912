import { describe, expect, it } from 'vitest';
import { type StatsEvent, type StatsFinding, computeStats, formatDuration, isoWeek, NO_RULE, percentile, weeklyPostDue } from '../../src/domain/stats/stats.ts';

const WINDOW = { from: '2026-11-30T00:00:00.000Z', to: '2026-12-07T00:00:00.000Z' };
const at = (base: string, seconds: number) => new Date(Date.parse(base) + seconds * 1000).toISOString();

// A week as sirbot sees it: GuardDuty's exposed key and root use posted, an S3 control failure digested,
// an EC2 control failure suppressed by rule, a pen test snoozed, and one older finding outside the window.
const KEY = '2026-12-01T09:00:00.000Z';
const ROOT = '2026-12-02T14:30:00.000Z';
const findings: StatsFinding[] = [
  {
    findingId: 'gd-exposed-key',
    channel: 'C0SECURITY',
    severity: 'HIGH',
    state: 'posted',
    deliveredAt: KEY,
    product: 'GuardDuty',
    type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    rules: ['GuardDuty high'],
  },
  {
    findingId: 'gd-root',
    channel: 'C0SECURITY',
    severity: 'CRITICAL',
    state: 'posted',
    deliveredAt: ROOT,
    product: 'GuardDuty',
    type: 'Policy:IAMUser/RootCredentialUsage',
    rules: ['GuardDuty high', 'Root use'],
  },
  {
    findingId: 'sh-s3-1',
    channel: 'C0CSPM',
    severity: 'MEDIUM',
    state: 'digested',
    deliveredAt: '2026-12-03T08:00:00.000Z',
    product: 'Security Hub',
    type: 'Software and Configuration Checks',
    rules: [],
  },
  {
    findingId: 'sh-ec2-19',
    channel: 'C0CSPM',
    severity: 'LOW',
    state: 'suppressed',
    deliveredAt: '2026-12-03T08:05:00.000Z',
    product: 'Security Hub',
    type: 'Software and Configuration Checks',
    rules: ['Quiet EC2.19'],
  },
  {
    findingId: 'gd-pentest',
    channel: 'C0SECURITY',
    severity: 'HIGH',
    state: 'snoozed',
    deliveredAt: '2026-12-04T10:00:00.000Z',
    product: 'GuardDuty',
    type: 'PenTest:IAMUser/KaliLinux',
    rules: ['GuardDuty high'],
  },
  {
    findingId: 'gd-last-month',
    channel: 'C0SECURITY',
    severity: 'HIGH',
    state: 'posted',
    deliveredAt: '2026-11-02T10:00:00.000Z',
    product: 'GuardDuty',
    type: 'Recon:EC2/PortProbeUnprotectedPort',
    rules: ['GuardDuty high'],
  },
];
const events: StatsEvent[] = [
  { findingId: 'gd-exposed-key', milestone: 'acknowledged', at: at(KEY, 240) },
  { findingId: 'gd-exposed-key', milestone: 'acknowledged', at: at(KEY, 900) }, // a second click: the first counts
  { findingId: 'gd-exposed-key', milestone: 'statusChanged', at: at(KEY, 600) },
  { findingId: 'gd-exposed-key', milestone: 'caseOpened', at: at(KEY, 1800) },
  { findingId: 'gd-exposed-key', milestone: 'remediated', at: at(KEY, 3600) },
  { findingId: 'gd-root', milestone: 'acknowledged', at: at(ROOT, 60) },
  { findingId: 'gd-root', milestone: 'statusChanged', at: at(ROOT, 7200) },
  { findingId: 'gd-last-month', milestone: 'statusChanged', at: '2026-12-01T10:00:00.000Z' }, // last month's finding: not this week's number
  { findingId: 'unknown', milestone: 'caseOpened', at: '2026-12-01T10:00:00.000Z' },
];

describe('stats of a window', () => {
  const stats = computeStats({ window: WINDOW, findings, events });

  it('counts the findings delivered in the window, by channel, severity, rule, product and type', () => {
    expect(stats.delivered).toBe(5);
    expect(stats.inThreads).toBe(2);
    expect(stats.byChannel).toEqual([
      { key: 'C0SECURITY', count: 3 },
      { key: 'C0CSPM', count: 2 },
    ]);
    expect(stats.bySeverity.map((c) => c.key)).toEqual(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW']);
    expect(stats.bySeverity.find((c) => c.key === 'HIGH')?.count).toBe(2);
    expect(stats.byRule).toEqual([
      { key: 'GuardDuty high', count: 3 },
      { key: NO_RULE, count: 1 },
      { key: 'Quiet EC2.19', count: 1 },
      { key: 'Root use', count: 1 },
    ]);
    expect(stats.byProduct[0]).toEqual({ key: 'GuardDuty', count: 3 });
    expect(stats.byType[0]).toEqual({ key: 'Software and Configuration Checks', count: 2 });
  });

  it('counts the noise: digested, snoozed, suppressed by rule', () => {
    expect(stats.noise).toEqual({ digested: 1, snoozed: 1, suppressed: 1, suppressedByRule: [{ key: 'Quiet EC2.19', count: 1 }] });
  });

  it('measures each step from the delivery, first time only, for the findings of the window', () => {
    expect(stats.durations.acknowledged).toEqual({ count: 2, medianSeconds: 60, p90Seconds: 240 });
    expect(stats.durations.statusChanged).toEqual({ count: 2, medianSeconds: 600, p90Seconds: 7200 });
    expect(stats.durations.caseOpened).toEqual({ count: 1, medianSeconds: 1800, p90Seconds: 1800 });
    expect(stats.durations.remediated).toEqual({ count: 1, medianSeconds: 3600, p90Seconds: 3600 });
  });

  it('gives every day of the window and every severity for the chart', () => {
    expect(stats.perDay).toHaveLength(7 * 5);
    expect(stats.perDay.find((d) => d.day === '2026-12-02' && d.severity === 'CRITICAL')?.count).toBe(1);
    expect(stats.perDay.filter((d) => d.day === '2026-11-30').every((d) => d.count === 0)).toBe(true);
  });

  it('is honest with no data: no durations rather than zeros', () => {
    const empty = computeStats({ window: WINDOW, findings: [], events });
    expect(empty.delivered).toBe(0);
    expect(empty.durations.acknowledged).toEqual({ count: 0, medianSeconds: null, p90Seconds: null });
    expect(empty.byRule).toEqual([]);
  });
});

describe('stats helpers', () => {
  it('takes nearest-rank percentiles', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 90)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });

  it('formats durations as people read them', () => {
    expect([null, 45, 720, 12_000, 7200, 187_200, 172_800].map(formatDuration)).toEqual(['—', '45s', '12m', '3h 20m', '2h', '2d 4h', '2d']);
  });

  it('names ISO weeks, across a year end', () => {
    expect(isoWeek(Date.parse('2026-12-07T08:00:00Z'))).toBe('2026-W50');
    expect(isoWeek(Date.parse('2027-01-01T08:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(Date.parse('2024-12-30T08:00:00Z'))).toBe('2025-W01');
  });

  it('is due on the weekday from the hour on', () => {
    const monday9 = Date.parse('2026-12-07T09:00:00Z');
    expect(weeklyPostDue(monday9, 1, 9)).toBe(true);
    expect(weeklyPostDue(monday9, 1, 10)).toBe(false);
    expect(weeklyPostDue(monday9, 2, 0)).toBe(false);
    expect(weeklyPostDue(Date.parse('2026-12-06T23:00:00Z'), 7, 9)).toBe(true);
  });
});
