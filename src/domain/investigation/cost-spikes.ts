import type { InvestigationWindow } from './window.ts';
import { readableTime } from './words.ts';

/**
 * Spend that jumped while the activity ran: a miner or a fleet launched with stolen
 * credentials shows in the bill by service and region, even where CloudTrail was not
 * searched or the launch was made by a principal nobody investigated.
 *
 * The window's whole days are compared with the same number of days just before them:
 * each service and region's busiest day in the window against its average day before.
 * The busiest day, not the window's total, because the window reaches back days before
 * the activity (the playbook's lookback), which would dilute a spike that began at its
 * end. A service and region is flagged when both thresholds hold:
 * - relative: the busiest day is at least `SPIKE_THRESHOLDS.ratio` times the average day
 *   before. Steady workloads move a few tens of percent from day to day (a busier
 *   Monday, a nightly batch); three times is outside that noise. A service new to a
 *   region has no baseline and passes on the absolute threshold alone.
 * - absolute: that day costs at least `SPIKE_THRESHOLDS.increase` more than the average
 *   day before. A quiet region going from 2 cents to 10 is five times its baseline and
 *   means nothing; one c5.4xlarge, a common miner, costs about $16 a day, so two of them
 *   running most of a day clear $20.
 */
export const SPIKE_THRESHOLDS = { ratio: 3, increase: 20 } as const;

/** One day's spend for a service in a region (Cost Explorer's DAILY UnblendedCost by SERVICE and REGION). */
export interface CostDay {
  /** YYYY-MM-DD. */
  date: string;
  service: string;
  region: string;
  amount: number;
  unit: string;
}

export interface CostSpike {
  service: string;
  region: string;
  unit: string;
  /** The window's busiest day (YYYY-MM-DD) and its spend. */
  peakDay: string;
  peak: number;
  /** The average day's spend over the days before the window. */
  baselineDaily: number;
  /** Spend over the window's days, and over the same number of days before. */
  window: number;
  baseline: number;
  /** peak ÷ baselineDaily; null when there was no spend before. */
  ratio: number | null;
}

/** Days as Cost Explorer takes them: Start inclusive, End exclusive, both YYYY-MM-DD. */
export interface CostPeriods {
  baseline: { start: string; end: string };
  window: { start: string; end: string };
  days: number;
}

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The window's whole UTC days (its first day to the day after its last) and the same number of days before. */
export function costPeriods(window: InvestigationWindow): CostPeriods {
  const start = Math.floor(Date.parse(window.start) / DAY) * DAY;
  const end = Math.ceil((Date.parse(window.end) + 1) / DAY) * DAY;
  const days = Math.max(1, Math.round((end - start) / DAY));
  return {
    baseline: { start: isoDate(start - days * DAY), end: isoDate(start) },
    window: { start: isoDate(start), end: isoDate(end) },
    days,
  };
}

/** Spend spikes by service and region, largest jump first. */
export function costSpikes(days: CostDay[], periods: CostPeriods, thresholds: { ratio: number; increase: number } = SPIKE_THRESHOLDS): CostSpike[] {
  const totals = new Map<string, { service: string; region: string; unit: string; window: number; baseline: number; byDay: Map<string, number> }>();
  for (const d of days) {
    const inWindow = d.date >= periods.window.start && d.date < periods.window.end;
    const inBaseline = d.date >= periods.baseline.start && d.date < periods.baseline.end;
    if (!inWindow && !inBaseline) continue;
    const key = JSON.stringify([d.service, d.region, d.unit]);
    const t = totals.get(key) ?? { service: d.service, region: d.region, unit: d.unit, window: 0, baseline: 0, byDay: new Map<string, number>() };
    if (inWindow) {
      t.window += d.amount;
      t.byDay.set(d.date, (t.byDay.get(d.date) ?? 0) + d.amount);
    } else t.baseline += d.amount;
    totals.set(key, t);
  }
  const round = (x: number) => Math.round(x * 100) / 100;
  const out: Array<CostSpike & { jump: number }> = [];
  for (const t of totals.values()) {
    const [peakDay, peak] = [...t.byDay.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? ['', 0];
    const baselineDaily = t.baseline / periods.days;
    const jump = peak - baselineDaily;
    if (jump < thresholds.increase || (baselineDaily > 0 && peak / baselineDaily < thresholds.ratio)) continue;
    out.push({
      service: t.service,
      region: t.region,
      unit: t.unit,
      peakDay,
      peak: round(peak),
      baselineDaily: round(baselineDaily),
      window: round(t.window),
      baseline: round(t.baseline),
      ratio: baselineDaily > 0 ? round(peak / baselineDaily) : null,
      jump,
    });
  }
  return out.sort((a, b) => b.jump - a.jump).map(({ jump: _jump, ...spike }) => spike);
}

/** `14 Oct 2026`: a whole day, as Cost Explorer counts them (UTC). */
const readableDay = (day: string) => readableTime(`${day}T00:00:00Z`).replace(/ 00:00 UTC$/, '');
const money = (amount: number, unit: string) => (unit === 'USD' ? `$${amount.toFixed(2)}` : `${amount.toFixed(2)} ${unit}`);

/** The summary's sentence on spend, empty when nothing jumped. */
export function costLine(spikes: CostSpike[]): string {
  if (spikes.length === 0) return '';
  const words = spikes
    .slice(0, 3)
    .map(
      (s) =>
        `${s.service} in ${s.region} ${money(s.peak, s.unit)} on ${readableDay(s.peakDay)} against ${money(s.baselineDaily, s.unit)} a day before${s.ratio !== null ? ` (${s.ratio}×)` : ' (new)'}`,
    );
  const more = spikes.length > 3 ? ` and ${spikes.length - 3} more` : '';
  return `Spend jumped during the window: ${words.join('; ')}${more}.`;
}
