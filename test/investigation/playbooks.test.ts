import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/finding.ts';
import { openQuestions, playbookFor, prefill } from '../../src/domain/investigation/playbooks.ts';
import { investigationWindow } from '../../src/domain/investigation/window.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { sharedJson } from '../support/fixtures.ts';
import { asffForm } from '../support/guardduty-forms.ts';
import { ACCOUNT, REGION, guardDutyFinding } from '../support/guardduty-findings.ts';

const one = (doc: unknown): Finding => {
  const { findings, errors } = normalizeInput(doc);
  expect(errors).toEqual([]);
  return findings[0] as Finding;
};
const SAMPLES = 'guardduty/aws-samples-guardduty-automated-response';

describe('test signals are investigated as what they test, and say so', () => {
  it("AWS's published PenTest:S3/ParrotLinux sample: S3 data access, a pen-test signal", () => {
    const playbook = playbookFor(one(sharedJson(SAMPLES, 'guardduty_s3_event.json')));
    expect(playbook).toMatchObject({ id: 's3-data', signal: 'pen-test', threatType: 'PenTest:S3/ParrotLinux' });
    expect(playbook.notes.join('\n')).toMatch(/pen-test signal \(PenTest:S3\/ParrotLinux\).*authorized test/);
  });

  it("AWS's published Canary:EC2/Stateless.IntegTest sample: EC2 compromise, a canary signal", () => {
    const playbook = playbookFor(one(sharedJson(SAMPLES, 'guardduty_ec2_event.json')));
    expect(playbook).toMatchObject({ id: 'ec2-compromise', signal: 'canary' });
    expect(playbook.notes.join('\n')).toContain('canary signal (Canary:EC2/Stateless.IntegTest)');
  });

  it('a detection that is not a test has no signal', () => {
    expect(playbookFor(one(sharedJson(SAMPLES, 'guardduty_iam_event.json')))).toMatchObject({ id: 'credential-exposure', signal: null, notes: [] });
  });
});

describe('root as the actor', () => {
  it('makes a defense-evasion or credential finding root credential use, in native and ASFF form', () => {
    const root = { accessKeyId: 'AKIAROOTKEY01EXAMPLE', principalId: ACCOUNT, userName: 'Root', userType: 'Root' };
    const native = guardDutyFinding('Stealth:IAMUser/CloudTrailLoggingDisabled', { resource: { resourceType: 'AccessKey', accessKeyDetails: root } });
    for (const doc of [native, asffForm(native)]) {
      const playbook = playbookFor(one(doc));
      expect(playbook.id).toBe('root-credential-use');
      expect(playbook.notes).toContain(
        'The root user is the actor of this Stealth:IAMUser/CloudTrailLoggingDisabled finding, so it is investigated as root credential use.',
      );
    }
    // The same finding by a user is defense evasion: who turned logging off, and what came next (a day on).
    const byUser = playbookFor(one(guardDutyFinding('Stealth:IAMUser/CloudTrailLoggingDisabled')));
    expect(byUser).toMatchObject({ id: 'defense-evasion', followUpHours: 24, questions: ['principal', 'accountId'] });
    expect(byUser.watchedEvents).toEqual(
      expect.arrayContaining(['StopLogging', 'DeleteTrail', 'DeleteFlowLogs', 'DeleteDetector', 'UpdateAccountPasswordPolicy', 'CreateUser']),
    );
  });

  it('leaves a finding about data or a workload to its own playbook', () => {
    const root = { accessKeyId: 'AKIAROOTKEY01EXAMPLE', principalId: ACCOUNT, userName: 'Root', userType: 'Root' };
    const s3 = guardDutyFinding('Exfiltration:S3/AnomalousBehavior');
    (s3.resource as Record<string, unknown>).accessKeyDetails = root;
    expect(playbookFor(one(s3)).id).toBe('s3-data');
  });

  it('the OCSF root-use fixture: root credential use, root answered as the principal', () => {
    const finding = one(JSON.parse(readFileSync('test/fixtures/ocsf/findings-imported-v2-detection.json', 'utf8')));
    expect(playbookFor(finding).id).toBe('root-credential-use');
    expect(prefill(finding)).toEqual({ accountId: '333344445555', principal: 'root' });
  });
});

