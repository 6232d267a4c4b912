import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

/**
 * "Was this you?" end to end: the scenario's exposed key belongs to IAM user ci-deployer,
 * whose `owner-email` tag (the fake IAM's ListUserTags) names dana; Slack knows her by that
 * email (users.lookupByEmail), and the question reaches her in a direct message (conversations.open).
 */
const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, unknown>;
const DIRECTORY = {
  users: { U0ALICE: { name: 'alice', email: 'alice@example.com' }, U0DANA: { name: 'dana', email: 'Dana@Example.com' } },
  groups: { S0ONCALL: ['U0ALICE'] },
};

let t: TestRuntime | undefined;
let dir = '';
afterEach(async () => {
  await t?.close();
  t = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<TestRuntime> {
  dir = mkdtempSync(path.join(tmpdir(), 'sirbot-principal-'));
  const rules = path.join(dir, 'rules.yml');
  writeFileSync(
    rules,
    [
      'rules:',
      '  - RuleName: high-needs-ack',
      '    RuleOrder: 1',
      '    Criteria:',
      '      SeverityLabel: [{ Value: HIGH, Comparison: EQUALS }]',
      '    Actions:',
      '      Channel: "#security-incidents"',
      '      Investigate: true',
      '      Acknowledge: { Within: 1h, Notify: S0ONCALL, CirtAfter: 1h }',
    ].join('\n'),
  );
  return startTestRuntime({
    scenario: SCENARIO,
    directory: DIRECTORY,
    env: { SIRBOT_RULES: rules, SIRBOT_RESPONDERS: 'U0ALICE', SIRBOT_ESCALATION_TICK_SECONDS: '3600' },
  });
}

const threadTexts = (rt: TestRuntime) => {
  const [root] = rt.slack.state.messages('#security-incidents');
  return root
    ? rt.slack.state
        .thread(root.channel, root.ts)
        .slice(1)
        .map((m) => messageTexts(m).join('\n'))
    : [];
};
const question = (rt: TestRuntime) => rt.slack.state.messages('dm-u0dana')[0];

describe('"Was this you?"', () => {
  it('asks the owner of the credentials in a direct message; "No" goes to the thread and hurries the on-call escalation; only she can answer', async () => {
    t = await start();
    await t.ingest(FINDING);
    await expect.poll(() => question(t!), { timeout: 10_000 }).toBeDefined();
    const asked = messageTexts(question(t)!).join('\n');
    expect(asked).toContain('IAM user `ci-deployer` in account `111122223333`');
    expect(asked).toContain('`ListUsers` on `iam.amazonaws.com`');
    expect(asked).toContain('`203.0.113.50`');
    expect(asked).toContain('*Was this you?*');
    expect(t.slack.state.messages('dm-u0dana')).toHaveLength(1);

    // Alice is no principal here: her click is refused, and nothing is said in the thread.
    await t.user('U0ALICE', 'alice').click(question(t)!, 'principal_answer_yes');
    await expect
      .poll(async () => (await t!.runtime.core.store.actions.listAudit()).filter((a) => a.action === 'principal.answer').map((a) => `${a.actor} ${a.outcome}`))
      .toEqual(['U0ALICE refused']);

    const dana = t.user('U0DANA', 'dana');
    await Promise.all([dana.click(question(t)!, 'principal_answer_no'), dana.click(question(t)!, 'principal_answer_no')]);
    await expect.poll(() => threadTexts(t!).filter((m) => m.includes('answered *No, it was not me*')).length, { timeout: 10_000 }).toBe(1);
    expect(threadTexts(t).find((m) => m.includes('answered'))).toContain(
      '<@U0DANA> answered *No, it was not me* to “Was this you?” about IAM user `ci-deployer`',
    );
    expect(threadTexts(t).find((m) => m.includes('answered'))).toContain('Escalating now.');
    // The escalation's next step (the on-call mention) was taken at once, not an hour later.
    await expect.poll(() => threadTexts(t!).some((m) => m.includes('<!subteam^S0ONCALL>')), { timeout: 10_000 }).toBe(true);
    // Her question shows the answer taken, and no buttons.
    await expect.poll(() => messageTexts(question(t!)!).join('\n')).toContain('you answered *No, it was not me*');
    expect(JSON.stringify(question(t)!.blocks)).not.toContain('principal_answer');
    // Her answer stands in the investigation's timeline (the JSON file shared in the thread) beside CloudTrail's events.
    const [root] = t.slack.state.messages('#security-incidents');
    const questions = t.slack.state.thread(root!.channel, root!.ts).find((m) => JSON.stringify(m.blocks ?? []).includes('investigation_start_now'));
    await t.user('U0ALICE', 'alice').click(questions!, 'investigation_start_now');
    const timelineFile = () => t!.slack.state.files().find((f) => f.name.startsWith('timeline-') && f.name.endsWith('.json') && f.content);
    await expect.poll(timelineFile, { timeout: 20_000 }).toBeDefined();
    const entries = JSON.parse(timelineFile()!.content!.toString('utf8')) as { entries?: Array<Record<string, unknown>> } | Array<Record<string, unknown>>;
    const list = Array.isArray(entries) ? entries : (entries.entries ?? []);
    expect(JSON.stringify(list)).toContain('answered “Was this you?”: no, it was not them');
    const audit = (await t.runtime.core.store.actions.listAudit()).filter((a) => a.action.startsWith('principal.'));
    expect(audit.map((a) => `${a.actor} ${a.action} ${a.outcome}`)).toEqual([
      'sirbot principal.ask executed',
      'U0ALICE principal.answer refused',
      'U0DANA principal.answer executed',
    ]);
  });
});
