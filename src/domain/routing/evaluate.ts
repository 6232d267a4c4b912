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
  /**
   * Id of each criterion, per rule: rules that repeat a criterion (the same field and
   * filters, e.g. "RecordState is ACTIVE" in many rules) share one, so a finding tests it
   * once.
   */
  criterionIds: number[][];
  /** Ids of criteria on severity slots. */
  severityCriteria: number[];
  /** rules that are not indexed must always be evaluated */
  unindexed: number[];
  /** String criteria: value → rules. */
  byString: Array<{ slot: number; criterion: Criterion; byValue: Map<string, number[]> }>;
  /** Tag (map) criteria: key → value → rules; looked up without building a key string per tag. */
  byTag: Array<{ slot: number; criterion: Criterion; byKey: Map<string, Map<string, number[]>> }>;
  /** Slots whose values follow the finding's severity, stale once a rule changes it. */
  severitySlots: number[];
  /**
   * Scratch reused by every route() call (it is synchronous and calls nothing that could
   * route again): allocating a typed array and a cache per finding cost more than the
   * rules themselves.
   */
  candidate: Uint8Array;
  cache: Cache;
  /** Per criterion id: UNTESTED, HOLDS or FAILS for the finding being routed. */
  verdicts: Uint8Array;
}

const UNTESTED = 0;
const HOLDS = 1;
const FAILS = 2;

const UNREAD = Symbol('unread');
type Cache = Array<Values | null | typeof UNREAD>;

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

function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let entry = map.get(key);
  if (entry === undefined) {
    entry = make();
    map.set(key, entry);
  }
  return entry;
}

function addTo<K>(map: Map<K, number[]>, key: K, rule: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [rule]);
  else if (!list.includes(rule)) list.push(rule);
}

function planFor(ruleSet: RuleSet): Plan {
  const cached = plans.get(ruleSet);
  if (cached) return cached;
  const slotOf = new Map<string, number>();
  const severitySlots: number[] = [];
  const slot = (c: Criterion) => {
    const key = fieldKey(c);
    let s = slotOf.get(key);
    if (s === undefined) {
      s = slotOf.size;
      slotOf.set(key, s);
      if (c.field?.asff === 'SeverityLabel') severitySlots.push(s);
    }
    return s;
  };
  const byString = new Map<number, Plan['byString'][number]>();
  const byTag = new Map<number, Plan['byTag'][number]>();
  const criterionSlots: number[][] = [];
  const criterionIds: number[][] = [];
  const idOf = new Map<string, number>();
  const severityCriteria: number[] = [];
  const unindexed: number[] = [];
  ruleSet.rules.forEach((rule, r) => {
    const slots = rule.criteria.map(slot);
    criterionSlots.push(slots);
    criterionIds.push(
      rule.criteria.map((c, i) => {
        const s = slots[i] as number;
        return entryOf(idOf, `${s}:${JSON.stringify(c.match)}`, () => {
          if (severitySlots.includes(s)) severityCriteria.push(idOf.size);
          return idOf.size;
        });
      }),
    );
    if (!rule.enabled) return;
    const key = rule.criteria.find(indexable);
    if (!key) {
      unindexed.push(r);
      return;
    }
    const s = slot(key);
    if (key.match.kind === 'string') {
      const entry = entryOf(byString, s, () => ({ slot: s, criterion: key, byValue: new Map<string, number[]>() }));
      for (const f of key.match.filters) addTo(entry.byValue, f.Value, r);
    } else if (key.match.kind === 'map') {
      const entry = entryOf(byTag, s, () => ({ slot: s, criterion: key, byKey: new Map<string, Map<string, number[]>>() }));
      for (const f of key.match.filters)
        addTo(
          entryOf(entry.byKey, f.Key, () => new Map<string, number[]>()),
          f.Value,
          r,
        );
    }
  });
  const plan: Plan = {
    slots: slotOf.size,
    criterionSlots,
    criterionIds,
    severityCriteria,
    unindexed,
    byString: [...byString.values()],
    byTag: [...byTag.values()],
    severitySlots,
    candidate: new Uint8Array(ruleSet.rules.length),
    cache: new Array(slotOf.size).fill(UNREAD),
    verdicts: new Uint8Array(idOf.size),
  };
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

/** A finding's values for one field, read at most once per route() call. */
function valuesAt(cache: Cache, c: Criterion, slot: number, f: Finding): Values | null {
  const hit = cache[slot];
  if (hit !== UNREAD) return hit as Values | null;
  const v = readValues(c, f);
  cache[slot] = v;
  return v;
}

function criteriaHold(plan: Plan, r: number, rule: Rule, finding: Finding, now: number): boolean {
  const slots = plan.criterionSlots[r] as number[];
  const ids = plan.criterionIds[r] as number[];
  for (let i = 0; i < rule.criteria.length; i++) {
    const id = ids[i] as number;
    let verdict = plan.verdicts[id];
    if (verdict === UNTESTED) {
      const c = rule.criteria[i] as Criterion;
      verdict = matches(c, valuesAt(plan.cache, c, slots[i] as number, finding), now) ? HOLDS : FAILS;
      plan.verdicts[id] = verdict;
    }
    if (verdict === FAILS) return false;
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
  const { cache, candidate, verdicts } = plan;
  cache.fill(UNREAD);
  candidate.fill(0);
  verdicts.fill(UNTESTED);
  for (const r of plan.unindexed) candidate[r] = 1;
  for (const entry of plan.byString) {
    const values = valuesAt(cache, entry.criterion, entry.slot, finding) as string[] | null;
    if (!values) continue;
    for (const v of values) {
      const hits = entry.byValue.get(v);
      if (hits) for (const r of hits) candidate[r] = 1;
    }
  }
  for (const entry of plan.byTag) {
    const tagMaps = valuesAt(cache, entry.criterion, entry.slot, finding) as Record<string, string>[] | null;
    if (!tagMaps) continue;
    for (const m of tagMaps) {
      for (const k in m) {
        const hits = entry.byKey.get(k)?.get(m[k] as string);
        if (hits) for (const r of hits) candidate[r] = 1;
      }
    }
  }

  const rules = ruleSet.rules;
  const decision = defaultDecision(finding.id, ruleSet.defaultChannel, finding.severity.label);
  let current = finding;
  for (let r = 0; r < rules.length; r++) {
    if (candidate[r] === 0) continue;
    const rule = rules[r] as Rule;
    if (!criteriaHold(plan, r, rule, current, now)) continue;
    decision.matchedRules.push(rule.name);
    const severityChanged = applyActions(decision, rule, finding.severity.label);
    if (severityChanged) {
      current = { ...current, severity: { ...current.severity, label: decision.severity } };
      // Values read from the old severity are stale now; every other field is unchanged.
      for (const s of plan.severitySlots) cache[s] = UNREAD;
      for (const id of plan.severityCriteria) verdicts[id] = UNTESTED;
    }
    if (rule.isTerminal) break;
  }
  return decision;
}
