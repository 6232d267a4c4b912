import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AttachUserPolicyCommand,
  DeleteAccessKeyCommand,
  DetachUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand,
  UpdateAccessKeyCommand,
  type StatusType,
} from '@aws-sdk/client-iam';
import {
  CreateSecurityGroupCommand,
  CreateSnapshotsCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVolumesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import { GetAutomationExecutionCommand, SSMClient, StartAutomationExecutionCommand } from '@aws-sdk/client-ssm';
import { DeletePublicAccessBlockCommand, GetPublicAccessBlockCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchUpdateFindingsCommand, BatchUpdateFindingsV2Command, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import {
  ArchiveFindingsCommand,
  GetFindingsCommand as GetGuardDutyFindingsCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  UnarchiveFindingsCommand,
} from '@aws-sdk/client-guardduty';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/aws/fake-credentials.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';

const A = '111122223333';
const REGION = 'us-east-1';
const VPC = 'vpc-0feedfacecafe0001';
const INSTANCE = 'i-0a1b2c3d4e5f00001';
const GD_DETECTOR = '5ac6d7e8f9a0b1c2d3e4f5a6b7c8d9e0';
const GD_FINDING = '7ec6f1a2b3c4d5e6f708192a3b4c5d6e';
const ASFF_ID = 'arn:aws:securityhub:us-east-1:111122223333:security-control/IAM.3/finding/4b1c2d3e-5f60-4718-9a2b-3c4d5e6f7081';
const ASFF_PRODUCT = 'arn:aws:securityhub:us-east-1::product/aws/securityhub';
/** The OCSF fixture's finding: account 333344445555, us-west-2. */
const OCSF_ACCOUNT = '333344445555';
const OCSF_UID = 'arn:aws:guardduty:us-west-2:333344445555:detector/4cb5a1e2d3f4a5b6c7d8e9f0a1b2c3d4/finding/0f1e2d3c4b5a69788796a5b4c3d2e1f0';

let dir = '';
let aws: FakeAws;

/** The shipped scenario plus an OCSF finding, copied so each test starts from the files. */
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sirbot-aws-writes-'));
  cpSync('src/scenarios/exposed-access-key', dir, { recursive: true });
  cpSync('test/fixtures/ocsf/findings-imported-v2-detection.json', path.join(dir, 'findings', 'ocsf.json'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  aws = await startFakeAws({ scenario: dir });
});
afterEach(async () => aws.close());

const config = (account = A, region = REGION) => ({ region, endpoint: aws.endpoint, credentials: fakeCredentials(account), maxAttempts: 1 });

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('IAM writes', () => {
  it('deactivates, reactivates and deletes access keys; later reads see it', async () => {
    const iam = new IAMClient(config());
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'ci-deployer', AccessKeyId: 'AKIAEXPOSEDKEY000001', Status: 'Inactive' }));
    let keys = await iam.send(new ListAccessKeysCommand({ UserName: 'ci-deployer' }));
    expect(keys.AccessKeyMetadata?.map((k) => k.Status)).toEqual(['Inactive']);
    await iam.send(new UpdateAccessKeyCommand({ UserName: 'ci-deployer', AccessKeyId: 'AKIAEXPOSEDKEY000001', Status: 'Active' }));
    expect(aws.state.iam.accounts[A]?.users?.[0]?.AccessKeys?.[0]?.Status).toBe('Active');

    await iam.send(new DeleteAccessKeyCommand({ UserName: 'backup-svc', AccessKeyId: 'AKIABACKUPSVCKEY0001' }));
    keys = await iam.send(new ListAccessKeysCommand({ UserName: 'backup-svc' }));
    expect(keys.AccessKeyMetadata).toEqual([]);
    expect(aws.calls().map((c) => c.operation)).toEqual(['UpdateAccessKey', 'ListAccessKeys', 'UpdateAccessKey', 'DeleteAccessKey', 'ListAccessKeys']);
  });

  it('detaches a policy and attaches it back (undo)', async () => {
    const iam = new IAMClient(config());
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    await iam.send(new DetachUserPolicyCommand({ UserName: 'backup-svc', PolicyArn: admin }));
    expect((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'backup-svc' }))).AttachedPolicies).toEqual([]);
    await iam.send(new AttachUserPolicyCommand({ UserName: 'backup-svc', PolicyArn: admin }));
    expect((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'backup-svc' }))).AttachedPolicies).toEqual([
      { PolicyName: 'AdministratorAccess', PolicyArn: admin },
    ]);
  });

  it("answers IAM's errors: unknown key or user, bad status, policy not attached", async () => {
    const iam = new IAMClient(config());
    expect(await failure(iam.send(new UpdateAccessKeyCommand({ UserName: 'ci-deployer', AccessKeyId: 'AKIANOSUCHKEY0000001', Status: 'Inactive' })))).toEqual({
      name: 'NoSuchEntityException',
      message: 'The Access Key with id AKIANOSUCHKEY0000001 cannot be found.',
      status: 404,
    });
    expect(await failure(iam.send(new DeleteAccessKeyCommand({ UserName: 'nobody', AccessKeyId: 'AKIAEXPOSEDKEY000001' })))).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The user with name nobody cannot be found.',
    });
    expect(
      await failure(iam.send(new UpdateAccessKeyCommand({ UserName: 'ci-deployer', AccessKeyId: 'AKIAEXPOSEDKEY000001', Status: 'Disabled' as StatusType }))),
    ).toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining("Value 'Disabled' at 'status' failed to satisfy constraint"),
      status: 400,
    });
    expect(
      await failure(iam.send(new DetachUserPolicyCommand({ UserName: 'ci-deployer', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }))),
    ).toMatchObject({
      name: 'NoSuchEntityException',
      message: 'Policy arn:aws:iam::aws:policy/AdministratorAccess was not found.',
    });
    expect(aws.state.iam.accounts[A]?.users?.[0]?.AccessKeys?.[0]?.Status).toBe('Active');
  });
});

