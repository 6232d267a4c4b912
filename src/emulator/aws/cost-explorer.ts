import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AwsError } from './errors.ts';

/**
 * Cost Explorer's GetCostAndUsage (awsJson1.1, `AWSInsightsIndexService.GetCostAndUsage`)
 * over a scenario's `cost.json`: what Cost Explorer shows at the scenario's clock.
 *
 * `cost.json`: `{"accounts": {"<account>": [{"service", "region", "amount", "date"} |
 * {"service", "region", "amount", "from", "to"}]}}`, `amount` a day's UnblendedCost in
 * USD (or `unit`), for one `date` or every day from `from` to `to` (exclusive, as Cost
 * Explorer's End). Entries for the same day, service and region add up. A scenario
 * without `cost.json` is an account with no spend: every day answers with no groups.
 * `"enabled": false` is an account that never turned Cost Explorer on: every call is
 * refused as Cost Explorer refuses it then.
 *
 * The API's rules are enforced: Start and End as YYYY-MM-DD, Start before End, End
 * exclusive; Granularity and Metrics required and known; at most two GroupBy, of type
 * DIMENSION (the fake groups by SERVICE, REGION and LINKED_ACCOUNT, and refuses what it
 * cannot answer rather than ignoring it); a page holds whole days up to
 * `GROUPS_PER_PAGE` groups, `NextPageToken` goes on.
 */
export interface CostEntry {
  service: string;
  region: string;
  amount: number;
  unit?: string;
  date?: string;
  from?: string;
  to?: string;
}

export interface ScenarioCosts {
  accounts: Record<string, CostEntry[]>;
  enabled: boolean;
}

/** The fake's page size: Cost Explorer pages large answers but does not say where. */
export const GROUPS_PER_PAGE = 100;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 86_400_000;
const METRICS = ['AmortizedCost', 'BlendedCost', 'NetAmortizedCost', 'NetUnblendedCost', 'NormalizedUsageAmount', 'UnblendedCost', 'UsageQuantity'];
const DIMENSIONS = ['SERVICE', 'REGION', 'LINKED_ACCOUNT'] as const;
type Dimension = (typeof DIMENSIONS)[number];

const validation = (message: string) => new AwsError('ValidationException', message, 400);
const validDate = (s: unknown): s is string => typeof s === 'string' && DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

