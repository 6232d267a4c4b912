import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { sharedPath } from '../support/fixtures.ts';
import { asffControlFinding, guardDutyFinding, ocsfFinding } from '../support/generate.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STABLE = [
  'id',
  'schema',
  'product',
  'type',
  'title',
  'severity',
  'accountId',
  'region',
  'resources',
  'createdAt',
  'updatedAt',
  'firstSeenAt',
  'lastSeenAt',
  'workflowStatus',
  'recordState',
  'consoleUrl',
];

describe('sirbot normalize', () => {
  it('prints one finding per line with the documented fields, and errors in place', async () => {
    const input = JSON.stringify([asffControlFinding({ index: 1 }), { nonsense: true }, ocsfFinding({ index: 2 }), guardDutyFinding({ index: 3 })]);
    const run = await runCli(['normalize', '-'], { '-': input });
    expect(run.code).toBe(0);
    const lines = run.stdout.map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[1]).toEqual({ error: expect.stringContaining('not a recognised finding'), input: '[1]' });
    for (const i of [0, 2, 3]) {
      for (const key of STABLE) expect(lines[i]).toHaveProperty(key);
      expect(lines[i]).not.toHaveProperty('raw');
      expect(Object.keys(lines[i].severity)).toEqual(expect.arrayContaining(['label', 'score']));
    }
    expect(lines.filter((l) => l.schema).map((l) => l.schema)).toEqual(['asff', 'ocsf', 'guardduty']);
  });

  it('exits non-zero only when nothing could be read', async () => {
    expect((await runCli(['normalize', '-'], { '-': '{"broken": ' })).code).toBe(1);
    expect((await runCli(['normalize', '/nonexistent/file.json'])).code).toBe(1);
    expect((await runCli(['normalize', '-'], { '-': '[{"x":1}]' })).code).toBe(0);
    expect((await runCli(['normalize'])).code).toBe(2);
  });

  it('runs as `npx sirbot` from a clean checkout (the bin needs no build step)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'src/runtime/cli/sirbot.mjs'), 'normalize', sharedPath('guardduty/aws-samples-guardduty-automated-response/guardduty_ec2_event.json')],
      { cwd: ROOT },
    );
    expect(JSON.parse(stdout.trim())).toMatchObject({ schema: 'guardduty', type: 'Canary:EC2/Stateless.IntegTest' });
  });
});

describe('sirbot route', () => {
  it('prints the routing decision of each finding', async () => {
    const rules = `
rules:
  - RuleName: prod
    RuleOrder: 1
    Criteria: { ResourceTags: [{ Key: environment, Value: production, Comparison: EQUALS }] }
    Actions: { SeverityLabel: CRITICAL, Channel: "#prod" }
  - RuleName: quiet
    RuleOrder: 2
    Criteria: { SeverityLabel: [{ Value: MEDIUM, Comparison: EQUALS }] }
    Actions: { Suppress: true }
`;
    const findings = [asffControlFinding({ index: 1, control: 0, tags: { environment: 'production' } }), asffControlFinding({ index: 2, control: 0 })];
    const run = await runCli(['route', '--rules', 'r.yml', '--now', '2026-11-22T12:00:00Z', '-'], {
      'r.yml': rules,
      '-': JSON.stringify({ Findings: findings }),
    });
    expect(run.code).toBe(0);
    const [a, b] = run.stdout.map((l) => JSON.parse(l));
    expect(a).toMatchObject({ findingId: findings[0]!.Id, matchedRules: ['prod'], channel: '#prod', severity: 'CRITICAL', suppressed: false });
    expect(a.actions).toEqual([
      { rule: 'prod', type: 'CHANNEL', value: '#prod' },
      { rule: 'prod', type: 'SEVERITY', value: 'CRITICAL' },
    ]);
    expect(b).toMatchObject({ matchedRules: ['quiet'], channel: '#security-findings', severity: 'MEDIUM', suppressed: true });
  });

  it('refuses a broken rules file with every problem named', async () => {
    const run = await runCli(['route', '--rules', 'r.yml', '-'], { 'r.yml': 'rules: [{ RuleName: x, RuleOrder: 0 }]', '-': '[]' });
    expect(run.code).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/rules\.0\.RuleOrder/);
  });
});
