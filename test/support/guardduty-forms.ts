import { guardDutyLabel, scoreForLabel } from '../../src/domain/severity.ts';

/**
 * One GuardDuty finding in each form it reaches sirbot in: GuardDuty's own document
 * (`GetFindings` in PascalCase, the EventBridge `GuardDuty Finding` event around the
 * camelCase `detail`), and the ASFF finding Security Hub makes of it.
 *
 * The ASFF form follows what AWS documents, and only that:
 * - GuardDuty User Guide, "Integrating with AWS Security Hub CSPM": `ProductArn`
 *   `arn:<partition>:securityhub:<region>::product/aws/guardduty`; `Id` the finding ARN;
 *   `GeneratorId` the detector ARN; `Types` from the table of every GuardDuty type and its
 *   ASFF counterpart (`ASFF_TYPES` below; types the table leaves out, newer ones, get its
 *   usual shape `TTPs/<Purpose>:<Resource>-<Family…>`); `ProductFields` holding the
 *   finding's `service` flattened under `aws/guardduty/service/…` (string values), plus
 *   `aws/securityhub/ProductName` `GuardDuty` and `aws/securityhub/CompanyName` `Amazon`;
 *   an instance as an `AwsEc2Instance` resource whose `Id` is the instance ARN, with
 *   `Details.AwsEc2Instance`; `Severity.Product` GuardDuty's number.
 * - Security Hub API reference: `AwsIamAccessKeyDetails` (`PrincipalId`, `PrincipalName`,
 *   `PrincipalType`) for the access key, whose resource `Id` is `AWS::IAM::AccessKey:<key id>`;
 *   `Severity` (`Label`; `Normalized` 0/1/40/70/90 for INFORMATIONAL…CRITICAL when derived
 *   from the label); `Action` (`AwsApiCallAction`, `NetworkConnectionAction`,
 *   `PortProbeAction`, `DnsRequestAction`, each `RemoteIpDetails` with `IpAddressV4`,
 *   `Country.CountryName`, `Organization.AsnOrg`…); `Detection.Sequence` (`Actors` with
 *   `User.{Name, Type, Uid, CredentialUid, Account.Uid}`, `Endpoints` with `Ip`) for
 *   Extended Threat Detection attack sequences.
 * - Flattened arrays in `ProductFields` are spelled `portProbeDetails.0_/…`, as Security Hub's
 *   exports of real GuardDuty findings show.
 * GuardDuty's S3 findings name the bucket and the caller's key; the ASFF form carries both
 * (`AwsS3Bucket` by ARN, `AwsIamAccessKey`).
 */

type Doc = Record<string, unknown>;
const obj = (v: unknown): Doc => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Security Hub's ASFF spelling of each GuardDuty type, from the table in "Integrating with
 * AWS Security Hub CSPM" (GuardDuty User Guide). Grouped by the namespace and category the
 * table gives; where the classifier is not `Purpose:Resource-Family` it is written whole.
 */
