import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Scalar, parse, type Tags } from 'yaml';
import { describe, expect, it } from 'vitest';

/** CloudFormation's short-form intrinsics, kept as `{ 'Fn::…': value }`. */
const intrinsic = (tag: string, fn: string) => ({ tag, resolve: (value: unknown) => ({ [fn]: value instanceof Scalar ? value.value : value }) });
const CFN_TAGS: Tags = [
  { ...intrinsic('!Ref', 'Ref'), identify: () => false },
  { ...intrinsic('!Sub', 'Fn::Sub'), identify: () => false },
  { ...intrinsic('!GetAtt', 'Fn::GetAtt'), identify: () => false },
  { tag: '!Equals', collection: 'seq', resolve: (v: unknown) => ({ 'Fn::Equals': v }), identify: () => false } as never,
];

const template = parse(readFileSync(fileURLToPath(new URL('../../deploy/member-role.yml', import.meta.url)), 'utf8'), { customTags: CFN_TAGS }) as Record<string, any>;
const role = template.Resources.MemberRole.Properties;
const statements = (policy: { PolicyDocument: { Statement: any[] } }) => policy.PolicyDocument.Statement;
const evidence = statements(role.Policies.find((p: any) => p.PolicyName === 'sirbot-evidence-read-only'));
const workflow = statements(role.Policies.find((p: any) => p.PolicyName === 'sirbot-finding-workflow'));
const remediation = statements(template.Resources.RemediationPolicy.Properties);

describe('deploy/member-role.yml', () => {
  it('trusts only the sirbot worker role, with the external id', () => {
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Principal: { AWS: { Ref: 'SirbotWorkerRoleArn' } }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } } },
    ]);
  });

  it('reads evidence only: every evidence action is a read, and "*" only where IAM allows nothing narrower', () => {
    for (const s of evidence) {
      for (const a of [s.Action].flat() as string[]) expect(a).toMatch(/:(Get|List|Describe|Lookup)/);
    }
  });

  it('writes only finding metadata without opting in; remediation is a separate, conditional policy', () => {
    expect(workflow.flatMap((s: any) => s.Action).sort()).toEqual(['guardduty:ArchiveFindings', 'guardduty:UnarchiveFindings', 'securityhub:BatchUpdateFindings', 'securityhub:BatchUpdateFindingsV2']);
    expect(template.Resources.RemediationPolicy.Condition).toBe('Remediate');
    expect(template.Parameters.EnableRemediation.Default).toBe('false');
  });

  it('allows no wildcard action and no write on every resource', () => {
    for (const s of [...evidence, ...workflow, ...remediation]) {
      const actions = [s.Action].flat() as string[];
      for (const a of actions) expect(a === '*' || a.endsWith(':*')).toBe(false);
      if ([s.Resource].flat().includes('*')) for (const a of actions) expect(a).toMatch(/:(Get|List|Describe|Lookup)/);
    }
  });

  it('allows exactly the calls the remediation catalog makes', async () => {
    const { REMEDIATIONS } = await import('../../src/domain/remediation/catalog.ts');
    const sample = { account: '111122223333', region: 'us-east-1', userName: 'u', accessKeyId: 'AKIAAAAAAAAAAAAAAAAA', policyArn: 'arn:aws:iam::aws:policy/X', instanceId: 'i-0123456789abcdef0', bucket: 'b-1' };
    const described = { Reservations: [{ Instances: [{ VpcId: 'vpc-1', SecurityGroups: [{ GroupId: 'sg-1' }] }] }] };
    const iamAction: Record<string, string> = { PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock', GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock' };
    const granted = new Set([...evidence, ...workflow, ...remediation].flatMap((s: any) => [s.Action].flat()));
    for (const r of REMEDIATIONS) {
      const plan = r.plan(sample, [described, { SecurityGroups: [] }]);
      if ('error' in plan) throw new Error(plan.error);
      for (const call of [...r.reads(sample), ...plan.calls, ...(plan.undo ?? [])]) {
        expect(granted, `${r.id}: ${call.service}:${call.operation}`).toContain(iamAction[call.operation] ?? `${call.service}:${call.operation}`);
      }
    }
  });
});