/** `cost.json`, with what cannot be read said in `problems`; absent: null (no spend). */
export function loadCosts(dir: string, problems: string[] = []): ScenarioCosts | null {
  const file = path.join(dir, 'cost.json');
  if (!existsSync(file)) return null;
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { accounts?: Record<string, unknown>; enabled?: unknown };
    const accounts: ScenarioCosts['accounts'] = {};
    for (const [account, entries] of Object.entries(doc.accounts ?? {})) {
      accounts[account] = [];
      for (const e of Array.isArray(entries) ? (entries as CostEntry[]) : []) {
        const dated = validDate(e.date) || (validDate(e.from) && validDate(e.to) && e.from < e.to);
        if (typeof e.service !== 'string' || typeof e.region !== 'string' || typeof e.amount !== 'number' || !dated) {
          problems.push(`${file}: ${JSON.stringify(e)} needs service, region, amount and a date or from/to`);
          continue;
        }
        accounts[account].push(e);
      }
    }
    return { accounts, enabled: doc.enabled !== false };
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message}`);
    return null;
  }
}

/** Each day's amounts for one account: date → (service|region|unit) → amount. */
function dailyAmounts(entries: CostEntry[], start: string, end: string): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const e of entries) {
    const from = e.date ?? (e.from as string);
    const to = e.date ? dayAfter(e.date) : (e.to as string);
    for (let d = from > start ? from : start; d < to && d < end; d = dayAfter(d)) {
      const day = out.get(d) ?? new Map<string, number>();
      const key = JSON.stringify([e.service, e.region, e.unit ?? 'USD']);
      day.set(key, (day.get(key) ?? 0) + e.amount);
      out.set(d, day);
    }
  }
  return out;
}

interface GroupDefinition {
  Type?: unknown;
  Key?: unknown;
}

export function getCostAndUsage(costs: ScenarioCosts | null, account: string, input: Record<string, unknown>, now: number) {
  if (costs?.enabled === false) throw new AwsError('AccessDeniedException', 'User not enabled for cost explorer access', 400);
  const period = input.TimePeriod as { Start?: unknown; End?: unknown } | undefined;
  if (!period) throw validation('1 validation error detected: Value null at timePeriod failed to satisfy constraint: Member must not be null');
  if (!validDate(period.Start) || !validDate(period.End))
    throw validation(`Invalid date format: Start ${String(period.Start)}, End ${String(period.End)}; expected YYYY-MM-DD`);
  if (period.Start >= period.End) throw validation('Start date (and hour) should be before end date (and hour)');
  if (input.Granularity !== 'DAILY' && input.Granularity !== 'MONTHLY')
    throw validation(`Granularity ${String(input.Granularity)} is not DAILY or MONTHLY (HOURLY needs opting in)`);
  const metrics = input.Metrics;
  if (!Array.isArray(metrics) || metrics.length === 0) throw validation('Metrics must not be empty');
  const unknown = metrics.find((m) => !METRICS.includes(String(m)));
  if (unknown !== undefined) throw validation(`Invalid metric: ${String(unknown)}`);
  if (input.Filter !== undefined) throw validation('Filter is not served by the fake Cost Explorer');
  const groupBy = (input.GroupBy ?? []) as GroupDefinition[];
  if (!Array.isArray(groupBy) || groupBy.length > 2) throw validation('GroupBy can have at most 2 group definitions');
  for (const g of groupBy) {
    if (g.Type !== 'DIMENSION') throw validation(`Invalid group type: ${String(g.Type)} (the fake groups by DIMENSION only)`);
    if (!DIMENSIONS.includes(g.Key as Dimension)) throw validation(`Invalid group by dimension: ${String(g.Key)}`);
  }
  if (input.Granularity === 'MONTHLY') throw validation('MONTHLY is not served by the fake Cost Explorer');

  const start = period.Start;
  const end = period.End;
  const days: string[] = [];
  for (let d = start; d < end; d = dayAfter(d)) days.push(d);
  const amounts = dailyAmounts(costs?.accounts[account] ?? [], start, end);
  const today = new Date(now).toISOString().slice(0, 10);
  const filter = JSON.stringify([start, end, metrics, groupBy]);
  let offset = 0;
  if (input.NextPageToken !== undefined) {
    try {
      const t = JSON.parse(Buffer.from(String(input.NextPageToken), 'base64').toString('utf8')) as { offset: number; filter: string };
      if (t.filter !== filter || !Number.isInteger(t.offset)) throw new Error('mismatch');
      offset = t.offset;
    } catch {
      throw new AwsError('InvalidNextTokenException', 'The pagination token is invalid.', 400);
    }
  }
  const results: unknown[] = [];
  let groups = 0;
  let i = offset;
  for (; i < days.length; i++) {
    const date = days[i] as string;
    // Days after the clock's have no costs yet.
    const rows = [...(date > today ? new Map<string, number>() : (amounts.get(date) ?? new Map<string, number>())).entries()].map(([key, amount]) => {
      const [service, region, unit] = JSON.parse(key) as [string, string, string];
      return { values: { SERVICE: service, REGION: region, LINKED_ACCOUNT: account } as Record<Dimension, string>, amount, unit };
    });
    if (results.length > 0 && groups + rows.length > GROUPS_PER_PAGE) break;
    groups += rows.length;
    // Grouped answers carry the amounts in their groups, one per combination of keys; ungrouped, in Total.
    const merged = new Map<string, { keys: string[]; amount: number; unit: string }>();
    for (const r of rows) {
      const keys = groupBy.map((g) => r.values[g.Key as Dimension]);
      const k = JSON.stringify([keys, r.unit]);
      const m = merged.get(k) ?? { keys, amount: 0, unit: r.unit };
      m.amount += r.amount;
      merged.set(k, m);
    }
    const metricsOf = (amount: number, unit: string) => Object.fromEntries(metrics.map((m) => [m, { Amount: amount.toFixed(10), Unit: unit }]));
    const total = rows.reduce((n, r) => n + r.amount, 0);
    results.push({
      TimePeriod: { Start: date, End: dayAfter(date) },
      Total: groupBy.length > 0 ? {} : metricsOf(total, 'USD'),
      Groups: groupBy.length > 0 ? [...merged.values()].map((m) => ({ Keys: m.keys, Metrics: metricsOf(m.amount, m.unit) })) : [],
      // Today's costs are still coming in.
      Estimated: date >= today,
    });
  }
  return {
    GroupDefinitions: groupBy,
    ResultsByTime: results,
    DimensionValueAttributes: [],
    ...(i < days.length ? { NextPageToken: Buffer.from(JSON.stringify({ offset: i, filter })).toString('base64') } : {}),
  };
}