const BY_PREFIX: Record<string, string[]> = {
  'TTPs/Command and Control': [
    'Backdoor:EC2/C&CActivity.B',
    'Backdoor:EC2/C&CActivity.B!DNS',
    'Backdoor:EC2/DenialOfService.Dns',
    'Backdoor:EC2/DenialOfService.Tcp',
    'Backdoor:EC2/DenialOfService.Udp',
    'Backdoor:EC2/DenialOfService.UdpOnTcpPorts',
    'Backdoor:EC2/DenialOfService.UnusualProtocol',
    'Backdoor:EC2/Spambot',
    'Backdoor:Lambda/C&CActivity.B',
    'Backdoor:Runtime/C&CActivity.B',
    'Backdoor:Runtime/C&CActivity.B!DNS',
    'CryptoCurrency:EC2/BitcoinTool.B',
    'CryptoCurrency:EC2/BitcoinTool.B!DNS',
    'CryptoCurrency:Lambda/BitcoinTool.B',
    'CryptoCurrency:Runtime/BitcoinTool.B',
    'CryptoCurrency:Runtime/BitcoinTool.B!DNS',
    'Trojan:EC2/BlackholeTraffic',
    'Trojan:EC2/BlackholeTraffic!DNS',
    'Trojan:EC2/DGADomainRequest.B',
    'Trojan:EC2/DGADomainRequest.C!DNS',
    'Trojan:EC2/DNSDataExfiltration',
    'Trojan:EC2/PhishingDomainRequest!DNS',
    'Trojan:Lambda/BlackholeTraffic',
    'Trojan:Runtime/BlackholeTraffic',
    'Trojan:Runtime/BlackholeTraffic!DNS',
    'Trojan:Runtime/DGADomainRequest.C!DNS',
    'Trojan:Runtime/PhishingDomainRequest!DNS',
    'UnauthorizedAccess:EC2/MaliciousIPCaller.Custom',
    'UnauthorizedAccess:IAMUser/TorIPCaller',
    'UnauthorizedAccess:Lambda/MaliciousIPCaller.Custom',
  ],
  'Unusual Behaviors/VM': ['Behavior:EC2/NetworkPortUnusual', 'Behavior:EC2/TrafficVolumeUnusual'],
  'Unusual Behaviors/User': ['ResourceConsumption:IAMUser/ComputeResources', 'UnauthorizedAccess:IAMUser/ConsoleLogin'],
  'TTPs/CredentialAccess': [
    'CredentialAccess:Kubernetes/MaliciousIPCaller',
    'CredentialAccess:Kubernetes/MaliciousIPCaller.Custom',
    'CredentialAccess:Kubernetes/SuccessfulAnonymousAccess',
    'CredentialAccess:Kubernetes/TorIPCaller',
  ],
  'TTPs/Credential Access': [
    'CredentialAccess:RDS/AnomalousBehavior.FailedLogin',
    'CredentialAccess:RDS/AnomalousBehavior.SuccessfulBruteForce',
    'CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin',
    'CredentialAccess:RDS/MaliciousIPCaller.FailedLogin',
    'CredentialAccess:RDS/MaliciousIPCaller.SuccessfulLogin',
    'CredentialAccess:RDS/TorIPCaller.FailedLogin',
    'CredentialAccess:RDS/TorIPCaller.SuccessfulLogin',
  ],
  'TTPs/DefenseEvasion': [
    'DefenseEvasion:Kubernetes/MaliciousIPCaller',
    'DefenseEvasion:Kubernetes/MaliciousIPCaller.Custom',
    'DefenseEvasion:Kubernetes/SuccessfulAnonymousAccess',
    'DefenseEvasion:Kubernetes/TorIPCaller',
    'DefenseEvasion:Runtime/PtraceAntiDebugging',
    'DefenseEvasion:Runtime/SuspiciousCommand',
  ],
  'TTPs/Defense Evasion': [
    'DefenseEvasion:Runtime/FilelessExecution',
    'DefenseEvasion:Runtime/KernelModuleLoaded',
    'DefenseEvasion:Runtime/SensitiveFileModified',
    'DefenseEvasion:Runtime/ProcessInjection.Proc',
    'DefenseEvasion:Runtime/ProcessInjection.Ptrace',
    'DefenseEvasion:Runtime/ProcessInjection.VirtualMemoryWrite',
    'DefenseEvasion:IAMUser/BedrockLoggingDisabled',
    'Stealth:IAMUser/CloudTrailLoggingDisabled',
    'Stealth:IAMUser/LoggingConfigurationModified',
    'Stealth:IAMUser/PasswordPolicyChange',
    'Stealth:S3/ServerAccessLoggingDisabled',
  ],
  'TTPs/Discovery': [
    'Discovery:Kubernetes/MaliciousIPCaller',
    'Discovery:Kubernetes/MaliciousIPCaller.Custom',
    'Discovery:Kubernetes/SuccessfulAnonymousAccess',
    'Discovery:Kubernetes/TorIPCaller',
    'Discovery:Runtime/SuspiciousCommand',
    'Recon:EC2/PortProbeEMRUnprotectedPort',
    'Recon:EC2/PortProbeUnprotectedPort',
    'Recon:EC2/Portscan',
    'Recon:IAMUser/MaliciousIPCaller',
    'Recon:IAMUser/MaliciousIPCaller.Custom',
    'Recon:IAMUser/NetworkPermissions',
    'Recon:IAMUser/ResourcePermissions',
    'Recon:IAMUser/TorIPCaller',
    'Recon:IAMUser/UserPermissions',
  ],
  TTPs: [
    'Discovery:S3/AnomalousBehavior',
    'Discovery:S3/BucketEnumeration.Unusual',
    'Discovery:S3/MaliciousIPCaller.Custom',
    'Discovery:S3/TorIPCaller',
    'Discovery:S3/MaliciousIPCaller',
    'Exfiltration:S3/AnomalousBehavior',
    'Exfiltration:S3/ObjectRead.Unusual',
    'Exfiltration:S3/MaliciousIPCaller',
    'Impact:EC2/AbusedDomainRequest.Reputation',
    'Impact:EC2/BitcoinDomainRequest.Reputation',
    'Impact:EC2/MaliciousDomainRequest.Reputation',
    'Impact:EC2/SuspiciousDomainRequest.Reputation',
    'Impact:S3/AnomalousBehavior.Delete',
    'Impact:S3/AnomalousBehavior.Permission',
    'Impact:S3/AnomalousBehavior.Write',
    'Impact:S3/ObjectDelete.Unusual',
    'Impact:S3/PermissionsModification.Unusual',
    'Impact:S3/MaliciousIPCaller',
    'PenTest:S3/KaliLinux',
    'PenTest:S3/ParrotLinux',
    'PenTest:S3/PentooLinux',
    'Policy:IAMUser/RootCredentialUsage',
    'Policy:IAMUser/ShortTermRootCredentialUsage',
    'Policy:S3/AccountBlockPublicAccessDisabled',
    'Policy:S3/BucketAnonymousAccessGranted',
    'Policy:S3/BucketPublicAccessGranted',
    'UnauthorizedAccess:EC2/MetadataDNSRebind',
    'UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B',
    'UnauthorizedAccess:IAMUser/MaliciousIPCaller',
    'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom',
    'UnauthorizedAccess:Runtime/MetadataDNSRebind',
    'UnauthorizedAccess:S3/MaliciousIPCaller.Custom',
    'UnauthorizedAccess:S3/TorIPCaller',
  ],
  'TTPs/Execution': [
    'Execution:Kubernetes/ExecInKubeSystemPod',
    'Execution:EC2/MaliciousFile',
    'Execution:ECS/MaliciousFile',
    'Execution:Kubernetes/MaliciousFile',
    'Execution:Container/MaliciousFile',
    'Execution:EC2/SuspiciousFile',
    'Execution:ECS/SuspiciousFile',
    'Execution:Kubernetes/SuspiciousFile',
    'Execution:Container/SuspiciousFile',
    'Execution:EC2/MaliciousFile!Snapshot',
    'Execution:EC2/MaliciousFile!AMI',
    'Execution:EC2/MaliciousFile!RecoveryPoint',
    'Execution:S3/MaliciousFile!RecoveryPoint',
    'Execution:Runtime/MaliciousFileExecuted',
    'Execution:Runtime/MaliciousFileExecuted.Custom',
    'Execution:Runtime/NewBinaryExecuted',
    'Execution:Runtime/NewLibraryLoaded',
    'Execution:Runtime/ReverseShell',
    'Execution:Runtime/SuspiciousCommand',
    'Execution:Runtime/SuspiciousShellCreated',
    'Execution:Runtime/SuspiciousTool',
  ],
  'TTPs/Impact': [
    'Impact:EC2/MaliciousDomainRequest.Custom',
    'Impact:EC2/PortSweep',
    'Impact:EC2/WinRMBruteForce',
    'Impact:Kubernetes/MaliciousIPCaller',
    'Impact:Kubernetes/MaliciousIPCaller.Custom',
    'Impact:Kubernetes/SuccessfulAnonymousAccess',
    'Impact:Kubernetes/TorIPCaller',
    'Impact:Runtime/AbusedDomainRequest.Reputation',
    'Impact:Runtime/BitcoinDomainRequest.Reputation',
    'Impact:Runtime/CryptoMinerExecuted',
    'Impact:Runtime/MaliciousDomainRequest.Reputation',
    'Impact:Runtime/SuspiciousDomainRequest.Reputation',
  ],
  'TTPs/Persistence': [
    'Persistence:Kubernetes/ContainerWithSensitiveMount',
    'Persistence:Kubernetes/MaliciousIPCaller',
    'Persistence:Kubernetes/MaliciousIPCaller.Custom',
    'Persistence:Kubernetes/SuccessfulAnonymousAccess',
    'Persistence:Kubernetes/TorIPCaller',
    'Persistence:IAMUser/NetworkPermissions',
    'Persistence:IAMUser/ResourcePermissions',
    'Persistence:IAMUser/UserPermissions',
    'Persistence:Runtime/SuspiciousCommand',
    'Persistence:Runtime/SensitiveFileModified',
  ],
  'TTPs/Privilege Escalation': [
    'PrivilegeEscalation:IAMUser/AdministrativePermissions',
    'PrivilegeEscalation:Runtime/ContainerMountsHostDirectory',
    'PrivilegeEscalation:Runtime/CGroupsReleaseAgentModified',
    'PrivilegeEscalation:Runtime/DockerSocketAccessed',
    'PrivilegeEscalation:Runtime/ElevationToRoot',
    'PrivilegeEscalation:Runtime/RuncContainerEscape',
    'PrivilegeEscalation:Runtime/SensitiveFileModified',
    'PrivilegeEscalation:Runtime/UserfaultfdUsage',
  ],
  'TTPs/PrivilegeEscalation': ['PrivilegeEscalation:Kubernetes/PrivilegedContainer'],
  'Software and Configuration Checks': ['PrivilegeEscalation:Runtime/SuspiciousCommand'],
  'Software and Configuration Checks/AWS Security Best Practices': [
    'Policy:Kubernetes/AdminAccessToDefaultServiceAccount',
    'Policy:Kubernetes/AnonymousAccessGranted',
    'Policy:Kubernetes/ExposedDashboard',
    'Policy:Kubernetes/KubeflowDashboardExposed',
  ],
  'Effects/Data Exposure': ['Policy:S3/BucketBlockPublicAccessDisabled'],
  'TTPs/Object': ['Object:S3/MaliciousFile'],
  'TTPs/Initial Access': [
    'Trojan:EC2/DriveBySourceTraffic!DNS',
    'Trojan:Runtime/DriveBySourceTraffic!DNS',
    'UnauthorizedAccess:EC2/RDPBruteForce',
    'UnauthorizedAccess:EC2/SSHBruteForce',
  ],
  'Effects/Data Exfiltration': [
    'Trojan:EC2/DropPoint',
    'Trojan:EC2/DropPoint!DNS',
    'Trojan:Lambda/DropPoint',
    'Trojan:Runtime/DropPoint',
    'Trojan:Runtime/DropPoint!DNS',
    'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS',
    'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    'UnauthorizedAccess:IAMUser/ResourceCredentialExfiltration.InsideAWS',
    'UnauthorizedAccess:IAMUser/ResourceCredentialExfiltration.OutsideAWS',
  ],
  'Effects/Resource Consumption': [
    'UnauthorizedAccess:EC2/TorClient',
    'UnauthorizedAccess:EC2/TorRelay',
    'UnauthorizedAccess:Lambda/TorClient',
    'UnauthorizedAccess:Lambda/TorRelay',
    'UnauthorizedAccess:Runtime/TorRelay',
    'UnauthorizedAccess:Runtime/TorClient',
    'CryptoCurrency:Lambda/BitcoinTool.B',
  ],
};

