import type { Finding } from '../finding.ts';
import { isAwsServiceSource, type TimelineEntry } from '../investigation/timeline.ts';
import type { RemediationInputs } from './catalog.ts';

/** A remediation offered in a thread, with its inputs already filled from the evidence. */
export interface Suggestion {
  remediationId: string;
  inputs: RemediationInputs;
  /** Short button label: what and on what. */
  label: string;
}

const ACCESS_KEY = /^(AKIA|ASIA)[A-Z0-9]{12,}$/;
const INSTANCE = /^i-[0-9a-f]{8,17}$/;
const POLICY_ARN = /^arn:aws[\w-]*:iam::(aws|\d{12}):policy\//;
const USER = /^[\w+=,.@-]{1,64}$/;
const MAX_SUGGESTIONS = 12;

/** The access key a finding is about, and its user, from the source document. */
function findingAccessKey(finding: Finding): { key: string; user: string } | null {
  const raw = finding.raw as {
    resource?: { accessKeyDetails?: { accessKeyId?: string; userName?: string } };
    Resource?: { AccessKeyDetails?: { AccessKeyId?: string; UserName?: string } };
    Resources?: Array<{ Type?: string; Id?: string; Details?: { AwsIamAccessKey?: { PrincipalName?: string; UserName?: string } } }>;
  } | null;
  const gd = raw?.resource?.accessKeyDetails ?? (raw?.Resource?.AccessKeyDetails ? { accessKeyId: raw.Resource.AccessKeyDetails.AccessKeyId, userName: raw.Resource.AccessKeyDetails.UserName } : undefined);
  if (gd?.accessKeyId && gd.userName && ACCESS_KEY.test(gd.accessKeyId)) return { key: gd.accessKeyId, user: gd.userName };
  for (const r of raw?.Resources ?? []) {
    const details = r.Details?.AwsIamAccessKey;
    const user = details?.UserName ?? details?.PrincipalName;
    const key = r.Id?.split('/').pop();
    if (r.Type === 'AwsIamAccessKey' && key && ACCESS_KEY.test(key) && user) return { key, user };
  }
  return null;
}

function bucketName(resourceId: string): string | null {
  const m = /^arn:aws[\w-]*:s3:::([^/]+)$/.exec(resourceId);
  return m?.[1] ?? (/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(resourceId) ? resourceId : null);
}

function instanceIdOf(resourceId: string): string | null {
  const id = resourceId.split('/').pop() ?? '';
  return INSTANCE.test(id) ? id : null;
}

/**
 * Calls AWS made on someone's behalf (Auto Scaling launching instances, CloudFormation
 * creating users): CloudTrail names the service as the source, and the service's role.
 * They are in the window but are not the activity, so nothing is offered against them.
 */
function byAwsService(e: TimelineEntry): boolean {
  return e.actorType === 'AWSService' || isAwsServiceSource(e.sourceIp) || /:assumed-role\/AWSServiceRoleFor/.test(e.actor ?? '');
}

/**
 * What to offer once a finding is investigated: deactivate the key it is about; delete
 * keys created and detach policies attached during the activity; snapshot, then
 * quarantine, instances it names or that were launched; block public access on buckets.
 */
export function suggestRemediations(finding: Finding, timeline: readonly TimelineEntry[]): Suggestion[] {
  const out: Suggestion[] = [];
  const add = (s: Suggestion) => {
    if (!out.some((o) => o.remediationId === s.remediationId && JSON.stringify(o.inputs) === JSON.stringify(s.inputs))) out.push(s);
  };
  const account = finding.accountId;
  const key = findingAccessKey(finding);
  if (key) add({ remediationId: 'deactivate-access-key', inputs: { account, userName: key.user, accessKeyId: key.key }, label: `Deactivate ${key.key}` });

  const ok = timeline.filter((e) => e.errorCode === null && e.source === 'cloudtrail' && !byAwsService(e));
  for (const e of ok) {
    const where = e.accountId ?? account;
    const user = e.resources.find((r) => USER.test(r) && !ACCESS_KEY.test(r) && !INSTANCE.test(r));
    if (e.action === 'CreateAccessKey') {
      const created = e.resources.find((r) => ACCESS_KEY.test(r));
      if (created && user) add({ remediationId: 'delete-access-key', inputs: { account: where, userName: user, accessKeyId: created }, label: `Delete ${created}` });
    }
    if (e.action === 'AttachUserPolicy') {
      const policy = e.resources.find((r) => POLICY_ARN.test(r));
      if (policy && user) add({ remediationId: 'detach-user-policy', inputs: { account: where, userName: user, policyArn: policy }, label: `Detach ${policy.split('/').pop()}` });
    }
  }

  const instances = new Map<string, { account: string; region: string }>();
  for (const r of finding.resources) {
    const id = r.type === 'AwsEc2Instance' ? instanceIdOf(r.id) : null;
    if (id) instances.set(id, { account, region: r.region ?? finding.region });
  }
  for (const e of ok.filter((x) => x.action === 'RunInstances')) {
    for (const id of e.resources.filter((r) => INSTANCE.test(r))) instances.set(id, { account: e.accountId ?? account, region: e.region ?? finding.region });
  }
  for (const [id, where] of instances) {
    add({ remediationId: 'snapshot-instance', inputs: { ...where, instanceId: id }, label: `Snapshot ${id}` });
    add({ remediationId: 'quarantine-instance', inputs: { ...where, instanceId: id }, label: `Quarantine ${id}` });
  }

  for (const r of finding.resources.filter((x) => x.type === 'AwsS3Bucket')) {
    const bucket = bucketName(r.id);
    if (bucket) add({ remediationId: 'block-s3-public-access', inputs: { account, region: r.region ?? finding.region, bucket }, label: `Block public access ${bucket}` });
  }
  return out.slice(0, MAX_SUGGESTIONS);
}
