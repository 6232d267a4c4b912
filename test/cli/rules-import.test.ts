import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRules } from '../../src/config/rules-file.ts';
import { route } from '../../src/domain/routing/evaluate.ts';
import { runCli } from '../support/cli.ts';
import { sharedJson } from '../support/fixtures.ts';
import { makeFinding } from '../support/findings.ts';

const MIXED = 'test/fixtures/automation-rules/batch-get-mixed.json';

const tmp = mkdtempSync(path.join(tmpdir(), 'sirbot-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function importFile(file: string, extra: string[] = []) {
  const report = path.join(tmp, `report-${Math.random().toString(36).slice(2)}.json`);
  const run = await runCli(['rules', 'import', file, '--report', report, ...extra]);
  return { run, yaml: run.stdout.join('\n'), report: JSON.parse(readFileSync(report, 'utf8')) };
}

describe('sirbot rules import', () => {
  it('sorts rules into fully, partially and not migrated, naming dropped actions and unmapped criteria', async () => {
    const { run, report } = await importFile(MIXED);
    expect(run.code).toBe(0);
    expect(report.summary).toEqual({ total: 5, fullyMigrated: 2, partiallyMigrated: 1, notMigrated: 2 });
    const byName = Object.fromEntries(report.rules.map((r: { ruleName: string }) => [r.ruleName, r]));
    expect(byName['Elevate critical buckets']).toMatchObject({ status: 'PARTIALLY_MIGRATED', droppedActions: ['FindingFieldsUpdate.Note'] });
    expect(byName['Resolve sandbox account']).toMatchObject({ status: 'FULLY_MIGRATED', droppedActions: [] });
    expect(byName['Tag CIS generator']).toMatchObject({ status: 'NOT_MIGRATED', unmappedCriteria: ['GeneratorId'] });
    expect(byName['Raise critical assets']).toMatchObject({
      status: 'NOT_MIGRATED',
      enabled: false,
      unmappedCriteria: ['Criticality', 'VerificationState'],
    });
    expect(byName['Lower dev noise']).toMatchObject({ status: 'FULLY_MIGRATED', enabled: false });
  });

  it('writes loadable rules that keep order, terminal flags and enabled state', async () => {
    const { yaml } = await importFile(MIXED);
    const compiled = parseRules(yaml, 'imported.yml', '#security-findings');
    expect(compiled.ruleSet.rules.map((r) => [r.name, r.order, r.isTerminal, r.enabled])).toEqual([
      ['Elevate critical buckets', 1, false, true],
      ['Resolve sandbox account', 2, true, true],
      ['Lower dev noise', 5, false, false],
    ]);
    const bucket = makeFinding({
      raw: { Compliance: { Status: 'FAILED' } },
      resources: [{ type: 'AwsS3Bucket', id: 'arn:aws:s3:::payments-ledger', region: 'us-east-1', tags: { environment: 'dev' } }],
    });
    const d = route(compiled.ruleSet, bucket, Date.parse('2026-11-22T00:00:00Z'));
    // The disabled "Lower dev noise" rule is carried over but does not apply.
    expect(d.matchedRules).toEqual(['Elevate critical buckets']);
    expect(d.severity).toBe('CRITICAL');
    const sandbox = makeFinding({ accountId: '999900001111', firstSeenAt: '2026-11-20T00:00:00Z' });
    expect(route(compiled.ruleSet, sandbox, Date.parse('2026-11-22T00:00:00Z')).suppressed).toBe(true);
  });

  it('--keep-asff-only also writes rules whose criteria only ASFF findings have', async () => {
    const { yaml } = await importFile(MIXED, ['--keep-asff-only']);
    const compiled = parseRules(yaml, 'imported.yml', '#x');
    expect(compiled.ruleSet.rules.map((r) => r.name)).toContain('Tag CIS generator');
    expect(compiled.warnings).toContain(
      'rule "Tag CIS generator" applies to ASFF findings only: GeneratorId has no OCSF or GuardDuty counterpart (say Formats: [ASFF] if that is intended)',
    );
  });

  it("imports AWS's own documented examples", async () => {
    const cli = sharedJson<{ output: unknown }>('automation-rules/aws-cli-examples/batch-get-automation-rules.json');
    const smithy = sharedJson<{ examples: Array<{ output: unknown }> }>('automation-rules/aws-api-models-smithy-examples/BatchGetAutomationRules.json');
    const a = await runCli(['rules', 'import', 'cli.json'], { 'cli.json': JSON.stringify(cli.output) });
    const reportA = JSON.parse(a.stderr.join('\n'));
    // RecordState has no OCSF counterpart; Note has no sirbot one; SUPPRESSED becomes Suppress.
    expect(reportA.rules[0]).toMatchObject({
      status: 'NOT_MIGRATED',
      unmappedCriteria: ['RecordState'],
      droppedActions: ['FindingFieldsUpdate.Note'],
      translatedActions: ['Workflow.Status SUPPRESSED → Suppress true'],
    });
    const b = await runCli(['rules', 'import', 'smithy.json'], { 'smithy.json': JSON.stringify(smithy.examples[0]?.output) });
    expect(JSON.parse(b.stderr.join('\n')).summary).toEqual({ total: 2, fullyMigrated: 2, partiallyMigrated: 0, notMigrated: 0 });
    expect(b.stdout.join('\n')).toContain('RuleName: sample-rule-name-2');
  });

  it('refuses input that is not BatchGetAutomationRules output', async () => {
    const run = await runCli(['rules', 'import', 'x.json'], { 'x.json': '{"Rules": [{"RuleOrder": "first"}]}' });
    expect(run.code).toBe(1);
    expect(run.stderr[0]).toMatch(/not BatchGetAutomationRules output/);
  });
});
