import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PLAYBOOK_IDS } from '../../src/domain/investigation/playbooks.ts';
import { SUBJECT_KINDS } from '../../src/domain/investigation/subjects.ts';
import { runCli } from '../support/cli.ts';
import { readShared } from '../support/fixtures.ts';
import { asffForm } from '../support/guardduty-forms.ts';

/** `sirbot investigate --format json`: the playbook run and the subjects investigated are part of the output. */
const KEY = 'src/scenarios/exposed-access-key';

async function investigate(finding: { file: string } | { text: string }, scenario = KEY, extra: string[] = []) {
  const files: Record<string, string> = 'text' in finding ? { '<finding>': finding.text } : {};
  const arg = 'text' in finding ? '<finding>' : finding.file;
  const run = await runCli(['investigate', '--finding', arg, '--scenario', scenario, '--quota-scale', '10', ...extra], files);
  expect(run.stderr).toEqual([]);
  expect(run.code).toBe(0);
  return run;
}

describe('sirbot investigate: playbook and subjects', () => {
  it('prints the subjects (kind, id and what the finding says of them) and the playbook id', async () => {
    const out = JSON.parse((await investigate({ file: `${KEY}/finding.json` })).stdout.join('\n'));
    expect(Object.keys(out)).toEqual(['summary', 'timeline', 'limitingFactors', 'window', 'playbook', 'subjects', 'answers']);
    expect(out.playbook).toBe('credential-exposure');
    expect(out.subjects).toEqual(
      expect.arrayContaining([
        {
          kind: 'accessKey',
          id: 'AKIAEXPOSEDKEY000001',
          principal: 'ci-deployer',
          principalType: 'IAMUser',
          principalId: 'AIDAEXAMPLECIDEPLOY1',
          accountId: '111122223333',
          region: 'us-east-1',
        },
        { kind: 'iamUser', id: 'ci-deployer', accountId: '111122223333', region: 'us-east-1' },
        { kind: 'ip', id: '203.0.113.50', ipRole: 'caller' },
      ]),
    );
    for (const s of out.subjects) {
      expect(SUBJECT_KINDS).toContain(s.kind);
      expect(typeof s.id).toBe('string');
    }
  });

  it('reads the same subjects and runs the same playbook when the finding comes through Security Hub', async () => {
    const native = JSON.parse(readFileSync(`${KEY}/finding.json`, 'utf8'));
    const [fromGuardDuty, fromSecurityHub] = await Promise.all([
      investigate({ file: `${KEY}/finding.json` }),
      investigate({ text: JSON.stringify(asffForm(native)) }),
    ]);
    const brief = (run: { stdout: string[] }) => {
      const out = JSON.parse(run.stdout.join('\n')) as { playbook: string; subjects: Array<{ kind: string; id: string }> };
      return { playbook: out.playbook, subjects: out.subjects.map((s) => `${s.kind}:${s.id}`).sort() };
    };
    expect(brief(fromSecurityHub)).toEqual(brief(fromGuardDuty));
    expect(brief(fromGuardDuty).subjects).toEqual(['accessKey:AKIAEXPOSEDKEY000001', 'iamUser:ci-deployer', 'ip:203.0.113.50']);
  });

  it('names a control finding’s playbook, and `generic` for a finding no playbook covers', async () => {
    const control = JSON.parse(readFileSync('src/scenarios/public-s3-bucket/finding.json', 'utf8')).Findings[0];
    const out = JSON.parse((await investigate({ text: JSON.stringify(control) }, 'src/scenarios/public-s3-bucket')).stdout.join('\n'));
    expect(out.playbook).toBe('security-control');
    expect(out.subjects).toEqual([{ kind: 'bucket', id: 'examplecorp-media-assets', region: 'us-east-1' }]);

    const vendor = {
      SchemaVersion: '2018-10-08',
      Id: 'vendor-finding-1',
      ProductArn: 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
      AwsAccountId: '111122223333',
      Types: ['Unusual Behaviors/Application/Widget'],
      Title: 'A vendor finding',
      CreatedAt: '2026-11-21T10:00:00.000Z',
      Severity: { Label: 'LOW' },
      Resources: [{ Type: 'Other', Id: 'widget-1' }],
    };
    const generic = JSON.parse((await investigate({ text: JSON.stringify(vendor) })).stdout.join('\n'));
    expect(generic.playbook).toBe('generic');
    expect(generic.subjects).toEqual([]);
    expect(PLAYBOOK_IDS).toContain(generic.playbook);
  });

  it('text output lists the subjects and what the playbook notes', async () => {
    const sample = readShared('guardduty', 'aws-samples-guardduty-automated-response', 'guardduty_s3_event.json');
    const run = await investigate({ text: sample }, KEY, ['--format', 'text']);
    const out = run.stdout.join('\n');
    expect(out).toContain('(playbook s3-data)');
    expect(out).toMatch(/Note: A pen-test signal \(PenTest:S3\/ParrotLinux\)/);
    expect(out).toMatch(/Subjects: .*bucket bucketName/);
  });
});