describe('EC2 writes', () => {
  it('quarantines an instance: new group in its VPC, default egress revoked, groups replaced', async () => {
    const ec2 = new EC2Client(config());
    const before = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [INSTANCE] }))).Reservations?.[0]?.Instances?.[0];
    expect(before).toMatchObject({ VpcId: VPC, BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-0a1b2c3d4e5f10001' } }] });

    const created = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `sirbot-quarantine-${INSTANCE}`, Description: 'quarantine', VpcId: VPC }));
    expect(created.GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(created.SecurityGroupArn).toBe(`arn:aws:ec2:${REGION}:${A}:security-group/${created.GroupId}`);
    const found = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: [`sirbot-quarantine-${INSTANCE}`] },
          { Name: 'vpc-id', Values: [VPC] },
        ],
      }),
    );
    expect(found.SecurityGroups).toMatchObject([
      { GroupId: created.GroupId, VpcId: VPC, IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
    ]);

    await ec2.send(
      new RevokeSecurityGroupEgressCommand({ GroupId: created.GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
    );
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: INSTANCE, Groups: [created.GroupId as string] }));

    const after = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [INSTANCE] }))).Reservations?.[0]?.Instances?.[0];
    expect(after?.SecurityGroups).toEqual([{ GroupId: created.GroupId, GroupName: `sirbot-quarantine-${INSTANCE}` }]);
    const group = aws.state.ec2.accounts[A]?.[REGION]?.securityGroups?.find((g) => g.GroupId === created.GroupId);
    expect(group?.IpPermissionsEgress).toEqual([]);
  });

  it('snapshots every attached volume, tagged, and keeps the snapshots', async () => {
    const ec2 = new EC2Client(config());
    const volumes = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [INSTANCE] }] }));
    expect(volumes.Volumes).toMatchObject([
      { VolumeId: 'vol-0a1b2c3d4e5f10001', State: 'in-use', Attachments: [{ InstanceId: INSTANCE, Device: '/dev/xvda', State: 'attached' }] },
    ]);

    const out = await ec2.send(
      new CreateSnapshotsCommand({
        InstanceSpecification: { InstanceId: INSTANCE, ExcludeBootVolume: false },
        Description: `sirbot forensic snapshot of ${INSTANCE}`,
        CopyTagsFromSource: 'volume',
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'sirbot:forensics', Value: INSTANCE }] }],
      }),
    );
    expect(out.Snapshots).toMatchObject([
      {
        VolumeId: 'vol-0a1b2c3d4e5f10001',
        State: 'pending',
        OwnerId: A,
        Description: `sirbot forensic snapshot of ${INSTANCE}`,
        Tags: [{ Key: 'sirbot:forensics', Value: INSTANCE }],
      },
    ]);
    expect(out.Snapshots?.[0]?.SnapshotId).toMatch(/^snap-[0-9a-f]{17}$/);
    expect(out.Snapshots?.[0]?.StartTime).toBeInstanceOf(Date);
    expect(aws.state.ec2.accounts[A]?.[REGION]?.snapshots?.map((s) => s.SnapshotId)).toEqual([out.Snapshots?.[0]?.SnapshotId]);
  });

  it("answers EC2's errors: duplicate group, unknown group or instance, unknown rule", async () => {
    const ec2 = new EC2Client(config());
    expect(await failure(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'launch-wizard-7', Description: 'again', VpcId: VPC })))).toEqual({
      name: 'InvalidGroup.Duplicate',
      message: `The security group 'launch-wizard-7' already exists for VPC '${VPC}'`,
      status: 400,
    });
    expect(await failure(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: INSTANCE, Groups: ['sg-0000000000000dead'] })))).toMatchObject({
      name: 'InvalidGroup.NotFound',
      message: "The security group 'sg-0000000000000dead' does not exist",
    });
    expect(await failure(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: 'i-0000000000000dead', Groups: ['sg-0badc0ffee0000001'] })))).toMatchObject({
      name: 'InvalidInstanceID.NotFound',
    });
    expect(await failure(ec2.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: 'i-0000000000000dead' } })))).toMatchObject({
      name: 'InvalidInstanceID.NotFound',
    });
    expect(
      await failure(
        ec2.send(
          new RevokeSecurityGroupEgressCommand({
            GroupId: 'sg-0badc0ffee0000001',
            IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidPermission.NotFound' });
    expect(aws.state.ec2.accounts[A]?.[REGION]?.instances?.[0]?.SecurityGroups).toEqual([{ GroupId: 'sg-0badc0ffee0000001', GroupName: 'launch-wizard-7' }]);
  });
});

describe('SSM automation', () => {
  it('records an execution and reports it finished', async () => {
    const ssm = new SSMClient(config());
    const Parameters = { InstanceId: [INSTANCE], Action: ['Contain'] };
    const { AutomationExecutionId } = await ssm.send(new StartAutomationExecutionCommand({ DocumentName: 'AWSSupport-ContainEC2Instance', Parameters }));
    expect(AutomationExecutionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(aws.state.ssm.executions).toMatchObject([
      { AutomationExecutionId, account: A, region: REGION, DocumentName: 'AWSSupport-ContainEC2Instance', Parameters },
    ]);
    const got = await ssm.send(new GetAutomationExecutionCommand({ AutomationExecutionId }));
    expect(got.AutomationExecution).toMatchObject({
      AutomationExecutionId,
      DocumentName: 'AWSSupport-ContainEC2Instance',
      AutomationExecutionStatus: 'Success',
      Parameters,
    });
    expect(got.AutomationExecution?.ExecutionStartTime).toBeInstanceOf(Date);
  });

  it('refuses a start without a document name', async () => {
    const ssm = new SSMClient(config());
    expect(await failure(ssm.send(new StartAutomationExecutionCommand({} as never)))).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'documentName' failed to satisfy constraint: Member must not be null",
      status: 400,
    });
    expect(await failure(ssm.send(new GetAutomationExecutionCommand({ AutomationExecutionId: '00000000-0000-0000-0000-000000000000' })))).toMatchObject({
      name: 'AutomationExecutionNotFoundException',
    });
    expect(aws.state.ssm.executions).toEqual([]);
  });
});