/** The table's rows whose classifier is not the type with its slash turned into a hyphen. */
const WRITTEN_WHOLE: Record<string, string> = {
  'AttackSequence:IAM/CompromisedCredentials': 'TTPs/AttackSequence:IAM/CompromisedCredentials',
  'AttackSequence:S3/CompromisedData': 'TTPs/AttackSequence:S3/CompromisedData',
  'PenTest:IAMUser/KaliLinux': 'TTPs/PenTest:IAMUser/KaliLinux',
  'PenTest:IAMUser/ParrotLinux': 'TTPs/PenTest:IAMUser/ParrotLinux',
  'PenTest:IAMUser/PentooLinux': 'TTPs/PenTest:IAMUser/PentooLinux',
  'CredentialAccess:IAMUser/AnomalousBehavior': 'TTPs/Credential Access/IAMUser-AnomalousBehavior',
  'DefenseEvasion:IAMUser/AnomalousBehavior': 'TTPs/Defense Evasion/IAMUser-AnomalousBehavior',
  'Discovery:IAMUser/AnomalousBehavior': 'TTPs/Discovery/IAMUser-AnomalousBehavior',
  'Exfiltration:IAMUser/AnomalousBehavior': 'TTPs/Exfiltration/IAMUser-AnomalousBehavior',
  'Impact:IAMUser/AnomalousBehavior': 'TTPs/Impact/IAMUser-AnomalousBehavior',
  'InitialAccess:IAMUser/AnomalousBehavior': 'TTPs/Initial Access/IAMUser-AnomalousBehavior',
  'Persistence:IAMUser/AnomalousBehavior': 'TTPs/Persistence/IAMUser-AnomalousBehavior',
  'PrivilegeEscalation:IAMUser/AnomalousBehavior': 'TTPs/Privilege Escalation/IAMUser-AnomalousBehavior',
  'Discovery:RDS/MaliciousIPCaller': 'TTPs/Discovery/RDS-MaliciousIPCaller',
  'Discovery:RDS/TorIPCaller': 'TTPs/Discovery/RDS-TorIPCaller',
  'DefenseEvasion:EC2/UnusualDNSResolver': 'TTPs/DefenseEvasion/EC2:Unusual-DNS-Resolver',
  'DefenseEvasion:EC2/UnusualDoHActivity': 'TTPs/DefenseEvasion/EC2:Unusual-DoH-Activity',
  'DefenseEvasion:EC2/UnusualDoTActivity': 'TTPs/DefenseEvasion/EC2:Unusual-DoT-Activity',
  'CredentialAccess:Kubernetes/AnomalousBehavior.SecretsAccessed': 'TTPs/AnomalousBehavior/CredentialAccess:Kubernetes-SecretsAccessed',
  'Discovery:Kubernetes/AnomalousBehavior.PermissionChecked': 'TTPs/AnomalousBehavior/Discovery:Kubernetes-PermissionChecked',
  'Execution:Kubernetes/AnomalousBehavior.ExecInPod': 'TTPs/AnomalousBehavior/Execution:Kubernetes-ExecInPod',
  'Execution:Kubernetes/AnomalousBehavior.WorkloadDeployed': 'TTPs/AnomalousBehavior/Execution:Kubernetes-WorkloadDeployed',
  'Persistence:Kubernetes/AnomalousBehavior.WorkloadDeployed!ContainerWithSensitiveMount':
    'TTPs/AnomalousBehavior/Persistence:Kubernetes-WorkloadDeployed!ContainerWithSensitiveMount',
  'PrivilegeEscalation:Kubernetes/AnomalousBehavior.WorkloadDeployed!PrivilegedContainer':
    'TTPs/AnomalousBehavior/PrivilegeEscalation:Kubernetes-WorkloadDeployed!PrivilegedContainer',
  'PrivilegeEscalation:Kubernetes/AnomalousBehavior.RoleBindingCreated': 'TTPs/AnomalousBehavior/PrivilegeEscalation:Kubernetes-RoleBindingCreated',
  'PrivilegeEscalation:Kubernetes/AnomalousBehavior.RoleCreated': 'TTPs/AnomalousBehavior/PrivilegeEscalation:Kubernetes-RoleCreated',
};

