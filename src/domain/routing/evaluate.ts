import type { Finding } from '../finding.ts';
import { defaultDecision, type RouteDecision } from './decision.ts';
import { matchDateFilters, matchMapFilters, matchNumberFilters, matchStringFilters } from './filters.ts';
import { maps, numbers, readPath, strings } from './raw-path.ts';
import type { Criterion, Rule, RuleSet } from './rules.ts';

type Values = string[] | number[] | Record<string, string>[];

/** Dates are compared as epoch milliseconds, parsed once per finding and field. */
function epochs(values: unknown[]): number[] {
  const out: number[] = [];
  for (const v of values) {
    const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
    if (!Number.isNaN(t)) out.push(t);
  }
  return out;
}

/**
 * A rule set prepared for evaluation: each distinct field gets a slot so a finding's
 * values are read once per finding, not once per rule; and rules with an EQUALS-only
 * criterion (string, or tag key=value) are indexed by it so a finding only visits
 * rules it could match. With a hundred per-account, per-control or per-tag rules,
 * most are never looked at.
 */
interface Plan {
  slots: number;
  /** slot of each criterion, per rule, in rule order */
  criterionSlots: number[][];
  /** rules that are not indexed must always be evaluated */
  unindexed: number[];
  index: Array<{ slot: number; criterion: Criterion; byValue: Map<string, number[]> }>;
}

const plans = new WeakMap<RuleSet, Plan>();

function fieldKey(c: Criterion): string {
  return c.field ? `asff:${c.field.asff}` : `ocsf:${c.ocsfPath}`;
}

/** Severity can be changed by a rule's action, so it is never an index key. */
function indexable(c: Criterion): boolean {
  if (c.field?.asff === 'SeverityLabel') return false;
  if (c.match.kind === 'string') return c.match.filters.length > 0 && c.match.filters.every((f) => f.Comparison === 'EQUALS');
  if (c.match.kind === 'map') return c.match.filters.length > 0 && c.match.filters.every((f) => f.Comparison === 'EQUALS');
  return false;
}

const mapKey = (key: string, value: string) => `${key}\u0000${value}`;

/** The index keys an EQUALS criterion is looked up by. */
function indexKeys(c: Criterion): string[] {
  if (c.match.kind === 'string') return c.match.filters.map((f) => f.Value);
  if (c.match.kind === 'map') return c.match.filters.map((f) => mapKey(f.Key, f.Value));
  return [];
}

/** The index keys a finding's values hit. */
function valueKeys(kind: Criterion['kind'], values: Values): string[] {
  if (kind !== 'map') return values as string[];
  const keys: string[] = [];
  for (const m of values as Record<string, string>[]) for (const k in m) keys.push(mapKey(k, m[k] as string));
  return keys;
}

function planFor(ruleSet: RuleSet): Plan {
  const cached = plans.get(ruleSet);
  if (cached) return cached;
  const slotOf = new Map<string, number>();
  const slot = (c: Criterion) => {
    const key = fieldKey(c);
    let s = slotOf.get(key);
    if (s === undefined) {
      s = slotOf.size;
      slotOf.set(key, s);
    }
    return s;
  };
  const plan: Plan = { slots: 0, criterionSlots: [], unindexed: [], index: [] };
  const indexBySlot = new Map<number, Plan['index'][number]>();
  ruleSet.rules.forEach((rule, r) => {
    plan.criterionSlots.push(rule.criteria.map(slot));
    const key = rule.enabled ? rule.criteria.find(indexable) : undefined;
    if (!rule.enabled) return;
    if (!key) {
      plan.unindexed.push(r);
      return;
    }
    const s = slot(key);
    let entry = indexBySlot.get(s);
    if (!entry) {
      entry = { slot: s, criterion: key, byValue: new Map() };
      indexBySlot.set(s, entry);
      plan.index.push(entry);
    }
    for (const k of indexKeys(key)) {
      const list = entry.byValue.get(k) ?? [];
      if (!list.includes(r)) list.push(r);
      entry.byValue.set(k, list);
    }
  });
  plan.slots = slotOf.size;
  plans.set(ruleSet, plan);
  return plan;
}

function readValues(c: Criterion, finding: Finding): Values | null {
  let values: Values;
  if (c.field) {
    const reader = c.field.read[finding.schema];
    if (!reader) return null;
    values = reader(finding);
  } else {
    if (finding.schema !== 'ocsf' || !c.ocsfPath) return null;
    const found = readPath(finding.raw, c.ocsfPath);
    values = c.kind === 'number' ? numbers(found) : c.kind === 'map' ? maps(found) : strings(found);
  }
  return c.kind === 'date' ? epochs(values) : values;
}