describe('S3 Block Public Access', () => {
  it('is unset, then set by PutPublicAccessBlock, then removed', async () => {
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    expect(await failure(s3.send(new GetPublicAccessBlockCommand({ Bucket: 'acme-build-artifacts' })))).toEqual({
      name: 'NoSuchPublicAccessBlockConfiguration',
      message: 'The public access block configuration was not found',
      status: 404,
    });
    const config4 = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false };
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: 'acme-build-artifacts', PublicAccessBlockConfiguration: config4 }));
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'acme-build-artifacts' }))).PublicAccessBlockConfiguration).toEqual(config4);
    expect(aws.state.s3.accounts[A]?.buckets?.[0]?.PublicAccessBlockConfiguration).toEqual(config4);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'acme-build-artifacts' }));
    expect(aws.state.s3.accounts[A]?.buckets?.[0]?.PublicAccessBlockConfiguration).toBeUndefined();
    expect(aws.calls().map((c) => [c.operation, c.status])).toEqual([
      ['GetPublicAccessBlock', 404],
      ['PutPublicAccessBlock', 200],
      ['GetPublicAccessBlock', 200],
      ['DeletePublicAccessBlock', 204],
    ]);
  });

  it('answers NoSuchBucket for a bucket no account has, AccessDenied for one another account has', async () => {
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    const put = (Bucket: string, client = s3) =>
      client.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
    expect(await failure(put('no-such-bucket-anywhere'))).toEqual({ name: 'NoSuchBucket', message: 'The specified bucket does not exist', status: 404 });
    const other = new S3Client({ ...config('999988887777'), forcePathStyle: true });
    expect(await failure(put('acme-build-artifacts', other))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });
});

