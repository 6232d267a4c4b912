import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/aws/fake-credentials.ts';
import { SecurityIRClient } from '../../src/aws/security-ir/client.ts';
import { CreateCaseCommand } from '../../src/aws/security-ir/commands.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const GUARDDUTY = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, any>;
const ASFF = (JSON.parse(readFileSync(`${SCENARIO}/findings/securityhub.json`, 'utf8')) as { Findings: Array<Record<string, any>> }).Findings[0]!;

let t: TestRuntime;
let channel: string;

beforeAll(async () => {
  t = await startTestRuntime({ scenario: SCENARIO, env: { SIRBOT_RESPONDERS: 'U0ALICE', SIRBOT_CASE_WATCHERS: 'secops@example.com' } });
  channel = t.slack.state.createChannel('sec-ops');
});
afterAll(async () => {
  await t?.close();
});

const sir = (text: string, who = 'U0ALICE') => t.user(who).command(text, channel);
const ephemerals = (who = 'U0ALICE') =>
  t.slack.state
    .ephemerals()
    .filter((e) => e.user === who)
    .map((e) => messageTexts(e as never).join('\n'));
const lastEphemeral = async (who = 'U0ALICE', before = 0) => {
  await expect.poll(() => ephemerals(who).length, { timeout: 10_000 }).toBeGreaterThan(before);
  return ephemerals(who).at(-1)!;
};
const bodyText = (body: any) => JSON.stringify(body);

describe('/sir', () => {
  it('help, empty text and unknown subcommands answer privately with the usage', async () => {
    for (const text of ['', 'help']) {
      const answer = await sir(text);
      expect(answer.status).toBe(200);
      expect(answer.body?.response_type).toBe('ephemeral');
      expect(bodyText(answer.body)).toContain('/sir investigate');
      // Usage is shown as code, its angle brackets escaped as Slack wants.
      expect(bodyText(answer.body)).toContain('/sir status &lt;finding id&gt;');
    }
    const unknown = await sir('frobnicate now');
    expect(unknown.body?.response_type).toBe('ephemeral');
    expect(bodyText(unknown.body)).toMatch(/frobnicate/);
  });

  it('bad arguments name the problem, for each subcommand', async () => {
    const cases: Array<[string, RegExp]> = [
      ['investigate', /investigate/],
      ['investigate AKIAEXPOSEDKEY000001 --since 200d', /since/i],
      ['investigate AKIAEXPOSEDKEY000001 --account 12', /account/i],
      ['finding', /finding/],
      ['case abc', /case id/],
      ['case 8403556001 status sideways', /status/i],
      ['status some-finding DONE', /DONE|status/],
      ['cases --everything', /everything|cases/],
    ];
    for (const [text, problem] of cases) {
      const answer = await sir(text);
      expect(answer.body?.response_type, text).toBe('ephemeral');
      expect(bodyText(answer.body), text).toMatch(problem);
      expect(bodyText(answer.body), text).toContain('Usage');
    }
  });

  it('investigate starts an ad-hoc investigation thread in the channel', async () => {
    expect((await sir('investigate AKIAEXPOSEDKEY000001 --since 2d')).body).toBeNull();
    await expect.poll(() => t.slack.state.messages(channel).length, { timeout: 10_000 }).toBe(1);
    const root = t.slack.state.messages(channel)[0]!;
    expect(messageTexts(root).join('\n')).toContain('<@U0ALICE> asked sirbot to investigate access key `AKIAEXPOSEDKEY000001`');
    const investigations = await t.runtime.core.store.listInvestigations();
    expect(investigations).toHaveLength(1);
    expect(investigations[0]!.answers).toMatchObject({ accessKeyId: 'AKIAEXPOSEDKEY000001', exposedAt: expect.any(String) });
  });

  it('finding fetches a finding sirbot has not seen and posts it; a second time points to its thread', async () => {
    const before = ephemerals().length;
    await sir(`finding ${GUARDDUTY.id}`);
    expect(await lastEphemeral('U0ALICE', before)).toContain('Posted the finding');
    expect(t.slack.state.messages('#security-incidents')).toHaveLength(1);
    const again = ephemerals().length;
    await sir(`finding ${GUARDDUTY.arn}`);
    expect(await lastEphemeral('U0ALICE', again)).toContain('That finding already has a thread');
    expect(t.slack.state.messages('#security-incidents')).toHaveLength(1);
    const missing = ephemerals().length;
    await sir('finding arn:aws:securityhub:us-east-1:111122223333:security-control/IAM.3/finding/00000000-0000-0000-0000-000000000000');
    expect(await lastEphemeral('U0ALICE', missing)).toContain('No finding');
  });

  it('status sets a workflow status; non-responders are refused and audited', async () => {
    await t.ingest({ Findings: [ASFF] });
    const before = ephemerals().length;
    await sir(`status ${ASFF.Id} SUPPRESSED "accepted risk, see JIRA-12"`);
    expect(await lastEphemeral('U0ALICE', before)).toContain('Workflow status set to SUPPRESSED');
    const stored = t.aws!.state.findings.securityhub.get('111122223333|us-east-1')!.find((f) => f.Id === ASFF.Id) as Record<string, any>;
    expect(stored.Workflow.Status).toBe('SUPPRESSED');
    expect(stored.Note.Text).toContain('accepted risk, see JIRA-12');

    const refused = await sir(`status ${ASFF.Id} NEW`, 'U0MALLORY');
    expect(refused.body).toMatchObject({ response_type: 'ephemeral', text: 'Not allowed: this needs the responder role, which you do not have.' });
    const audit = await t.runtime.core.store.actions.listAudit();
    expect(audit.at(-1)).toMatchObject({ actor: 'U0MALLORY', action: 'command.status', outcome: 'refused' });
  });

  it('case, cases, case status and close', async () => {
    const client = new SecurityIRClient({ region: 'us-east-1', endpoint: t.aws!.endpoint, credentials: fakeCredentials('111122223333') });
    const { caseId } = await client.send(
      new CreateCaseCommand({
        resolverType: 'Self',
        title: 'Opened in the console',
        description: 'A case sirbot did not open',
        engagementType: 'Investigation',
        reportedIncidentStartDate: new Date('2026-11-21T10:00:00Z'),
        impactedAccounts: ['111122223333'],
        watchers: [{ email: 'secops@example.com' }],
      }),
    );
    let n = ephemerals().length;
    await sir(`case ${caseId}`);
    expect(await lastEphemeral('U0ALICE', n)).toContain('Opened in the console');
    n = ephemerals().length;
    await sir('cases');
    expect(await lastEphemeral('U0ALICE', n)).toContain(caseId);
    n = ephemerals().length;
    await sir(`case ${caseId} status containment`);
    expect(await lastEphemeral('U0ALICE', n)).toContain(`Case ${caseId} is now Containment, Eradication and Recovery`);
    expect(t.aws!.securityIr.cases.get(caseId)?.caseStatus).toBe('Containment, Eradication and Recovery');
    n = ephemerals().length;
    await sir(`case ${caseId} close`);
    expect(await lastEphemeral('U0ALICE', n)).toContain(`Case ${caseId} is closed`);
    expect(t.aws!.securityIr.cases.get(caseId)?.caseStatus).toBe('Closed');
    n = ephemerals().length;
    await sir('cases');
    expect(await lastEphemeral('U0ALICE', n)).not.toContain(caseId);
  });
});