const hyphenated = (type: string) => type.replace('/', '-');

export const ASFF_TYPES: Map<string, string[]> = (() => {
  const table = new Map<string, string[]>();
  for (const [prefix, types] of Object.entries(BY_PREFIX)) for (const t of types) table.set(t, [...(table.get(t) ?? []), `${prefix}/${hyphenated(t)}`]);
  for (const [t, asff] of Object.entries(WRITTEN_WHOLE)) table.set(t, [asff]);
  return table;
})();

/** Security Hub's `Types` for a GuardDuty type: the documented table, else its usual shape. */
export function asffTypesOf(type: string): string[] {
  return ASFF_TYPES.get(type) ?? [`TTPs/${hyphenated(type)}`];
}

/** GetFindings' PascalCase: every key capitalized. */
export function apiForm(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(apiForm);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), apiForm(v)]));
  }
  return value;
}

/** The EventBridge event GuardDuty publishes (detail-type `GuardDuty Finding`). */
export function eventBridgeForm(gd: Doc): Doc {
  return {
    version: '0',
    id: '9c2a8b0e-6f3d-4a51-8b7e-2d1f0c9e8a73',
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: gd.accountId,
    time: gd.updatedAt,
    region: gd.region,
    resources: [],
    detail: gd,
  };
}

