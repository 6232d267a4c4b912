/**
 * Every published spelling of an AWS identifier, read into what it names. Findings name
 * the same thing many ways: an access key as `AKIA…`, as Security Hub's
 * `AWS::IAM::AccessKey:AKIA…`, or inside an OCSF resource; an instance as `i-…` or as
 * its ARN; a role by its ARN, by an assumed-role session ARN, or by the role name a
 * GuardDuty `accessKeyDetails` gives beside a principal id `AROA…:session`. Pure parsing:
 * no lookups.
 */

export const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;
export const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
const ACCOUNT_ID = /^\d{12}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]{2,39}$/;
/** Role unique ids (`AROA…`) and the session name after them in a principal id. */
const ROLE_PRINCIPAL_ID = /^AROA[A-Z0-9]{8,}:(.+)$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isIp(value: string): boolean {
  return IPV4.test(value) || (value.includes(':') && IPV6.test(value) && value.split(':').length > 2);
}

/** What an ARN names, or null when the text is not an ARN. */
export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  /** What follows the account: `user/path/alice`, `instance/i-…`, `cluster/prod`, `db:mydb`. */
  resource: string;
}

export function parseArn(text: string): ParsedArn | null {
  const m = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/.exec(text);
  if (!m) return null;
  return { partition: m[1] as string, service: m[2] as string, region: m[3] as string, accountId: m[4] ?? '', resource: m[5] as string };
}

/** The last `/`-separated part of a resource path (IAM paths put folders before the name). */
const lastPart = (path: string) => path.split('/').pop() ?? path;

/**
 * What one identifier names, in the kinds investigations work with. `typeHint` is the
 * resource type the source gave beside it (`AwsIamRole`, `AWS::IAM::AccessKey`, `Instance`…),
 * which decides bare names that could be anything.
 */
export type Named =
  | { kind: 'accessKey'; id: string }
  | { kind: 'iamUser'; id: string; accountId?: string }
  | { kind: 'role'; id: string; accountId?: string; sessionName?: string }
  | { kind: 'root'; id: string }
  | { kind: 'federatedUser'; id: string; accountId?: string }
  | { kind: 'instance'; id: string; accountId?: string; region?: string }
  | { kind: 'bucket'; id: string }
  | { kind: 'ip'; id: string }
  | { kind: 'eksCluster'; id: string; accountId?: string; region?: string }
  | { kind: 'ecsCluster'; id: string; accountId?: string; region?: string }
  | { kind: 'container'; id: string }
  | { kind: 'rdsInstance'; id: string; accountId?: string; region?: string }
  | { kind: 'lambdaFunction'; id: string; accountId?: string; region?: string };

/** Resource type names (ASFF, CloudFormation/OCSF, GuardDuty) by the kind they name. */
const TYPE_HINTS: Array<[RegExp, Named['kind']]> = [
  [/^(AwsIamAccessKey|AWS::IAM::AccessKey|AccessKey)$/i, 'accessKey'],
  [/^(AwsIamUser|AWS::IAM::User|IAMUser)$/i, 'iamUser'],
  [/^(AwsIamRole|AWS::IAM::Role|Role|AssumedRole)$/i, 'role'],
  [/^(AwsEc2Instance|AWS::EC2::Instance|Instance)$/i, 'instance'],
  [/^(AwsS3Bucket|AWS::S3::Bucket|S3Bucket)$/i, 'bucket'],
  [/^(AwsEksCluster|AWS::EKS::Cluster|EKSCluster)$/i, 'eksCluster'],
  [/^(AwsEcsCluster|AWS::ECS::Cluster|ECSCluster)$/i, 'ecsCluster'],
  [/^(AwsEcsContainer|Container)$/i, 'container'],
  [/^(AwsRdsDbInstance|AWS::RDS::DBInstance|RDSDBInstance)$/i, 'rdsInstance'],
  [/^(AwsLambdaFunction|AWS::Lambda::Function|Lambda)$/i, 'lambdaFunction'],
];

export function kindOfType(type: string | undefined): Named['kind'] | null {
  if (!type) return null;
  for (const [re, kind] of TYPE_HINTS) if (re.test(type)) return kind;
  return null;
}

