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

/** Normalize+route throughput against JSON.parse of the very same text, both measured here. */
export function benchNormalizeRoute(count = 100_000, runs = 3): NormalizeRouteResult {
  const text = JSON.stringify(mixedEvents(count));
  const ruleSet = parseRules(benchRulesYaml(100), 'bench', '#default').ruleSet;
  const now = Date.parse('2026-11-22T12:00:00Z');
  let parsed: unknown;
  const parseMs = best(runs, () => {
    parsed = JSON.parse(text);
  });
  let findings = normalizeInput(parsed).findings;
  const normalizeMs = best(runs, () => {
    findings = normalizeInput(parsed).findings;
  });
  if (findings.length !== count) throw new Error(`expected ${count} findings, normalized ${findings.length}`);
  let matched = 0;
  const routeMs = best(runs, () => {
    matched = 0;
    for (const f of findings) matched += route(ruleSet, f, now).matchedRules.length;
  });
  if (matched === 0) throw new Error('no rule matched: the benchmark would measure nothing');
  return {
    findings: count,
    rules: ruleSet.rules.length,
    inputMB: Math.round((text.length / 1e6) * 10) / 10,
    parseMs: Math.round(parseMs),
    normalizeMs: Math.round(normalizeMs),
    routeMs: Math.round(routeMs),
    findingsPerSecond: Math.round(count / ((normalizeMs + routeMs) / 1000)),
    ratioToParse: Math.round(((normalizeMs + routeMs) / parseMs) * 100) / 100,
  };
}
