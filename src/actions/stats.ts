import { route } from '../domain/routing/evaluate.ts';
import type { RuleSet } from '../domain/routing/rules.ts';
import { type FindingStats, type Milestone, type StatsEvent, type StatsFinding, computeStats, isoWeek, weeklyPostDue } from '../domain/stats/stats.ts';
import { weeklyStatsKey } from '../delivery/post-keys.ts';
import type { AuditRecord } from '../ports/action-store.ts';
import type { StatsCharts } from '../ports/charts.ts';
import type { Logger } from '../ports/logger.ts';
import type { StatsNotices } from '../ports/notices/stats.ts';
import type { FindingRecord, Store } from '../ports/store.ts';
import type { AccessControl } from './access.ts';
import type { Auditor } from './audit.ts';

/** At most this many findings are counted in one window (the store's listing limit); the numbers say when it was reached. */
export const STATS_MAX_FINDINGS = 5000;
/** At most this many audit records are read for one window. */
export const STATS_MAX_AUDIT = 20_000;
/** How far back `/sir stats --since` reaches (DynamoDB reads one partition per day). */
export const STATS_MAX_DAYS = 90;

const WEEK_MS = 7 * 86_400_000;
/** Of two ticks (two processes, two workers) in this long, one tries the weekly post; a failed try is tried again after it. */
const WEEKLY_LEASE_SECONDS = 3600;

/** Where and when the weekly numbers are posted (UTC); absent: no weekly post. */
export interface WeeklyStatsSettings {
  channel: string;
  /** 1 Monday … 7 Sunday. */
  weekday: number;
  hour: number;
}

export interface StatsServiceDeps {
  store: Store;
  rules: () => RuleSet;
  access: Pick<AccessControl, 'check'>;
  audit: Pick<Auditor, 'record'>;
  /** Absent where no chart can be drawn (the Lambda bundles): the numbers come without one. */
  charts?: StatsCharts;
  notices: StatsNotices;
  weekly?: WeeklyStatsSettings;
  logger: Logger;
  clock?: () => number;
}

export type StatsResult = { ok: true; stats: FindingStats; chart: Uint8Array | null } | { ok: false; kind: 'refused'; reason: string };

/** The audit actions that mark a step on a finding, when executed (their target is the finding id). */
const MILESTONE_OF: Readonly<Record<string, Milestone>> = { acknowledge: 'acknowledged', status: 'statusChanged', 'case.create': 'caseOpened' };

/**
 * The numbers (`/sir stats`, the weekly post): the findings first delivered in a window
 * from the store, the steps people took on them from the audit log. Reading them is for
 * responders (they show what is suppressed and snoozed, and how fast people answer) and
 * audited; the weekly post goes once per ISO week to the configured channel.
 */
