import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import { startFakeAws } from '../../src/emulator/aws/server.ts';
import { loadScenario } from '../../src/emulator/aws/scenario.ts';
import { parseEnv } from '../../src/config/env.ts';
import { createCollectors } from '../../src/aws/evidence/collectors.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { investigate } from '../../src/investigation/investigate.ts';
import { statusPlan } from '../../src/domain/actions/workflow-status.ts';
import type { AwsCall } from '../../src/domain/actions/aws-call.ts';
import { iamStatements, memberRoleTemplate, type Statement } from '../support/cloudformation.ts';
import { isRead, leastPrivilegeProblems } from '../support/least-privilege.ts';
import { makeFinding } from '../support/findings.ts';

const template = memberRoleTemplate();
const role = template.Resources.MemberRole.Properties;
const statements = iamStatements(template.Resources);
const inPolicy = (name: string) => statements.filter((s) => s.from.includes(name));
const evidence = inPolicy('sirbot-evidence-read-only');
const workflow = inPolicy('sirbot-finding-workflow');
const _remediation = inPolicy('RemediationPolicy');
const bySid = (sid: string) => statements.find((s) => s.Sid === sid) as Statement;

/** The IAM action authorizing an API call, where its name differs (Service Authorization Reference). */
const IAM_ACTION: Record<string, string> = {
  's3:PutPublicAccessBlock': 's3:PutBucketPublicAccessBlock',
  's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  'securityhub:BatchUpdateFindingsV2': 'securityhub:BatchUpdateFindings',
};
const iamActionOf = (call: AwsCall) => IAM_ACTION[`${call.service}:${call.operation}`] ?? `${call.service}:${call.operation}`;

