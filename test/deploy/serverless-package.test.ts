import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle } from '../../src/build/bundle.ts';
import { DynamoStore, TTL_ATTRIBUTE } from '../../src/store/dynamodb.ts';
import { iamStatements, memberRoleTemplate } from '../support/cloudformation.ts';
import { leastPrivilegeProblems } from '../support/least-privilege.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

type Resource = { Type: string; Properties: Record<string, any> };
let resources: Record<string, Resource>;
let out: string;

/** `osls package` needs no AWS account: it only renders CloudFormation and zips the bundles. */
beforeAll(async () => {
  await bundle();
  out = mkdtempSync(path.join(tmpdir(), 'sirbot-sls-'));
  await run(process.execPath, [path.join(ROOT, 'node_modules/osls/bin/serverless.js'), 'package', '--stage', 'ci', '--package', out], {
    cwd: ROOT,
    env: { ...process.env, AWS_REGION: 'us-east-1', SLS_TELEMETRY_DISABLED: '1' },
    timeout: 120_000,
  });
  resources = JSON.parse(readFileSync(path.join(out, 'cloudformation-template-update-stack.json'), 'utf8')).Resources;
}, 180_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);

describe('serverless.ts packaged by osls', () => {
  it('defines the Slack, ingest and worker functions on Node 22, arm64', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.map((f) => f.Properties.Handler).sort()).toEqual([
      '.build/ingest/index.handler',
      '.build/slack/index.handler',
      '.build/worker/index.handler',
    ]);
    for (const f of functions) {
      expect(f.Properties.Runtime).toBe('nodejs22.x');
      expect(f.Properties.Architectures).toEqual(['arm64']);
    }
  });

  it('routes POST /slack/events and the paging webhooks from the HTTP API to the Slack function', () => {
    expect(
      ofType('AWS::ApiGatewayV2::Route')
        .map((r) => r.Properties.RouteKey)
        .sort(),
    ).toEqual(['POST /pager/opsgenie', 'POST /pager/pagerduty', 'POST /slack/events']);
  });

  it("subscribes ingest to the four finding events, AWS Health's exposed keys, Security IR's case events and the SNS topic", () => {
    const rules = ofType('AWS::Events::Rule');
    // The worker's clock is a schedule, not a pattern.
    expect(rules.filter((r) => r.Properties.ScheduleExpression).map((r) => r.Properties.ScheduleExpression)).toEqual(['rate(1 minute)']);
    const patterns = rules.filter((r) => r.Properties.EventPattern).map((r) => r.Properties.EventPattern);
    expect(patterns.map((p) => [p.source[0], p['detail-type'][0]]).sort()).toEqual(
      [
        ['aws.guardduty', 'GuardDuty Finding'],
        ['aws.health', 'AWS Health Event'],
        ['aws.security-ir', 'Case Created'],
        ['aws.securityhub', 'Findings Imported V2'],
        ['aws.securityhub', 'Security Hub Findings - Custom Action'],
        ['aws.securityhub', 'Security Hub Findings - Imported'],
      ].sort(),
    );
    expect(patterns.find((p) => p.source[0] === 'aws.security-ir')['detail-type']).toEqual([
      'Case Created',
      'Case Updated',
      'Case Closed',
      'Case Comment Added',
      'Case Comment Updated',
    ]);
    expect(patterns.find((p) => p.source[0] === 'aws.health').detail).toEqual({ eventTypeCode: ['AWS_RISK_CREDENTIALS_EXPOSED'] });
    const [subscription] = ofType('AWS::SNS::Subscription');
    expect(subscription?.Properties.Protocol).toBe('lambda');
    expect(subscription?.Properties.TopicArn).toEqual({ Ref: 'FindingsTopic' });
  });

  it('least privilege, in the packaged template and the member role: no wildcard action, nothing on "*" that AWS lets a policy narrow (test/support/least-privilege.ts)', () => {
    const statements = [...iamStatements(resources), ...iamStatements(memberRoleTemplate().Resources)];
    expect(statements.length).toBeGreaterThan(20);
    expect(statements.flatMap(leastPrivilegeProblems)).toEqual([]);
    const packaged = iamStatements(resources);
    const secretRead = packaged.find((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(JSON.stringify(secretRead?.Resource)).toContain(':secret:sirbot/slack-*');
    // Security IR: every case action on the account's cases; only ListCases (no resource type) on "*".
    const caseActions = packaged.find((s) => s.Sid === 'SecurityIncidentResponseCases');
    expect([caseActions?.Action].flat()).toContain('security-ir:CreateCase');
    expect(JSON.stringify(caseActions?.Resource)).toBe(
      JSON.stringify([{ 'Fn::Sub': 'arn:${AWS::Partition}:security-ir:${AWS::Region}:${AWS::AccountId}:case/*' }]),
    );
    expect(packaged.filter((s) => [s.Resource].flat().includes('*')).flatMap((s) => [s.Action].flat())).toEqual(['security-ir:ListCases']);
  });

  it('the least-privilege check itself fails on wildcard actions and on writes on "*"', () => {
    const problems = (Action: string | string[], Resource: unknown) => leastPrivilegeProblems({ Effect: 'Allow', Action, Resource, from: 'probe' });
    expect(problems('*', 'arn:aws:s3:::b')).toHaveLength(1);
    expect(problems('iam:*', 'arn:aws:iam::1:user/u')).toHaveLength(1);
    expect(problems('iam:Attach*', 'arn:aws:iam::1:user/u')).toHaveLength(1);
    expect(problems(['iam:AttachUserPolicy'], ['*'])).toEqual([
      'probe: write iam:AttachUserPolicy on every resource ("*"), though AWS defines a resource type for it',
    ]);
    expect(problems('security-ir:CreateCase', '*')).toHaveLength(1);
    expect(problems('securityhub:GetFindings', '*')).toHaveLength(1);
    expect(problems(['guardduty:ListDetectors', 'cloudtrail:LookupEvents'], '*')).toEqual([]);
  });

  it('ingest never loses an event: two retries over six hours, then its failure queue; SNS and EventBridge keep what they cannot deliver; alarms on each queue', () => {
    const ingest = ofType('AWS::Lambda::Function').find((f) => f.Properties.Handler === '.build/ingest/index.handler')!;
    const [invoke] = ofType('AWS::Lambda::EventInvokeConfig');
    expect(invoke?.Properties).toEqual({
      FunctionName: { Ref: Object.entries(resources).find(([, r]) => r === ingest)![0] },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['IngestFailedQueue', 'Arn'] } } },
    });
    // The function's own role delivers to its failure destination, and puts work on the queue.
    const ingestRole = iamStatements({ IngestRole: resources.IngestRole! });
    const sends = ingestRole.filter((s) => [s.Action].flat().includes('sqs:SendMessage')).flatMap((s) => [s.Resource].flat());
    expect(sends).toEqual(expect.arrayContaining([{ 'Fn::GetAtt': ['WorkQueue', 'Arn'] }, { 'Fn::GetAtt': ['IngestFailedQueue', 'Arn'] }]));
    const [subscription] = ofType('AWS::SNS::Subscription');
    expect(subscription?.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['IngestFailedQueue', 'Arn'] } });
    const rules = ofType('AWS::Events::Rule').filter((r) => r.Properties.EventPattern);
    expect(rules).toHaveLength(6);
    for (const r of rules) {
      expect(r.Properties.Targets[0]).toMatchObject({
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['IngestUndeliveredQueue', 'Arn'] } },
      });
    }
    // Only the services delivering there may send to these queues, and only from sirbot's topic and rules.
    const policies = ofType('AWS::SQS::QueuePolicy').flatMap((p) => p.Properties.PolicyDocument.Statement as any[]);
    expect(policies.map((p) => [p.Principal.Service, p.Action, Object.keys(p.Condition)[0]]).sort()).toEqual([
      ['events.amazonaws.com', 'sqs:SendMessage', 'ArnLike'],
      ['sns.amazonaws.com', 'sqs:SendMessage', 'ArnEquals'],
    ]);
    for (const queue of ['IngestFailedQueue', 'IngestUndeliveredQueue']) {
      expect(resources[queue]?.Properties).toMatchObject({ MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true });
      const alarm = ofType('AWS::CloudWatch::Alarm').find((a) => JSON.stringify(a.Properties.Dimensions).includes(queue));
      expect(alarm?.Properties, queue).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
  });

  it('gives each function its own role: only the worker assumes roles, and only the member role', () => {
    const roleOf = (handler: string) => {
      const fn = ofType('AWS::Lambda::Function').find((f) => f.Properties.Handler === handler)!;
      const logicalId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      return resources[logicalId]!.Properties.Policies[0].PolicyDocument.Statement as any[];
    };
    const actions = (handler: string) => roleOf(handler).flatMap((s) => [s.Action].flat());
    expect(actions('.build/slack/index.handler')).not.toContain('sts:AssumeRole');
    expect(actions('.build/ingest/index.handler')).not.toContain('sts:AssumeRole');
    const assume = roleOf('.build/worker/index.handler').find((s) => [s.Action].flat().includes('sts:AssumeRole'));
    expect(JSON.stringify(assume.Resource)).toContain(':role/sirbot-member');
    for (const handler of ['.build/slack/index.handler', '.build/ingest/index.handler']) {
      expect(actions(handler).filter((a) => !/^(logs|secretsmanager|dynamodb|sqs):/.test(a))).toEqual([]);
    }
  });

  it('queues slow work for the worker, with a dead-letter queue and an alarm on it', () => {
    const queues = ofType('AWS::SQS::Queue');
    const work = queues.find((q) => q.Properties.RedrivePolicy)!;
    expect(work.Properties.RedrivePolicy).toMatchObject({ deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDeadLetterQueue', 'Arn'] }, maxReceiveCount: 3 });
    const worker = ofType('AWS::Lambda::Function').find((f) => f.Properties.Handler === '.build/worker/index.handler')!;
    expect(work.Properties.VisibilityTimeout).toBeGreaterThan(worker.Properties.Timeout);
    const [mapping] = ofType('AWS::Lambda::EventSourceMapping');
    expect(mapping?.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    const alarm = ofType('AWS::CloudWatch::Alarm').find((a) => JSON.stringify(a.Properties.Dimensions).includes('WorkDeadLetterQueue'));
    expect(alarm?.Properties).toMatchObject({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
  });

  it('keeps state in one on-demand DynamoDB table with point-in-time recovery and TTL, keyed as the store expects', () => {
    const [table] = ofType('AWS::DynamoDB::Table');
    expect(table?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
    const expected = DynamoStore.tableDefinition('x');
    expect(table?.Properties.KeySchema).toEqual(expected.KeySchema);
    expect(new Set(table?.Properties.AttributeDefinitions)).toEqual(new Set(expected.AttributeDefinitions));
    expect((table?.Properties.GlobalSecondaryIndexes ?? []).map((g: any) => [g.IndexName, g.KeySchema])).toEqual(
      (expected.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g.KeySchema]),
    );
  });

  it('each bundle loads on its own, with nothing of the repository beside it', async () => {
    // A Lambda bundle carries only itself and its rules; anything read from the source tree at import time breaks start-up.
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-bundle-'));
    try {
      for (const name of ['slack', 'ingest', 'worker']) {
        cpSync(path.join(ROOT, '.build', name), path.join(dir, name), { recursive: true });
        const entry = path.join(dir, name, 'index.mjs');
        const { stdout } = await run(
          process.execPath,
          ['--input-type=module', '-e', `const m = await import(${JSON.stringify(entry)}); console.log(typeof m.handler);`],
          { cwd: dir, timeout: 30_000 },
        );
        expect(stdout.trim(), name).toBe('function');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the worker the GuardDuty administrator account (param guardDutyAdminAccount; empty: standalone)', () => {
    const worker = ofType('AWS::Lambda::Function').find((f) => f.Properties.Handler === '.build/worker/index.handler')!;
    expect(worker.Properties.Environment.Variables).toMatchObject({ SIRBOT_GUARDDUTY_ADMIN_ACCOUNT: '', SIRBOT_ROLE_NAME: 'sirbot-member' });
  });

  it('puts no Slack secret in any environment', () => {
    for (const f of ofType('AWS::Lambda::Function')) {
      const env = f.Properties.Environment?.Variables ?? {};
      expect(Object.keys(env)).not.toContain('SLACK_SIGNING_SECRET');
      expect(Object.keys(env)).not.toContain('SLACK_BOT_TOKEN');
      expect(JSON.stringify(env)).not.toMatch(/xox[bp]-/);
      expect(env.SIRBOT_SLACK_SECRET_ID).toBe('sirbot/slack');
    }
  });
});
