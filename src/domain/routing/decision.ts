import type { SeverityLabel } from '../finding.ts';

export type RuleActionType = 'CHANNEL' | 'MENTION' | 'SEVERITY' | 'SUPPRESS' | 'DIGEST' | 'INVESTIGATE' | 'ACKNOWLEDGE_WITHIN';

/** One action a matched rule contributed, in evaluation order. */
export interface AppliedAction {
  rule: string;
  type: RuleActionType;
  value: string | boolean | number;
}

/** Where and how one finding is delivered, after every matching rule has applied. */
export interface RouteDecision {
  findingId: string;
  /** Names of the rules that matched, in evaluation order. */
  matchedRules: string[];
  channel: string;
  /** Severity label after overrides. */
  severity: SeverityLabel;
  severityOverriddenBy: string | null;
  suppressed: boolean;
  /** Deliver in a digest rather than its own thread; the value names the digest group. */
  digest: string | null;
  investigate: boolean;
  /** User-group (S…) or user (U…) ids to mention in the thread. */
  mentions: string[];
  actions: AppliedAction[];
}
