import type { Finding, WorkflowStatus } from '../finding.ts';
import type { AwsCall } from './aws-call.ts';

/** Statuses a person can set from Slack; NEW is what findings arrive with. */
export const SETTABLE_STATUSES = ['NOTIFIED', 'RESOLVED', 'SUPPRESSED'] as const satisfies readonly WorkflowStatus[];

/** Security Hub's OCSF finding status ids (BatchUpdateFindingsV2 `StatusId`). */
export const OCSF_STATUS_ID: Record<WorkflowStatus, number> = { NEW: 1, NOTIFIED: 2, SUPPRESSED: 3, RESOLVED: 4 };

/** BatchUpdateFindings `Note.Text` and BatchUpdateFindingsV2 `Comment` hold at most 512 characters. */
export const NOTE_MAX = 512;

export interface StatusChange {
  finding: Finding;
  status: WorkflowStatus;
  note: string;
  /** Who set it, as recorded on the finding (`UpdatedBy`). */
  by: string;
}

function noteText(c: StatusChange): string {
  const text = `${c.status} set from Slack by ${c.by}${c.note ? `: ${c.note}` : ''}`;
  return text.length > NOTE_MAX ? `${text.slice(0, NOTE_MAX - 1)}…` : text;
}

/** The GuardDuty detector a native finding belongs to, from its ARN or its service block. */
export function detectorOf(finding: Finding): string | null {
  const raw = finding.raw as { arn?: string; Arn?: string; service?: { detectorId?: string }; Service?: { DetectorId?: string } } | null;
  const arn = raw?.arn ?? raw?.Arn ?? '';
  return /detector\/([0-9a-f]+)\//.exec(arn)?.[1] ?? raw?.service?.detectorId ?? raw?.Service?.DetectorId ?? null;
}

/**
 * Where GuardDuty findings are archived. In an organization only the GuardDuty
 * administrator account may archive (API reference, ArchiveFindings: "Member accounts
 * don't have permission to archive findings from their accounts"), with its own detector;
 * standalone, each finding's own account and detector.
 */
export interface GuardDutySetup {
  administratorAccount?: string;
}

/** What setting a status runs: `calls` in order, the last one (`main`) recording the status. */
export interface StatusPlan {
  calls: AwsCall[];
  main: AwsCall;
}

/** The administrator's detector in the finding's region, looked up there first (one per account and region). */
const ADMIN_DETECTOR = 'guardDutyAdministratorDetector';

export function statusPlan(c: StatusChange, guardDuty: GuardDutySetup = {}): StatusPlan | { error: string } {
  const admin = guardDuty.administratorAccount;
  if (c.finding.schema !== 'guardduty' || !admin) {
    const call = statusCall(c);
    return 'error' in call ? call : { calls: [call], main: call };
  }
  const where = { account: admin, region: c.finding.region };
  const lookup: AwsCall = { service: 'guardduty', operation: 'ListDetectors', ...where, input: {}, saveAs: ADMIN_DETECTOR };
  const main: AwsCall = {
    service: 'guardduty',
    operation: archives(c.status) ? 'ArchiveFindings' : 'UnarchiveFindings',
    ...where,
    input: { DetectorId: { $ref: `${ADMIN_DETECTOR}.DetectorIds.0` }, FindingIds: [c.finding.id] },
  };
  return { calls: [lookup, main], main };
}

const archives = (status: WorkflowStatus) => status === 'RESOLVED' || status === 'SUPPRESSED';

/**
 * Where a finding stands, as a person would say it: its workflow status and, only when
 * it is, that it is archived — never the record state beside the status. GuardDuty has no
 * workflow status: sirbot records RESOLVED and SUPPRESSED there by archiving the finding
 * and NEW and NOTIFIED by unarchiving it, so a status set from Slack says whether the
 * finding is archived now. Security Hub archives a finding when its source says it no
 * longer applies, whatever its workflow status.
 */
export function standingWords(finding: Pick<Finding, 'schema' | 'workflowStatus' | 'recordState'>, setFromSlack?: WorkflowStatus): string {
  const status = setFromSlack ?? finding.workflowStatus;
  if (finding.schema === 'guardduty') {
    const archived = setFromSlack ? archives(setFromSlack) : finding.recordState === 'ARCHIVED';
    if (!archived) return status;
    return setFromSlack ? `${status} — archived in GuardDuty` : 'Archived in GuardDuty';
  }
  return finding.recordState === 'ARCHIVED' ? `${status} — archived by its source (no longer active)` : status;
}

/**
 * The call that records a workflow status where the finding lives: Security Hub CSPM
 * (ASFF) by id and product ARN, Security Hub OCSF findings by metadata uid, native
 * GuardDuty findings by archiving (resolved, suppressed) or unarchiving in the finding's
 * own account (standalone GuardDuty; see statusPlan for an organization).
 */
export function statusCall(c: StatusChange): AwsCall | { error: string } {
  const { finding } = c;
  const where = { account: finding.accountId, region: finding.region };
  switch (finding.schema) {
    case 'asff':
      if (!finding.productArn) return { error: 'the finding has no ProductArn, which BatchUpdateFindings needs' };
      return {
        service: 'securityhub',
        operation: 'BatchUpdateFindings',
        ...where,
        input: {
          FindingIdentifiers: [{ Id: finding.id, ProductArn: finding.productArn }],
          Workflow: { Status: c.status },
          Note: { Text: noteText(c), UpdatedBy: c.by.slice(0, 512) },
        },
      };
    case 'ocsf': {
      // finding.id is finding_info.uid; with the account and product it names exactly one V2 finding.
      const metadataUid = (finding.raw as { metadata?: { uid?: string } } | null)?.metadata?.uid;
      const identify = finding.productArn
        ? { FindingIdentifiers: [{ CloudAccountUid: finding.accountId, FindingInfoUid: finding.id, MetadataProductUid: finding.productArn }] }
        : metadataUid
          ? { MetadataUids: [metadataUid] }
          : null;
      if (!identify) return { error: 'the OCSF finding has neither metadata.product.uid nor metadata.uid, which BatchUpdateFindingsV2 needs' };
      return {
        service: 'securityhub',
        operation: 'BatchUpdateFindingsV2',
        ...where,
        input: { ...identify, StatusId: OCSF_STATUS_ID[c.status], Comment: noteText(c) },
      };
    }
    case 'guardduty': {
      const detectorId = detectorOf(finding);
      if (!detectorId) return { error: 'the GuardDuty finding names no detector' };
      return {
        service: 'guardduty',
        operation: archives(c.status) ? 'ArchiveFindings' : 'UnarchiveFindings',
        ...where,
        input: { DetectorId: detectorId, FindingIds: [finding.id] },
      };
    }
  }
}

/** Findings an update did not process, with the reason the service gave. */
export function unprocessedOf(call: AwsCall, answer: unknown): Array<{ id: string; reason: string }> {
  const a = answer as {
    UnprocessedFindings?: Array<{
      FindingIdentifier?: { Id?: string; FindingInfoUid?: string };
      MetadataUid?: string;
      ErrorCode?: string;
      ErrorMessage?: string;
    }>;
  } | null;
  if (call.service !== 'securityhub') return [];
  return (a?.UnprocessedFindings ?? []).map((u) => ({
    id: u.FindingIdentifier?.Id ?? u.MetadataUid ?? u.FindingIdentifier?.FindingInfoUid ?? '?',
    reason: [u.ErrorCode, u.ErrorMessage].filter(Boolean).join(': ') || 'no reason given',
  }));
}
