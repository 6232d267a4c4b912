import type { AwsCall } from '../actions/aws-call.ts';
import type { Remediation, RemediationInputs } from './remediation.ts';
import { ACCESS_KEY, BUCKET, POLICY_ARN, USER, describeInstance, ec2, failed, iam, inAccount, inInstance, inRegion, instanceOf } from './calls.ts';
import { enforceImdsV2 } from './instance-metadata.ts';
import { revokeRoleSessions } from './role-sessions.ts';

export type { InputSpec, Plan, Remediation, RemediationChoice, RemediationInputs, RemediationTarget } from './remediation.ts';

/** Security group that isolates an instance: no inbound rule, and its default egress removed. */
export const QUARANTINE_GROUP = 'sirbot-quarantine';

const deactivateAccessKey: Remediation = {
  id: 'deactivate-access-key',
  title: 'Deactivate access key',
  effect: 'Sets the access key to Inactive: every call signed with it fails until it is reactivated.',
  inputs: [inAccount, { name: 'userName', label: 'IAM user', pattern: USER }, { name: 'accessKeyId', label: 'Access key', pattern: ACCESS_KEY }],
  role: 'responder',
  secondApprover: false,
  reads: () => [],
  plan: (i) => ({
    calls: [iam(i, 'UpdateAccessKey', { UserName: i.userName, AccessKeyId: i.accessKeyId, Status: 'Inactive' })],
    undo: [iam(i, 'UpdateAccessKey', { UserName: i.userName, AccessKeyId: i.accessKeyId, Status: 'Active' })],
    notes: ['Applications using this key stop working until it is reactivated or replaced.'],
  }),
  idempotencyKey: (i) => `deactivate-access-key:${i.account}:${i.accessKeyId}`,
};

const deleteAccessKey: Remediation = {
  id: 'delete-access-key',
  title: 'Delete access key',
  effect: 'Deletes the access key for good. Meant for keys an attacker created during the activity.',
  inputs: [inAccount, { name: 'userName', label: 'IAM user', pattern: USER }, { name: 'accessKeyId', label: 'Access key', pattern: ACCESS_KEY }],
  role: 'responder',
  secondApprover: true,
  reads: () => [],
  plan: (i) => ({
    calls: [iam(i, 'DeleteAccessKey', { UserName: i.userName, AccessKeyId: i.accessKeyId })],
    undo: null,
    notes: ['This cannot be undone: a deleted key is gone. Deactivate first if you are unsure.'],
  }),
  idempotencyKey: (i) => `delete-access-key:${i.account}:${i.accessKeyId}`,
};

const detachUserPolicy: Remediation = {
  id: 'detach-user-policy',
  title: 'Detach user policy',
  effect: 'Detaches a managed policy from an IAM user (one attached during the activity).',
  inputs: [inAccount, { name: 'userName', label: 'IAM user', pattern: USER }, { name: 'policyArn', label: 'Policy ARN', pattern: POLICY_ARN }],
  role: 'responder',
  secondApprover: false,
  reads: () => [],
  plan: (i) => ({
    calls: [iam(i, 'DetachUserPolicy', { UserName: i.userName, PolicyArn: i.policyArn })],
    undo: [iam(i, 'AttachUserPolicy', { UserName: i.userName, PolicyArn: i.policyArn })],
    // The member role may re-attach only policies its deployer listed (deploy/member-role.yml).
    notes: ['Undo re-attaches the policy only in accounts whose sirbot member role lists it in ReattachablePolicyArns; elsewhere, re-attach it by hand.'],
  }),
  idempotencyKey: (i) => `detach-user-policy:${i.account}:${i.userName}:${i.policyArn}`,
};

export function quarantineGroupName(instanceId: string): string {
  return `${QUARANTINE_GROUP}-${instanceId}`;
}

