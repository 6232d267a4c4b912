import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readIdentifier, sessionOfPrincipalId } from '../../src/domain/investigation/identifiers.ts';
import { type Subject, subjectsOf } from '../../src/domain/investigation/subjects.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { sharedJson } from '../support/fixtures.ts';

const one = (doc: unknown) => {
  const { findings, errors } = normalizeInput(doc);
  expect(errors).toEqual([]);
  return findings[0]!;
};
const brief = (subjects: Subject[]) => subjects.map((s) => `${s.kind}:${s.id}`).sort();

describe('identifiers in every published spelling', () => {
  it.each([
    ['AKIAEXPOSEDKEY000001', undefined, { kind: 'accessKey', id: 'AKIAEXPOSEDKEY000001' }],
    ['AWS::IAM::AccessKey:ASIAQEXAMPLE7KEY2ID', 'AwsIamAccessKey', { kind: 'accessKey', id: 'ASIAQEXAMPLE7KEY2ID' }],
    ['arn:aws:iam::111122223333:user/ci/ci-deployer', 'AwsIamUser', { kind: 'iamUser', id: 'ci-deployer', accountId: '111122223333' }],
    ['arn:aws:iam::111122223333:role/service-role/app-role', undefined, { kind: 'role', id: 'app-role', accountId: '111122223333' }],
    [
      'arn:aws:sts::111122223333:assumed-role/app-role/i-0317f6c6b66ae9c40',
      undefined,
      { kind: 'role', id: 'app-role', sessionName: 'i-0317f6c6b66ae9c40', accountId: '111122223333' },
    ],
    ['arn:aws:iam::333344445555:root', 'AwsIamUser', { kind: 'root', id: '333344445555' }],
    ['arn:aws:sts::111122223333:federated-user/bob', undefined, { kind: 'federatedUser', id: 'bob', accountId: '111122223333' }],
    [
      'arn:aws:ec2:us-east-1:111122223333:instance/i-0317f6c6b66ae9c40',
      'AwsEc2Instance',
      { kind: 'instance', id: 'i-0317f6c6b66ae9c40', accountId: '111122223333', region: 'us-east-1' },
    ],
    ['i-05746eb48123455e0', 'Instance', { kind: 'instance', id: 'i-05746eb48123455e0' }],
    ['arn:aws:s3:::acme-build-artifacts', 'AwsS3Bucket', { kind: 'bucket', id: 'acme-build-artifacts' }],
    ['acme-build-artifacts', 'AWS::S3::Bucket', { kind: 'bucket', id: 'acme-build-artifacts' }],
    ['arn:aws:eks:us-west-2:111122223333:cluster/prod', 'AwsEksCluster', { kind: 'eksCluster', id: 'prod', accountId: '111122223333', region: 'us-west-2' }],
    ['arn:aws:rds:eu-west-1:111122223333:db:orders', undefined, { kind: 'rdsInstance', id: 'orders', accountId: '111122223333', region: 'eu-west-1' }],
    [
      'arn:aws:lambda:us-east-1:111122223333:function:resize:3',
      undefined,
      { kind: 'lambdaFunction', id: 'resize', accountId: '111122223333', region: 'us-east-1' },
    ],
    ['203.0.113.7', undefined, { kind: 'ip', id: '203.0.113.7' }],
    ['2001:db8::7', undefined, { kind: 'ip', id: '2001:db8::7' }],
  ] as const)('%s (%s)', (text, hint, expected) => {
    expect(readIdentifier(text, hint)).toEqual(expected);
  });

  it('reads nothing from placeholders and things investigations do not follow', () => {
    expect(readIdentifier('GeneratedFindingAccessKeyId', 'AwsIamAccessKey')).toBeNull();
    expect(readIdentifier('AWS::IAM::AccessKey:not-a-key', 'AwsIamAccessKey')).toBeNull();
    expect(readIdentifier('arn:aws:ec2:us-east-1:111122223333:security-group/sg-0abc', 'AwsEc2SecurityGroup')).toBeNull();
    expect(readIdentifier('Root', 'AwsIamUser')).toBeNull();
    expect(readIdentifier('', 'AwsIamUser')).toBeNull();
  });

  it('takes the session out of a role principal id', () => {
    expect(sessionOfPrincipalId('AROAEXAMPLEROLEID123:i-0317f6c6b66ae9c40')).toBe('i-0317f6c6b66ae9c40');
    expect(sessionOfPrincipalId('AIDAEXAMPLECIDEPLOY1')).toBeNull();
  });
});