describe('deploy/member-role.yml', () => {
  it('trusts only the sirbot worker role, with the external id', () => {
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { AWS: { Ref: 'SirbotWorkerRoleArn' } },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
      },
    ]);
  });

  it('reads evidence only: every evidence action is a read', () => {
    expect(evidence.length).toBeGreaterThan(0);
    for (const s of evidence) for (const a of [s.Action].flat()) expect(isRead(a), a).toBe(true);
  });

  it('writes only finding metadata without opting in; remediation is a separate, conditional policy', () => {
    expect(workflow.flatMap((s) => [s.Action].flat()).sort()).toEqual([
      'guardduty:ArchiveFindings',
      'guardduty:UnarchiveFindings',
      'securityhub:BatchUpdateFindings',
    ]);
    expect(template.Resources.RemediationPolicy.Condition).toBe('Remediate');
    expect(template.Parameters.EnableRemediation.Default).toBe('false');
  });

  it('has no wildcard action and nothing on every resource that AWS lets a policy narrow (test/support/least-privilege.ts)', () => {
    expect(statements.flatMap(leastPrivilegeProblems)).toEqual([]);
  });

  it('re-attaches only the policies an operator listed, by exact ARN; none by default', () => {
    const attach = statements.filter((s) => [s.Action].flat().includes('iam:AttachUserPolicy'));
    expect(attach.map((s) => s.Sid)).toEqual(['ReattachListedPolicies']);
    expect(attach[0]?.from).toContain('if ReattachPolicies');
    expect(attach[0]?.Condition).toEqual({ ArnEquals: { 'iam:PolicyARN': { Ref: 'ReattachablePolicyArns' } } });
    const list = template.Parameters.ReattachablePolicyArns;
    expect(list).toMatchObject({ Type: 'CommaDelimitedList', Default: '' });
    // CloudFormation applies AllowedPattern to each listed value: exact policy ARNs, never a wildcard.
    const pattern = new RegExp(list.AllowedPattern);
    expect(pattern.test('')).toBe(true);
    expect(pattern.test('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBe(true);
    expect(pattern.test('arn:aws:iam::111122223333:policy/team/deploy-readonly')).toBe(true);
    for (const bad of ['*', 'arn:aws:iam::aws:policy/*', 'arn:aws:iam::*:policy/X', 'AdministratorAccess']) expect(pattern.test(bad), bad).toBe(false);
    expect(template.Conditions.ReattachPolicies).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ 'Fn::Join': ['', { Ref: 'ReattachablePolicyArns' }] }, ''] }] });
  });

  it('starts only the AWSSupport-ContainEC2Instance runbook, and passes only the configured containment role, to SSM only', () => {
    const start = statements.filter((s) => [s.Action].flat().includes('ssm:StartAutomationExecution'));
    expect(start).toHaveLength(1);
    expect(start[0]?.Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:*::document/AWSSupport-ContainEC2Instance' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:*:*:automation-definition/AWSSupport-ContainEC2Instance:*' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:automation-execution/*' },
    ]);
    const pass = bySid('PassContainmentRoleToSsm');
    expect(pass.from).toContain('if PassContainmentRole');
    expect(pass.Action).toBe('iam:PassRole');
    expect(pass.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${ContainmentRoleName}' });
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } });
    expect(statements.filter((s) => [s.Action].flat().includes('iam:PassRole'))).toHaveLength(1);
    expect(new RegExp(template.Parameters.ContainmentRoleName.AllowedPattern).test('*')).toBe(false);
  });

  it("revokes role sessions on any role of the account but its own, and reads nothing else of a role's policies than it writes", () => {
    const revoke = bySid('RevokeRoleSessions');
    expect(revoke.from).toBe('RemediationPolicy (Remediate)');
    expect([revoke.Action].flat().sort()).toEqual(['iam:DeleteRolePolicy', 'iam:GetRolePolicy', 'iam:PutRolePolicy']);
    expect(revoke.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*' });
    const self = bySid('NeverRewriteItself');
    expect(self).toMatchObject({
      Effect: 'Deny',
      Action: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${RoleName}' },
    });
    // Only the remediation policy writes a role's policies.
    expect(
      statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a) => /^iam:(Put|Delete|Attach|Detach)Role/.test(a))).map((s) => s.Sid),
    ).toEqual(['RevokeRoleSessions']);
  });

  it('changes only HttpTokens of instances: never their metadata endpoint or hop limit', () => {
    const imds = bySid('RequireImdsV2');
    expect(imds).toMatchObject({
      Action: ['ec2:ModifyInstanceMetadataOptions'],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:instance/*' },
    });
    expect(imds.Condition).toEqual({
      StringEquals: { 'ec2:Attribute/HttpTokens': ['required', 'optional'] },
      Null: { 'ec2:Attribute/HttpEndpoint': 'true', 'ec2:Attribute/HttpPutResponseHopLimit': 'true' },
    });
  });

  it('allows every call sirbot makes: the remediation catalog (with the runbook role passed), and status changes, standalone or through the GuardDuty administrator', async () => {
    const { REMEDIATIONS } = await import('../../src/domain/remediation/catalog.ts');
    const sample = {
      account: '111122223333',
      region: 'us-east-1',
      userName: 'u',
      roleName: 'app-role',
      accessKeyId: 'AKIAAAAAAAAAAAAAAAAA',
      policyArn: 'arn:aws:iam::aws:policy/X',
      instanceId: 'i-0123456789abcdef0',
      bucket: 'b-1',
      automationRole: 'arn:aws:iam::111122223333:role/contain',
    };
    const described = {
      Reservations: [{ Instances: [{ VpcId: 'vpc-1', SecurityGroups: [{ GroupId: 'sg-1' }], MetadataOptions: { HttpTokens: 'optional' } }] }],
    };
    const answers: Record<string, unknown[]> = { 'revoke-role-sessions': [{ Role: { Path: '/' } }, { error: 'NoSuchEntity' }] };
    const allows = statements.filter((s) => s.Effect === 'Allow');
    const granted = new Set(allows.flatMap((s) => [s.Action].flat()));
    const calls: AwsCall[] = [];
    for (const r of REMEDIATIONS) {
      const plan = r.plan(sample, answers[r.id] ?? [described, { SecurityGroups: [] }]);
      if ('error' in plan) throw new Error(plan.error);
      calls.push(...r.reads(sample), ...plan.calls, ...(plan.undo ?? []));
    }
    // The revocation with its undo, and the metadata change with its undo, are among them.
    expect(calls.map((c) => c.operation)).toEqual(
      expect.arrayContaining(['GetRole', 'GetRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy', 'ModifyInstanceMetadataOptions']),
    );
    // Each metadata change passes the statement's conditions on the request's attributes.
    for (const call of calls.filter((c) => c.operation === 'ModifyInstanceMetadataOptions')) {
      const condition = bySid('RequireImdsV2').Condition as { StringEquals: Record<string, string[]>; Null: Record<string, string> };
      expect(condition.StringEquals['ec2:Attribute/HttpTokens']).toContain(call.input.HttpTokens);
      for (const key of Object.keys(condition.Null)) expect(call.input[key.replace('ec2:Attribute/', '')]).toBeUndefined();
    }
    for (const schema of ['asff', 'ocsf', 'guardduty'] as const) {
      const finding = makeFinding({ schema, raw: { arn: 'arn:aws:guardduty:us-east-1:111122223333:detector/5ac6d7e8/finding/abc', metadata: { uid: 'm' } } });
      for (const admin of [undefined, '444455556666']) {
        const plan = statusPlan({ finding, status: 'RESOLVED', note: '', by: 'U' }, admin ? { administratorAccount: admin } : {});
        if ('error' in plan) throw new Error(plan.error);
        calls.push(...plan.calls);
      }
    }
    for (const call of calls) expect(granted, `${call.service}:${call.operation}`).toContain(iamActionOf(call));
    // The runbook is started with AutomationAssumeRole: the role must be passable.
    expect(calls.some((c) => c.operation === 'StartAutomationExecution' && JSON.stringify(c.input).includes('AutomationAssumeRole'))).toBe(true);
    expect(granted).toContain('iam:PassRole');
  });

  it('allows every read the evidence collectors make, on every scenario (the fake logs each call by service and operation)', async () => {
    const evidenceGranted = new Set(evidence.flatMap((s) => [s.Action].flat()));
    const made = new Set<string>();
    for (const scenario of readdirSync('src/scenarios')) {
      const dir = `src/scenarios/${scenario}`;
      const { findings } = normalizeInput(JSON.parse(readFileSync(`${dir}/finding.json`, 'utf8')));
      const aws = await startFakeAws({ scenario: dir, quotaScale: 20 });
      try {
        for (const finding of findings.slice(0, 3)) {
          const clients = new AwsClientFactory({ region: finding.region, endpoint: aws.endpoint, credentialsFor: fakeCredentials });
          await investigate(finding, {}, createCollectors(clients, new QuotaQueues(20)), aws.now());
          clients.destroy();
        }
        for (const c of aws.calls()) made.add(`${c.service}:${c.operation}`);
      } finally {
        await aws.close();
      }
    }
    // The reads that describe what an investigation found now: roles and their profiles, buckets.
    expect([...made]).toEqual(
      expect.arrayContaining([
        'iam:ListInstanceProfilesForRole',
        'iam:GetInstanceProfile',
        's3:GetBucketPolicyStatus',
        's3:GetBucketLogging',
        'cloudtrail:LookupEvents',
      ]),
    );
    for (const call of made) expect(evidenceGranted, call).toContain(IAM_ACTION[call] ?? call);
  }, 120_000);

  it("allows every call the trail's long-term store is searched with, each store only where its parameter is set", async () => {
    const { archiveSettingsOf } = await import('../../src/config/archive.ts');
    const dir = 'src/scenarios/dormant-key-archive';
    const { findings } = normalizeInput(JSON.parse(readFileSync(`${dir}/finding.json`, 'utf8')));
    const finding = findings[0] as (typeof findings)[number];
    const trail = loadScenario(dir).trail;
    const stores = {
      TrailLakePolicy: { SIRBOT_ARCHIVE_LAKE_EVENT_DATA_STORE: trail.eventDataStore },
      TrailAthenaPolicy: { SIRBOT_ARCHIVE_ATHENA_TABLE: `${trail.athena.database}.${trail.athena.table}` },
      TrailBucketPolicy: { SIRBOT_ARCHIVE_BUCKET: trail.bucket },
    };
    for (const [policy, env] of Object.entries(stores)) {
      expect(template.Resources[policy].Condition).toMatch(/^(QueryTrailLake|QueryTrailAthena|ReadTrailBucket)$/);
      const granted = new Set(inPolicy(policy).flatMap((s) => [s.Action].flat()));
      const aws = await startFakeAws({ scenario: dir, quotaScale: 20 });
      const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
      try {
        const settings = archiveSettingsOf(parseEnv({ ...env, SIRBOT_ARCHIVE_ACCOUNT: trail.account, SIRBOT_ARCHIVE_DATA_EVENTS: 'true' }), 'us-east-1');
        const before = aws.calls().length;
        await investigate(finding, { exposedAt: '2026-08-01T00:00:00Z' }, createCollectors(clients, new QuotaQueues(20), settings), aws.now());
        const made = new Set(
          aws
            .calls()
            .slice(before)
            .filter((c) => ['athena', 's3'].includes(c.service) || ['StartQuery', 'DescribeQuery', 'GetQueryResults'].includes(c.operation))
            .map((c) => `${c.service === 'athena' ? 'athena' : c.service}:${c.operation}`),
        );
        expect(made.size, policy).toBeGreaterThan(0);
        // ListObjectsV2 is authorized by s3:ListBucket.
        for (const call of made) expect(granted, `${policy} ${call}`).toContain(call === 's3:ListObjectsV2' ? 's3:ListBucket' : call);
      } finally {
        clients.destroy();
        await aws.close();
      }
    }
  }, 60_000);
});

describe('the member role for Security Lake', () => {
  it("allows every call the network evidence is searched with, only where Security Lake's database is set", async () => {
    const { securityLakeSettingsOf } = await import('../../src/config/security-lake.ts');
    const { fakeSecurityLake } = await import('../../src/emulator/aws/security-lake.ts');
    const policy = template.Resources.SecurityLakeQueryPolicy;
    expect(policy.Condition).toBe('QuerySecurityLake');
    expect(template.Conditions.QuerySecurityLake).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'SecurityLakeDatabase' }, ''] }] });
    const granted = new Set(inPolicy('SecurityLakeQueryPolicy').flatMap((s) => [s.Action].flat()));
    // The Glue reads are on Security Lake's database and its tables only.
    const glue = inPolicy('SecurityLakeQueryPolicy').find((s) => s.Sid === 'ReadSecurityLakeTableDefinitions');
    expect(JSON.stringify(glue?.Resource)).toContain('database/${SecurityLakeDatabase}');
    const dir = 'src/scenarios/cryptomining-ec2';
    const scenario = loadScenario(dir);
    const lake = fakeSecurityLake(scenario);
    const { findings } = normalizeInput(JSON.parse(readFileSync(`${dir}/finding.json`, 'utf8')));
    const aws = await startFakeAws({ scenario, quotaScale: 20 });
    const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
    try {
      const settings = securityLakeSettingsOf(parseEnv({ SIRBOT_SECURITY_LAKE_DATABASE: lake?.database }), 'us-east-1');
      const before = aws.calls().length;
      const result = await investigate(
        findings[0] as (typeof findings)[number],
        {},
        createCollectors(clients, new QuotaQueues(20), null, undefined, settings),
        aws.now(),
      );
      expect(result.timeline.some((e) => e.source === 'vpc-flow')).toBe(true);
      const made = new Set(
        aws
          .calls()
          .slice(before)
          .filter((c) => c.service === 'athena')
          .map((c) => `athena:${c.operation}`),
      );
      expect(made).toEqual(new Set(['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults']));
      for (const call of made) expect(granted, call).toContain(call);
    } finally {
      clients.destroy();
      await aws.close();
    }
  }, 60_000);
});