const quarantineInstance: Remediation = {
  id: 'quarantine-instance',
  title: 'Quarantine EC2 instance',
  effect: `Replaces the instance's security groups with a ${QUARANTINE_GROUP} group (no inbound, no outbound); the previous groups are recorded for undo.`,
  inputs: [inAccount, inRegion, inInstance],
  role: 'responder',
  secondApprover: false,
  reads: (i) => [
    describeInstance(i),
    ec2(i, 'DescribeSecurityGroups', { Filters: [{ Name: 'group-name', Values: [quarantineGroupName(i.instanceId as string)] }] }),
  ],
  plan: (i, answers) => {
    const problem = failed(answers[0]) ?? failed(answers[1]);
    if (problem) return { error: `could not describe ${i.instanceId} or its quarantine group: ${problem}` };
    const instance = instanceOf(answers[0]);
    if (!instance) return { error: `instance ${i.instanceId} was not found in ${i.account}/${i.region}` };
    if (!instance.VpcId) return { error: `instance ${i.instanceId} is not in a VPC, so its groups cannot be replaced` };
    const previous = (instance.SecurityGroups ?? []).map((g) => g.GroupId).filter((g): g is string => Boolean(g));
    // A group left by an earlier quarantine of this instance is reused: creating it again would fail.
    const existing = ((answers[1] as { SecurityGroups?: Array<{ GroupId?: string; VpcId?: string }> } | null)?.SecurityGroups ?? []).find(
      (g) => g.GroupId && (!g.VpcId || g.VpcId === instance.VpcId),
    );
    if (existing?.GroupId && previous.length === 1 && previous[0] === existing.GroupId) return { error: `instance ${i.instanceId} is already quarantined` };
    const group = existing?.GroupId ?? { $ref: 'quarantine.GroupId' };
    const create = existing?.GroupId
      ? []
      : [
          ec2(
            i,
            'CreateSecurityGroup',
            { GroupName: quarantineGroupName(i.instanceId as string), Description: `sirbot quarantine for ${i.instanceId}`, VpcId: instance.VpcId },
            'quarantine',
          ),
          ec2(i, 'RevokeSecurityGroupEgress', { GroupId: group, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
        ];
    return {
      calls: [...create, ec2(i, 'ModifyInstanceAttribute', { InstanceId: i.instanceId, Groups: [group] })],
      undo: previous.length > 0 ? [ec2(i, 'ModifyInstanceAttribute', { InstanceId: i.instanceId, Groups: previous })] : null,
      notes: [
        `Current groups, restored by undo: ${previous.join(', ') || 'none'}.`,
        'Connections already open may survive until they close (security groups track connections); snapshot first if you need the disks.',
      ],
    };
  },
  idempotencyKey: (i) => `quarantine-instance:${i.account}:${i.region}:${i.instanceId}`,
};

const containInstanceRunbook: Remediation = {
  id: 'contain-instance-runbook',
  title: 'Contain EC2 instance (AWSSupport-ContainEC2Instance)',
  effect: "Runs AWS's AWSSupport-ContainEC2Instance automation in Contain mode; undo runs it in Release mode.",
  inputs: [inAccount, inRegion, inInstance],
  role: 'responder',
  secondApprover: false,
  reads: () => [],
  plan: (i) => {
    const run = (action: 'Contain' | 'Release'): AwsCall => ({
      service: 'ssm',
      operation: 'StartAutomationExecution',
      account: i.account as string,
      region: i.region as string,
      input: {
        DocumentName: 'AWSSupport-ContainEC2Instance',
        Parameters: {
          InstanceId: [i.instanceId],
          Action: [action],
          ...(i.backupBucket ? { BackupS3BucketName: [i.backupBucket] } : {}),
          ...(i.automationRole ? { AutomationAssumeRole: [i.automationRole] } : {}),
        },
      },
    });
    return { calls: [run('Contain')], undo: [run('Release')], notes: ['The runbook backs up the current security groups to S3 and restores them on Release.'] };
  },
  idempotencyKey: (i) => `contain-instance-runbook:${i.account}:${i.region}:${i.instanceId}`,
};

const snapshotInstance: Remediation = {
  id: 'snapshot-instance',
  title: 'Snapshot EBS volumes',
  effect: 'Snapshots every EBS volume attached to the instance, for forensics, before it is contained or terminated.',
  inputs: [inAccount, inRegion, inInstance],
  role: 'responder',
  secondApprover: false,
  reads: (i) => [describeInstance(i)],
  plan: (i, answers) => {
    const problem = failed(answers[0]);
    if (problem) return { error: `could not describe ${i.instanceId}: ${problem}` };
    const instance = instanceOf(answers[0]);
    if (!instance) return { error: `instance ${i.instanceId} was not found in ${i.account}/${i.region}` };
    const volumes = (instance.BlockDeviceMappings ?? []).map((b) => b.Ebs?.VolumeId).filter(Boolean);
    return {
      calls: [
        ec2(i, 'CreateSnapshots', {
          InstanceSpecification: { InstanceId: i.instanceId, ExcludeBootVolume: false },
          Description: `sirbot forensic snapshot of ${i.instanceId}`,
          CopyTagsFromSource: 'volume',
          TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'sirbot:forensics', Value: i.instanceId }] }],
        }),
      ],
      // Evidence is kept: there is nothing to put back.
      undo: null,
      notes: [`${volumes.length} attached volume(s): ${volumes.join(', ') || 'none listed'}.`],
    };
  },
  idempotencyKey: (i) => `snapshot-instance:${i.account}:${i.region}:${i.instanceId}`,
};

