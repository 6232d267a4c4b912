import type { SeverityLabel } from '../finding.ts';
import type { AckPolicy } from './rules.ts';

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
  /** Set when a matched rule asks for acknowledgement within a time. */
  acknowledge: AckPolicy | null;
  actions: AppliedAction[];
}

/** The decision before any rule: the default channel and the finding's own severity. */
export function defaultDecision(findingId: string, channel: string, severity: SeverityLabel): RouteDecision {
  return {
    findingId,
    matchedRules: [],
    channel,
    severity,
    severityOverriddenBy: null,
    suppressed: false,
    digest: null,
    investigate: false,
    mentions: [],
    acknowledge: null,
    actions: [],
  };
}
