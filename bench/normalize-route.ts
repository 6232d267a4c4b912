import { parseRules } from '../src/config/rules-file.ts';
import { route } from '../src/domain/routing/evaluate.ts';
import { normalizeInput } from '../src/ingest/normalize.ts';
import { mixedEvents } from '../test/support/generate.ts';
import { benchRulesYaml } from './rules.ts';

export interface NormalizeRouteResult {
  findings: number;
  rules: number;
  inputMB: number;
  runs: number;
  /** Medians over the runs. */
  parseMs: number;
  normalizeMs: number;
  routeMs: number;
  findingsPerSecond: number;
  /** Median of each run's (normalize + route) ÷ JSON.parse: the target is ≤ 2. */
  ratioToParse: number;
  ratioRange: [number, number];
  /** Median of each run's route ÷ JSON.parse. */
  routeRatioToParse: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const round2 = (x: number) => Math.round(x * 100) / 100;

function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

/**
 * Normalize+route throughput against JSON.parse of the very same input, both measured
 * here. The input is what arrives: one JSON text per EventBridge event (10 findings per
 * Security Hub event, 1 per GuardDuty event). Each event is parsed, or normalized and
 * routed, and its results dropped, as the runtime does per delivery. Each run measures
 * the three back to back, so the ratios compare like with like; medians are reported.
 */
export function benchNormalizeRoute(count = 100_000, runs = 7): NormalizeRouteResult {
  const texts = mixedEvents(count).map((e) => JSON.stringify(e));
  const ruleSet = parseRules(benchRulesYaml(100), 'bench', '#default').ruleSet;
  const now = Date.parse('2026-11-22T12:00:00Z');
  const events: unknown[] = texts.map((t) => JSON.parse(t));
  let sink = 0;
  let normalized = 0;
  let matched = 0;
  const parse: number[] = [];
  const normalize: number[] = [];
  const both: number[] = [];
  for (let r = 0; r < runs; r++) {
    parse.push(
      time(() => {
        for (const t of texts) sink += (JSON.parse(t) as { id: string }).id.length;
      }),
    );
    normalize.push(
      time(() => {
        normalized = 0;
        for (const e of events) normalized += normalizeInput(e).findings.length;
      }),
    );
    both.push(
      time(() => {
        matched = 0;
        for (const e of events) for (const f of normalizeInput(e).findings) matched += route(ruleSet, f, now).matchedRules.length;
      }),
    );
  }
  if (normalized !== count) throw new Error(`expected ${count} findings, normalized ${normalized}`);
  if (matched === 0 || sink === 0) throw new Error('nothing matched: the benchmark would measure nothing');
  const ratios = both.map((b, i) => b / (parse[i] as number));
  const routeRatios = both.map((b, i) => Math.max(0, b - (normalize[i] as number)) / (parse[i] as number));
  return {
    findings: count,
    rules: ruleSet.rules.length,
    inputMB: Math.round((texts.reduce((n, t) => n + t.length, 0) / 1e6) * 10) / 10,
    runs,
    parseMs: Math.round(median(parse)),
    normalizeMs: Math.round(median(normalize)),
    routeMs: Math.round(Math.max(0, median(both) - median(normalize))),
    findingsPerSecond: Math.round(count / (median(both) / 1000)),
    ratioToParse: round2(median(ratios)),
    ratioRange: [round2(Math.min(...ratios)), round2(Math.max(...ratios))],
    routeRatioToParse: round2(median(routeRatios)),
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  process.stdout.write(`${JSON.stringify(benchNormalizeRoute())}\n`);
}
