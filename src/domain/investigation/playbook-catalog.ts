import { IDENTITY_CREATIONS } from './attack.ts';
import type { Playbook, PlaybookId } from './playbook.ts';

/**
 * The playbooks: what each kind of finding needs asked, gathered, watched for and
 * contained. The choice of playbook for a finding is in playbooks.ts; the parts a
 * finding adds (collectors by its resources, notes, the threat type) are composed there.
 *
 * Watched events are CloudTrail event names worth finding whoever made them in the
 * window. Each one is a LookupEvents query paged through a 2 request/s quota, so every
 * list stays short and specific to what the playbook is about.
 */

/** New identities and the grants that make them useful: how an intruder stays. */
const PERSISTENCE = [
  ...IDENTITY_CREATIONS,
  'AttachUserPolicy',
  'PutUserPolicy',
  'AttachRolePolicy',
  'PutRolePolicy',
  'CreatePolicyVersion',
  'UpdateAssumeRolePolicy',
];

/** Logging and detection turned off or weakened. */
const DEFENSE_EVASION = [
  'StopLogging',
  'DeleteTrail',
  'UpdateTrail',
  'PutEventSelectors',
  'DeleteFlowLogs',
  'DeleteDetector',
  'UpdateDetector',
  'DisassociateFromAdministratorAccount',
  'DisableSecurityHub',
  'StopConfigurationRecorder',
  'DeleteConfigurationRecorder',
  'UpdateAccountPasswordPolicy',
  'DeleteAccountPasswordPolicy',
  'DeleteResolverQueryLogConfig',
  'LeaveOrganization',
];

/** Bucket exposure, logging and retention changes. */
const S3_CHANGES = [
  'PutBucketPolicy',
  'DeleteBucketPolicy',
  'PutBucketAcl',
  'PutObjectAcl',
  'DeletePublicAccessBlock',
  'PutPublicAccessBlock',
  'DeleteAccountPublicAccessBlock',
  'PutBucketLogging',
  'PutBucketReplication',
  'PutBucketLifecycleConfiguration',
  'PutBucketEncryption',
  'DeleteBucket',
];

/** Launches, access paths into instances and what leaves with their disks. */
const EC2_CHANGES = [
  'RunInstances',
  'ModifyInstanceAttribute',
  'ModifyInstanceMetadataOptions',
  'AssociateIamInstanceProfile',
  'ReplaceIamInstanceProfileAssociation',
  'AuthorizeSecurityGroupIngress',
  'ImportKeyPair',
  'SendSSHPublicKey',
  'ModifySnapshotAttribute',
  'ModifyImageAttribute',
];

/**
 * Ways into a running instance's shell or console, which is how role credentials are read
 * off it: CloudTrail names the instance only in the request (`instanceIds`, `target`).
 */
const INSTANCE_ACCESS = ['SendCommand', 'StartSession', 'SendSerialConsoleSSHPublicKey'];

const EKS_CHANGES = [
  'CreateAccessEntry',
  'AssociateAccessPolicy',
  'UpdateClusterConfig',
  'CreateNodegroup',
  'UpdateNodegroupConfig',
  'CreatePodIdentityAssociation',
];
const ECS_CHANGES = ['RegisterTaskDefinition', 'RunTask', 'UpdateService', 'ExecuteCommand'];
const RDS_CHANGES = [
  'ModifyDBInstance',
  'ModifyDBCluster',
  'ModifyDBSnapshotAttribute',
  'ModifyDBClusterSnapshotAttribute',
  'CreateDBSnapshot',
  'RestoreDBInstanceFromDBSnapshot',
  'DeleteDBInstance',
];
const LAMBDA_CHANGES = [
  'UpdateFunctionCode20150331v2',
  'UpdateFunctionConfiguration20150331v2',
  'AddPermission20150331v2',
  'CreateFunctionUrlConfig20211031',
  'PublishLayerVersion20181031',
  'CreateFunction20150331',
];

/** The fields every playbook has; what a finding adds to it is composed in playbooks.ts. */
export type PlaybookBase = Omit<Playbook, 'notes' | 'signal' | 'threatType'>;

const base = (p: Omit<PlaybookBase, 'followUpHours' | 'instanceEvents'> & Partial<Pick<PlaybookBase, 'followUpHours' | 'instanceEvents'>>): PlaybookBase => ({
  followUpHours: 1,
  instanceEvents: [],
  ...p,
});

