import { parseRules } from '../src/config/rules-file.ts';
import { route } from '../src/domain/routing/evaluate.ts';
import { normalizeInput } from '../src/ingest/normalize.ts';
import { mixedEvents } from '../test/support/generate.ts';
import { benchRulesYaml } from './rules.ts';

export interface NormalizeRouteResult {
  findings: number;
  rules: number;
  inputMB: number;
  parseMs: number;
  normalizeMs: number;
  routeMs: number;
  findingsPerSecond: number;
  /** (normalize + route) ÷ JSON.parse of the same input: the target is ≤ 2. */
  ratioToParse: number;
}

function best(runs: number, fn: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

/**
 * Normalize+route throughput against JSON.parse of the very same input, both measured
 * here. The input is what arrives: one JSON text per EventBridge event (10 findings per
 * Security Hub event, 1 per GuardDuty event). Each event is parsed, or normalized and
 * routed, and its results dropped, as the runtime does per delivery.
 */
export function benchNormalizeRoute(count = 100_000, runs = 3): NormalizeRouteResult {
  const texts = mixedEvents(count).map((e) => JSON.stringify(e));
  const ruleSet = parseRules(benchRulesYaml(100), 'bench', '#default').ruleSet;
  const now = Date.parse('2026-11-22T12:00:00Z');
  let sink = 0;
  const parseMs = best(runs, () => {
    for (const t of texts) sink += (JSON.parse(t) as { id: string }).id.length;
  });
  const events: unknown[] = texts.map((t) => JSON.parse(t));
  let normalized = 0;
  const normalizeMs = best(runs, () => {
    normalized = 0;
    for (const e of events) normalized += normalizeInput(e).findings.length;
  });
  if (normalized !== count) throw new Error(`expected ${count} findings, normalized ${normalized}`);
  let matched = 0;
  const bothMs = best(runs, () => {
    matched = 0;
    for (const e of events) for (const f of normalizeInput(e).findings) matched += route(ruleSet, f, now).matchedRules.length;
  });
  if (matched === 0 || sink === 0) throw new Error('nothing matched: the benchmark would measure nothing');
  const routeMs = Math.max(0, bothMs - normalizeMs);
  return {
    findings: count,
    rules: ruleSet.rules.length,
    inputMB: Math.round((texts.reduce((n, t) => n + t.length, 0) / 1e6) * 10) / 10,
    parseMs: Math.round(parseMs),
    normalizeMs: Math.round(normalizeMs),
    routeMs: Math.round(routeMs),
    findingsPerSecond: Math.round(count / (bothMs / 1000)),
    ratioToParse: Math.round((bothMs / parseMs) * 100) / 100,
  };
}
