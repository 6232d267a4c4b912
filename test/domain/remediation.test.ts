import { describe, expect, it } from 'vitest';
import { REMEDIATIONS, checkInputs, quarantineGroupName, remediationById } from '../../src/domain/remediation/catalog.ts';
import { suggestRemediations } from '../../src/domain/remediation/suggest.ts';
import type { TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import { makeFinding } from '../support/findings.ts';

const get = (id: string) => {
  const r = remediationById(id);
  if (!r) throw new Error(`no remediation ${id}`);
  return r;
};
const key = { account: '111122223333', userName: 'ci-deployer', accessKeyId: 'AKIAEXPOSEDKEY000001' };
const instance = { account: '111122223333', region: 'us-east-1', instanceId: 'i-0a1b2c3d4e5f00001' };
const described = { Reservations: [{ Instances: [{ VpcId: 'vpc-1', SecurityGroups: [{ GroupId: 'sg-old1' }, { GroupId: 'sg-old2' }], BlockDeviceMappings: [{ Ebs: { VolumeId: 'vol-1' } }] }] }] };

describe('remediation catalog', () => {
  it('declares for each: inputs, role, approval, idempotency key and undo (or why none)', () => {
    for (const r of REMEDIATIONS) {
      expect(r.inputs.length).toBeGreaterThan(0);
      expect(['responder', 'approver']).toContain(r.role);
      expect(r.effect.length).toBeGreaterThan(10);
    }
    expect(REMEDIATIONS.filter((r) => r.secondApprover).map((r) => r.id)).toEqual(['delete-access-key']);
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
    expect(get('detach-user-policy').plan(policy, [])).toMatchObject({ calls: [{ operation: 'DetachUserPolicy' }], undo: [{ operation: 'AttachUserPolicy', input: policy.policyArn ? { PolicyArn: policy.policyArn } : {} }] });
  });

  it('quarantines into a new isolation group, recording the previous groups for undo', () => {
    const r = get('quarantine-instance');
    expect(r.reads(instance).map((c) => c.operation)).toEqual(['DescribeInstances', 'DescribeSecurityGroups']);
    const plan = r.plan(instance, [described, { SecurityGroups: [] }]);
    if ('error' in plan) throw new Error(plan.error);
    expect(plan.calls.map((c) => c.operation)).toEqual(['CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'ModifyInstanceAttribute']);
    expect(plan.calls[0]?.input).toMatchObject({ GroupName: quarantineGroupName(instance.instanceId), VpcId: 'vpc-1' });
    expect(plan.calls[2]?.input).toEqual({ InstanceId: instance.instanceId, Groups: [{ $ref: 'quarantine.GroupId' }] });
    expect(plan.undo).toEqual([expect.objectContaining({ operation: 'ModifyInstanceAttribute', input: { InstanceId: instance.instanceId, Groups: ['sg-old1', 'sg-old2'] } })]);
    const reuse = r.plan(instance, [described, { SecurityGroups: [{ GroupId: 'sg-q', VpcId: 'vpc-1' }] }]);
    expect('error' in reuse ? reuse : reuse.calls.map((c) => c.operation)).toEqual(['ModifyInstanceAttribute']);
    expect(r.plan(instance, [{ error: 'InvalidInstanceID.NotFound' }, {}])).toEqual({ error: `could not describe ${instance.instanceId} or its quarantine group: InvalidInstanceID.NotFound` });
  });

  it('snapshots every volume; runs the AWS containment runbook with Contain and Release', () => {
    expect(get('snapshot-instance').plan(instance, [described])).toMatchObject({ calls: [{ operation: 'CreateSnapshots', input: { InstanceSpecification: { InstanceId: instance.instanceId } } }], undo: null });
    const runbook = get('contain-instance-runbook').plan({ ...instance, backupBucket: 'ir-backups' }, []);
    expect(runbook).toMatchObject({
      calls: [{ service: 'ssm', operation: 'StartAutomationExecution', input: { DocumentName: 'AWSSupport-ContainEC2Instance', Parameters: { Action: ['Contain'], BackupS3BucketName: ['ir-backups'] } } }],
      undo: [{ input: { Parameters: { Action: ['Release'] } } }],
    });
  });

  it('blocks public access on a bucket and undoes to the settings it had', () => {
    const r = get('block-s3-public-access');
    const bucket = { account: key.account, region: 'us-east-1', bucket: 'example-bucket' };
    const fromNone = r.plan(bucket, [{ error: 'NoSuchPublicAccessBlockConfiguration' }]);
    expect(fromNone).toMatchObject({ calls: [{ operation: 'PutPublicAccessBlock', input: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true } } }], undo: [{ input: { PublicAccessBlockConfiguration: { BlockPublicAcls: false } } }] });
    const partial = r.plan(bucket, [{ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false } }]);
    expect(partial).toMatchObject({ undo: [{ input: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: false } } }] });
    expect(r.plan(bucket, [{ error: 'AccessDenied' }])).toEqual({ error: "could not read the bucket's settings: AccessDenied" });
  });

  it('refuses malformed or unexpected inputs', () => {
    const r = get('deactivate-access-key');
    expect(checkInputs(r, key)).toBeNull();
    expect(checkInputs(r, { ...key, accessKeyId: 'AKIA<@U123>' })).toBe('Access key "AKIA<@U123>" is not well-formed');
    expect(checkInputs(r, { ...key, account: '' })).toBe('Account is missing');
    expect(checkInputs(r, { ...key, extra: 'x' })).toBe('unexpected input(s): extra');
  });
});

