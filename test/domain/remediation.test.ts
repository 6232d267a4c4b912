import { describe, expect, it } from 'vitest';
import { REMEDIATIONS, checkInputs, quarantineGroupName, remediationById } from '../../src/domain/remediation/catalog.ts';
import { resolveRefs } from '../../src/domain/actions/aws-call.ts';

const get = (id: string) => {
  const r = remediationById(id);
  if (!r) throw new Error(`no remediation ${id}`);
  return r;
};
const key = { account: '111122223333', userName: 'ci-deployer', accessKeyId: 'AKIAEXPOSEDKEY000001' };
const instance = { account: '111122223333', region: 'us-east-1', instanceId: 'i-0a1b2c3d4e5f00001' };
const described = {
  Reservations: [
    {
      Instances: [{ VpcId: 'vpc-1', SecurityGroups: [{ GroupId: 'sg-old1' }, { GroupId: 'sg-old2' }], BlockDeviceMappings: [{ Ebs: { VolumeId: 'vol-1' } }] }],
    },
  ],
};

describe('remediation catalog', () => {
  it('declares for each: inputs, role, approval, idempotency key and undo (or why none)', () => {
    for (const r of REMEDIATIONS) {
      expect(r.inputs.length).toBeGreaterThan(0);
      expect(['responder', 'approver']).toContain(r.role);
      expect(r.effect.length).toBeGreaterThan(10);
    }
    // Irreversible (a deleted key), or breaking every workload on a role (its sessions revoked).
    expect(REMEDIATIONS.filter((r) => r.secondApprover).map((r) => r.id)).toEqual(['delete-access-key', 'revoke-role-sessions']);
    // Undoing a revocation lets the stolen sessions work again: approvers only.
    expect(REMEDIATIONS.filter((r) => r.undoRole).map((r) => `${r.id} ${r.undoRole}`)).toEqual(['revoke-role-sessions approver']);
  });

  it('deactivates a key and undoes by reactivating it', () => {
    const plan = get('deactivate-access-key').plan(key, []);
    expect(plan).toMatchObject({
      calls: [{ service: 'iam', operation: 'UpdateAccessKey', input: { UserName: 'ci-deployer', AccessKeyId: key.accessKeyId, Status: 'Inactive' } }],
      undo: [{ operation: 'UpdateAccessKey', input: { Status: 'Active' } }],
    });
    expect(get('deactivate-access-key').idempotencyKey(key)).toBe('deactivate-access-key:111122223333:AKIAEXPOSEDKEY000001');
  });

  it('deleting a key has no undo; detaching a policy is undone by attaching it', () => {
    expect(get('delete-access-key').plan(key, [])).toMatchObject({ calls: [{ operation: 'DeleteAccessKey' }], undo: null });
    const policy = { account: key.account, userName: 'ci-deployer', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' };
    expect(get('detach-user-policy').plan(policy, [])).toMatchObject({
      calls: [{ operation: 'DetachUserPolicy' }],
      undo: [{ operation: 'AttachUserPolicy', input: policy.policyArn ? { PolicyArn: policy.policyArn } : {} }],
    });
  });

  it('quarantines into a new isolation group, recording the previous groups for undo', () => {
    const r = get('quarantine-instance');
    expect(r.reads(instance).map((c) => c.operation)).toEqual(['DescribeInstances', 'DescribeSecurityGroups']);
    const plan = r.plan(instance, [described, { SecurityGroups: [] }]);
    if ('error' in plan) throw new Error(plan.error);
    expect(plan.calls.map((c) => c.operation)).toEqual(['CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'ModifyInstanceAttribute']);
    expect(plan.calls[0]?.input).toMatchObject({ GroupName: quarantineGroupName(instance.instanceId), VpcId: 'vpc-1' });
    expect(plan.calls[2]?.input).toEqual({ InstanceId: instance.instanceId, Groups: [{ $ref: 'quarantine.GroupId' }] });
    expect(plan.undo).toEqual([
      expect.objectContaining({ operation: 'ModifyInstanceAttribute', input: { InstanceId: instance.instanceId, Groups: ['sg-old1', 'sg-old2'] } }),
    ]);
    const reuse = r.plan(instance, [described, { SecurityGroups: [{ GroupId: 'sg-q', VpcId: 'vpc-1' }] }]);
    expect('error' in reuse ? reuse : reuse.calls.map((c) => c.operation)).toEqual(['ModifyInstanceAttribute']);
    expect(r.plan(instance, [{ error: 'InvalidInstanceID.NotFound' }, {}])).toEqual({
      error: `could not describe ${instance.instanceId} or its quarantine group: InvalidInstanceID.NotFound`,
    });
  });

  it('snapshots every volume; runs the AWS containment runbook with Contain and Release', () => {
    expect(get('snapshot-instance').plan(instance, [described])).toMatchObject({
      calls: [{ operation: 'CreateSnapshots', input: { InstanceSpecification: { InstanceId: instance.instanceId } } }],
      undo: null,
    });
    const runbook = get('contain-instance-runbook').plan({ ...instance, backupBucket: 'ir-backups' }, []);
    expect(runbook).toMatchObject({
      calls: [
        {
          service: 'ssm',
          operation: 'StartAutomationExecution',
          input: { DocumentName: 'AWSSupport-ContainEC2Instance', Parameters: { Action: ['Contain'], BackupS3BucketName: ['ir-backups'] } },
        },
      ],
      undo: [{ input: { Parameters: { Action: ['Release'] } } }],
    });
  });

  it('blocks public access on a bucket and undoes to the settings it had', () => {
    const r = get('block-s3-public-access');
    const bucket = { account: key.account, region: 'us-east-1', bucket: 'example-bucket' };
    const fromNone = r.plan(bucket, [{ error: 'NoSuchPublicAccessBlockConfiguration' }]);
    expect(fromNone).toMatchObject({
      calls: [{ operation: 'PutPublicAccessBlock', input: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true } } }],
      undo: [{ input: { PublicAccessBlockConfiguration: { BlockPublicAcls: false } } }],
    });
    const partial = r.plan(bucket, [
      { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } },
    ]);
    expect(partial).toMatchObject({ undo: [{ input: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: false } } }] });
    // The preview says the settings in words, not as the answer's JSON.
    expect((partial as { notes: string[] }).notes[0]).toBe(
      'Block Public Access now, restored by undo: BlockPublicAcls on, IgnorePublicAcls off, BlockPublicPolicy off, RestrictPublicBuckets off.',
    );
    expect(r.plan(bucket, [{ error: 'AccessDenied' }])).toEqual({ error: "could not read the bucket's settings: AccessDenied" });
  });

  it("revokes a role's sessions as the IAM console does: AWSRevokeOlderSessions denies everything to tokens issued before the call", () => {
    const r = get('revoke-role-sessions');
    const role = { account: '111122223333', roleName: 'webapp-ec2-role' };
    expect(r.reads(role)).toEqual([
      { service: 'iam', operation: 'GetRole', account: role.account, region: 'us-east-1', input: { RoleName: 'webapp-ec2-role' } },
      {
        service: 'iam',
        operation: 'GetRolePolicy',
        account: role.account,
        region: 'us-east-1',
        input: { RoleName: 'webapp-ec2-role', PolicyName: 'AWSRevokeOlderSessions' },
      },
    ]);
    const found = { Role: { RoleName: 'webapp-ec2-role', Path: '/' } };
    const plan = r.plan(role, [found, { error: 'NoSuchEntity' }]);
    if ('error' in plan) throw new Error(plan.error);
    expect(plan.calls).toEqual([
      {
        service: 'iam',
        operation: 'PutRolePolicy',
        account: role.account,
        region: 'us-east-1',
        input: {
          RoleName: 'webapp-ec2-role',
          PolicyName: 'AWSRevokeOlderSessions',
          PolicyDocument: {
            $json: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': { $time: 'call' } } } }],
            },
          },
        },
      },
    ]);
    expect(plan.undo).toEqual([
      expect.objectContaining({ operation: 'DeleteRolePolicy', input: { RoleName: 'webapp-ec2-role', PolicyName: 'AWSRevokeOlderSessions' } }),
    ]);
    expect(plan.notes.join(' ')).toContain('only approvers may undo');
    // What is sent: the document with the time of the call.
    const sent = resolveRefs(plan.calls[0]!.input, {}, '2026-10-14T13:20:00.000Z') as { PolicyDocument: string };
    expect(JSON.parse(sent.PolicyDocument).Statement[0].Condition).toEqual({ DateLessThan: { 'aws:TokenIssueTime': '2026-10-14T13:20:00.000Z' } });
    expect(r.idempotencyKey(role)).toBe('revoke-role-sessions:111122223333:webapp-ec2-role');
  });

  it('a second revocation moves the time forward and its undo puts the earlier document back (IAM answers it URL-encoded)', () => {
    const earlier = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' } } }],
    });
    const plan = get('revoke-role-sessions').plan({ account: '111122223333', roleName: 'app' }, [
      { Role: { Path: '/' } },
      { PolicyDocument: encodeURIComponent(earlier) },
    ]);
    expect(plan).toMatchObject({
      undo: [{ operation: 'PutRolePolicy', input: { RoleName: 'app', PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: earlier } }],
    });
  });

  it('refuses to revoke what IAM will not take, and says why', () => {
    const r = get('revoke-role-sessions');
    const plan = (roleName: string, role: unknown, policy: unknown = { error: 'NoSuchEntity' }) =>
      r.plan({ account: '111122223333', roleName }, [role, policy]);
    expect(plan('gone', { error: 'NoSuchEntity' })).toEqual({ error: 'role gone was not found in 111122223333' });
    expect(plan('AWSServiceRoleForAutoScaling', { Role: { Path: '/aws-service-role/autoscaling.amazonaws.com/' } })).toEqual({
      error: 'AWSServiceRoleForAutoScaling is a service-linked role: IAM does not let its sessions be revoked',
    });
    expect(plan('AWSReservedSSO_Admin_0123', { Role: { Path: '/aws-reserved/sso.amazonaws.com/' } })).toMatchObject({
      error: expect.stringContaining('revoke its sessions in IAM Identity Center'),
    });
    expect(plan('app', { Role: { Path: '/' } }, { error: 'AccessDenied' })).toEqual({
      error: "could not read the role's AWSRevokeOlderSessions policy: AccessDenied",
    });
    expect(checkInputs(r, { account: '111122223333', roleName: 'role/with/path' })).toBe('IAM role "role/with/path" is not well-formed');
  });

  it('requires IMDSv2 on an instance; undo sets back optional, and only when DescribeInstances said optional', () => {
    const r = get('enforce-imdsv2');
    expect(r.reads(instance).map((c) => c.operation)).toEqual(['DescribeInstances']);
    const withOptions = (MetadataOptions: unknown, state = 'running') => ({ Reservations: [{ Instances: [{ State: { Name: state }, MetadataOptions }] }] });
    const plan = r.plan(instance, [withOptions({ State: 'applied', HttpTokens: 'optional', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' })]);
    if ('error' in plan) throw new Error(plan.error);
    expect(plan.calls).toEqual([
      {
        service: 'ec2',
        operation: 'ModifyInstanceMetadataOptions',
        account: instance.account,
        region: instance.region,
        input: { InstanceId: instance.instanceId, HttpTokens: 'required' },
      },
    ]);
    expect(plan.undo).toEqual([
      expect.objectContaining({ operation: 'ModifyInstanceMetadataOptions', input: { InstanceId: instance.instanceId, HttpTokens: 'optional' } }),
    ]);
    expect(plan.notes.join(' ')).toContain('hop limit is 1');
    expect(r.plan(instance, [withOptions(undefined)])).toMatchObject({ undo: null });
    expect(r.plan(instance, [withOptions({ HttpTokens: 'required' })])).toEqual({ error: `instance ${instance.instanceId} already requires IMDSv2` });
    expect(r.plan(instance, [withOptions({ HttpTokens: 'optional' }, 'terminated')])).toEqual({ error: `instance ${instance.instanceId} is terminated` });
    expect(r.plan(instance, [{ error: 'InvalidInstanceID.NotFound' }])).toEqual({
      error: `could not describe ${instance.instanceId}: InvalidInstanceID.NotFound`,
    });
    expect(r.idempotencyKey(instance)).toBe('enforce-imdsv2:111122223333:us-east-1:i-0a1b2c3d4e5f00001');
  });

  it('refuses malformed or unexpected inputs', () => {
    const r = get('deactivate-access-key');
    expect(checkInputs(r, key)).toBeNull();
    expect(checkInputs(r, { ...key, accessKeyId: 'AKIA<@U123>' })).toBe('Access key "AKIA<@U123>" is not well-formed');
    expect(checkInputs(r, { ...key, account: '' })).toBe('Account is missing');
    expect(checkInputs(r, { ...key, extra: 'x' })).toBe('unexpected input(s): extra');
  });
});
