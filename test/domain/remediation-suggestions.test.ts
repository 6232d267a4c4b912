import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/finding.ts';
import type { SubjectState } from '../../src/domain/investigation/current-state.ts';
import { subjectsOf } from '../../src/domain/investigation/subjects.ts';
import type { TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import { checkInputs, remediationById } from '../../src/domain/remediation/catalog.ts';
import { suggestRemediations } from '../../src/domain/remediation/suggest.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { makeFinding } from '../support/findings.ts';

const A = '111122223333';
const one = (doc: unknown): Finding => {
  const { findings, errors } = normalizeInput(doc);
  expect(errors).toEqual([]);
  return findings[0]!;
};
const scenarioFinding = (path: string) => one(JSON.parse(readFileSync(path, 'utf8')));
/** What is offered for a finding, from its own subjects, as the summary's buttons say it. */
const offered = (finding: Finding, timeline: TimelineEntry[] = [], states: SubjectState[] = []) =>
  suggestRemediations(finding, subjectsOf(finding), timeline, states);
const labels = (finding: Finding, timeline: TimelineEntry[] = [], states: SubjectState[] = []) => offered(finding, timeline, states).map((s) => s.label);
const state = (over: Partial<SubjectState> & Pick<SubjectState, 'kind' | 'id'>): SubjectState => ({
  accountId: A,
  region: 'us-east-1',
  exists: true,
  facts: [],
  ...over,
});
const wellFormed = (finding: Finding, timeline: TimelineEntry[] = []) => {
  for (const s of offered(finding, timeline)) expect(checkInputs(remediationById(s.remediationId)!, s.inputs), s.label).toBeNull();
};

const ct = (over: Partial<TimelineEntry>): TimelineEntry => ({
  id: Math.random().toString(36),
  time: '2026-11-21T10:00:00Z',
  source: 'cloudtrail',
  action: 'ListUsers',
  service: 'iam.amazonaws.com',
  actor: 'ci-deployer',
  actorType: 'IAMUser',
  accessKeyId: 'AKIAEXPOSEDKEY000001',
  sourceIp: '203.0.113.50',
  userAgent: null,
  resources: [],
  errorCode: null,
  accountId: A,
  region: 'us-east-1',
  tactics: [],
  highlights: [],
  ...over,
});

/** GuardDuty's InstanceCredentialExfiltration finding of the cryptomining scenario: the web server's role credentials, used from outside AWS. */
const exfiltration = (): Finding => {
  const all = JSON.parse(readFileSync('src/scenarios/cryptomining-ec2/findings/guardduty-us-east-1.json', 'utf8')) as Array<{ type: string }>;
  return one(all.find((f) => f.type.includes('InstanceCredentialExfiltration')));
};

/** GuardDuty as Security Hub imports it (ASFF, per the Security Hub User Guide's GuardDuty mapping). */
const guardDutyInAsff = (resources: unknown[], types = ['TTPs/Discovery/Recon:IAMUser-UserPermissions']) =>
  one({
    SchemaVersion: '2018-10-08',
    Id: 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/60c1a2b3c4d5e6f708192a3b4c5d6e7f',
    ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/guardduty',
    ProductName: 'GuardDuty',
    CompanyName: 'Amazon',
    Region: 'us-east-1',
    GeneratorId: 'arn:aws:guardduty:us-east-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0',
    AwsAccountId: A,
    Types: types,
    CreatedAt: '2026-11-21T10:00:00.000Z',
    UpdatedAt: '2026-11-21T10:05:00.000Z',
    Severity: { Label: 'MEDIUM', Normalized: 50, Product: 5 },
    Title: 'User ci-deployer is anomalously invoking APIs commonly used in Discovery tactics.',
    Description: 'APIs commonly used in Discovery tactics were invoked by user IAMUser : ci-deployer.',
    ProductFields: { 'aws/guardduty/service/action/awsApiCallAction/remoteIpDetails/ipAddressV4': '203.0.113.9' },
    Resources: resources,
    Workflow: { Status: 'NEW' },
    RecordState: 'ACTIVE',
  });

/** A GuardDuty finding (EventBridge `detail`) about a role a person assumed, per GuardDuty's finding format. */
const assumedRoleFinding = (userName: string, principalId: string) =>
  one({
    schemaVersion: '2.0',
    accountId: A,
    region: 'us-east-1',
    partition: 'aws',
    id: '70d1a2b3c4d5e6f708192a3b4c5d6e7f',
    arn: `arn:aws:guardduty:us-east-1:${A}:detector/12abc34d567e8fa901bc2d34e56789f0/finding/70d1a2b3c4d5e6f708192a3b4c5d6e7f`,
    type: 'CredentialAccess:IAMUser/AnomalousBehavior',
    resource: { resourceType: 'AccessKey', accessKeyDetails: { accessKeyId: 'ASIAQEXAMPLE7KEY3ID', principalId, userName, userType: 'AssumedRole' } },
    service: {
      serviceName: 'guardduty',
      action: { actionType: 'AWS_API_CALL', awsApiCallAction: { api: 'GetSecretValue', remoteIpDetails: { ipAddressV4: '198.51.100.23' } } },
    },
    severity: 5,
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:05:00.000Z',
    title: 'Anomalous API calls by an assumed role.',
    description: 'APIs commonly used to access credentials were invoked by an assumed role.',
  });

describe("suggestions for the repository's scenario findings", () => {
  it('exposed access key: deactivate the IAM user key the finding is about', () => {
    const finding = scenarioFinding('src/scenarios/exposed-access-key/finding.json');
    expect(offered(finding)).toEqual([
      {
        remediationId: 'deactivate-access-key',
        inputs: { account: A, userName: 'ci-deployer', accessKeyId: 'AKIAEXPOSEDKEY000001' },
        label: 'Deactivate AKIAEXPOSEDKEY000001',
      },
    ]);
  });

  it('cryptomining on an instance: snapshot, quarantine and require IMDSv2 on it', () => {
    const finding = scenarioFinding('src/scenarios/cryptomining-ec2/finding.json');
    expect(labels(finding)).toEqual(['Snapshot i-0f3b9d2e8a6c40001', 'Quarantine i-0f3b9d2e8a6c40001', 'Enforce IMDSv2 i-0f3b9d2e8a6c40001']);
    wellFormed(finding);
  });

  it("the web server's role credentials used from outside AWS: revoke the role's sessions and require IMDSv2 on the instance the session names — no IAM key to deactivate", () => {
    const finding = exfiltration();
    const s = offered(finding);
    expect(s.map((x) => x.label)).toEqual([
      'Revoke sessions webapp-ec2-role',
      'Enforce IMDSv2 i-05e1a0b7c3d900a11',
      'Snapshot i-05e1a0b7c3d900a11',
      'Quarantine i-05e1a0b7c3d900a11',
    ]);
    expect(s[0]?.inputs).toEqual({ account: A, roleName: 'webapp-ec2-role' });
    expect(s[1]?.inputs).toEqual({ account: A, region: 'us-east-1', instanceId: 'i-05e1a0b7c3d900a11' });
    wellFormed(finding);
  });

  it('public bucket (ASFF): block public access, by its bare name', () => {
    const finding = scenarioFinding('src/scenarios/public-s3-bucket/finding.json');
    expect(offered(finding)).toEqual([
      {
        remediationId: 'block-s3-public-access',
        inputs: { account: A, region: 'us-east-1', bucket: 'examplecorp-media-assets' },
        label: 'Block public access examplecorp-media-assets',
      },
    ]);
  });

  it('root credentials: a root key is not an IAM user key, so nothing is offered against it', () => {
    const finding = scenarioFinding('src/scenarios/root-credential-use/finding.json');
    expect(subjectsOf(finding).map((s) => s.kind)).toContain('root');
    expect(offered(finding)).toEqual([]);
  });
});

describe('suggestions from every spelling', () => {
  it('GuardDuty through Security Hub: the key out of AWS::IAM::AccessKey:…, its user from PrincipalName, the instance out of its ARN', () => {
    const finding = guardDutyInAsff([
      {
        Type: 'AwsIamAccessKey',
        Id: 'AWS::IAM::AccessKey:AKIAEXPOSEDKEY000001',
        Partition: 'aws',
        Region: 'us-east-1',
        Details: { AwsIamAccessKey: { PrincipalId: 'AIDAEXAMPLECIDEPLOY1', PrincipalName: 'ci-deployer', PrincipalType: 'IAMUser' } },
      },
      { Type: 'AwsEc2Instance', Id: 'arn:aws:ec2:us-west-2:111122223333:instance/i-0a1b2c3d4e5f60718', Partition: 'aws', Region: 'us-west-2' },
    ]);
    const s = offered(finding);
    expect(s.map((x) => x.label)).toEqual([
      'Deactivate AKIAEXPOSEDKEY000001',
      'Snapshot i-0a1b2c3d4e5f60718',
      'Quarantine i-0a1b2c3d4e5f60718',
      'Enforce IMDSv2 i-0a1b2c3d4e5f60718',
    ]);
    expect(s[0]?.inputs).toEqual({ account: A, userName: 'ci-deployer', accessKeyId: 'AKIAEXPOSEDKEY000001' });
    // The instance's own region, from its resource.
    expect(s[1]?.inputs).toEqual({ account: A, region: 'us-west-2', instanceId: 'i-0a1b2c3d4e5f60718' });
    wellFormed(finding);
  });

  it('GuardDuty through Security Hub, root key (PrincipalType Root): nothing', () => {
    const finding = guardDutyInAsff(
      [
        {
          Type: 'AwsIamAccessKey',
          Id: 'AWS::IAM::AccessKey:AKIAROOTKEY01EXAMPLE',
          Partition: 'aws',
          Region: 'us-east-1',
          Details: { AwsIamAccessKey: { PrincipalId: A, PrincipalName: 'Root', PrincipalType: 'Root' } },
        },
      ],
      ['Software and Configuration Checks/Policy:IAMUser-RootCredentialUsage'],
    );
    expect(offered(finding)).toEqual([]);
  });

  it("an assumed role a person uses: revoke the role's sessions; the session names no instance, so nothing else", () => {
    const finding = assumedRoleFinding('payments-admin', 'AROAEXAMPLEPAYADMIN1:alice@example.com');
    expect(offered(finding)).toEqual([
      { remediationId: 'revoke-role-sessions', inputs: { account: A, roleName: 'payments-admin' }, label: 'Revoke sessions payments-admin' },
    ]);
  });

  it('nothing against roles IAM will not take a policy on: service-linked, or IAM Identity Center permission sets (revoked there)', () => {
    expect(offered(assumedRoleFinding('AWSServiceRoleForAutoScaling', 'AROAEXAMPLEASGSLR001:AutoScaling'))).toEqual([]);
    expect(offered(assumedRoleFinding('AWSReservedSSO_AdministratorAccess_0123456789abcdef', 'AROAEXAMPLESSOADM001:alice@example.com'))).toEqual([]);
  });

  it('a key whose finding names no user: its user from the current state', () => {
    const finding = makeFinding({
      schema: 'guardduty',
      resources: [{ type: 'AwsIamAccessKey', id: 'AKIAEXPOSEDKEY000001', region: 'us-east-1', tags: {} }],
      raw: {},
    });
    expect(labels(finding)).toEqual([]);
    expect(offered(finding, [], [state({ kind: 'accessKey', id: 'AKIAEXPOSEDKEY000001', status: 'Active', owner: 'ci-deployer' })])).toEqual([
      {
        remediationId: 'deactivate-access-key',
        inputs: { account: A, userName: 'ci-deployer', accessKeyId: 'AKIAEXPOSEDKEY000001' },
        label: 'Deactivate AKIAEXPOSEDKEY000001',
      },
    ]);
  });
});

describe('suggestions follow the current state: nothing for what is gone or already done', () => {
  const keyFinding = () => scenarioFinding('src/scenarios/exposed-access-key/finding.json');
  const activity = [
    ct({ action: 'CreateAccessKey', resources: ['backdoor-user', 'AKIABACKDOORKEY00001'] }),
    ct({ action: 'AttachUserPolicy', resources: ['backdoor-user', 'arn:aws:iam::aws:policy/AdministratorAccess'] }),
    ct({ action: 'RunInstances', resources: ['i-0a1b2c3d4e5f00001'] }),
  ];

  it('with nothing known, everything the activity supports is offered', () => {
    expect(labels(keyFinding(), activity)).toEqual([
      'Deactivate AKIAEXPOSEDKEY000001',
      'Delete AKIABACKDOORKEY00001',
      'Detach AdministratorAccess',
      'Snapshot i-0a1b2c3d4e5f00001',
      'Quarantine i-0a1b2c3d4e5f00001',
    ]);
  });

  it('a key already Inactive is not deactivated again; a deleted key is not deleted again; a detached policy is not detached again; a terminated instance is left alone', () => {
    const states = [
      state({ kind: 'accessKey', id: 'AKIAEXPOSEDKEY000001', status: 'Inactive', owner: 'ci-deployer' }),
      state({ kind: 'accessKey', id: 'AKIABACKDOORKEY00001', exists: false }),
      state({ kind: 'iamUser', id: 'backdoor-user', policies: ['ReadOnlyAccess'] }),
      state({ kind: 'instance', id: 'i-0a1b2c3d4e5f00001', status: 'terminated' }),
    ];
    expect(labels(keyFinding(), activity, states)).toEqual([]);
  });

  it('a policy still attached (by ARN or name) is offered; an instance not found is not', () => {
    const states = [
      state({ kind: 'iamUser', id: 'backdoor-user', policies: ['AdministratorAccess'] }),
      state({ kind: 'instance', id: 'i-0a1b2c3d4e5f00001', exists: false }),
    ];
    expect(labels(keyFinding(), activity, states)).toEqual(['Deactivate AKIAEXPOSEDKEY000001', 'Delete AKIABACKDOORKEY00001', 'Detach AdministratorAccess']);
  });

  it('IMDSv2 is not offered where it is already required; unknown or optional, it is', () => {
    const finding = exfiltration();
    const required = [state({ kind: 'instance', id: 'i-05e1a0b7c3d900a11', status: 'running', metadataTokens: 'required' })];
    expect(labels(finding, [], required)).not.toContain('Enforce IMDSv2 i-05e1a0b7c3d900a11');
    const optional = [state({ kind: 'instance', id: 'i-05e1a0b7c3d900a11', status: 'running', metadataTokens: 'optional' })];
    expect(labels(finding, [], optional)).toContain('Enforce IMDSv2 i-05e1a0b7c3d900a11');
  });

  it('a role that no longer exists has no sessions to revoke; a terminated instance gets nothing', () => {
    const states = [
      state({ kind: 'role', id: 'webapp-ec2-role', exists: false }),
      state({ kind: 'instance', id: 'i-05e1a0b7c3d900a11', status: 'terminated' }),
    ];
    expect(labels(exfiltration(), [], states)).toEqual([]);
  });
});

describe('suggestions leave alone what AWS services did', () => {
  it('offers nothing against what AWS services did in the window (Auto Scaling launches)', () => {
    const finding = makeFinding({ schema: 'guardduty', resources: [], raw: {} });
    const autoscaling = {
      action: 'RunInstances',
      actor: 'arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling',
      actorType: 'AssumedRole',
      accessKeyId: null,
      sourceIp: 'autoscaling.amazonaws.com',
      userAgent: 'autoscaling.amazonaws.com',
    };
    const timeline = [ct({ ...autoscaling, resources: ['i-0autoscaled0000001'] }), ct({ action: 'RunInstances', resources: ['i-0a1b2c3d4e5f00001'] })];
    expect(labels(finding, timeline)).toEqual(['Snapshot i-0a1b2c3d4e5f00001', 'Quarantine i-0a1b2c3d4e5f00001']);
  });

  it('failed calls are not the activity either', () => {
    const finding = makeFinding({ schema: 'guardduty', resources: [], raw: {} });
    expect(labels(finding, [ct({ action: 'CreateAccessKey', resources: ['x', 'AKIAFAILEDKEY0000001'], errorCode: 'AccessDenied' })])).toEqual([]);
  });

  it('offers blocking public access for a bucket finding', () => {
    expect(offered(makeFinding()).map((x) => x.inputs)).toEqual([{ account: A, region: 'us-east-1', bucket: 'example-bucket' }]);
  });
});