/** `service` flattened into ProductFields keys: objects by `/`, array items as `name.<i>_`, values as strings. */
function flatten(node: unknown, path: string, out: Record<string, string>): void {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) flatten(item, `${path}.${i}_`, out);
    return;
  }
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) flatten(v, `${path}/${k}`, out);
    return;
  }
  if (node !== null && node !== undefined) out[path] = String(node);
}

const tagsOf = (tags: unknown): Record<string, string> => Object.fromEntries(arr(tags).map((t) => [String(obj(t).key), String(obj(t).value ?? '')]));

/** GuardDuty's sequence resource types, by the ASFF resource type that names the same thing. */
const SEQUENCE_RESOURCE_TYPES: Record<string, string> = {
  ACCESS_KEY: 'AwsIamAccessKey',
  EC2_INSTANCE: 'AwsEc2Instance',
  S3_BUCKET: 'AwsS3Bucket',
  EKS_CLUSTER: 'AwsEksCluster',
  ECS_CLUSTER: 'AwsEcsCluster',
};

function resourcesOf(gd: Doc): Doc[] {
  const partition = str(gd.partition) ?? 'aws';
  const region = str(gd.region);
  const account = str(gd.accountId);
  const r = obj(gd.resource);
  const out: Doc[] = [];
  const add = (Type: string, Id: string | undefined, extra: Doc = {}) => {
    if (Id) out.push({ Type, Id, Partition: partition, Region: region, ...extra });
  };
  const key = obj(r.accessKeyDetails);
  if (r.resourceType === 'AccessKey' || r.resourceType === 'S3Bucket') {
    add('AwsIamAccessKey', `AWS::IAM::AccessKey:${str(key.accessKeyId) ?? 'null'}`, {
      Details: { AwsIamAccessKey: { PrincipalId: key.principalId, PrincipalName: key.userName, PrincipalType: key.userType } },
    });
  }
  const instance = obj(r.instanceDetails);
  if (r.resourceType === 'Instance') {
    add('AwsEc2Instance', `arn:${partition}:ec2:${region}:${account}:instance/${str(instance.instanceId)}`, {
      Tags: tagsOf(instance.tags),
      Details: {
        AwsEc2Instance: {
          Type: instance.instanceType,
          ImageId: instance.imageId,
          LaunchedAt: instance.launchTime,
          ...(str(obj(instance.iamInstanceProfile).arn) ? { IamInstanceProfileArn: obj(instance.iamInstanceProfile).arn } : {}),
        },
      },
    });
  }
  for (const b of arr(r.s3BucketDetails)) add('AwsS3Bucket', str(obj(b).arn) ?? `arn:${partition}:s3:::${str(obj(b).name)}`, { Tags: tagsOf(obj(b).tags) });
  add('AwsEksCluster', str(obj(r.eksClusterDetails).arn));
  add('AwsEcsCluster', str(obj(r.ecsClusterDetails).arn));
  add('AwsRdsDbInstance', str(obj(r.rdsDbInstanceDetails).dbInstanceArn));
  add('AwsLambdaFunction', str(obj(r.lambdaDetails).functionArn));
  const sequence = obj(obj(obj(gd.service).detection).sequence);
  for (const s of arr(sequence.resources)) {
    const type = SEQUENCE_RESOURCE_TYPES[String(obj(s).resourceType)] ?? 'Other';
    const uid = str(obj(s).uid);
    add(type, type === 'AwsIamAccessKey' && uid ? `AWS::IAM::AccessKey:${uid}` : uid);
  }
  if (out.length === 0) add('Other', str(gd.arn));
  return out;
}

