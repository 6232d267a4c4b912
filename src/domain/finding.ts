/**
 * The one model every source is normalized into. Everything downstream (routing,
 * Slack views, investigation) reads this shape and never the source documents,
 * except routing criteria that name a source field with no normalized counterpart.
 */

export const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type SeverityLabel = (typeof SEVERITY_LABELS)[number];

export const WORKFLOW_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export const RECORD_STATES = ['ACTIVE', 'ARCHIVED'] as const;
export type RecordState = (typeof RECORD_STATES)[number];

/** How a finding was closed (resolved, suppressed, or archived by its source), or null while open: nobody is chased about a closed one. */
export function closedAs(f: { workflowStatus: WorkflowStatus; recordState: RecordState }): 'RESOLVED' | 'SUPPRESSED' | 'ARCHIVED' | null {
  if (f.workflowStatus === 'RESOLVED' || f.workflowStatus === 'SUPPRESSED') return f.workflowStatus;
  return f.recordState === 'ARCHIVED' ? 'ARCHIVED' : null;
}

export type FindingSchema = 'asff' | 'ocsf' | 'guardduty';

export interface Severity {
  label: SeverityLabel;
  /** 0–100, Security Hub's normalized scale. */
  score: number;
  /** The source's own value when it differs from the label (GuardDuty 8.0, OCSF "High"). */
  original?: string | number;
}

export interface Resource {
  type: string;
  id: string;
  region: string | null;
  tags: Record<string, string>;
}

export interface Finding {
  id: string;
  schema: FindingSchema;
  /** Product name as Security Hub shows it: "Security Hub", "GuardDuty", "Inspector", … */
  product: string;
  /** Product ARN (ASFF) or product uid (OCSF); null for native GuardDuty. */
  productArn: string | null;
  /** Primary type string (first of `types`). */
  type: string;
  types: string[];
  title: string;
  description: string;
  severity: Severity;
  accountId: string;
  region: string;
  resources: Resource[];
  /** Security control id when the finding comes from a security standard (S3.1, EC2.19…). */
  controlId: string | null;
  generatorId: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  workflowStatus: WorkflowStatus;
  recordState: RecordState;
  consoleUrl: string | null;
  /** The source document exactly as received. */
  raw: unknown;
}

/** What `sirbot normalize` prints: the model without the raw document. */
export type FindingSummary = Omit<Finding, 'raw'>;

export function withoutRaw(finding: Finding): FindingSummary {
  const { raw: _raw, ...rest } = finding;
  return rest;
}
