import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, unknown>;
const ENV = { SIRBOT_RESPONDERS: 'U0ALICE', SIRBOT_APPROVERS: 'U0BOSS', SIRBOT_CASE_WATCHERS: 'secops@example.com' };

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('App Home', () => {
  it('shows open investigations, recent cases and, to approvers, the requests waiting for them', async () => {
    t = await startTestRuntime({ scenario: SCENARIO, env: ENV });
    await t.ingest(FINDING);
    await expect.poll(() => t!.slack.state.messages('#security-incidents').length).toBe(1);
    // The rule starts an investigation, which waits for answers: it is open.
    await expect.poll(async () => (await t!.runtime.core.store.listInvestigations('asked')).length).toBe(1);
    const root = t.slack.state.messages('#security-incidents')[0]!;
    const alice = t.user('U0ALICE');
    await alice.click(root, 'case_open');
    await alice.waitForModal('case_modal');
    await alice.submit();
    await expect.poll(() => t!.aws!.securityIr.cases.size).toBe(1);
    const caseId = [...t.aws!.securityIr.cases.keys()][0]!;
    await t.runtime.core.store.actions.insertAction({
      id: 'rem-pending-1',
      kind: 'remediation:delete-access-key',
      findingId: String(FINDING.id),
      channel: root.channel,
      threadTs: root.ts,
      requestedBy: 'U0ALICE',
      approvedBy: null,
      state: 'awaiting_approval',
      input: {
        remediationId: 'delete-access-key',
        inputs: { account: '111122223333', userName: 'ci-deployer', accessKeyId: 'AKIAEXPOSEDKEY000001' },
        findingId: String(FINDING.id),
        channel: root.channel,
        threadTs: root.ts,
        plan: { calls: [], undo: null, notes: [] },
        note: '',
      },
      result: null,
      messageTs: null,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    });

    await t.user('U0BOSS').openHome();
    await expect.poll(() => t!.slack.state.surfaces.home('U0BOSS')).toBeDefined();
    const home = JSON.stringify(t.slack.state.surfaces.home('U0BOSS')!.blocks);
    expect(home).toContain('Your sirbot roles: approver, responder');
    expect(home).toContain('API ListUsers was invoked from an IP address on a custom threat list.');
    expect(home).toContain(`Case ${caseId}`);
    expect(home).toContain('*Delete access key* requested by <@U0ALICE>');
    expect(home).toContain('remediation_approve');

    // Alice requested it: her Home has nothing to approve, and she is no approver anyway.
    await alice.openHome();
    await expect.poll(() => t!.slack.state.surfaces.home('U0ALICE')).toBeDefined();
    const hers = JSON.stringify(t.slack.state.surfaces.home('U0ALICE')!.blocks);
    expect(hers).toContain('Your sirbot roles: responder');
    expect(hers).toContain('Nothing waits for you.');
  });
});

describe('message shortcut "Investigate with sirbot"', () => {
  it('investigates the first access key a message names, in its thread; a message with nothing to investigate says so', async () => {
    t = await startTestRuntime({ scenario: SCENARIO, env: ENV });
    const ws = t.slack.state;
    const channel = ws.createChannel('team-chat');
    const say = (text: string) => ws.add({ channel, ts: ws.nextTs(Date.now()), user: 'U0CAROL', text });
    const pasted = say('found this in a public gist: AKIAEXPOSEDKEY000001 — is it ours?');
    const alice = t.user('U0ALICE');
    await alice.shortcut(pasted, 'investigate_message');
    await expect.poll(() => ws.thread(channel, pasted.ts).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    const replies = ws
      .thread(channel, pasted.ts)
      .slice(1)
      .map((m) => messageTexts(m).join('\n'));
    expect(replies[0]).toContain('<@U0ALICE> asked sirbot to investigate access key `AKIAEXPOSEDKEY000001` in account `111122223333`');
    // The credential playbook asks when the key was exposed (the rest comes from the target).
    expect(replies[1]).toContain('When were the credentials first exposed');
    // The original message is left alone.
    expect(ws.find(channel, pasted.ts)?.edited).toBeUndefined();

    const chatter = say('lunch at noon?');
    await alice.shortcut(chatter, 'investigate_message');
    await expect
      .poll(() => ws.ephemerals().map((e) => e.text))
      .toContain('That message names no access key id (AKIA…/ASIA…), IAM ARN, instance id (i-…) or IPv4 address to investigate.');
    // Used twice on the same message: one investigation.
    await alice.shortcut(pasted, 'investigate_message');
    await t.runtime.idle();
    expect((await t.runtime.core.store.listInvestigations()).length).toBe(1);

    await t.user('U0MALLORY').shortcut(pasted, 'investigate_message');
    await expect
      .poll(() =>
        ws
          .ephemerals()
          .filter((e) => e.user === 'U0MALLORY')
          .map((e) => e.text),
      )
      .toEqual(['Not allowed: this needs the responder role, which you do not have.']);
  });
});