describe('Security Hub workflow updates', () => {
  it('BatchUpdateFindings sets the ASFF workflow status and note; an unknown finding is unprocessed', async () => {
    const sh = new SecurityHubClient(config());
    const out = await sh.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [
          { Id: ASFF_ID, ProductArn: ASFF_PRODUCT },
          { Id: 'arn:aws:securityhub:us-east-1:111122223333:finding/nope', ProductArn: ASFF_PRODUCT },
        ],
        Workflow: { Status: 'RESOLVED' },
        Note: { Text: 'RESOLVED set from Slack by @ana', UpdatedBy: '@ana' },
      }),
    );
    expect(out.ProcessedFindings).toEqual([{ Id: ASFF_ID, ProductArn: ASFF_PRODUCT }]);
    expect(out.UnprocessedFindings).toEqual([
      {
        FindingIdentifier: { Id: 'arn:aws:securityhub:us-east-1:111122223333:finding/nope', ProductArn: ASFF_PRODUCT },
        ErrorCode: 'FindingNotFound',
        ErrorMessage: 'Finding Not Found',
      },
    ]);
    const [finding] = (await sh.send(new GetFindingsCommand({ Filters: { Id: [{ Value: ASFF_ID, Comparison: 'EQUALS' }] } }))).Findings ?? [];
    expect(finding?.Workflow?.Status).toBe('RESOLVED');
    expect(finding?.Note).toMatchObject({ Text: 'RESOLVED set from Slack by @ana', UpdatedBy: '@ana' });
    expect(finding?.UpdatedAt).toBe(new Date(Date.parse(finding?.Note?.UpdatedAt as string)).toISOString());
    expect(aws.state.findingUpdates).toMatchObject([{ operation: 'BatchUpdateFindings', account: A, findingId: ASFF_ID }]);
  });

  it('BatchUpdateFindings refuses an invalid workflow status', async () => {
    const sh = new SecurityHubClient(config());
    const bad = new BatchUpdateFindingsCommand({ FindingIdentifiers: [{ Id: ASFF_ID, ProductArn: ASFF_PRODUCT }], Workflow: { Status: 'CLOSED' as never } });
    expect(await failure(sh.send(bad))).toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('Workflow.Status'), status: 400 });
  });

  it('BatchUpdateFindingsV2 updates a known OCSF finding by metadata uid or identifier; unknown ones are unprocessed', async () => {
    const sh = new SecurityHubClient(config(OCSF_ACCOUNT, 'us-west-2'));
    const byUid = await sh.send(new BatchUpdateFindingsV2Command({ MetadataUids: [OCSF_UID, 'nope'], StatusId: 4, Comment: 'resolved from Slack' }));
    expect(byUid.ProcessedFindings).toEqual([{ MetadataUid: OCSF_UID }]);
    expect(byUid.UnprocessedFindings).toEqual([{ MetadataUid: 'nope', ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'The finding was not found.' }]);
    const stored = aws.state.findings.ocsf?.get(`${OCSF_ACCOUNT}|us-west-2`)?.[0] as {
      status_id: number;
      status: string;
      comment: string;
      finding_info: { uid: string };
    };
    expect(stored).toMatchObject({ status_id: 4, status: 'Resolved', comment: 'resolved from Slack' });

    const identifier = {
      CloudAccountUid: OCSF_ACCOUNT,
      FindingInfoUid: stored.finding_info.uid,
      MetadataProductUid: 'arn:aws:securityhub:us-west-2::productv2/aws/guardduty',
    };
    const byId = await sh.send(new BatchUpdateFindingsV2Command({ FindingIdentifiers: [identifier], StatusId: 3 }));
    expect(byId.ProcessedFindings).toEqual([{ FindingIdentifier: identifier }]);
    expect(stored.status).toBe('Suppressed');
    expect(aws.state.findingUpdates.map((u) => [u.operation, u.findingId])).toEqual([
      ['BatchUpdateFindingsV2', OCSF_UID],
      ['BatchUpdateFindingsV2', OCSF_UID],
    ]);
  });

  it('BatchUpdateFindingsV2 refuses MetadataUids with FindingIdentifiers, and a status id outside the enum', async () => {
    const sh = new SecurityHubClient(config(OCSF_ACCOUNT, 'us-west-2'));
    const both = new BatchUpdateFindingsV2Command({
      MetadataUids: [OCSF_UID],
      FindingIdentifiers: [{ CloudAccountUid: OCSF_ACCOUNT, FindingInfoUid: 'x', MetadataProductUid: 'y' }],
      StatusId: 4,
    });
    expect(await failure(sh.send(both))).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(await failure(sh.send(new BatchUpdateFindingsV2Command({ MetadataUids: [OCSF_UID], StatusId: 7 })))).toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('StatusId'),
    });
  });
});

