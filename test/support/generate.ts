/**
 * Synthetic findings in each source format, for storms, benchmarks and OCSF/GuardDuty
 * envelopes the shared fixtures do not cover. Deterministic for a given seed.
 */

const CONTROLS = [
  ['S3.1', 'S3 general purpose buckets should have block public access settings enabled', 'AwsS3Bucket', 'MEDIUM'],
  ['EC2.19', 'Security groups should not allow unrestricted access to ports with high risk', 'AwsEc2SecurityGroup', 'CRITICAL'],
  ['IAM.6', 'Hardware MFA should be enabled for the root user', 'AwsAccount', 'CRITICAL'],
  ['CloudTrail.1', 'CloudTrail should be enabled and configured with at least one multi-Region trail', 'AwsAccount', 'HIGH'],
  ['EC2.2', 'VPC default security groups should not allow inbound or outbound traffic', 'AwsEc2SecurityGroup', 'HIGH'],
  ['RDS.3', 'RDS DB instances should have encryption at-rest enabled', 'AwsRdsDbInstance', 'MEDIUM'],
  ['Lambda.1', 'Lambda function policies should prohibit public access', 'AwsLambdaFunction', 'CRITICAL'],
  ['KMS.4', 'AWS KMS key rotation should be enabled', 'AwsKmsKey', 'MEDIUM'],
] as const;

const GD_TYPES = [
  ['Recon:IAMUser/MaliciousIPCaller', 5],
  ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', 8],
  ['CryptoCurrency:EC2/BitcoinTool.B!DNS', 8],
  ['Backdoor:EC2/C&CActivity.B', 8],
  ['Policy:IAMUser/RootCredentialUsage', 2],
  ['Discovery:S3/MaliciousIPCaller', 5],
] as const;

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'];
const SEVERITY_ID: Record<string, number> = { INFORMATIONAL: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };
const NORMALIZED: Record<string, number> = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 40, HIGH: 70, CRITICAL: 90 };

export function account(i: number): string {
  return String(100000000000 + i * 1111);
}

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

export interface GenerateOptions {
  index: number;
  account?: string;
  region?: string;
  updatedAt?: string;
  control?: number;
  tags?: Record<string, string>;
}

export function asffControlFinding(o: GenerateOptions): Record<string, unknown> {
  const [control, title, resourceType, severity] = pick(CONTROLS, o.control ?? o.index);
  const acct = o.account ?? account(o.index % 50);
  const region = o.region ?? pick(REGIONS, o.index);
  const when = o.updatedAt ?? '2026-11-22T09:00:00.000Z';
  const resourceId =
    resourceType === 'AwsAccount' ? `AWS::::Account:${acct}` : `arn:aws:${resourceType.slice(3).toLowerCase()}:${region}:${acct}:resource/r-${o.index}`;
  return {
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:securityhub:${region}:${acct}:security-control/${control}/finding/${o.index.toString(16).padStart(8, '0')}-5f1e-4c3a-9d2b-${(o.index * 7919).toString(16).padStart(12, '0')}`,
    ProductArn: `arn:aws:securityhub:${region}::product/aws/securityhub`,
    ProductName: 'Security Hub',
    CompanyName: 'AWS',
    Region: region,
    GeneratorId: `security-control/${control}`,
    AwsAccountId: acct,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    FirstObservedAt: '2026-11-20T09:00:00.000Z',
    LastObservedAt: when,
    CreatedAt: '2026-11-20T09:00:00.000Z',
    UpdatedAt: when,
    Severity: { Label: severity, Normalized: NORMALIZED[severity], Original: severity },
    Title: `${control} ${title}`,
    Description: `This control checks ${title.toLowerCase()}.`,
    Remediation: { Recommendation: { Text: 'See the remediation guide', Url: `https://docs.aws.amazon.com/console/securityhub/${control}/remediation` } },
    ProductFields: { 'aws/securityhub/ProductName': 'Security Hub', 'aws/securityhub/CompanyName': 'AWS' },
    Resources: [{ Type: resourceType, Id: resourceId, Partition: 'aws', Region: region, Tags: o.tags ?? { team: `team-${o.index % 7}` } }],
    Compliance: {
      Status: 'FAILED',
      SecurityControlId: control,
      AssociatedStandards: [{ StandardsId: 'standards/aws-foundational-security-best-practices/v/1.0.0' }],
    },
    WorkflowState: 'NEW',
    Workflow: { Status: 'NEW' },
    RecordState: 'ACTIVE',
  };
}

export function guardDutyFinding(o: GenerateOptions): Record<string, unknown> {
  const [type, severity] = pick(GD_TYPES, o.index);
  const acct = o.account ?? account(o.index % 50);
  const region = o.region ?? pick(REGIONS, o.index);
  const id = `${(o.index * 2654435761).toString(16).padStart(16, '0')}${o.index.toString(16).padStart(16, '0')}`.slice(0, 32);
  const ec2 = type.includes(':EC2/');
  return {
    schemaVersion: '2.0',
    accountId: acct,
    region,
    partition: 'aws',
    id,
    arn: `arn:aws:guardduty:${region}:${acct}:detector/12abc34d567e8fa901bc2d34e56789f0/finding/${id}`,
    type,
    resource: ec2
      ? {
          resourceType: 'Instance',
          instanceDetails: {
            instanceId: `i-0${o.index.toString(16).padStart(16, '0')}`,
            tags: [{ key: 'environment', value: o.index % 3 === 0 ? 'production' : 'dev' }],
          },
        }
      : {
          resourceType: 'AccessKey',
          accessKeyDetails: {
            accessKeyId: `AKIA${o.index.toString().padStart(16, '0')}`,
            userName: `user-${o.index % 20}`,
            userType: 'IAMUser',
            principalId: `AIDA${o.index}`,
          },
        },
    service: {
      serviceName: 'guardduty',
      detectorId: '12abc34d567e8fa901bc2d34e56789f0',
      archived: false,
      count: 1 + (o.index % 5),
      eventFirstSeen: '2026-11-22T08:00:00.000Z',
      eventLastSeen: o.updatedAt ?? '2026-11-22T09:00:00.000Z',
      resourceRole: 'TARGET',
    },
    severity,
    createdAt: '2026-11-22T08:05:00.000Z',
    updatedAt: o.updatedAt ?? '2026-11-22T09:00:00.000Z',
    title: `${type} observed for ${acct}`,
    description: `GuardDuty observed ${type} activity in ${region}.`,
  };
}

