/**
 * MITRE ATT&CK (Enterprise, cloud) tactics for AWS API calls as CloudTrail records
 * them. A call can serve more than one tactic (AttachUserPolicy both escalates and
 * persists); RunInstances is tagged Impact only in bursts (see timeline.ts).
 */
export type Tactic =
  | 'Initial Access'
  | 'Execution'
  | 'Persistence'
  | 'Privilege Escalation'
  | 'Defense Evasion'
  | 'Credential Access'
  | 'Discovery'
  | 'Lateral Movement'
  | 'Collection'
  | 'Exfiltration'
  | 'Impact';

/** APIs that change what an identity may do: attach, put or replace a policy, or a role's trust. */
export const POLICY_CHANGES = new Set([
  'AttachUserPolicy',
  'PutUserPolicy',
  'AttachRolePolicy',
  'PutRolePolicy',
  'AttachGroupPolicy',
  'PutGroupPolicy',
  'CreatePolicyVersion',
  'SetDefaultPolicyVersion',
  'UpdateAssumeRolePolicy',
]);

const TABLE: Record<Tactic, string[]> = {
  'Initial Access': ['ConsoleLogin'],
  Execution: ['SendCommand', 'StartSession', 'InvokeFunction', 'UpdateFunctionCode', 'CreateFunction', 'StartInstances', 'ModifyInstanceAttribute'],
  Persistence: [
    'CreateUser',
    'CreateAccessKey',
    'CreateLoginProfile',
    'UpdateLoginProfile',
    'CreateRole',
    'UpdateAssumeRolePolicy',
    'CreateInstanceProfile',
    'AddRoleToInstanceProfile',
    'AddUserToGroup',
    'ImportKeyPair',
    'CreateKeyPair',
    'CreateVirtualMFADevice',
    'EnableMFADevice',
    'AttachUserPolicy',
    'AttachRolePolicy',
    'PutUserPolicy',
    'PutRolePolicy',
  ],
  'Privilege Escalation': [...POLICY_CHANGES, 'AddUserToGroup', 'PassRole'],
  'Defense Evasion': [
    'StopLogging',
    'DeleteTrail',
    'UpdateTrail',
    'PutEventSelectors',
    'DeleteDetector',
    'UpdateDetector',
    'DeleteMembers',
    'DisassociateFromMasterAccount',
    'DisassociateFromAdministratorAccount',
    'DisableSecurityHub',
    'BatchDisableStandards',
    'DeleteFlowLogs',
    'StopConfigurationRecorder',
    'DeleteConfigurationRecorder',
    'DeleteDeliveryChannel',
    'DeleteConfigRule',
    'DeleteLogGroup',
    'DeleteLogStream',
    'PutBucketLogging',
    'AuthorizeSecurityGroupIngress',
    'EnableSerialConsoleAccess',
    'LeaveOrganization',
  ],
  'Credential Access': [
    'GetSecretValue',
    'BatchGetSecretValue',
    'GetPasswordData',
    'GetParameter',
    'GetParameters',
    'GetParametersByPath',
    'CreateAccessKey',
    'GetSessionToken',
    'GetFederationToken',
    'RequestCertificate',
  ],
  Discovery: [
    'GetCallerIdentity',
    'ListUsers',
    'ListRoles',
    'ListGroups',
    'ListPolicies',
    'ListBuckets',
    'ListAccessKeys',
    'ListAttachedUserPolicies',
    'ListAttachedRolePolicies',
    'ListUserPolicies',
    'ListRolePolicies',
    'GetUser',
    'GetRole',
    'GetPolicy',
    'GetPolicyVersion',
    'GetAccountAuthorizationDetails',
    'GetAccountSummary',
    'ListAccountAliases',
    'DescribeInstances',
    'DescribeInstanceInformation',
    'DescribeSecurityGroups',
    'DescribeRegions',
    'DescribeVpcs',
    'DescribeSubnets',
    'DescribeImages',
    'DescribeSnapshots',
    'DescribeDBInstances',
    'ListSecrets',
    'DescribeParameters',
    'ListFunctions',
    'ListFunctions20150331',
    'ListClusters',
    'DescribeTrails',
    'GetTrailStatus',
    'ListDetectors',
    'GetBucketAcl',
    'GetBucketPolicy',
    'ListObjects',
    'ListObjectsV2',
    'ListFoundationModels',
    'GetFoundationModelAvailability',
    'ListOrganizationalUnitsForParent',
    'DescribeOrganization',
    'ListAccounts',
  ],
  'Lateral Movement': ['SendSSHPublicKey', 'SendSerialConsoleSSHPublicKey', 'AssumeRole', 'AssumeRoleWithWebIdentity'],
  Collection: ['GetObject', 'CopyObject', 'CreateSnapshot', 'CopySnapshot', 'GetCommandInvocation'],
  Exfiltration: [
    'ModifySnapshotAttribute',
    'ModifyImageAttribute',
    'ModifyDBSnapshotAttribute',
    'ModifyDBClusterSnapshotAttribute',
    'PutBucketPolicy',
    'PutBucketAcl',
    'PutBucketReplication',
    'CreateExportTask',
    'SharedSnapshotCopyInitiated',
  ],
  Impact: [
    'DeleteBucket',
    'DeleteObjects',
    'TerminateInstances',
    'DeleteDBInstance',
    'PutBucketEncryption',
    'ScheduleKeyDeletion',
    'DisableKey',
    'InvokeModel',
    'InvokeModelWithResponseStream',
    'PutFoundationModelEntitlement',
    'CreateFoundationModelAgreement',
    'PutUseCaseForModelAccess',
    'StopInstances',
  ],
};

const BY_EVENT = new Map<string, Tactic[]>();
for (const [tactic, names] of Object.entries(TABLE) as Array<[Tactic, string[]]>) {
  for (const n of names) BY_EVENT.set(n, [...(BY_EVENT.get(n) ?? []), tactic]);
}

export function tacticsFor(eventName: string): Tactic[] {
  return BY_EVENT.get(eventName) ?? [];
}

/** An API that creates an identity or credential an intruder can come back with. */
export const IDENTITY_CREATIONS = new Set(['CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'CreateRole', 'CreateInstanceProfile']);