describe('GuardDuty archive', () => {
  it("archives and unarchives findings of the finding's own detector", async () => {
    const gd = new GuardDutyClient(config());
    expect((await gd.send(new ListDetectorsCommand({}))).DetectorIds).toEqual([GD_DETECTOR]);
    await gd.send(new ArchiveFindingsCommand({ DetectorId: GD_DETECTOR, FindingIds: [GD_FINDING] }));
    const archived = async () =>
      (await gd.send(new GetGuardDutyFindingsCommand({ DetectorId: GD_DETECTOR, FindingIds: [GD_FINDING] }))).Findings?.[0]?.Service?.Archived;
    expect(await archived()).toBe(true);
    await gd.send(new UnarchiveFindingsCommand({ DetectorId: GD_DETECTOR, FindingIds: [GD_FINDING] }));
    expect(await archived()).toBe(false);
    expect(aws.calls().map((c) => c.operation)).toEqual(['ListDetectors', 'ArchiveFindings', 'GetFindings', 'UnarchiveFindings', 'GetFindings']);
  });

  it('answers BadRequestException for a detector the account does not own', async () => {
    const gd = new GuardDutyClient(config());
    expect(await failure(gd.send(new ArchiveFindingsCommand({ DetectorId: '0000000000000000000000000000dead', FindingIds: [GD_FINDING] })))).toEqual({
      name: 'BadRequestException',
      message: 'The request is rejected because the input detectorId is not owned by the current account.',
      status: 400,
    });
    expect(aws.state.findings.guardduty.get(`${A}|${REGION}`)?.every((f) => (f.service as { archived: boolean }).archived === false)).toBe(true);
  });
});