export const PLAYBOOKS: Record<PlaybookId, PlaybookBase> = {
  'credential-exposure': base({
    id: 'credential-exposure',
    name: 'Credential exposure or misuse',
    questions: ['exposedAt', 'principal', 'accessKeyId', 'rotated', 'accountId'],
    collectors: ['cloudtrail', 'iam', 'ec2', 'findings', 'cost'],
    lookbackDays: 7,
    containment: ['Deactivate the exposed credentials now (UpdateAccessKey Inactive, or revoke the role sessions) while the investigation runs.'],
    watchedEvents: [...PERSISTENCE, ...DEFENSE_EVASION.slice(0, 6), 'RunInstances'],
    searchBy: ['accessKey', 'iamUser', 'role', 'federatedUser', 'root'],
  }),
  'instance-credentials': base({
    id: 'instance-credentials',
    name: 'Instance role credentials used away from their instance',
    questions: ['exposedAt', 'principal', 'accessKeyId', 'instanceId', 'accountId'],
    collectors: ['cloudtrail', 'iam', 'ec2', 'findings', 'cost'],
    lookbackDays: 7,
    containment: [
      "Revoke the role's active sessions (an inline deny on tokens issued before now), so the stolen credentials stop working; the instance gets new ones.",
      'Require IMDSv2 on the instance (HttpTokens required, hop limit 1), then look at what on the instance could reach its metadata service (SSRF, a compromised process).',
    ],
    watchedEvents: [
      ...PERSISTENCE,
      'RunInstances',
      'ModifyInstanceMetadataOptions',
      'AssociateIamInstanceProfile',
      'ReplaceIamInstanceProfileAssociation',
      'StopLogging',
      'DeleteTrail',
    ],
    instanceEvents: INSTANCE_ACCESS,
    searchBy: ['accessKey', 'role', 'instance'],
  }),
  'ec2-compromise': base({
    id: 'ec2-compromise',
    name: 'EC2 instance compromise',
    questions: ['instanceId', 'accountId'],
    collectors: ['ec2', 'cloudtrail', 'findings', 'cost'],
    lookbackDays: 3,
    containment: [
      'Snapshot the instance volumes for forensics, then isolate the instance in a security group with no rules.',
      "Revoke the instance role's active sessions and check what its credentials were used for outside the instance.",
    ],
    // A compromised instance's role is the first thing an intruder tries to widen (AttachRolePolicy, PutRolePolicy).
    watchedEvents: [...EC2_CHANGES, ...PERSISTENCE],
    instanceEvents: INSTANCE_ACCESS,
    searchBy: ['instance', 'role', 'accessKey'],
  }),
  's3-data': base({
    id: 's3-data',
    name: 'S3 data access or exposure',
    questions: ['principal', 'accountId'],
    collectors: ['cloudtrail', 's3', 'iam', 'findings'],
    lookbackDays: 7,
    containment: [
      'Block public access on the bucket and remove policy or ACL grants to anyone outside the account, then review who read, wrote or deleted what (S3 data events or server access logs).',
      'If the caller was not expected, contain its credentials (deactivate the key, or revoke the role sessions).',
    ],
    watchedEvents: [...S3_CHANGES, ...IDENTITY_CREATIONS],
    searchBy: ['bucket', 'accessKey', 'iamUser', 'role'],
  }),
  'eks-compromise': base({
    id: 'eks-compromise',
    name: 'EKS cluster or Kubernetes workload compromise',
    questions: ['accountId'],
    collectors: ['eks', 'cloudtrail', 'iam', 'findings'],
    lookbackDays: 3,
    containment: [
      "Revoke the Kubernetes identity's access (its access entry, RBAC binding or service-account token) and isolate the affected pods with a deny-all network policy.",
      'Read the EKS audit log for what that identity did in the cluster; cordon the node if a privileged or host-mounted container ran on it.',
    ],
    watchedEvents: [...EKS_CHANGES, ...IDENTITY_CREATIONS],
    searchBy: ['eksCluster', 'role', 'iamUser'],
  }),
  'runtime-compromise': base({
    id: 'runtime-compromise',
    name: 'Container or host runtime compromise',
    questions: ['accountId'],
    collectors: ['cloudtrail', 'findings'],
    lookbackDays: 3,
    containment: [
      'Isolate the workload (stop the ECS task, cordon and drain the node, or quarantine the instance) after preserving it: snapshot the volumes and keep the container image.',
      "Revoke the workload role's active sessions, then rebuild from a known-good image.",
    ],
    watchedEvents: [...ECS_CHANGES, ...EKS_CHANGES.slice(0, 3), 'RunInstances', ...IDENTITY_CREATIONS],
    instanceEvents: INSTANCE_ACCESS,
    searchBy: ['ecsCluster', 'eksCluster', 'instance', 'role'],
  }),
  'rds-access': base({
    id: 'rds-access',
    name: 'RDS database login anomaly',
    questions: ['accountId'],
    collectors: ['rds', 'cloudtrail', 'findings'],
    lookbackDays: 3,
    containment: [
      "Change the database user's password (or disable it) and close the database to the addresses it was reached from; check it is not publicly accessible.",
      'Review the database logs for what that session did.',
    ],
    watchedEvents: [...RDS_CHANGES, ...IDENTITY_CREATIONS],
    searchBy: ['rdsInstance'],
  }),
  'lambda-compromise': base({
    id: 'lambda-compromise',
    name: 'Lambda function compromise',
    questions: ['accountId'],
    collectors: ['lambda', 'cloudtrail', 'iam', 'findings'],
    lookbackDays: 3,
    containment: [
      'Set the function’s reserved concurrency to 0 to stop it, keep its current code and configuration for forensics, then check who changed them.',
      "Revoke the function role's active sessions.",
    ],
    watchedEvents: [...LAMBDA_CHANGES, ...IDENTITY_CREATIONS],
    searchBy: ['lambdaFunction', 'role'],
  }),
  'defense-evasion': base({
    id: 'defense-evasion',
    name: 'Logging or detection turned off',
    questions: ['principal', 'accountId'],
    collectors: ['cloudtrail', 'iam', 'findings'],
    lookbackDays: 3,
    // What happened after the lights went out is the point: watch a day on.
    followUpHours: 24,
    containment: [
      'Turn the logging or detection back on (the trail, flow logs, GuardDuty, the password policy) now, then contain the credentials that turned it off unless that change was expected.',
    ],
    watchedEvents: [...DEFENSE_EVASION, ...PERSISTENCE],
    searchBy: ['accessKey', 'iamUser', 'role', 'root'],
  }),
  'root-credential-use': base({
    id: 'root-credential-use',
    name: 'Root credential use',
    questions: ['exposedAt', 'accountId'],
    // Root can launch anything anywhere: the bill shows what the events in the searched regions may not.
    collectors: ['cloudtrail', 'iam', 'findings', 'cost'],
    lookbackDays: 7,
    containment: ['Confirm with the account owner that the root use was expected; if not, reset the root password and MFA and delete any root access keys.'],
    watchedEvents: [...PERSISTENCE, ...DEFENSE_EVASION.slice(0, 9), 'RunInstances'],
    searchBy: ['root', 'accessKey'],
  }),
  'security-control': base({
    id: 'security-control',
    name: 'Security control failure',
    questions: ['accountId'],
    collectors: ['cloudtrail', 'findings'],
    lookbackDays: 7,
    containment: ['Apply the control’s remediation guidance to the affected resources, then confirm the finding resolves.'],
    watchedEvents: [],
    searchBy: ['bucket', 'instance', 'role', 'iamUser', 'accessKey', 'eksCluster', 'ecsCluster', 'rdsInstance', 'lambdaFunction'],
  }),
  vulnerability: base({
    id: 'vulnerability',
    name: 'Software vulnerability',
    questions: ['accountId'],
    collectors: ['findings'],
    lookbackDays: 7,
    containment: ['Patch or rebuild the affected instance, image or function with the fixed package version; until then limit its network exposure.'],
    watchedEvents: [],
    searchBy: ['instance', 'lambdaFunction', 'container'],
  }),
  generic: base({
    id: 'generic',
    name: 'Other finding',
    questions: ['accountId'],
    collectors: ['cloudtrail', 'findings'],
    lookbackDays: 7,
    containment: ['Apply the finding’s remediation guidance to the affected resources, then confirm the finding resolves.'],
    watchedEvents: [],
    searchBy: ['bucket', 'instance', 'role', 'iamUser', 'accessKey'],
  }),
};

/** The watched events of each resource kind a control can be about. */
export const CONTROL_WATCHED_EVENTS = {
  s3: S3_CHANGES,
  ec2: EC2_CHANGES,
  iam: PERSISTENCE,
  eks: EKS_CHANGES,
  ecs: ECS_CHANGES,
  rds: RDS_CHANGES,
  lambda: LAMBDA_CHANGES,
} as const;
