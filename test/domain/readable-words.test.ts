import { describe, expect, it } from 'vitest';
import { CALL_TIME } from '../../src/domain/actions/aws-call.ts';
import { callLine, summarizeCall, summarizeCalls } from '../../src/domain/actions/call-summary.ts';
import { standingWords } from '../../src/domain/actions/workflow-status.ts';

describe('where a finding stands, in words', () => {
  const gd = { schema: 'guardduty' as const, workflowStatus: 'NEW' as const, recordState: 'ACTIVE' as const };
  const hub = { schema: 'asff' as const, workflowStatus: 'NEW' as const, recordState: 'ACTIVE' as const };
  it('says a GuardDuty finding is archived when sirbot archived it, never its record state beside the status', () => {
    expect(standingWords(gd)).toBe('NEW');
    expect(standingWords(gd, 'SUPPRESSED')).toBe('SUPPRESSED — archived in GuardDuty');
    expect(standingWords(gd, 'RESOLVED')).toBe('RESOLVED — archived in GuardDuty');
    expect(standingWords(gd, 'NOTIFIED')).toBe('NOTIFIED');
    expect(standingWords({ ...gd, recordState: 'ARCHIVED' })).toBe('Archived in GuardDuty');
  });
  it('says a Security Hub finding is archived only when its source archived it', () => {
    expect(standingWords(hub, 'SUPPRESSED')).toBe('SUPPRESSED');
    expect(standingWords({ ...hub, workflowStatus: 'RESOLVED', recordState: 'ARCHIVED' })).toBe('RESOLVED — archived by its source (no longer active)');
  });
});

describe('AWS calls as people read them', () => {
  const at = { account: '111122223333', region: 'us-east-1' };
  it('names the action, where it runs, what it acts on and each other parameter by name: never the request JSON', () => {
    const lines = summarizeCalls([
      { service: 'iam', operation: 'UpdateAccessKey', ...at, input: { UserName: 'ci-deployer', AccessKeyId: 'AKIAEXPOSEDKEY000001', Status: 'Inactive' } },
      {
        service: 's3',
        operation: 'PutPublicAccessBlock',
        ...at,
        input: {
          Bucket: 'b',
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false },
        },
      },
      {
        service: 'securityhub',
        operation: 'BatchUpdateFindings',
        ...at,
        input: { FindingIdentifiers: [{ Id: 'f-1', ProductArn: 'arn:p' }], Workflow: { Status: 'RESOLVED' }, Note: { Text: 'done', UpdatedBy: 'alice' } },
      },
      { service: 'securityhub', operation: 'BatchUpdateFindingsV2', ...at, input: { MetadataUids: ['m-1'], StatusId: 3, Comment: 'c' } },
      { service: 'guardduty', operation: 'ListDetectors', ...at, input: {}, saveAs: 'admin' },
      { service: 'guardduty', operation: 'ArchiveFindings', ...at, input: { DetectorId: { $ref: 'admin.DetectorIds.0' }, FindingIds: ['g-1', 'g-2'] } },
    ]).map(callLine);
    expect(lines).toEqual([
      'iam:UpdateAccessKey in 111122223333/us-east-1 on access key AKIAEXPOSEDKEY000001 — UserName ci-deployer · Status Inactive',
      's3:PutPublicAccessBlock in 111122223333/us-east-1 on bucket b — BlockPublicAcls true · IgnorePublicAcls true · BlockPublicPolicy true · RestrictPublicBuckets false',
      'securityhub:BatchUpdateFindings in 111122223333/us-east-1 on finding f-1 — ProductArn arn:p · Status RESOLVED · Note.Text done · UpdatedBy alice',
      'securityhub:BatchUpdateFindingsV2 in 111122223333/us-east-1 on finding m-1 — StatusId 3 (SUPPRESSED) · Comment c',
      'guardduty:ListDetectors in 111122223333/us-east-1',
      'guardduty:ArchiveFindings in 111122223333/us-east-1 on finding g-1, g-2 — DetectorId the first of DetectorIds from step 5 (ListDetectors)',
    ]);
    for (const line of lines) expect(line).not.toMatch(/[{}"]/);
  });

  it('says a policy document in sentences, whether the plan holds it as data or as the JSON text IAM returned', () => {
    const statement = { Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': CALL_TIME } } };
    const planned = summarizeCall({
      service: 'iam',
      operation: 'PutRolePolicy',
      ...at,
      input: { RoleName: 'web', PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: { $json: { Version: '2012-10-17', Statement: [statement] } } },
    });
    expect(callLine(planned)).toBe(
      'iam:PutRolePolicy in 111122223333/us-east-1 on role web — PolicyName AWSRevokeOlderSessions · PolicyDocument Deny * on * when aws:TokenIssueTime is before the time of the call',
    );
    const asText = summarizeCall({
      service: 'iam',
      operation: 'PutRolePolicy',
      ...at,
      input: {
        RoleName: 'web',
        PolicyDocument: JSON.stringify({ Statement: { ...statement, Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-12-03T00:00:00Z' } } } }),
      },
    });
    expect(callLine(asText)).toContain('PolicyDocument Deny * on * when aws:TokenIssueTime is before 2026-12-03T00:00:00Z');
  });
});
