import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/finding.ts';
import { playbookFor, prefill } from '../../src/domain/investigation/playbooks.ts';
import { type Subject, subjectsOf } from '../../src/domain/investigation/subjects.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';

/**
 * OCSF 1.1 findings as Security Lake keeps Security Hub's (source version 2): a Detection
 * Finding whose `*_dt` times are Parquet timestamps — written as epoch milliseconds when
 * the table is exported to JSON, where OCSF's `datetime_t` says RFC 3339 text — and whose
 * resources carry ASFF's `Details` in `data` (`json_t`, kept by Parquet as JSON text).
 */
const KEY_DETAILS = { AwsIamAccessKey: { PrincipalId: 'AIDAEXAMPLECIDEPLOY1', PrincipalName: 'ci-deployer', PrincipalType: 'IAMUser' } };

function ocsf11(resource: Record<string, unknown>): Record<string, unknown> {
  return {
    class_uid: 2004,
    class_name: 'Detection Finding',
    category_uid: 2,
    activity_id: 1,
    type_uid: 200401,
    severity_id: 3,
    severity: 'Medium',
    status_id: 1,
    time: 1795269791000,
    time_dt: 1795269791000,
    metadata: { version: '1.1.0', product: { name: 'GuardDuty', vendor_name: 'AWS', uid: 'arn:aws:securityhub:us-east-1::product/aws/guardduty' } },
    finding_info: {
      uid: 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/7ec6f1a2b3c4d5e6f708192a3b4c5d6e',
      title: 'User ci-deployer is anomalously invoking APIs commonly used in Discovery tactics.',
      types: ['TTPs/Discovery/Recon:IAMUser-UserPermissions'],
      created_time: 1795268600000,
      created_time_dt: 1795268600000,
      first_seen_time_dt: 1795268462000,
      last_seen_time_dt: '2026-11-21T13:58:47.000Z',
      modified_time_dt: 1795269791000,
    },
    cloud: { provider: 'AWS', region: 'us-east-1', account: { uid: '111122223333' } },
    resources: [
      { type: 'AwsIamAccessKey', uid: 'AWS::IAM::AccessKey:AKIAEXPOSEDKEY000001', region: 'us-east-1', cloud_partition: 'aws', labels: [], ...resource },
    ],
  };
}

const one = (doc: unknown): Finding => {
  const { findings, errors } = normalizeInput(doc);
  expect(errors).toEqual([]);
  return findings[0] as Finding;
};
const key = (subjects: Subject[]) => subjects.find((s) => s.kind === 'accessKey');
const brief = (subjects: Subject[]) => subjects.map((s) => `${s.kind}:${s.id}`).sort();

describe('OCSF 1.1 findings (Security Lake)', () => {
  it('normalize with their times given as epoch milliseconds in *_dt', () => {
    const finding = one(ocsf11({ data: JSON.stringify(KEY_DETAILS) }));
    expect(finding).toMatchObject({
      schema: 'ocsf',
      type: 'TTPs/Discovery/Recon:IAMUser-UserPermissions',
      createdAt: '2026-11-21T13:43:20.000Z',
      firstSeenAt: '2026-11-21T13:41:02.000Z',
      lastSeenAt: '2026-11-21T13:58:47.000Z',
      updatedAt: '2026-11-21T14:03:11.000Z',
    });
    expect(playbookFor(finding).id).toBe('credential-exposure');
  });

  it('still refuse a time that is neither text nor a number', () => {
    const doc = ocsf11({});
    (doc.finding_info as Record<string, unknown>).created_time_dt = { seconds: 1795268600 };
    expect(normalizeInput(doc).errors[0]?.message).toMatch(/created_time_dt/);
  });

  it.each([
    ['ASFF details as JSON text (Parquet json_t)', { data: JSON.stringify(KEY_DETAILS) }],
    ['ASFF details as an object', { data: KEY_DETAILS }],
    ['camelCase details', { data: { awsIamAccessKey: { principalId: 'AIDAEXAMPLECIDEPLOY1', principalName: 'ci-deployer', principalType: 'IAMUser' } } }],
    ['the resource owner (an OCSF user)', { owner: { name: 'ci-deployer', uid: 'AIDAEXAMPLECIDEPLOY1', type: 'IAMUser', account: { uid: '111122223333' } } }],
  ])('read the principal of an access key resource: %s', (_name, resource) => {
    const finding = one(ocsf11(resource));
    const subjects = subjectsOf(finding);
    expect(brief(subjects)).toEqual(['accessKey:AKIAEXPOSEDKEY000001', 'iamUser:ci-deployer']);
    expect(key(subjects)).toMatchObject({ principal: 'ci-deployer', principalType: 'IAMUser', principalId: 'AIDAEXAMPLECIDEPLOY1' });
    expect(prefill(finding)).toEqual({ accountId: '111122223333', accessKeyId: 'AKIAEXPOSEDKEY000001', principal: 'ci-deployer' });
  });

  it('read an assumed role and the instance its session names from an access key resource', () => {
    const data = { AwsIamAccessKey: { PrincipalId: 'AROAEXAMPLEROLEID123:i-0317f6c6b66ae9c40', PrincipalName: 'web-app-role', PrincipalType: 'AssumedRole' } };
    const doc = ocsf11({ uid: 'ASIAQEXAMPLE7KEY2ID', type: 'AWS::IAM::AccessKey', data: JSON.stringify(data) });
    (doc.finding_info as Record<string, unknown>).types = ['Effects/Data Exfiltration/UnauthorizedAccess:IAMUser-InstanceCredentialExfiltration.OutsideAWS'];
    const finding = one(doc);
    expect(brief(subjectsOf(finding))).toEqual(['accessKey:ASIAQEXAMPLE7KEY2ID', 'instance:i-0317f6c6b66ae9c40', 'role:web-app-role']);
    expect(playbookFor(finding).id).toBe('instance-credentials');
  });

  it('keep reading the Security Hub OCSF fixture (ISO *_dt)', () => {
    const finding = one(JSON.parse(readFileSync('test/fixtures/ocsf/findings-imported-v2-detection.json', 'utf8')));
    expect(finding.createdAt).toBe('2026-11-21T13:43:20.000Z');
  });
});