function matches(c: Criterion, values: Values | null, now: number): boolean {
  // A field the finding's schema does not have cannot satisfy the rule (reported at load time).
  if (values === null) return false;
  switch (c.match.kind) {
    case 'string':
      return matchStringFilters(values as string[], c.match.filters);
    case 'number':
      return matchNumberFilters(values as number[], c.match.filters);
    case 'date':
      return matchDateFilters(values as number[], c.match.filters, now);
    case 'map':
      return matchMapFilters(values as Record<string, string>[], c.match.filters);
  }
}

/** Applies one matched rule's actions to the decision; true if it changed the severity. */
function applyActions(decision: RouteDecision, rule: Rule, originalSeverity: RouteDecision['severity']): boolean {
  const a = rule.actions;
  const name = rule.name;
  let severityChanged = false;
  if (a.channel !== undefined) {
    decision.channel = a.channel;
    decision.actions.push({ rule: name, type: 'CHANNEL', value: a.channel });
  }
  if (a.severity !== undefined) {
    if (a.severity !== decision.severity) {
      decision.severity = a.severity;
      decision.severityOverriddenBy = a.severity === originalSeverity ? null : name;
      severityChanged = true;
    }
    decision.actions.push({ rule: name, type: 'SEVERITY', value: a.severity });
  }
  for (const m of a.mention ?? []) {
    if (!decision.mentions.includes(m)) decision.mentions.push(m);
    decision.actions.push({ rule: name, type: 'MENTION', value: m });
  }
  if (a.suppress !== undefined) {
    decision.suppressed = a.suppress;
    decision.actions.push({ rule: name, type: 'SUPPRESS', value: a.suppress });
  }
  if (a.digest !== undefined) {
    decision.digest = a.digest === false ? null : a.digest === true ? name : a.digest;
    decision.actions.push({ rule: name, type: 'DIGEST', value: a.digest });
  }
  if (a.investigate !== undefined) {
    decision.investigate = a.investigate;
    decision.actions.push({ rule: name, type: 'INVESTIGATE', value: a.investigate });
  }
  if (a.acknowledge !== undefined) {
    decision.acknowledge = a.acknowledge;
    decision.actions.push({ rule: name, type: 'ACKNOWLEDGE_WITHIN', value: a.acknowledge.withinSeconds });
  }
  return severityChanged;
}

const UNREAD = Symbol('unread');
type Cache = Array<Values | null | typeof UNREAD>;

/** A finding's values for one field, read at most once per route() call. */
function valuesAt(cache: Cache, c: Criterion, slot: number, f: Finding): Values | null {
  const hit = cache[slot];
  if (hit !== UNREAD) return hit as Values | null;
  const v = readValues(c, f);
  cache[slot] = v;
  return v;
}

function criteriaHold(rule: Rule, slots: number[], cache: Cache, finding: Finding, now: number): boolean {
  for (let i = 0; i < rule.criteria.length; i++) {
    const c = rule.criteria[i] as Criterion;
    if (!matches(c, valuesAt(cache, c, slots[i] as number, finding), now)) return false;
  }
  return true;
}

export function ruleMatches(rule: Rule, finding: Finding, now: number): boolean {
  if (!rule.enabled) return false;
  for (const c of rule.criteria) if (!matches(c, readValues(c, finding), now)) return false;
  return true;
}

/**
 * Applies a sorted rule set to one finding, as Security Hub applies automation rules:
 * in order, each matching rule's actions overriding the same field set by an earlier
 * one, later rules seeing the severity an earlier rule set, and `IsTerminal` ending
 * evaluation. Pure: `now` drives relative date criteria.
 */
export function route(ruleSet: RuleSet, finding: Finding, now: number): RouteDecision {
  const plan = planFor(ruleSet);
  const cache: Cache = new Array(plan.slots).fill(UNREAD);

  const rules = ruleSet.rules;
  const candidate = new Uint8Array(rules.length);
  for (const r of plan.unindexed) candidate[r] = 1;
  for (const entry of plan.index) {
    const values = valuesAt(cache, entry.criterion, entry.slot, finding);
    if (!values) continue;
    for (const v of valueKeys(entry.criterion.kind, values)) {
      const hits = entry.byValue.get(v);
      if (hits) for (const r of hits) candidate[r] = 1;
    }
  }

  const decision = defaultDecision(finding.id, ruleSet.defaultChannel, finding.severity.label);
  let current = finding;
  for (let r = 0; r < rules.length; r++) {
    if (candidate[r] === 0) continue;
    const rule = rules[r] as Rule;
    if (!criteriaHold(rule, plan.criterionSlots[r] as number[], cache, current, now)) continue;
    decision.matchedRules.push(rule.name);
    const severityChanged = applyActions(decision, rule, finding.severity.label);
    if (severityChanged) {
      current = { ...current, severity: { ...current.severity, label: decision.severity } };
      // Values read from the old severity are stale now.
      cache.fill(UNREAD);
    }
    if (rule.isTerminal) break;
  }
  return decision;
}
