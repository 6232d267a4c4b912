import { SEVERITY_LABELS, type SeverityLabel } from '../finding.ts';

/**
 * The numbers behind `/sir stats` and the weekly post: what was delivered in a window,
 * how much of it was noise, and how long people took to act on the rest. Pure: the use
 * case reads the records and the audit log and hands them over as the values below.
 */

/** What a finding's delivery ended as, as far as the numbers care. */
export const STATS_DELIVERY_STATES = ['received', 'posting', 'posted', 'digested', 'suppressed', 'snoozed', 'failed'] as const;
export type StatsDeliveryState = (typeof STATS_DELIVERY_STATES)[number];

/** One finding first delivered in the window. */
export interface StatsFinding {
  findingId: string;
  channel: string;
  severity: SeverityLabel;
  state: StatsDeliveryState;
  /** When sirbot first received it: every duration counts from here. */
  deliveredAt: string;
  product: string;
  type: string;
  /** The routing rules that match it (the use case says whether now or then). */
  rules: string[];
}

/** The steps whose time from delivery is measured, in the order they usually happen. */
export const MILESTONES = ['acknowledged', 'statusChanged', 'caseOpened', 'remediated'] as const;
export type Milestone = (typeof MILESTONES)[number];

/** A step done on a finding (from the audit log: what was executed, not what was asked). */
export interface StatsEvent {
  findingId: string;
  milestone: Milestone;
  at: string;
}

/** The window, `[from, to)`. */
export interface StatsWindow {
  from: string;
  to: string;
}

export interface Count {
  key: string;
  count: number;
}

/**
 * How long a step took from delivery, over the findings of the window that reached it.
 * Percentiles are nearest-rank (always a time that was observed); null when no finding
 * reached the step, never a made-up zero.
 */
export interface DurationStats {
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface FindingStats {
  window: StatsWindow;
  /** Findings first delivered in the window (every state). */
  delivered: number;
  /** Those that reached Slack in their own thread (posted or being posted). */
  inThreads: number;
  byChannel: Count[];
  bySeverity: Count[];
  byRule: Count[];
  byProduct: Count[];
  byType: Count[];
  noise: {
    digested: number;
    snoozed: number;
    suppressed: number;
    /** Suppressed findings by the rules matching them (a finding matching two rules counts for each). */
    suppressedByRule: Count[];
  };
  durations: Record<Milestone, DurationStats>;
  /** Findings per UTC day and severity, every day of the window present (zeros included) for the chart. */
  perDay: Array<{ day: string; severity: SeverityLabel; count: number }>;
  /** Set when the store gave back fewer findings than were delivered (its listing limit): the numbers cover the first ones. */
  truncated: boolean;
}

/** The label for findings that match no rule (they go to the default channel). */
export const NO_RULE = '(no rule)';

/** Nearest-rank percentile of sorted values; null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

function counted(values: Iterable<string>): Count[] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

const DAY_MS = 86_400_000;
/** At most this many days are charted (the last ones of a longer window). */
export const MAX_CHART_DAYS = 92;

function daysOf(window: StatsWindow): string[] {
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  const days: string[] = [];
  for (let t = Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth(), new Date(from).getUTCDate()); t < to; t += DAY_MS) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days.slice(-MAX_CHART_DAYS);
}

/**
 * The numbers of a window. Findings outside the window are ignored; a step counts once
 * per finding (its first time at or after the delivery), and only for findings of the
 * window, so a step taken this week on last month's finding does not skew this week.
 */
export function computeStats(input: {
  window: StatsWindow;
  findings: readonly StatsFinding[];
  events: readonly StatsEvent[];
  truncated?: boolean;
}): FindingStats {
  const { window } = input;
  const findings = input.findings.filter((f) => f.deliveredAt >= window.from && f.deliveredAt < window.to);
  const deliveredAt = new Map(findings.map((f) => [f.findingId, Date.parse(f.deliveredAt)]));
  const first = new Map<string, number>();
  for (const e of input.events) {
    const start = deliveredAt.get(e.findingId);
    const at = Date.parse(e.at);
    if (start === undefined || !Number.isFinite(at) || at < start) continue;
    const key = `${e.milestone}\u0000${e.findingId}`;
    const seen = first.get(key);
    if (seen === undefined || at < seen) first.set(key, at);
  }
  const durations = {} as Record<Milestone, DurationStats>;
  for (const m of MILESTONES) {
    const seconds = findings
      .flatMap((f) => {
        const at = first.get(`${m}\u0000${f.findingId}`);
        return at === undefined ? [] : [Math.round((at - (deliveredAt.get(f.findingId) as number)) / 1000)];
      })
      .sort((a, b) => a - b);
    durations[m] = { count: seconds.length, medianSeconds: percentile(seconds, 50), p90Seconds: percentile(seconds, 90) };
  }
  const suppressed = findings.filter((f) => f.state === 'suppressed');
  const days = daysOf(window);
  const perDayCounts = new Map<string, number>();
  for (const f of findings) {
    const key = `${f.deliveredAt.slice(0, 10)}\u0000${f.severity}`;
    perDayCounts.set(key, (perDayCounts.get(key) ?? 0) + 1);
  }
  return {
    window,
    delivered: findings.length,
    inThreads: findings.filter((f) => f.state === 'posted' || f.state === 'posting').length,
    byChannel: counted(findings.map((f) => f.channel)),
    bySeverity: counted(findings.map((f) => f.severity)).sort(
      (a, b) => SEVERITY_LABELS.indexOf(b.key as SeverityLabel) - SEVERITY_LABELS.indexOf(a.key as SeverityLabel),
    ),
    byRule: counted(findings.flatMap((f) => (f.rules.length > 0 ? f.rules : [NO_RULE]))),
    byProduct: counted(findings.map((f) => f.product)),
    byType: counted(findings.map((f) => f.type)),
    noise: {
      digested: findings.filter((f) => f.state === 'digested').length,
      snoozed: findings.filter((f) => f.state === 'snoozed').length,
      suppressed: suppressed.length,
      suppressedByRule: counted(suppressed.flatMap((f) => (f.rules.length > 0 ? f.rules : [NO_RULE]))),
    },
    durations,
    perDay: days.flatMap((day) => SEVERITY_LABELS.map((severity) => ({ day, severity, count: perDayCounts.get(`${day}\u0000${severity}`) ?? 0 }))),
    truncated: input.truncated ?? false,
  };
}

/** A duration as people read it: 45s, 12m, 3h 20m, 2d 4h. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

/**
 * The ISO week (YYYY-Www) an instant falls in, in UTC: the weekly post is made once per
 * week whatever ticks or workers ask for it.
 */
export function isoWeek(at: number): string {
  const d = new Date(at);
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Whether the weekly post is due at `at`: on the configured weekday (1 Monday … 7 Sunday) from the configured UTC hour on. */
export function weeklyPostDue(at: number, weekday: number, hour: number): boolean {
  const d = new Date(at);
  return (d.getUTCDay() || 7) === weekday && d.getUTCHours() >= hour;
}
