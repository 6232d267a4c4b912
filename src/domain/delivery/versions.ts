import type { Finding, RecordState, SeverityLabel, WorkflowStatus } from '../finding.ts';

/**
 * How one delivery of a finding relates to what was delivered before: the same
 * version again (SNS and EventBridge deliver at least once), an older version
 * arriving late, or a newer one whose changes deserve a thread reply.
 */

export interface DeliveredState {
  fingerprint: string;
  updatedAt: string | null;
  severity: SeverityLabel;
  workflowStatus: WorkflowStatus;
  recordState: RecordState;
}

export interface Change {
  field: 'severity' | 'workflowStatus' | 'recordState';
  from: string;
  to: string;
}

export type Comparison = { kind: 'duplicate' } | { kind: 'stale' } | { kind: 'newer'; changes: Change[] };

/** The fields whose change makes a delivery a new version. */
export function fingerprint(finding: Finding, effectiveSeverity: SeverityLabel): string {
  return JSON.stringify([
    finding.updatedAt,
    finding.lastSeenAt,
    effectiveSeverity,
    finding.severity.score,
    finding.workflowStatus,
    finding.recordState,
    finding.title,
  ]);
}

export function compareDelivery(previous: DeliveredState, finding: Finding, effectiveSeverity: SeverityLabel): Comparison {
  if (previous.fingerprint === fingerprint(finding, effectiveSeverity)) return { kind: 'duplicate' };
  const before = previous.updatedAt ? Date.parse(previous.updatedAt) : Number.NEGATIVE_INFINITY;
  const now = finding.updatedAt ? Date.parse(finding.updatedAt) : Number.NEGATIVE_INFINITY;
  if (now < before) return { kind: 'stale' };
  const changes: Change[] = [];
  if (previous.severity !== effectiveSeverity) changes.push({ field: 'severity', from: previous.severity, to: effectiveSeverity });
  if (previous.workflowStatus !== finding.workflowStatus) {
    changes.push({ field: 'workflowStatus', from: previous.workflowStatus, to: finding.workflowStatus });
  }
  if (previous.recordState !== finding.recordState) {
    changes.push({ field: 'recordState', from: previous.recordState, to: finding.recordState });
  }
  return { kind: 'newer', changes };
}
