import type { Finding } from '../finding.ts';
import type { RouteDecision } from './decision.ts';
import { matchDateFilters, matchMapFilters, matchNumberFilters, matchStringFilters } from './filters.ts';
import { maps, numbers, readPath, strings } from './raw-path.ts';
import type { Criterion, Rule, RuleSet } from './rules.ts';

type Values = string[] | number[] | Record<string, string>[];

function valuesOf(c: Criterion, finding: Finding): Values | null {
  if (c.field) {
    const reader = c.field.read[finding.schema];
    return reader ? reader(finding) : null;
  }
  if (finding.schema !== 'ocsf' || !c.ocsfPath) return null;
  const found = readPath(finding.raw, c.ocsfPath);
  if (c.kind === 'number') return numbers(found);
  if (c.kind === 'map') return maps(found);
  return strings(found);
}

function matches(c: Criterion, finding: Finding, now: number): boolean {
  const values = valuesOf(c, finding);
  // A field the finding's schema does not have cannot satisfy the rule (reported at load time).
  if (values === null) return false;
  switch (c.match.kind) {
    case 'string':
      return matchStringFilters(values as string[], c.match.filters);
    case 'number':
      return matchNumberFilters(values as number[], c.match.filters);
    case 'date':
      return matchDateFilters(values as string[], c.match.filters, now);
    case 'map':
      return matchMapFilters(values as Record<string, string>[], c.match.filters);
  }
}

export function ruleMatches(rule: Rule, finding: Finding, now: number): boolean {
  if (!rule.enabled) return false;
  for (const c of rule.criteria) if (!matches(c, finding, now)) return false;
  return true;
}

/**
 * Applies a sorted rule set to one finding, as Security Hub applies automation rules:
 * in order, each matching rule's actions overriding the same field set by an earlier
 * one, later rules seeing the severity an earlier rule set, and `IsTerminal` ending
 * evaluation. Pure: `now` drives relative date criteria.
 */
export function route(ruleSet: RuleSet, finding: Finding, now: number): RouteDecision {
  const decision: RouteDecision = {
    findingId: finding.id,
    matchedRules: [],
    channel: ruleSet.defaultChannel,
    severity: finding.severity.label,
    severityOverriddenBy: null,
    suppressed: false,
    digest: null,
    investigate: false,
    mentions: [],
    actions: [],
  };
  let current = finding;
  for (const rule of ruleSet.rules) {
    if (!ruleMatches(rule, current, now)) continue;
    decision.matchedRules.push(rule.name);
    const a = rule.actions;
    const applied = (type: RouteDecision['actions'][number]['type'], value: string | boolean | number) =>
      decision.actions.push({ rule: rule.name, type, value });
    if (a.channel !== undefined) {
      decision.channel = a.channel;
      applied('CHANNEL', a.channel);
    }
    if (a.severity !== undefined) {
      if (a.severity !== decision.severity) {
        decision.severity = a.severity;
        decision.severityOverriddenBy = a.severity === finding.severity.label ? null : rule.name;
        current = { ...current, severity: { ...current.severity, label: a.severity } };
      }
      applied('SEVERITY', a.severity);
    }
    for (const m of a.mention ?? []) {
      if (!decision.mentions.includes(m)) decision.mentions.push(m);
      applied('MENTION', m);
    }
    if (a.suppress !== undefined) {
      decision.suppressed = a.suppress;
      applied('SUPPRESS', a.suppress);
    }
    if (a.digest !== undefined) {
      decision.digest = a.digest === false ? null : a.digest === true ? rule.name : a.digest;
      applied('DIGEST', a.digest);
    }
    if (a.investigate !== undefined) {
      decision.investigate = a.investigate;
      applied('INVESTIGATE', a.investigate);
    }
    if (rule.isTerminal) break;
  }
  return decision;
}