describe('subjects of real findings', () => {
  it('GuardDuty native: the exposed key, its user and the caller', () => {
    const finding = one(JSON.parse(readFileSync('src/scenarios/exposed-access-key/finding.json', 'utf8')));
    const subjects = subjectsOf(finding);
    expect(brief(subjects)).toEqual(expect.arrayContaining(['accessKey:AKIAEXPOSEDKEY000001', 'iamUser:ci-deployer']));
    expect(subjects.find((s) => s.kind === 'accessKey')).toMatchObject({ principal: 'ci-deployer', principalType: 'IAMUser', accountId: finding.accountId });
  });

  it("GuardDuty's published sample findings (AWS sample repository): placeholders are not taken for identifiers", () => {
    const dir = 'guardduty/aws-samples-guardduty-automated-response';
    const iam = subjectsOf(one(sharedJson(dir, 'guardduty_iam_event.json')));
    expect(brief(iam)).toEqual(['iamUser:GeneratedFindingUserName', 'ip:198.51.100.0']);
    expect(iam.find((s) => s.kind === 'ip')).toMatchObject({ ipRole: 'caller' });
    const s3 = subjectsOf(one(sharedJson(dir, 'guardduty_s3_event.json')));
    expect(brief(s3)).toEqual(expect.arrayContaining(['bucket:bucketName', 'iamUser:GeneratedFindingUserName']));
    const ec2 = subjectsOf(one(sharedJson(dir, 'guardduty_ec2_event.json')));
    expect(brief(ec2)).toEqual(expect.arrayContaining(['instance:i-05746eb48123455e0']));
    expect(ec2.find((s) => s.kind === 'ip')).toMatchObject({ ipRole: 'remote', country: 'United States' });
  });

  it('assumed-role credentials: the role and its session, and the instance the session names — not an IAM user', () => {
    const gd = {
      schemaVersion: '2.0',
      accountId: '111122223333',
      region: 'us-east-1',
      partition: 'aws',
      id: '60c1a2b3c4d5e6f708192a3b4c5d6e7f',
      arn: 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/60c1a2b3c4d5e6f708192a3b4c5d6e7f',
      type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
      resource: {
        resourceType: 'AccessKey',
        accessKeyDetails: {
          accessKeyId: 'ASIAQEXAMPLE7KEY2ID',
          principalId: 'AROAEXAMPLEROLEID123:i-0317f6c6b66ae9c40',
          userName: 'web-app-role',
          userType: 'AssumedRole',
        },
      },
      service: {
        serviceName: 'guardduty',
        action: {
          actionType: 'AWS_API_CALL',
          awsApiCallAction: { api: 'ListBuckets', remoteIpDetails: { ipAddressV4: '198.51.100.23', country: { countryName: 'Netherlands' } } },
        },
      },
      severity: 8,
      createdAt: '2026-11-21T10:00:00.000Z',
      updatedAt: '2026-11-21T10:05:00.000Z',
      title: 'Credentials for instance role web-app-role used from external IP address.',
      description:
        'Credentials created exclusively for an EC2 instance using instance role web-app-role have been used from external IP address 198.51.100.23.',
    };
    const subjects = subjectsOf(one(gd));
    expect(brief(subjects)).toEqual(['accessKey:ASIAQEXAMPLE7KEY2ID', 'instance:i-0317f6c6b66ae9c40', 'ip:198.51.100.23', 'role:web-app-role']);
    expect(subjects.find((s) => s.kind === 'role')).toMatchObject({
      sessionName: 'i-0317f6c6b66ae9c40',
      principalId: 'AROAEXAMPLEROLEID123:i-0317f6c6b66ae9c40',
    });
    expect(subjects.find((s) => s.kind === 'instance')).toMatchObject({ via: 'role-session', accountId: '111122223333' });
    expect(subjects.find((s) => s.kind === 'accessKey')).toMatchObject({ principal: 'web-app-role', principalType: 'AssumedRole' });
  });

  it('GuardDuty as Security Hub imports it (ASFF): the key out of AWS::IAM::AccessKey:…, the principal from PrincipalName, the instance out of its ARN', () => {
    const asff = {
      SchemaVersion: '2018-10-08',
      Id: 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/60c1a2b3c4d5e6f708192a3b4c5d6e7f',
      ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
      ProductName: 'GuardDuty',
      CompanyName: 'Amazon',
      Region: 'us-east-1',
      GeneratorId: 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0',
      AwsAccountId: '111122223333',
      Types: ['TTPs/Discovery/Recon:IAMUser-UserPermissions'],
      CreatedAt: '2026-11-21T10:00:00.000Z',
      UpdatedAt: '2026-11-21T10:05:00.000Z',
      Severity: { Label: 'MEDIUM', Normalized: 50, Product: 5 },
      Title: 'User ci-deployer is anomalously invoking APIs commonly used in Discovery tactics.',
      Description: 'APIs commonly used in Discovery tactics were invoked by user IAMUser : ci-deployer.',
      ProductFields: { 'aws/guardduty/service/action/awsApiCallAction/remoteIpDetails/ipAddressV4': '203.0.113.9' },
      Resources: [
        {
          Type: 'AwsIamAccessKey',
          Id: 'AWS::IAM::AccessKey:AKIAEXPOSEDKEY000001',
          Partition: 'aws',
          Region: 'us-east-1',
          Details: { AwsIamAccessKey: { PrincipalId: 'AIDAEXAMPLECIDEPLOY1', PrincipalName: 'ci-deployer', PrincipalType: 'IAMUser' } },
        },
        { Type: 'AwsEc2Instance', Id: 'arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60718', Partition: 'aws', Region: 'us-east-1' },
      ],
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    };
    const subjects = subjectsOf(one(asff));
    expect(brief(subjects)).toEqual(['accessKey:AKIAEXPOSEDKEY000001', 'iamUser:ci-deployer', 'instance:i-0a1b2c3d4e5f60718', 'ip:203.0.113.9']);
  });

  it('OCSF (Security Hub V2): root out of the resource ARN, the caller out of the evidence', () => {
    const subjects = subjectsOf(one(JSON.parse(readFileSync('test/fixtures/ocsf/findings-imported-v2-detection.json', 'utf8'))));
    expect(brief(subjects)).toEqual(['ip:203.0.113.45', 'root:333344445555']);
    expect(subjects.find((s) => s.kind === 'ip')).toMatchObject({ ipRole: 'caller', country: 'NL' });
  });

  it('OCSF: an access key resource gives its principal from the resource data', () => {
    const doc = JSON.parse(readFileSync('test/fixtures/ocsf/findings-imported-v2-detection.json', 'utf8'));
    const f = doc.detail.findings[0];
    f.finding_info.types = ['CredentialAccess:IAMUser/AnomalousBehavior'];
    f.resources = [
      {
        type: 'AwsIamAccessKey',
        uid: 'AKIAEXPOSEDKEY000001',
        region: 'us-west-2',
        data: { AwsIamAccessKey: { PrincipalName: 'ci-deployer', PrincipalType: 'IAMUser', PrincipalId: 'AIDAEXAMPLECIDEPLOY1' } },
      },
    ];
    f.evidences = [];
    const subjects = subjectsOf(one(doc));
    expect(brief(subjects)).toEqual(['accessKey:AKIAEXPOSEDKEY000001', 'iamUser:ci-deployer']);
  });
});
