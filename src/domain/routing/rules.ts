import type { PagePolicy } from '../actions/paging.ts';
import type { CustomActionMapping } from './custom-actions.ts';
import type { FindingSchema, SeverityLabel } from '../finding.ts';
import type { FieldDef, FieldKind } from './fields.ts';
import type { CompiledDateFilter, MapFilter, NumberFilter, StringFilter } from './filters.ts';

/** What a rule does to a finding it matches. Later rules override earlier ones field by field. */
export interface RuleActions {
  channel?: string;
  mention?: string[];
  severity?: SeverityLabel;
  suppress?: boolean;
  /** true groups by the rule's name; a string names the digest group. */
  digest?: boolean | string;
  investigate?: boolean;
  acknowledge?: AckPolicy;
}

/**
 * On-call escalation: someone must acknowledge the finding within `withinSeconds`, or
 * `notify` is mentioned in its thread; still nobody after `cirtAfterSeconds` more, a
 * case with the AWS CIRT is proposed (or opened, with `autoOpenCase`).
 */
export interface AckPolicy {
  withinSeconds: number;
  notify: string[];
  cirtAfterSeconds: number;
  autoOpenCase: boolean;
  /** Also page on-call in PagerDuty or Opsgenie, at the mention or at the CIRT step. */
  page?: PagePolicy;
}

export type CriterionFilters =
  | { kind: 'string'; filters: StringFilter[] }
  | { kind: 'number'; filters: NumberFilter[] }
  | { kind: 'date'; filters: CompiledDateFilter[] }
  | { kind: 'map'; filters: MapFilter[] };

export interface Criterion {
  /** The key as written in the rule file (ASFF name or OCSF path). */
  key: string;
  /** The mapped field; null for an OCSF path outside the published map (read from OCSF documents only). */
  field: FieldDef | null;
  ocsfPath: string | null;
  kind: FieldKind;
  match: CriterionFilters;
}

export interface Rule {
  name: string;
  order: number;
  enabled: boolean;
  isTerminal: boolean;
  description: string;
  /** Breaks ties in order: the most recently updated rule is evaluated last. */
  updatedAt: string | null;
  criteria: Criterion[];
  actions: RuleActions;
  /** Schemas this rule can match; derived from its criteria. */
  appliesTo: FindingSchema[];
  /** Position in the source file, the final tie-breaker. */
  position: number;
}

export interface RuleSet {
  defaultChannel: string;
  rules: Rule[];
  /** Security Hub custom actions by name (domain/routing/custom-actions.ts); absent: the defaults. */
  customActions?: readonly CustomActionMapping[];
}

/** Security Hub order: lower RuleOrder first; on a tie, the earlier-updated rule first. */
export function sortRules(rules: Rule[]): Rule[] {
  return [...rules].sort((a, b) => {
    if (a.order !== b.order) return a.order - b.order;
    const ua = a.updatedAt ? Date.parse(a.updatedAt) : 0;
    const ub = b.updatedAt ? Date.parse(b.updatedAt) : 0;
    if (ua !== ub) return ua - ub;
    return a.position - b.position;
  });
}