/** ASFF's `Action`: the four actions it defines, GuardDuty's fields capitalized. */
function actionOf(gd: Doc): Doc | undefined {
  const action = obj(obj(gd.service).action);
  if (!str(action.actionType)) return undefined;
  const out: Doc = { ActionType: action.actionType };
  for (const name of ['awsApiCallAction', 'networkConnectionAction', 'portProbeAction', 'dnsRequestAction']) {
    if (action[name]) out[name.charAt(0).toUpperCase() + name.slice(1)] = apiForm(action[name]);
  }
  return out;
}

/** ASFF's `Detection.Sequence`: the attack sequence's actors and endpoints. */
function detectionOf(gd: Doc): Doc | undefined {
  const sequence = obj(obj(obj(gd.service).detection).sequence);
  if (!str(sequence.uid)) return undefined;
  return {
    Sequence: {
      Uid: sequence.uid,
      Actors: arr(sequence.actors).map((a) => apiForm({ id: obj(a).id, user: obj(a).user, session: obj(a).session })),
      Endpoints: arr(sequence.endpoints).map((e) => apiForm({ id: obj(e).id, ip: obj(e).ip })),
    },
  };
}

/** The ASFF finding Security Hub makes of a GuardDuty finding (native camelCase form in). */
export function asffForm(gd: Doc): Doc {
  const partition = str(gd.partition) ?? 'aws';
  const service = obj(gd.service);
  const label = guardDutyLabel(Number(gd.severity));
  const productFields: Record<string, string> = {};
  flatten(service, 'aws/guardduty/service', productFields);
  const action = actionOf(gd);
  const detection = detectionOf(gd);
  return {
    SchemaVersion: '2018-10-08',
    Id: gd.arn,
    ProductArn: `arn:${partition}:securityhub:${gd.region}::product/aws/guardduty`,
    ProductName: 'GuardDuty',
    CompanyName: 'Amazon',
    Region: gd.region,
    GeneratorId: String(gd.arn).replace(/\/finding\/[^/]+$/, ''),
    AwsAccountId: gd.accountId,
    Types: asffTypesOf(String(gd.type)),
    ...(str(service.eventFirstSeen) ? { FirstObservedAt: service.eventFirstSeen } : {}),
    ...(str(service.eventLastSeen) ? { LastObservedAt: service.eventLastSeen } : {}),
    CreatedAt: gd.createdAt,
    UpdatedAt: gd.updatedAt,
    Severity: { Product: gd.severity, Label: label, Normalized: scoreForLabel(label) },
    Title: gd.title,
    Description: gd.description,
    ProductFields: { ...productFields, 'aws/securityhub/ProductName': 'GuardDuty', 'aws/securityhub/CompanyName': 'Amazon' },
    Resources: resourcesOf(gd),
    ...(action ? { Action: action } : {}),
    ...(detection ? { Detection: detection } : {}),
    Workflow: { Status: 'NEW' },
    RecordState: service.archived === true ? 'ARCHIVED' : 'ACTIVE',
  };
}