describe('GuardDuty archive in an organization (guardduty.json names the administrator)', () => {
  const ADMIN = '444455556666';
  let orgDir = '';
  beforeAll(() => {
    orgDir = mkdtempSync(path.join(tmpdir(), 'sirbot-aws-org-'));
    cpSync('src/scenarios/exposed-access-key', orgDir, { recursive: true });
    writeFileSync(path.join(orgDir, 'guardduty.json'), JSON.stringify({ administratorAccount: ADMIN }));
  });
  afterAll(() => rmSync(orgDir, { recursive: true, force: true }));

  it("refuses a member account's ArchiveFindings with GuardDuty's documented wording, and changes nothing", async () => {
    const org = await startFakeAws({ scenario: orgDir });
    try {
      const member = new GuardDutyClient({ ...config(), endpoint: org.endpoint });
      expect(await failure(member.send(new ArchiveFindingsCommand({ DetectorId: GD_DETECTOR, FindingIds: [GD_FINDING] })))).toEqual({
        name: 'BadRequestException',
        message: "Only the administrator account can archive findings. Member accounts don't have permission to archive findings from their accounts.",
        status: 400,
      });
      expect(org.state.findingUpdates).toEqual([]);
    } finally {
      await org.close();
    }
  });

  it("archives and unarchives a member's finding through the administrator's own detector", async () => {
    const org = await startFakeAws({ scenario: orgDir });
    try {
      expect(org.scenario.accounts).toContain(ADMIN);
      const admin = new GuardDutyClient({ ...config(ADMIN), endpoint: org.endpoint });
      const [detector] = (await admin.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
      expect(detector).toMatch(/^[0-9a-f]{32}$/);
      expect(detector).not.toBe(GD_DETECTOR);
      // The member's detector is not the administrator's.
      expect(await failure(admin.send(new ArchiveFindingsCommand({ DetectorId: GD_DETECTOR, FindingIds: [GD_FINDING] })))).toMatchObject({
        name: 'BadRequestException',
        status: 400,
      });
      await admin.send(new ArchiveFindingsCommand({ DetectorId: detector, FindingIds: [GD_FINDING] }));
      const seenByMember = async () =>
        (
          await new GuardDutyClient({ ...config(), endpoint: org.endpoint }).send(
            new GetGuardDutyFindingsCommand({ DetectorId: GD_DETECTOR, FindingIds: [GD_FINDING] }),
          )
        ).Findings?.[0]?.Service?.Archived;
      expect(await seenByMember()).toBe(true);
      // The administrator reads its members' findings too.
      expect((await admin.send(new GetGuardDutyFindingsCommand({ DetectorId: detector, FindingIds: [GD_FINDING] }))).Findings?.[0]?.AccountId).toBe(A);
      await admin.send(new UnarchiveFindingsCommand({ DetectorId: detector, FindingIds: [GD_FINDING] }));
      expect(await seenByMember()).toBe(false);
      expect(org.state.findingUpdates.map((u) => [u.operation, u.account])).toEqual([
        ['ArchiveFindings', ADMIN],
        ['UnarchiveFindings', ADMIN],
      ]);
    } finally {
      await org.close();
    }
  });
});
