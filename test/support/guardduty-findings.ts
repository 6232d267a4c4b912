import { parseThreatType } from '../../src/domain/investigation/finding-types.ts';

/**
 * Small GuardDuty findings written per the documented finding format (GuardDuty API
 * reference: `Finding`, `Resource`, `AccessKeyDetails`, `InstanceDetails`, `S3BucketDetail`,
 * `EksClusterDetails`, `EcsClusterDetails`, `RdsDbInstanceDetails`, `LambdaDetails`,
 * `Service.action`), in the EventBridge `detail` form. Each names what its type's
 * resource calls for, so every type can be read in every form.
 */
export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
const DETECTOR = '12abc34d567e8fa901bc2d34e56789f0';

let counter = 0;
function ids(): { id: string; arn: string } {
  const id = (++counter).toString(16).padStart(32, 'a');
  return { id, arn: `arn:aws:guardduty:${REGION}:${ACCOUNT}:detector/${DETECTOR}/finding/${id}` };
}

export const CALLER = { ipAddressV4: '198.51.100.23', country: { countryName: 'Netherlands' }, organization: { asnOrg: 'EXAMPLE-AS', org: 'Example' } };

export function iamUserKey(userName = 'ci-deployer'): Record<string, unknown> {
  return { accessKeyId: 'AKIAEXPOSEDKEY000001', principalId: 'AIDAEXAMPLECIDEPLOY1', userName, userType: 'IAMUser' };
}

/** The resource a type's resource calls for. */
function resourceFor(resource: string, root: boolean): Record<string, unknown> {
  const accessKey = {
    resourceType: 'AccessKey',
    accessKeyDetails: root ? { accessKeyId: 'AKIAROOTKEY01EXAMPLE', principalId: ACCOUNT, userName: 'Root', userType: 'Root' } : iamUserKey(),
  };
  const instance = {
    resourceType: 'Instance',
    instanceDetails: {
      instanceId: 'i-0317f6c6b66ae9c40',
      instanceType: 't3.micro',
      iamInstanceProfile: { arn: `arn:aws:iam::${ACCOUNT}:instance-profile/web`, id: 'AIPAEXAMPLEPROFILE01' },
    },
  };
  switch (resource) {
    case 'EC2':
    case 'Runtime':
      return instance;
    case 'S3':
    case 'S3Object':
      return {
        resourceType: 'S3Bucket',
        accessKeyDetails: iamUserKey(),
        s3BucketDetails: [{ arn: 'arn:aws:s3:::examplecorp-finance-archive', name: 'examplecorp-finance-archive', type: 'Destination' }],
      };
    case 'Kubernetes':
    case 'EKS':
      return {
        resourceType: 'EKSCluster',
        eksClusterDetails: { name: 'prod', arn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/prod` },
        kubernetesDetails: { kubernetesUserDetails: { username: 'system:anonymous' } },
      };
    case 'ECS':
    case 'Container':
      return { resourceType: 'ECSCluster', ecsClusterDetails: { name: 'web', arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/web` } };
    case 'RDS':
      return {
        resourceType: 'RDSDBInstance',
        rdsDbInstanceDetails: { dbInstanceIdentifier: 'orders', dbInstanceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders` },
        rdsDbUserDetails: { user: 'admin' },
      };
    case 'Lambda':
      return { resourceType: 'Lambda', lambdaDetails: { functionName: 'resize', functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:resize` } };
    default:
      return accessKey;
  }
}

/** A GuardDuty finding of `type`, naming the resource its type is about, seen from `CALLER`. */
export function guardDutyFinding(type: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const parsed = parseThreatType(type);
  const root = !!parsed && /RootCredentialUsage$/.test(parsed.family);
  const resource = resourceFor(parsed?.resource ?? 'IAMUser', root);
  const api = resource.resourceType === 'AccessKey' || resource.resourceType === 'S3Bucket';
  return {
    schemaVersion: '2.0',
    accountId: ACCOUNT,
    region: REGION,
    partition: 'aws',
    ...ids(),
    type,
    resource,
    service: {
      serviceName: 'guardduty',
      detectorId: DETECTOR,
      action: api
        ? {
            actionType: 'AWS_API_CALL',
            awsApiCallAction: { api: 'ListBuckets', serviceName: 's3.amazonaws.com', callerType: 'Remote IP', remoteIpDetails: CALLER },
          }
        : {
            actionType: 'NETWORK_CONNECTION',
            networkConnectionAction: { connectionDirection: 'OUTBOUND', blocked: false, protocol: 'TCP', remoteIpDetails: CALLER },
          },
      archived: false,
      count: 1,
      eventFirstSeen: '2026-11-21T09:58:00.000Z',
      eventLastSeen: '2026-11-21T10:04:00.000Z',
      resourceRole: api ? 'TARGET' : 'ACTOR',
    },
    severity: 5,
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:05:00.000Z',
    title: `${type} on a resource of account ${ACCOUNT}`,
    description: `GuardDuty reported ${type}.`,
    ...overrides,
  };
}