export class StatsService {
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: StatsServiceDeps) {
    this.clock = d.clock ?? Date.now;
  }

  /** A person asks for the numbers since `from`: checked, audited, computed, drawn. */
  async report(userId: string, from: string, where: { channel: string | null }): Promise<StatsResult> {
    const to = new Date(this.clock()).toISOString();
    const auditBase = { actor: userId, action: 'stats', target: `${from}..${to}`, inputs: { from, to }, channel: where.channel, ts: null };
    const allowed = await this.d.access.check(userId, 'responder');
    if (!allowed.allowed) {
      await this.d.audit.record({ ...auditBase, outcome: 'refused', result: { reason: allowed.reason } });
      return { ok: false, kind: 'refused', reason: allowed.reason };
    }
    const stats = await this.compute(from, to);
    const chart = await this.chart(stats);
    await this.d.audit.record({ ...auditBase, outcome: 'executed', result: { delivered: stats.delivered, truncated: stats.truncated } });
    return { ok: true, stats, chart };
  }

  /** The numbers of `[from, to)`. */
  async compute(from: string, to: string): Promise<FindingStats> {
    const records = (await this.d.store.listFindingsDelivered(from, to, STATS_MAX_FINDINGS)).filter((r) => r.fingerprint !== 'ad-hoc');
    const ruleSet = this.d.rules();
    const now = this.clock();
    const findings = records.map((r) => statsFinding(r, ruleSet, now));
    const audit = await this.d.store.actions.listAudit({ since: from, limit: STATS_MAX_AUDIT });
    const events = await this.eventsOf(audit);
    return computeStats({ window: { from, to }, findings, events, truncated: records.length >= STATS_MAX_FINDINGS });
  }

  /** Steps executed, from the audit log; a remediation's finding is its action record's. */
  private async eventsOf(audit: AuditRecord[]): Promise<StatsEvent[]> {
    const events: StatsEvent[] = [];
    for (const a of audit) {
      if (a.outcome !== 'executed') continue;
      const milestone = MILESTONE_OF[a.action];
      if (milestone) {
        events.push({ findingId: a.target, milestone, at: a.at });
        continue;
      }
      if (!a.action.startsWith('remediation:')) continue;
      const actionId = (a.inputs as { actionId?: unknown } | null)?.actionId;
      if (typeof actionId !== 'string') continue;
      const action = await this.d.store.actions.getAction(actionId).catch(() => null);
      if (action?.findingId) events.push({ findingId: action.findingId, milestone: 'remediated', at: a.at });
    }
    return events;
  }

  private async chart(stats: FindingStats): Promise<Uint8Array | null> {
    if (!this.d.charts) return null;
    return this.d.charts.findingsPerDay(stats).catch((err: unknown) => {
      this.d.logger.warn({ err }, 'could not draw the stats chart; the numbers go without it');
      return null;
    });
  }

  /**
   * The weekly post, when due (the configured weekday, from the hour on, UTC): the last
   * seven days, once per ISO week — a keyed post, looked for before it is sent, tried by
   * one tick an hour. True when this tick posted it.
   */
  async tick(): Promise<boolean> {
    const weekly = this.d.weekly;
    const now = this.clock();
    if (!weekly || !weeklyPostDue(now, weekly.weekday, weekly.hour)) return false;
    const week = isoWeek(now);
    const key = weeklyStatsKey(week);
    if (!(await this.d.store.claimKey(`${key}:try`, WEEKLY_LEASE_SECONDS, new Date(now).toISOString()))) return false;
    const from = new Date(now - WEEK_MS).toISOString();
    const to = new Date(now).toISOString();
    const stats = await this.compute(from, to);
    const chart = await this.chart(stats);
    const outcome = await this.d.notices.weeklyStatsPosted({
      channel: weekly.channel,
      stats,
      chart,
      // The post of this week can be no older than this week's due day.
      once: { key, mayExist: true, since: new Date(now - 86_400_000).toISOString() },
    });
    if (outcome === 'posted') {
      await this.d.audit.record({ actor: 'sirbot', action: 'stats.weekly', target: week, inputs: { channel: weekly.channel, from, to }, outcome: 'executed' });
    }
    return outcome === 'posted';
  }

  start(everyMs = 60_000): void {
    this.stop();
    if (!this.d.weekly) return;
    this.timer = setInterval(() => void this.tick().catch((err: unknown) => this.d.logger.error({ err }, 'weekly stats failed')), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/**
 * What the numbers need of a record. The record keeps no rule, and its channel is the
 * rules' name until Slack answers with an id (never, for what was suppressed or snoozed):
 * both are read from the rules as they route the snapshot now, so one channel is counted
 * under one name.
 */
function statsFinding(r: FindingRecord, ruleSet: RuleSet, now: number): StatsFinding {
  const f = r.snapshot;
  const decision = f ? route(ruleSet, f, now) : null;
  return {
    findingId: r.findingId,
    channel: decision?.channel ?? r.channel,
    severity: r.severity,
    state: r.state,
    deliveredAt: r.deliveredAt,
    product: f?.product ?? 'unknown',
    type: f?.type ?? 'unknown',
    rules: decision?.matchedRules ?? [],
  };
}