export function ocsfFinding(o: GenerateOptions): Record<string, unknown> {
  const [control, title, resourceType, severity] = pick(CONTROLS, o.control ?? o.index);
  const acct = o.account ?? account(o.index % 50);
  const region = o.region ?? pick(REGIONS, o.index);
  const when = o.updatedAt ?? '2026-11-22T09:00:00.000Z';
  const uid = `arn:aws:securityhub:${region}:${acct}:security-control/${control}/finding/ocsf-${o.index.toString(16).padStart(8, '0')}`;
  return {
    class_uid: 2003,
    class_name: 'Compliance Finding',
    category_uid: 2,
    category_name: 'Findings',
    type_uid: 200301,
    activity_id: 1,
    activity_name: 'Create',
    severity_id: SEVERITY_ID[severity],
    severity: severity.charAt(0) + severity.slice(1).toLowerCase(),
    status_id: 1,
    status: 'New',
    time: Date.parse(when),
    time_dt: when,
    metadata: {
      version: '1.6.0',
      uid,
      product: { name: 'Security Hub', vendor_name: 'AWS', uid: `arn:aws:securityhub:${region}::productv2/aws/securityhub` },
    },
    finding_info: {
      uid,
      title: `${control} ${title}`,
      desc: `This control checks ${title.toLowerCase()}.`,
      types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
      created_time: Date.parse('2026-11-20T09:00:00.000Z'),
      created_time_dt: '2026-11-20T09:00:00.000Z',
      first_seen_time_dt: '2026-11-20T09:00:00.000Z',
      last_seen_time_dt: when,
      modified_time_dt: when,
    },
    cloud: { provider: 'AWS', region, account: { uid: acct, type: 'AWS Account' } },
    compliance: { control, status: 'FAILED', standards: ['standards/aws-foundational-security-best-practices/v/1.0.0'] },
    resources: [
      {
        uid: `arn:aws:${resourceType.slice(3).toLowerCase()}:${region}:${acct}:resource/r-${o.index}`,
        type: resourceType,
        region,
        cloud_partition: 'aws',
        tags: Object.entries(o.tags ?? { team: `team-${o.index % 7}` }).map(([name, value]) => ({ name, value })),
      },
    ],
    vendor_attributes: { severity: severity.charAt(0) + severity.slice(1).toLowerCase(), severity_id: SEVERITY_ID[severity] },
  };
}

/** An EventBridge `Security Hub Findings - Imported` event carrying ASFF findings. */
export function importedEvent(findings: Array<Record<string, unknown>>, region = 'us-east-1'): Record<string, unknown> {
  return {
    version: '0',
    id: `evt-${findings.length}-${String(findings[0]?.Id ?? '').slice(-12)}`,
    'detail-type': 'Security Hub Findings - Imported',
    source: 'aws.securityhub',
    account: String(findings[0]?.AwsAccountId ?? '111122223333'),
    time: '2026-11-22T09:00:05Z',
    region,
    resources: findings.map((f) => String(f.ProductArn)),
    detail: { findings },
  };
}

export function ocsfEvent(findings: Array<Record<string, unknown>>, region = 'us-east-1'): Record<string, unknown> {
  return {
    version: '0',
    id: `evt-ocsf-${findings.length}`,
    'detail-type': 'Findings Imported V2',
    source: 'aws.securityhub',
    account: '111122223333',
    time: '2026-11-22T09:00:05Z',
    region,
    resources: [],
    detail: { findings },
  };
}

export function guardDutyEvent(finding: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: `evt-gd-${String(finding.id)}`,
    'detail-type': 'GuardDuty Finding',
    source: 'aws.guardduty',
    account: String(finding.accountId),
    time: '2026-11-22T09:00:05Z',
    region: String(finding.region),
    resources: [],
    detail: finding,
  };
}

/** A mix of the three formats in EventBridge envelopes, `count` findings in all. */
export function mixedEvents(count: number): Array<Record<string, unknown>> {
  const events: Array<Record<string, unknown>> = [];
  let i = 0;
  while (i < count) {
    const kind = events.length % 3;
    if (kind === 0) {
      const batch = Array.from({ length: Math.min(10, count - i) }, (_, k) => asffControlFinding({ index: i + k }));
      events.push(importedEvent(batch));
      i += batch.length;
    } else if (kind === 1) {
      const batch = Array.from({ length: Math.min(10, count - i) }, (_, k) => ocsfFinding({ index: i + k }));
      events.push(ocsfEvent(batch));
      i += batch.length;
    } else {
      events.push(guardDutyEvent(guardDutyFinding({ index: i })));
      i += 1;
    }
  }
  return events;
}
