import { type CustomActionDoing, DEFAULT_CUSTOM_ACTIONS } from './custom-actions.ts';
import type { FindingSchema, SeverityLabel } from '../finding.ts';
import { SCHEMAS, fieldByAsffName, fieldByOcsfPath, type FieldDef, type FieldKind } from './fields.ts';
import type { PagerName, PageStep } from '../actions/paging.ts';
import { compileDateFilter, type DateFilter, type MapFilter, type NumberFilter, type StringFilter } from './filters.ts';
import { ocsfFieldKind } from './ocsf-fields.ts';
import { canonicalPath } from './raw-path.ts';
import { sortRules, type Criterion, type CriterionFilters, type Rule, type RuleActions, type RuleSet } from './rules.ts';

/** A rule as written in a rules file, already shape-checked at the boundary. */
export interface RuleDocument {
  RuleName: string;
  RuleOrder: number;
  RuleStatus?: 'ENABLED' | 'DISABLED';
  IsTerminal?: boolean;
  Description?: string;
  UpdatedAt?: string;
  Criteria?: Record<string, unknown[]>;
  /**
   * sirbot's own: the finding formats the rule is written for. When it names exactly the
   * formats the criteria can match, a format-specific rule loads without a warning; when
   * it names others, the file does not load.
   */
  Formats?: Array<'ASFF' | 'OCSF' | 'GuardDuty'>;
  Actions?: {
    Channel?: string;
    Mention?: string | string[];
    SeverityLabel?: SeverityLabel;
    Suppress?: boolean;
    Digest?: boolean | string;
    Investigate?: boolean;
    Acknowledge?: { Within: string; Notify?: string | string[]; CirtAfter?: string; AutoOpenCase?: boolean; Page?: PagerName; PageAt?: PageStep };
  };
}

export interface RuleSetDocument {
  defaults?: { channel?: string };
  rules: RuleDocument[];
  /** Security Hub custom actions by `actionName`: what sirbot does with the findings sent. */
  customActions?: Array<{ Name: string; Do: CustomActionDoing }>;
}

export interface CompileResult {
  ruleSet: RuleSet;
  /** Things that load but deserve a look: rules that cannot match some schema, disabled rules. */
  warnings: string[];
  /** Things that make the file unusable; a caller must refuse to start on any. */
  errors: string[];
}

function resolveField(key: string): { field: FieldDef | null; ocsfPath: string | null; kind: FieldKind } | null {
  const byAsff = fieldByAsffName(key);
  if (byAsff) return { field: byAsff, ocsfPath: byAsff.ocsf, kind: byAsff.kind };
  const canonical = canonicalPath(key);
  const byOcsf = fieldByOcsfPath(canonical);
  if (byOcsf) return { field: byOcsf, ocsfPath: canonical, kind: byOcsf.kind };
  const kind = ocsfFieldKind(canonical);
  return kind ? { field: null, ocsfPath: canonical, kind } : null;
}

function filterKind(f: unknown): FieldKind | null {
  if (!f || typeof f !== 'object') return null;
  const o = f as Record<string, unknown>;
  if ('Key' in o) return 'map';
  if ('Comparison' in o && 'Value' in o) return 'string';
  if ('DateRange' in o || 'Start' in o || 'End' in o) return 'date';
  if (['Gte', 'Lte', 'Gt', 'Lt', 'Eq'].some((k) => k in o)) return 'number';
  return null;
}

function checkCombination(where: string, comparisons: string[], errors: string[]): void {
  const has = (c: string) => comparisons.includes(c);
  if (has('EQUALS') && (has('NOT_EQUALS') || has('PREFIX_NOT_EQUALS'))) {
    errors.push(`${where}: EQUALS cannot be combined with NOT_EQUALS or PREFIX_NOT_EQUALS on one field`);
  }
  if (has('CONTAINS') && comparisons.some((c) => c !== 'CONTAINS')) {
    errors.push(`${where}: CONTAINS can only be combined with other CONTAINS filters`);
  }
  if (has('NOT_CONTAINS') && comparisons.some((c) => c !== 'NOT_CONTAINS')) {
    errors.push(`${where}: NOT_CONTAINS can only be combined with other NOT_CONTAINS filters`);
  }
}

function compileCriterion(rule: string, key: string, filters: unknown[], errors: string[]): Criterion | null {
  const where = `rule ${JSON.stringify(rule)} criterion ${key}`;
  const resolved = resolveField(key);
  if (!resolved) {
    errors.push(`${where}: unknown field (not a Security Hub automation-rule field nor an OCSF path)`);
    return null;
  }
  if (filters.length === 0) {
    errors.push(`${where}: needs at least one filter`);
    return null;
  }
  const kinds = new Set(filters.map(filterKind));
  const kind = resolved.kind;
  if (kinds.size !== 1 || !kinds.has(kind)) {
    const written = [...kinds].map((k) => k ?? 'unrecognised').join(', ');
    errors.push(`${where}: expects ${kind} filters, got ${written}`);
    return null;
  }
  let match: CriterionFilters;
  switch (kind) {
    case 'string': {
      const list = filters as StringFilter[];
      checkCombination(
        where,
        list.map((f) => f.Comparison),
        errors,
      );
      const vocab = resolved.field?.vocabulary;
      const translated = list.map((f) => {
        if (!vocab) return f;
        const value = vocab[f.Value.toLowerCase()];
        if (!value) {
          errors.push(`${where}: ${JSON.stringify(f.Value)} is not one of ${[...new Set(Object.values(vocab))].join(', ')}`);
          return f;
        }
        return { ...f, Value: value };
      });
      match = { kind, filters: translated };
      break;
    }
    case 'map': {
      const list = filters as MapFilter[];
      checkCombination(
        where,
        list.map((f) => f.Comparison),
        errors,
      );
      match = { kind, filters: list };
      break;
    }
    case 'number':
      match = { kind, filters: filters as NumberFilter[] };
      break;
    case 'date': {
      const list = filters as DateFilter[];
      for (const f of list) {
        for (const d of [f.Start, f.End]) {
          if (d !== undefined && Number.isNaN(Date.parse(d))) errors.push(`${where}: ${JSON.stringify(d)} is not a date`);
        }
      }
      match = { kind, filters: list.map(compileDateFilter) };
      break;
    }
  }
  return { key, field: resolved.field, ocsfPath: resolved.ocsfPath, kind, match };
}