const ALL_BLOCKED = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const NONE_BLOCKED = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };

/** The four settings in words: `BlockPublicAcls on, IgnorePublicAcls off, …`. */
function settingsWords(settings: Record<string, boolean>): string {
  return Object.keys(NONE_BLOCKED)
    .map((name) => `${name} ${settings[name] === true ? 'on' : 'off'}`)
    .join(', ');
}

const blockBucketPublicAccess: Remediation = {
  id: 'block-s3-public-access',
  title: 'Block public access on S3 bucket',
  effect: 'Turns on all four S3 Block Public Access settings for the bucket; undo restores the settings it had.',
  inputs: [inAccount, inRegion, { name: 'bucket', label: 'Bucket', pattern: BUCKET }],
  role: 'responder',
  secondApprover: false,
  reads: (i) => [{ service: 's3', operation: 'GetPublicAccessBlock', account: i.account as string, region: i.region as string, input: { Bucket: i.bucket } }],
  plan: (i, answers) => {
    const problem = failed(answers[0]);
    if (problem && problem !== 'NoSuchPublicAccessBlockConfiguration') return { error: `could not read the bucket's settings: ${problem}` };
    const previous = problem
      ? NONE_BLOCKED
      : ((answers[0] as { PublicAccessBlockConfiguration?: Record<string, boolean> }).PublicAccessBlockConfiguration ?? NONE_BLOCKED);
    const put = (config: Record<string, boolean>): AwsCall => ({
      service: 's3',
      operation: 'PutPublicAccessBlock',
      account: i.account as string,
      region: i.region as string,
      input: { Bucket: i.bucket, PublicAccessBlockConfiguration: config },
    });
    return {
      calls: [put(ALL_BLOCKED)],
      undo: [put({ ...NONE_BLOCKED, ...previous })],
      notes: [
        `Block Public Access now, restored by undo: ${settingsWords({ ...NONE_BLOCKED, ...previous })}.`,
        'Anything that relied on public access (a website, public downloads) stops working.',
      ],
    };
  },
  idempotencyKey: (i) => `block-s3-public-access:${i.account}:${i.bucket}`,
};

export const REMEDIATIONS: readonly Remediation[] = [
  deactivateAccessKey,
  deleteAccessKey,
  detachUserPolicy,
  snapshotInstance,
  quarantineInstance,
  containInstanceRunbook,
  blockBucketPublicAccess,
  revokeRoleSessions,
  enforceImdsV2,
];

export function remediationById(id: string): Remediation | undefined {
  return REMEDIATIONS.find((r) => r.id === id);
}

/** Every declared input present and well-formed; extra inputs are refused so nothing unseen rides along. */
export function checkInputs(r: Remediation, i: RemediationInputs): string | null {
  for (const spec of r.inputs) {
    const v = i[spec.name];
    if (v === undefined || v === '') return `${spec.label} is missing`;
    if (!spec.pattern.test(v)) return `${spec.label} "${v.slice(0, 80)}" is not well-formed`;
  }
  const optional = new Set(['backupBucket', 'automationRole']);
  const extra = Object.keys(i).filter((k) => !r.inputs.some((s) => s.name === k) && !optional.has(k));
  return extra.length > 0 ? `unexpected input(s): ${extra.join(', ')}` : null;
}
