import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { firstRoot, messageTexts, repliesUnder } from '../support/slack-text.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, unknown>;
const ENV = { SIRBOT_RESPONDERS: 'U0ALICE,S0SECOPS', SIRBOT_APPROVERS: 'U0BOSS', SIRBOT_CASE_WATCHERS: 'secops@example.com' };
const DIRECTORY = {
  users: { U0ALICE: { name: 'alice', email: 'alice@example.com' }, U0BOB: { name: 'bob', email: 'bob@example.com' }, U0CAROL: { name: 'carol' } },
  groups: { S0SECOPS: ['U0CAROL'] },
};

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const rootOf = (runtime: TestRuntime) => firstRoot(runtime.slack.state);
const threadTexts = (runtime: TestRuntime) => repliesUnder(runtime.slack.state).map((m) => messageTexts(m).join('\n'));

describe('Open SIR case from a finding thread', () => {
  it('button → modal → submit creates exactly one case, whatever the double clicks and duplicate submissions', async () => {
    t = await startTestRuntime({ scenario: SCENARIO, env: ENV, directory: DIRECTORY });
    await t.ingest(FINDING);
    await expect.poll(() => t!.slack.state.messages('#security-incidents').length).toBe(1);
    const alice = t.user('U0ALICE', 'alice');

    // Clicked twice: two modals in turn, both pre-filled from the finding.
    expect((await alice.click(rootOf(t), 'case_open')).status).toBe(200);
    const first = await alice.waitForModal('case_modal');
    expect((await alice.click(rootOf(t), 'case_open')).status).toBe(200);
    const second = await alice.waitForModal('case_modal', (v) => v.id !== first.id);
    const initial = (block: string) => (second.blocks as any[]).find((b) => b.block_id === block)?.element;
    expect(initial('accounts').initial_value).toBe('111122223333');
    expect(initial('watchers').initial_value).toBe('secops@example.com, alice@example.com');
    expect(initial('resolver').initial_option.value).toBe('Self');
    expect(initial('start').initial_date).toBe('2026-11-21');

    // Both modals submitted, the second one twice (Slack retries when an answer is slow).
    const answers = await Promise.all([alice.submit({}, first), alice.submit({}, second), alice.submit({}, second)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await expect.poll(() => threadTexts(t!).filter((m) => m.includes('opened Security Incident Response')).length, { timeout: 10_000 }).toBe(1);

    const cases = [...t.aws!.securityIr.cases.values()];
    expect(cases).toHaveLength(1);
    const created = cases[0]!;
    expect(created).toMatchObject({ resolverType: 'Self', engagementType: 'Security Incident', impactedAccounts: ['111122223333'] });
    expect(created.watchers.map((w: { email: string }) => w.email)).toEqual(['secops@example.com', 'alice@example.com']);
    const caseId = [...t.aws!.securityIr.cases.keys()][0]!;
    expect(threadTexts(t).find((m) => m.includes('opened Security Incident Response'))).toContain(`Case ${caseId}`);
    // The root shows the case and no longer offers to open one.
    await expect.poll(() => messageTexts(rootOf(t!)).join('\n')).toContain(caseId);
    expect(JSON.stringify(rootOf(t).blocks)).not.toContain('"case_open"');

    const audit = await t.runtime.core.store.actions.listAudit();
    expect(audit.filter((a) => a.action === 'case.create').map((a) => a.outcome)).toEqual(['requested', 'executed']);
    expect(audit.find((a) => a.outcome === 'executed')).toMatchObject({ actor: 'U0ALICE', target: String(FINDING.id), result: { caseId } });
    expect(audit.find((a) => a.outcome === 'executed')?.permalink).toMatch(/\/archives\/C[A-Z0-9]+\/p\d+/);
  });

  it('refuses people without the responder role, in the modal only they see, and audits the refusal; group members are responders', async () => {
    t = await startTestRuntime({ scenario: SCENARIO, env: ENV, directory: DIRECTORY });
    await t.ingest(FINDING);
    await expect.poll(() => t!.slack.state.messages('#security-incidents').length).toBe(1);
    const bob = t.user('U0BOB', 'bob');
    await bob.click(rootOf(t), 'case_open');
    // The modal opens at the click (its trigger lives 3 s) and then says why not: nothing else is shown.
    const refused = await bob.waitForModal('sirbot_notice');
    expect(JSON.stringify(refused.blocks)).toContain('Not allowed: this needs the responder role, which you do not have.');
    expect(t.slack.state.ephemerals()).toEqual([]);
    expect(await t.runtime.core.store.actions.listAudit()).toEqual([
      expect.objectContaining({ actor: 'U0BOB', action: 'case.create', target: String(FINDING.id), outcome: 'refused' }),
    ]);

    const carol = t.user('U0CAROL', 'carol');
    await carol.click(rootOf(t), 'case_open');
    expect((await carol.waitForModal('case_modal')).callback_id).toBe('case_modal');
  });

  it('shows what is wrong in the modal and creates nothing', async () => {
    t = await startTestRuntime({ scenario: SCENARIO, env: ENV, directory: DIRECTORY });
    await t.ingest(FINDING);
    await expect.poll(() => t!.slack.state.messages('#security-incidents').length).toBe(1);
    const alice = t.user('U0ALICE');
    await alice.click(rootOf(t), 'case_open');
    await alice.waitForModal('case_modal');
    const answer = await alice.submit({ accounts: '1234', watchers: 'not-an-email', ips: '203.0.113.5, 999.1.1.1' });
    expect(answer.body).toEqual({
      response_action: 'errors',
      errors: { accounts: 'account ids have 12 digits', ips: 'not an IP address', watchers: 'not an email address' },
    });
    expect(alice.modal()?.callback_id).toBe('case_modal');
    expect(t.aws!.securityIr.cases.size).toBe(0);
  });

  it('escalates a self-managed case to the AWS CIRT and moves its status from the thread', async () => {
    t = await startTestRuntime({ scenario: SCENARIO, env: ENV, directory: DIRECTORY });
    await t.ingest(FINDING);
    await expect.poll(() => t!.slack.state.messages('#security-incidents').length).toBe(1);
    const alice = t.user('U0ALICE');
    await alice.click(rootOf(t), 'case_open');
    await alice.waitForModal('case_modal');
    await alice.submit();
    const caseMessage = async () => {
      const root = rootOf(t!);
      return t!.slack.state.thread(root.channel, root.ts).find((m) => JSON.stringify(m.blocks).includes('case_set_status'));
    };
    await expect.poll(caseMessage, { timeout: 10_000 }).toBeDefined();
    const caseId = [...t.aws!.securityIr.cases.keys()][0]!;
    await alice.click((await caseMessage())!, 'case_set_status', { option: 'Containment, Eradication and Recovery' });
    await expect.poll(() => t!.aws!.securityIr.cases.get(caseId)?.caseStatus).toBe('Containment, Eradication and Recovery');
    await alice.click((await caseMessage())!, 'case_escalate_cirt');
    await expect.poll(() => t!.aws!.securityIr.cases.get(caseId)?.resolverType).toBe('AWS');
    await expect.poll(() => threadTexts(t!).some((m) => m.includes('escalated the case to the AWS CIRT'))).toBe(true);
    expect((await t.runtime.core.store.actions.getCase(caseId))?.resolverType).toBe('AWS');
    // The message that opened the case is redrawn as the case is now; no message offers what no longer applies.
    const root = rootOf(t);
    const opened = () => t!.slack.state.thread(root.channel, root.ts).find((m) => messageTexts(m).join('\n').includes('opened Security Incident Response'))!;
    await expect
      .poll(() => messageTexts(opened()).join('\n'))
      .toContain(`Case ${caseId}> · Containment, Eradication and Recovery · AWS-supported (AWS CIRT engaged)`);
    for (const m of t.slack.state.thread(root.channel, root.ts)) expect(JSON.stringify(m.blocks ?? [])).not.toMatch(/case_escalate_cirt|case_set_status/);
    expect(JSON.stringify(opened().blocks)).toContain('case_close');
  });

  it('after an investigation: starts at the first suspicious event, names the attacker IPs, and adds the highlights as comments', async () => {
    t = await startTestRuntime({ scenario: SCENARIO, env: ENV, directory: DIRECTORY });
    await t.ingest(FINDING);
    const alice = t.user('U0ALICE');
    const withAction = (id: string) => {
      const root = rootOf(t!);
      return t!.slack.state.thread(root.channel, root.ts).find((m) => JSON.stringify(m.blocks ?? []).includes(id));
    };
    await expect.poll(() => withAction('investigation_start_now'), { timeout: 10_000 }).toBeDefined();
    await alice.click(withAction('investigation_start_now')!, 'investigation_start_now');
    await expect.poll(() => withAction('remediation_request'), { timeout: 30_000 }).toBeDefined();
    // The summary is posted before the record says so (the timeline files go up in between).
    await expect.poll(async () => (await t!.runtime.core.store.listInvestigations())[0]?.state, { timeout: 10_000 }).toBe('summarized');

    await alice.click(rootOf(t), 'case_open');
    const modal = await alice.waitForModal('case_modal');
    const initial = (block: string) => (modal.blocks as any[]).find((b) => b.block_id === block)?.element;
    expect(initial('ips').initial_value).toContain('203.0.113.50');
    expect(initial('description').initial_value).toContain('Investigation summary:');
    expect(initial('services').initial_value).toContain('IAM');
    await alice.submit();
    await expect.poll(() => threadTexts(t!).find((m) => m.includes('opened Security Incident Response')), { timeout: 10_000 }).toBeDefined();
    const created = [...t.aws!.securityIr.cases.values()][0]!;
    expect(created.threatActorIpAddresses).toContainEqual({ ipAddress: '203.0.113.50' });
    expect(new Date(created.reportedIncidentStartDate * 1000).toISOString().slice(0, 10)).toBe('2026-11-21');
    expect(created.comments.length).toBeGreaterThan(0);
    for (const c of created.comments) expect(c.body.length).toBeLessThanOrEqual(12_000);
    expect(created.comments[0]!.body).toMatch(/^Timeline highlights \(1\/\d+\)/);
    expect(threadTexts(t).find((m) => m.includes('opened Security Incident Response'))).toContain(`${created.comments.length} timeline comment(s) added`);
  });
});