function schemasFor(c: Criterion): FindingSchema[] {
  if (!c.field) return ['ocsf'];
  return SCHEMAS.filter((s) => c.field?.read[s] !== undefined);
}

function schemaName(s: FindingSchema): string {
  return s === 'ocsf' ? 'OCSF' : s === 'asff' ? 'ASFF' : 'GuardDuty';
}

function compileActions(doc: RuleDocument): RuleActions {
  const a = doc.Actions ?? {};
  const actions: RuleActions = {};
  if (a.Channel !== undefined) actions.channel = a.Channel;
  if (a.Mention !== undefined) actions.mention = Array.isArray(a.Mention) ? a.Mention : [a.Mention];
  if (a.SeverityLabel !== undefined) actions.severity = a.SeverityLabel;
  if (a.Suppress !== undefined) actions.suppress = a.Suppress;
  if (a.Digest !== undefined) actions.digest = a.Digest;
  if (a.Investigate !== undefined) actions.investigate = a.Investigate;
  if (a.Acknowledge !== undefined) {
    const within = durationSeconds(a.Acknowledge.Within);
    const cirtAfter = durationSeconds(a.Acknowledge.CirtAfter ?? a.Acknowledge.Within);
    // The rules file's schema has checked the durations' form.
    if (within !== null && cirtAfter !== null) {
      const notify = a.Acknowledge.Notify;
      actions.acknowledge = {
        withinSeconds: within,
        notify: notify === undefined ? [] : Array.isArray(notify) ? notify : [notify],
        cirtAfterSeconds: cirtAfter,
        autoOpenCase: a.Acknowledge.AutoOpenCase ?? false,
        ...(a.Acknowledge.Page ? { page: { pager: a.Acknowledge.Page, at: a.Acknowledge.PageAt ?? 'mention' } } : {}),
      };
    }
  }
  return actions;
}

export function compileRuleSet(doc: RuleSetDocument, fallbackChannel: string): CompileResult {
  const warnings: string[] = [];
  const errors: string[] = [];
  const names = new Set<string>();
  const rules: Rule[] = doc.rules.map((r, position) => {
    if (names.has(r.RuleName)) errors.push(`rule ${JSON.stringify(r.RuleName)}: duplicate RuleName`);
    names.add(r.RuleName);
    const criteria = Object.entries(r.Criteria ?? {})
      .map(([key, filters]) => compileCriterion(r.RuleName, key, filters, errors))
      .filter((c): c is Criterion => c !== null);
    let appliesTo = [...SCHEMAS];
    const reasons: string[] = [];
    for (const c of criteria) {
      const supported = schemasFor(c);
      if (supported.length === SCHEMAS.length) continue;
      const missing = SCHEMAS.filter((s) => !supported.includes(s)).map(schemaName);
      reasons.push(c.field ? `${c.key} has no ${missing.join(' or ')} counterpart` : `${c.key} is an OCSF field outside the published ASFF map`);
      appliesTo = appliesTo.filter((s) => supported.includes(s));
    }
    const declared = r.Formats ? [...new Set(r.Formats)] : null;
    const computed = appliesTo.map(schemaName);
    if (declared && (declared.length !== computed.length || declared.some((f) => !computed.includes(f)))) {
      errors.push(
        `rule ${JSON.stringify(r.RuleName)}: Formats says ${declared.join(', ')}, but its criteria match ${computed.join(', ') || 'no'} findings${reasons.length ? ` (${reasons.join('; ')})` : ''}`,
      );
    } else if (reasons.length > 0 && !declared) {
      const scope = appliesTo.length === 0 ? 'can never match' : `applies to ${computed.join(' and ')} findings only`;
      warnings.push(`rule ${JSON.stringify(r.RuleName)} ${scope}: ${reasons.join('; ')} (say Formats: [${computed.join(', ')}] if that is intended)`);
    }
    if (Object.keys(r.Actions ?? {}).length === 0) {
      warnings.push(`rule ${JSON.stringify(r.RuleName)} has no actions: it only records that it matched`);
    }
    const enabled = (r.RuleStatus ?? 'ENABLED') === 'ENABLED';
    if (!enabled) warnings.push(`rule ${JSON.stringify(r.RuleName)} is DISABLED and will not apply`);
    return {
      name: r.RuleName,
      order: r.RuleOrder,
      enabled,
      isTerminal: r.IsTerminal ?? false,
      description: r.Description ?? '',
      updatedAt: r.UpdatedAt ?? null,
      criteria,
      actions: compileActions(r),
      appliesTo,
      position,
    };
  });
  return {
    ruleSet: {
      defaultChannel: doc.defaults?.channel ?? fallbackChannel,
      rules: sortRules(rules),
      customActions: doc.customActions ? doc.customActions.map((a) => ({ name: a.Name, do: a.Do })) : DEFAULT_CUSTOM_ACTIONS,
    },
    warnings,
    errors,
  };
}

/** `90s`, `15m`, `1h`, `1d` as seconds; null when it is none of those. */
export function durationSeconds(text: string): number | null {
  const m = /^(\d{1,6})\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) return null;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}
