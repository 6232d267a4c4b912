import type { Snooze, SnoozeEntity } from './snooze.ts';
import { OCSF_STATUS_ID } from './workflow-status.ts';

/**
 * A Security Hub automation rule (V2, OCSF criteria) that would suppress at the source
 * what a snooze held back: proposed as text when the snooze ends, created by nobody but
 * a person (`aws securityhub create-automation-rule-v2 --cli-input-json`), and disabled
 * until they enable it. Entities are matched on the OCSF fields AWS's field map gives
 * (routing/fields.ts); one with no counterpart (a principal) is left out and named, as the
 * rule then matches more than the snooze did.
 */

/** The OCSF field each entity is matched on by an automation rule V2; null: none. */
const OCSF_FIELD: Record<SnoozeEntity, string | null> = {
  accountId: 'cloud.account.uid',
  type: 'finding_info.types',
  resource: 'resources.uid',
  principal: null,
};

/** CreateAutomationRuleV2 limits: the comment is a note (512), the description 1,024. */
const COMMENT_MAX = 512;
const DESCRIPTION_MAX = 1024;

export interface AutomationRuleProposal {
  /** The CreateAutomationRuleV2 input, disabled. */
  input: {
    RuleName: string;
    RuleStatus: 'DISABLED';
    RuleOrder: number;
    Description: string;
    Criteria: {
      OcsfFindingCriteria: {
        CompositeFilters: Array<{ StringFilters: Array<{ FieldName: string; Filter: { Value: string; Comparison: 'EQUALS' } }>; Operator: 'AND' }>;
        CompositeOperator: 'AND';
      };
    };
    Actions: Array<{ Type: 'FINDING_FIELDS_UPDATE'; FindingFieldsUpdate: { StatusId: number; Comment: string } }>;
  };
  /** Entities of the snooze the rule cannot match on (so it matches more than the snooze did). */
  leftOut: SnoozeEntity[];
}

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** The proposal for a snooze; null when no entity it names can be matched by a rule. */
export function automationRuleProposal(s: Snooze): AutomationRuleProposal | null {
  const filters = (Object.keys(OCSF_FIELD) as SnoozeEntity[])
    .filter((e) => s.criteria[e] && OCSF_FIELD[e])
    .map((e) => ({ FieldName: OCSF_FIELD[e] as string, Filter: { Value: s.criteria[e] as string, Comparison: 'EQUALS' as const } }));
  if (filters.length === 0) return null;
  const leftOut = (Object.keys(OCSF_FIELD) as SnoozeEntity[]).filter((e) => s.criteria[e] && !OCSF_FIELD[e]);
  return {
    input: {
      RuleName: `sirbot-${s.id}`,
      RuleStatus: 'DISABLED',
      RuleOrder: 100,
      Description: cut(`Proposed by sirbot from snooze ${s.id} (by ${s.createdBy}): ${s.reason}`, DESCRIPTION_MAX),
      Criteria: { OcsfFindingCriteria: { CompositeFilters: [{ StringFilters: filters, Operator: 'AND' }], CompositeOperator: 'AND' } },
      Actions: [
        {
          Type: 'FINDING_FIELDS_UPDATE',
          FindingFieldsUpdate: {
            StatusId: OCSF_STATUS_ID.SUPPRESSED,
            Comment: cut(`Suppressed by a rule from sirbot snooze ${s.id}: ${s.reason}`, COMMENT_MAX),
          },
        },
      ],
    },
    leftOut,
  };
}