function fromArn(arn: ParsedArn): Named | null {
  const { service, resource, accountId, region } = arn;
  const acct = ACCOUNT_ID.test(accountId) ? { accountId } : {};
  const where = { ...acct, ...(region ? { region } : {}) };
  if (service === 'iam') {
    if (resource === 'root') return { kind: 'root', id: accountId };
    if (resource.startsWith('user/')) return { kind: 'iamUser', id: lastPart(resource), ...acct };
    if (resource.startsWith('role/')) return { kind: 'role', id: lastPart(resource), ...acct };
    return null;
  }
  if (service === 'sts') {
    // arn:aws:sts::123:assumed-role/RoleName/SessionName
    const assumed = /^assumed-role\/([^/]+)\/(.+)$/.exec(resource);
    if (assumed) return { kind: 'role', id: assumed[1] as string, sessionName: assumed[2] as string, ...acct };
    const federated = /^federated-user\/(.+)$/.exec(resource);
    if (federated) return { kind: 'federatedUser', id: federated[1] as string, ...acct };
    return null;
  }
  if (service === 'ec2') {
    const instance = /^instance\/(i-[0-9a-f]+)$/.exec(resource);
    return instance ? { kind: 'instance', id: instance[1] as string, ...where } : null;
  }
  if (service === 's3') return resource.includes('/') ? { kind: 'bucket', id: resource.split('/')[0] as string } : { kind: 'bucket', id: resource };
  if (service === 'eks') {
    const cluster = /^cluster\/([^/]+)$/.exec(resource);
    return cluster ? { kind: 'eksCluster', id: cluster[1] as string, ...where } : null;
  }
  if (service === 'ecs') {
    const cluster = /^cluster\/([^/]+)$/.exec(resource);
    return cluster ? { kind: 'ecsCluster', id: cluster[1] as string, ...where } : null;
  }
  if (service === 'rds') {
    const db = /^db:(.+)$/.exec(resource);
    return db ? { kind: 'rdsInstance', id: db[1] as string, ...where } : null;
  }
  if (service === 'lambda') {
    const fn = /^function:([^:]+)/.exec(resource);
    return fn ? { kind: 'lambdaFunction', id: fn[1] as string, ...where } : null;
  }
  return null;
}

/**
 * What `text` names, given the resource type its source put beside it (if any). Null
 * when it names nothing an investigation follows (a security group, a KMS key…) or
 * cannot be read.
 */
export function readIdentifier(text: string | undefined | null, typeHint?: string): Named | null {
  if (!text) return null;
  const value = text.trim();
  // Security Hub writes an access key resource id as `AWS::IAM::AccessKey:<key id>`.
  const prefixed = /^AWS::IAM::AccessKey:(.+)$/i.exec(value);
  if (prefixed) return ACCESS_KEY_ID.test(prefixed[1] as string) ? { kind: 'accessKey', id: prefixed[1] as string } : null;
  const arn = parseArn(value);
  if (arn) return fromArn(arn);
  if (ACCESS_KEY_ID.test(value)) return { kind: 'accessKey', id: value };
  if (INSTANCE_ID.test(value)) return { kind: 'instance', id: value };
  if (isIp(value)) return { kind: 'ip', id: value };
  const hinted = kindOfType(typeHint);
  if (!hinted) return null;
  switch (hinted) {
    case 'accessKey':
    case 'instance':
      // A bare name where an id was expected names nothing sirbot can look up.
      return null;
    case 'bucket':
      return S3_BUCKET.test(value) ? { kind: 'bucket', id: value } : null;
    case 'iamUser':
      return value.toLowerCase() === 'root' ? null : { kind: 'iamUser', id: lastPart(value) };
    case 'role':
      return { kind: 'role', id: lastPart(value) };
    default:
      return { kind: hinted, id: lastPart(value) } as Named;
  }
}

/**
 * The session name in a role principal id (`AROAEXAMPLE:i-0abc…` → `i-0abc…`), which for
 * an instance profile's credentials is the instance id.
 */
export function sessionOfPrincipalId(principalId: string | undefined | null): string | null {
  const m = principalId ? ROLE_PRINCIPAL_ID.exec(principalId) : null;
  return m ? (m[1] as string) : null;
}