const ct = (over: Partial<TimelineEntry>): TimelineEntry => ({
  id: Math.random().toString(36), time: '2026-11-21T10:00:00Z', source: 'cloudtrail', action: 'ListUsers', service: 'iam.amazonaws.com', actor: 'ci-deployer',
  actorType: 'IAMUser', accessKeyId: 'AKIAEXPOSEDKEY000001', sourceIp: '203.0.113.50', userAgent: null, resources: [], errorCode: null,
  accountId: '111122223333', region: 'us-east-1', tactics: [], highlights: [], ...over,
});

describe('suggested remediations', () => {
  it('offers what the evidence supports, with inputs filled in', () => {
    const finding = makeFinding({
      schema: 'guardduty',
      resources: [{ type: 'AwsIamAccessKey', id: 'AKIAEXPOSEDKEY000001', region: 'us-east-1', tags: {} }],
      raw: { resource: { accessKeyDetails: { accessKeyId: 'AKIAEXPOSEDKEY000001', userName: 'ci-deployer' } } },
    });
    const timeline = [
      ct({ action: 'CreateAccessKey', resources: ['backdoor-user', 'AKIABACKDOORKEY00001'] }),
      ct({ action: 'AttachUserPolicy', resources: ['backdoor-user', 'arn:aws:iam::aws:policy/AdministratorAccess'] }),
      ct({ action: 'RunInstances', resources: ['i-0a1b2c3d4e5f00001'] }),
      ct({ action: 'CreateAccessKey', resources: ['x', 'AKIAFAILEDKEY0000001'], errorCode: 'AccessDenied' }),
    ];
    const s = suggestRemediations(finding, timeline);
    expect(s.map((x) => `${x.remediationId} ${x.label}`)).toEqual([
      'deactivate-access-key Deactivate AKIAEXPOSEDKEY000001',
      'delete-access-key Delete AKIABACKDOORKEY00001',
      'detach-user-policy Detach AdministratorAccess',
      'snapshot-instance Snapshot i-0a1b2c3d4e5f00001',
      'quarantine-instance Quarantine i-0a1b2c3d4e5f00001',
    ]);
    expect(s[1]?.inputs).toEqual({ account: '111122223333', userName: 'backdoor-user', accessKeyId: 'AKIABACKDOORKEY00001' });
    for (const x of s) expect(checkInputs(get(x.remediationId), x.inputs)).toBeNull();
  });

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
    expect(suggestRemediations(finding, timeline).map((x) => x.label)).toEqual(['Snapshot i-0a1b2c3d4e5f00001', 'Quarantine i-0a1b2c3d4e5f00001']);
  });

  it('offers blocking public access for a bucket finding', () => {
    expect(suggestRemediations(makeFinding(), []).map((x) => x.inputs)).toEqual([{ account: '111122223333', region: 'us-east-1', bucket: 'example-bucket' }]);
  });
});
