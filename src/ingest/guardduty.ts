import * as z from 'zod';
import type { Finding, Resource } from '../domain/finding.ts';
import { guardDutyLabel } from '../domain/severity.ts';
import { guardDutyFindingUrl } from '../domain/console-links.ts';
import { firstDefined, isoDate, nonEmpty, toIso } from './fields.ts';

/**
 * Native GuardDuty findings, as EventBridge delivers them (camelCase). The API form
 * that GetFindings returns (PascalCase) is the same document with capitalised keys,
 * so it is converted with `camelizeKeys` before parsing.
 */
const tagList = z.array(z.object({ key: z.string(), value: z.string().nullish() })).nullish();

const resourceSchema = z.object({
  resourceType: z.string().optional(),
  accessKeyDetails: z
    .object({
      accessKeyId: z.string().nullish(),
      principalId: z.string().nullish(),
      userName: z.string().nullish(),
      userType: z.string().nullish(),
    })
    .nullish(),
  instanceDetails: z.object({ instanceId: z.string().nullish(), tags: tagList }).nullish(),
  s3BucketDetails: z.array(z.object({ arn: z.string().nullish(), name: z.string().nullish(), tags: tagList })).nullish(),
  eksClusterDetails: z.object({ name: z.string().nullish(), arn: z.string().nullish(), tags: tagList }).nullish(),
  ecsClusterDetails: z.object({ name: z.string().nullish(), arn: z.string().nullish(), tags: tagList }).nullish(),
  rdsDbInstanceDetails: z.object({ dbInstanceIdentifier: z.string().nullish(), dbInstanceArn: z.string().nullish(), tags: tagList }).nullish(),
  lambdaDetails: z.object({ functionName: z.string().nullish(), functionArn: z.string().nullish(), tags: tagList }).nullish(),
});

export const guardDutySchema = z.object({
  schemaVersion: z.string().optional(),
  accountId: nonEmpty,
  region: nonEmpty,
  partition: z.string().optional(),
  id: nonEmpty,
  arn: z.string().optional(),
  type: nonEmpty,
  title: z.string(),
  description: z.string().optional(),
  severity: z.number().min(0).max(10),
  createdAt: isoDate.optional(),
  updatedAt: isoDate.optional(),
  resource: resourceSchema.optional(),
  service: z
    .object({
      archived: z.boolean().optional(),
      count: z.number().optional(),
      eventFirstSeen: isoDate.optional(),
      eventLastSeen: isoDate.optional(),
    })
    .optional(),
});

export type GuardDutyFinding = z.infer<typeof guardDutySchema>;

/** GetFindings returns PascalCase; EventBridge delivers camelCase. */
export function isGuardDutyApiForm(doc: Record<string, unknown>): boolean {
  return 'AccountId' in doc && !('accountId' in doc);
}

/** GetFindings' PascalCase → the event form's camelCase, recursively (`IpAddressV4` → `ipAddressV4`). */
export function camelizeKeys(value: unknown, depth = 0): unknown {
  if (depth > 32) return value;
  if (Array.isArray(value)) return value.map((v) => camelizeKeys(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k.charAt(0).toLowerCase() + k.slice(1)] = camelizeKeys(v, depth + 1);
    }
    return out;
  }
  return value;
}

type Tags = z.infer<typeof tagList>;

function tagMap(tags: Tags): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) out[t.key] = t.value ?? '';
  return out;
}

/** Resource types named as Security Hub names them, so one routing rule fits both. */
function resourcesOf(doc: GuardDutyFinding): Resource[] {
  const r = doc.resource;
  if (!r) return [];
  const region = doc.region;
  const out: Resource[] = [];
  const add = (type: string, id: string | null | undefined, tags: Tags = []) => {
    if (id) out.push({ type, id, region, tags: tagMap(tags) });
  };
  switch (r.resourceType) {
    case 'Instance':
      add('AwsEc2Instance', r.instanceDetails?.instanceId, r.instanceDetails?.tags);
      break;
    case 'S3Bucket':
      for (const b of r.s3BucketDetails ?? []) add('AwsS3Bucket', b.arn ?? b.name, b.tags);
      break;
    case 'EKSCluster':
      add('AwsEksCluster', r.eksClusterDetails?.arn ?? r.eksClusterDetails?.name, r.eksClusterDetails?.tags);
      break;
    case 'ECSCluster':
    case 'Container':
      add('AwsEcsCluster', r.ecsClusterDetails?.arn ?? r.ecsClusterDetails?.name, r.ecsClusterDetails?.tags);
      break;
    case 'RDSDBInstance':
      add('AwsRdsDbInstance', r.rdsDbInstanceDetails?.dbInstanceArn ?? r.rdsDbInstanceDetails?.dbInstanceIdentifier, r.rdsDbInstanceDetails?.tags);
      break;
    case 'Lambda':
      add('AwsLambdaFunction', r.lambdaDetails?.functionArn ?? r.lambdaDetails?.functionName, r.lambdaDetails?.tags);
      break;
    default:
      break;
  }
  // The principal behind an access-key or S3 finding is part of what was touched.
  if (r.resourceType === 'AccessKey' || r.resourceType === 'S3Bucket') {
    const key = r.accessKeyDetails;
    add('AwsIamAccessKey', key?.accessKeyId);
    if (key?.userType === 'IAMUser' || key?.userType === 'Root') add('AwsIamUser', key.userName);
    if (key?.userType === 'AssumedRole') add('AwsIamRole', key.userName);
  }
  // Exfiltrated instance credentials: the instance they were taken from is the thing to contain.
  if (r.resourceType === 'AccessKey' && doc.type.includes('InstanceCredentialExfiltration')) {
    add('AwsEc2Instance', r.instanceDetails?.instanceId, r.instanceDetails?.tags);
  }
  if (out.length === 0 && r.resourceType) add(r.resourceType, doc.arn ?? doc.id);
  return out;
}

export function normalizeGuardDuty(doc: GuardDutyFinding, raw: unknown): Finding {
  const label = guardDutyLabel(doc.severity);
  const archived = doc.service?.archived === true;
  return {
    id: doc.id,
    schema: 'guardduty',
    product: 'GuardDuty',
    productArn: null,
    type: doc.type,
    types: [doc.type],
    title: doc.title,
    description: doc.description ?? '',
    severity: { label, score: Math.round(doc.severity * 10), original: doc.severity },
    accountId: doc.accountId,
    region: doc.region,
    resources: resourcesOf(doc),
    controlId: null,
    generatorId: null,
    createdAt: toIso(doc.createdAt),
    updatedAt: toIso(firstDefined(doc.updatedAt, doc.createdAt)),
    firstSeenAt: toIso(firstDefined(doc.service?.eventFirstSeen, doc.createdAt)),
    lastSeenAt: toIso(firstDefined(doc.service?.eventLastSeen, doc.updatedAt)),
    // GuardDuty has no workflow of its own; archiving is recorded as the record state, as Security Hub does.
    workflowStatus: 'NEW',
    recordState: archived ? 'ARCHIVED' : 'ACTIVE',
    consoleUrl: guardDutyFindingUrl(doc.id, doc.region, doc.partition),
    raw,
  };
}