describe('what each kind of finding adds to its playbook', () => {
  it('a port probe is exposure, not compromise', () => {
    const playbook = playbookFor(one(guardDutyFinding('Recon:EC2/PortProbeUnprotectedPort')));
    expect(playbook.id).toBe('ec2-compromise');
    expect(playbook.notes.join('\n')).toContain('A port probe shows exposure, not compromise');
  });

  it('instance credentials used elsewhere: the role, its session and the instance, with IMDS and session revocation', () => {
    const finding = one(
      guardDutyFinding('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', {
        resource: {
          resourceType: 'AccessKey',
          accessKeyDetails: {
            accessKeyId: 'ASIAQEXAMPLE7KEY2ID',
            principalId: 'AROAEXAMPLEROLEID123:i-0317f6c6b66ae9c40',
            userName: 'web-app-role',
            userType: 'AssumedRole',
          },
        },
      }),
    );
    const playbook = playbookFor(finding);
    expect(playbook).toMatchObject({
      id: 'instance-credentials',
      // The instance in play: its traffic is evidence too (Security Lake, when configured).
      collectors: ['cloudtrail', 'iam', 'ec2', 'findings', 'cost', 'network'],
      searchBy: ['accessKey', 'role', 'instance'],
    });
    expect(playbook.containment.join('\n')).toMatch(/Revoke the role's active sessions[\s\S]*IMDSv2/);
    expect(playbook.watchedEvents).toContain('ModifyInstanceMetadataOptions');
    // Everything it asks, the finding answers: the key, the role, the instance its session names.
    const answers = prefill(finding);
    expect(answers).toEqual({ accountId: ACCOUNT, accessKeyId: 'ASIAQEXAMPLE7KEY2ID', principal: 'web-app-role', instanceId: 'i-0317f6c6b66ae9c40' });
    expect(openQuestions(playbook, answers).map((q) => q.id)).toEqual(['exposedAt']);
  });

  it('a runtime finding reads the host it ran on: an instance, an EKS cluster, an ECS cluster', () => {
    // The reverse shell's remote address is in play: network evidence is wanted.
    expect(playbookFor(one(guardDutyFinding('Execution:Runtime/ReverseShell'))).collectors).toEqual(['ec2', 'cloudtrail', 'findings', 'network']);
    const onEks = guardDutyFinding('Execution:Runtime/ReverseShell', {
      resource: { resourceType: 'EKSCluster', eksClusterDetails: { name: 'prod', arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/prod` } },
    });
    expect(playbookFor(one(onEks)).collectors).toEqual(['eks', 'cloudtrail', 'findings', 'network']);
    expect(playbookFor(one(guardDutyFinding('AttackSequence:ECS/CompromisedCluster'))).collectors).toEqual(['ecs', 'cloudtrail', 'findings', 'network']);
  });

  it('EKS, RDS and Lambda findings name collectors this runtime may lack: an honest limiting factor, not a guess', () => {
    expect(playbookFor(one(guardDutyFinding('Discovery:Kubernetes/SuccessfulAnonymousAccess'))).collectors).toContain('eks');
    expect(playbookFor(one(guardDutyFinding('CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin'))).collectors).toContain('rds');
    expect(playbookFor(one(guardDutyFinding('Backdoor:Lambda/C&CActivity.B'))).collectors).toContain('lambda');
  });

  it("a Security Hub control finding reads its resources' current state, by resource type, and watches the changes that break it", () => {
    const control = (type: string, id: string) =>
      one({
        SchemaVersion: '2018-10-08',
        Id: `arn:aws:securityhub:${REGION}:${ACCOUNT}:security-control/EC2.19/finding/0a1b2c3d`,
        ProductArn: `arn:aws:securityhub:${REGION}::product/aws/securityhub`,
        GeneratorId: 'security-control/EC2.19',
        AwsAccountId: ACCOUNT,
        Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
        Title: 'Security groups should not allow unrestricted access to ports with high risk',
        Severity: { Label: 'CRITICAL' },
        Compliance: { Status: 'FAILED', SecurityControlId: 'EC2.19' },
        Resources: [{ Type: type, Id: id, Region: REGION }],
      });
    const sg = playbookFor(control('AwsEc2SecurityGroup', `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0abc`));
    expect(sg).toMatchObject({ id: 'security-control', collectors: ['cloudtrail', 'findings', 'ec2'] });
    expect(sg.watchedEvents).toContain('AuthorizeSecurityGroupIngress');
    const role = playbookFor(control('AwsIamRole', `arn:aws:iam::${ACCOUNT}:role/admin`));
    expect(role.collectors).toEqual(['cloudtrail', 'findings', 'iam']);
    expect(role.watchedEvents).toContain('AttachRolePolicy');
  });

  it('an Inspector vulnerability reads the affected instance', () => {
    const finding = one({
      SchemaVersion: '2018-10-08',
      Id: `arn:aws:inspector2:${REGION}:${ACCOUNT}:finding/0a1b2c3d4e5f`,
      ProductArn: `arn:aws:securityhub:${REGION}::product/aws/inspector`,
      ProductName: 'Inspector',
      AwsAccountId: ACCOUNT,
      Types: ['Software and Configuration Checks/Vulnerabilities/CVE'],
      Title: 'CVE-2024-6387 - openssh',
      Severity: { Label: 'HIGH' },
      Resources: [{ Type: 'AwsEc2Instance', Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0317f6c6b66ae9c40`, Region: REGION }],
    });
    expect(playbookFor(finding)).toMatchObject({ id: 'vulnerability', collectors: ['findings', 'ec2'] });
    expect(prefill(finding)).toMatchObject({ instanceId: 'i-0317f6c6b66ae9c40' });
  });

  it("Macie's bucket findings are S3 data exposure", () => {
    const finding = one({
      SchemaVersion: '2018-10-08',
      Id: 'arn:aws:macie2:us-east-1:111122223333:finding/0a1b2c3d',
      ProductArn: `arn:aws:securityhub:${REGION}::product/aws/macie`,
      ProductName: 'Macie',
      AwsAccountId: ACCOUNT,
      Types: ['Effects/Data Exposure/Policy:IAMUser-S3BucketPublic'],
      Title: 'The S3 bucket is publicly accessible.',
      Severity: { Label: 'HIGH' },
      Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::examplecorp-media-assets', Region: REGION }],
    });
    expect(playbookFor(finding).id).toBe('s3-data');
  });

  it('a GuardDuty finding whose type says nothing readable still gets a playbook from what it names', () => {
    const odd = guardDutyFinding('Backdoor:EC2/C&CActivity.B', { type: 'SomethingNew' });
    expect(playbookFor(one(odd)).id).toBe('ec2-compromise');
  });

  it("another product's finding that is no threat, control or vulnerability is generic", () => {
    const finding = one({
      SchemaVersion: '2018-10-08',
      Id: 'vendor-finding-1',
      ProductArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
      AwsAccountId: ACCOUNT,
      Types: ['Unusual Behaviors/Application/Vendor:Widget-Thing'],
      Title: 'A vendor finding',
      Severity: { Label: 'LOW' },
      Resources: [{ Type: 'Other', Id: 'widget-1' }],
    });
    expect(playbookFor(finding)).toMatchObject({ id: 'generic', watchedEvents: [] });
  });
});

describe('what the finding already answers comes from its subjects', () => {
  it('GuardDuty via Security Hub: the bare key id, the principal from PrincipalName, the instance out of its ARN', () => {
    const native = guardDutyFinding('Recon:IAMUser/MaliciousIPCaller');
    const asff = asffForm(native);
    (asff.Resources as unknown[]).push({ Type: 'AwsEc2Instance', Id: `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-0a1b2c3d4e5f60718`, Region: REGION });
    expect(prefill(one(asff))).toEqual({
      accountId: ACCOUNT,
      accessKeyId: 'AKIAEXPOSEDKEY000001',
      principal: 'ci-deployer',
      instanceId: 'i-0a1b2c3d4e5f60718',
    });
  });

  it('root credentials: the principal is `root`, the name CloudTrail gives the root user', () => {
    expect(prefill(one(JSON.parse(readFileSync('src/scenarios/root-credential-use/finding.json', 'utf8'))))).toEqual({
      accountId: '444455556666',
      accessKeyId: 'AKIAROOTKEY01EXAMPLE',
      principal: 'root',
    });
  });
});

describe('the window follows the playbook', () => {
  it('defense evasion watches a day past the last sighting; the others an hour', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    const stealth = one(guardDutyFinding('Stealth:IAMUser/CloudTrailLoggingDisabled'));
    expect(investigationWindow(stealth, {}, playbookFor(stealth), now).window).toEqual({ start: '2026-11-18T09:58:00.000Z', end: '2026-11-22T10:04:00.000Z' });
    const recon = one(guardDutyFinding('Recon:IAMUser/MaliciousIPCaller'));
    expect(investigationWindow(recon, {}, playbookFor(recon), now).window).toEqual({ start: '2026-11-14T09:58:00.000Z', end: '2026-11-21T11:04:00.000Z' });
  });
});
