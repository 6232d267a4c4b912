import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundle } from '../../src/build/bundle.ts';

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
  it('defines the Slack and ingest functions on Node 22, arm64', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.map((f) => f.Properties.Handler).sort()).toEqual(['.build/ingest/index.handler', '.build/slack/index.handler']);
    for (const f of functions) {
      expect(f.Properties.Runtime).toBe('nodejs22.x');
      expect(f.Properties.Architectures).toEqual(['arm64']);
    }
  });

  it('routes POST /slack/events from the HTTP API to the Slack function', () => {
    expect(ofType('AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey)).toEqual(['POST /slack/events']);
  });

  it('subscribes ingest to the four finding events and to the SNS topic', () => {
    const patterns = ofType('AWS::Events::Rule').map((r) => r.Properties.EventPattern);
    expect(patterns.map((p) => [p.source[0], p['detail-type'][0]]).sort()).toEqual([
      ['aws.guardduty', 'GuardDuty Finding'],
      ['aws.securityhub', 'Findings Imported V2'],
      ['aws.securityhub', 'Security Hub Findings - Custom Action'],
      ['aws.securityhub', 'Security Hub Findings - Imported'],
    ]);
    const [subscription] = ofType('AWS::SNS::Subscription');
    expect(subscription?.Properties.Protocol).toBe('lambda');
    expect(subscription?.Properties.TopicArn).toEqual({ Ref: 'FindingsTopic' });
  });

  it('grants no wildcard actions and no writes on every resource', () => {
    const statements = ofType('AWS::IAM::Role').flatMap((r) =>
      (r.Properties.Policies ?? []).flatMap((p: { PolicyDocument: { Statement: any[] } }) => p.PolicyDocument.Statement),
    );
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      const actions: string[] = [s.Action].flat();
      const targets: unknown[] = [s.Resource].flat();
      for (const a of actions) expect(a === '*' || a.endsWith(':*')).toBe(false);
      if (targets.includes('*')) {
        // Only reads may apply to every resource.
        for (const a of actions) expect(a).toMatch(/:(Get|List|Describe)/);
      }
    }
    const secretRead = statements.find((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'));
    expect(JSON.stringify(secretRead?.Resource)).toContain(':secret:sirbot/slack-*');
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
