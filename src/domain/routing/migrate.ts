import type { RuleDocument } from './compile.ts';
import { fieldByAsffName } from './fields.ts';

/**
 * Turns Security Hub CSPM automation rules (as BatchGetAutomationRules returns them)
 * into sirbot rules, sorting each into the categories AWS's own migration to the new
 * Security Hub uses: fully migrated, partially migrated (some actions have no
 * equivalent and were dropped), not migrated (some criteria have no OCSF counterpart).
 */

export interface CspmAutomationRule {
  RuleName: string;
  RuleOrder: number;
  RuleStatus?: 'ENABLED' | 'DISABLED';
  IsTerminal?: boolean;
  Description?: string;
  RuleArn?: string;
  UpdatedAt?: string;
  Criteria?: Record<string, unknown[]>;
  Actions?: Array<{ Type: string; FindingFieldsUpdate?: Record<string, unknown> }>;
}

export type MigrationStatus = 'FULLY_MIGRATED' | 'PARTIALLY_MIGRATED' | 'NOT_MIGRATED';

export interface RuleMigration {
  ruleName: string;
  ruleArn: string | null;
  status: MigrationStatus;
  enabled: boolean;
  /** Actions that have no sirbot equivalent, e.g. `FindingFieldsUpdate.Note`. */
  droppedActions: string[];
  /** Criteria with no OCSF counterpart (why a rule is not migrated). */
  unmappedCriteria: string[];
  /** Criteria sirbot does not know at all. */
  unknownCriteria: string[];
  /** How each kept action was translated. */
  translatedActions: string[];
}

export interface MigrationResult {
  rules: RuleDocument[];
  report: {
    summary: { total: number; fullyMigrated: number; partiallyMigrated: number; notMigrated: number };
    rules: RuleMigration[];
  };
}

function translateActions(rule: CspmAutomationRule, m: RuleMigration): RuleDocument['Actions'] {
  const actions: NonNullable<RuleDocument['Actions']> = {};
  for (const [i, action] of (rule.Actions ?? []).entries()) {
    if (action.Type !== 'FINDING_FIELDS_UPDATE' || !action.FindingFieldsUpdate) {
      m.droppedActions.push(`Actions[${i}].Type ${action.Type}`);
      continue;
    }
    for (const [key, value] of Object.entries(action.FindingFieldsUpdate)) {
      const v = value as Record<string, unknown> | undefined;
      if (key === 'Severity' && typeof v?.Label === 'string') {
        actions.SeverityLabel = v.Label as NonNullable<RuleDocument['Actions']>['SeverityLabel'];
        m.translatedActions.push(`Severity.Label ${v.Label} → SeverityLabel ${v.Label}`);
        for (const extra of Object.keys(v).filter((k) => k !== 'Label')) m.droppedActions.push(`FindingFieldsUpdate.Severity.${extra}`);
      } else if (key === 'Workflow' && (v?.Status === 'SUPPRESSED' || v?.Status === 'RESOLVED')) {
        // A finding the rule closes is one nobody should be paged for.
        actions.Suppress = true;
        m.translatedActions.push(`Workflow.Status ${v.Status} → Suppress true`);
      } else {
        m.droppedActions.push(key === 'Workflow' ? `FindingFieldsUpdate.Workflow.Status ${String(v?.Status)}` : `FindingFieldsUpdate.${key}`);
      }
    }
  }
  return actions;
}

export function migrateRules(input: CspmAutomationRule[], options: { keepAsffOnly?: boolean } = {}): MigrationResult {
  const rules: RuleDocument[] = [];
  const migrations: RuleMigration[] = [];
  for (const rule of input) {
    const m: RuleMigration = {
      ruleName: rule.RuleName,
      ruleArn: rule.RuleArn ?? null,
      status: 'FULLY_MIGRATED',
      enabled: (rule.RuleStatus ?? 'ENABLED') === 'ENABLED',
      droppedActions: [],
      unmappedCriteria: [],
      unknownCriteria: [],
      translatedActions: [],
    };
    for (const key of Object.keys(rule.Criteria ?? {})) {
      const field = fieldByAsffName(key);
      if (!field) m.unknownCriteria.push(key);
      else if (!field.ocsf) m.unmappedCriteria.push(key);
    }
    const actions = translateActions(rule, m);
    if (m.unmappedCriteria.length > 0 || m.unknownCriteria.length > 0) m.status = 'NOT_MIGRATED';
    else if (m.droppedActions.length > 0) m.status = 'PARTIALLY_MIGRATED';
    migrations.push(m);

    const written = m.status !== 'NOT_MIGRATED' || (options.keepAsffOnly === true && m.unknownCriteria.length === 0);
    if (!written) continue;
    const doc: RuleDocument = {
      RuleName: rule.RuleName,
      RuleOrder: rule.RuleOrder,
      RuleStatus: rule.RuleStatus ?? 'ENABLED',
      IsTerminal: rule.IsTerminal ?? false,
      Criteria: rule.Criteria ?? {},
      Actions: actions,
    };
    if (rule.Description) doc.Description = rule.Description;
    if (rule.UpdatedAt) doc.UpdatedAt = rule.UpdatedAt;
    rules.push(doc);
  }
  const count = (s: MigrationStatus) => migrations.filter((m) => m.status === s).length;
  return {
    rules,
    report: {
      summary: {
        total: migrations.length,
        fullyMigrated: count('FULLY_MIGRATED'),
        partiallyMigrated: count('PARTIALLY_MIGRATED'),
        notMigrated: count('NOT_MIGRATED'),
      },
      rules: migrations,
    },
  };
}
