import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, unknown>;
const MINUTE = 60_000;

function rulesFile(dir: string, autoOpenCase: boolean): string {
  const file = path.join(dir, 'rules.yml');
  writeFileSync(
    file,
    [
      'rules:',
      '  - RuleName: high-needs-ack',
      '    RuleOrder: 1',
      '    Criteria:',
      '      SeverityLabel: [{ Value: HIGH, Comparison: EQUALS }]',
      '    Actions:',
      '      Channel: "#security-incidents"',
      `      Acknowledge: { Within: 15m, Notify: S0ONCALL, CirtAfter: 15m, AutoOpenCase: ${autoOpenCase} }`,
    ].join('\n'),
  );
  return file;
}

let t: TestRuntime | undefined;
let dir = '';
afterEach(async () => {
  await t?.close();
  t = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A runtime whose clock the test moves; escalation steps are taken when the test ticks. */
async function start(o: { autoOpenCase?: boolean; dbFile?: string; clock: { now: number } }) {
  return startTestRuntime({
    scenario: SCENARIO,
    clock: () => o.clock.now,
    ...(o.dbFile ? { dbFile: o.dbFile } : {}),
    env: {
      SIRBOT_RULES: rulesFile(dir, o.autoOpenCase ?? false),
      SIRBOT_RESPONDERS: 'U0ALICE',
      SIRBOT_CASE_WATCHERS: 'secops@example.com',
      SIRBOT_ESCALATION_TICK_SECONDS: '3600',
    },
  });
}

const root = (rt: TestRuntime) => rt.slack.state.messages('#security-incidents')[0]!;
const replies = (rt: TestRuntime) =>
  rt.slack.state
    .allMessages()
    .filter((m) => m.thread_ts && m.thread_ts !== m.ts)
    .map((m) => messageTexts(m).join('\n'));
const tick = (rt: TestRuntime) => rt.runtime.core.actions!.escalations.tick();

describe('on-call escalation', () => {
  it('acknowledged in time: no mention, no proposal; the root says who took it', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sirbot-esc-'));
    const clock = { now: Date.parse('2026-11-22T12:00:00Z') };
    t = await start({ clock });
    await t.ingest(FINDING);
    await expect.poll(() => JSON.stringify(root(t!).blocks)).toContain('finding_acknowledge');
    expect(messageTexts(root(t)).join('\n')).toContain('Waiting for acknowledgement');

    clock.now += 5 * MINUTE;
    await t.user('U0ALICE').click(root(t), 'finding_acknowledge');
    await expect.poll(() => messageTexts(root(t!)).join('\n')).toContain('Acknowledged by <@U0ALICE>');
    expect(JSON.stringify(root(t).blocks)).not.toContain('finding_acknowledge');

    clock.now += 60 * MINUTE;
    expect(await tick(t)).toBe(0);
    await t.runtime.idle();
    expect(replies(t)).toHaveLength(1);
    expect(replies(t)[0]).toContain(':raised_hand: <@U0ALICE> acknowledged this finding.');
    expect(await t.runtime.core.store.actions.getEscalation(String(FINDING.id))).toMatchObject({ stage: 'acknowledged', ackedBy: 'U0ALICE', nextAt: null });
  });

  it('not acknowledged: mentions on-call, then proposes a CIRT case; a restart onto a Slack without the thread posts it afresh and proposes there', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sirbot-esc-'));
    const dbFile = path.join(dir, 'sirbot.db');
    const clock = { now: Date.parse('2026-11-22T12:00:00Z') };
    t = await start({ clock, dbFile });
    await t.ingest(FINDING);
    await expect.poll(() => JSON.stringify(root(t!).blocks)).toContain('finding_acknowledge');

    clock.now += 14 * MINUTE;
    expect(await tick(t)).toBe(0);
    clock.now += 2 * MINUTE;
    expect(await tick(t)).toBe(1);
    expect(await tick(t)).toBe(0);
    await t.runtime.idle();
    expect(replies(t)).toHaveLength(1);
    expect(replies(t)[0]).toContain('<!subteam^S0ONCALL> nobody has acknowledged this finding in time');

    // Restart: a new process on the same store, with its own (empty) Slack.
    await t.close();
    t = await start({ clock, dbFile });
    // Slack keeps its channels across our restarts; the fresh emulator learns this one (ids derive from names).
    t.slack.state.createChannel('security-incidents');
    expect(await tick(t)).toBe(0);
    clock.now += 16 * MINUTE;
    expect(await tick(t)).toBe(1);
    expect(await tick(t)).toBe(0);
    await t.runtime.idle();
    // This Slack never had the root: the redraw posted the finding afresh, and the proposal went into the new thread.
    const [newRoot] = t.slack.state.messages('#security-incidents');
    const thread = t.slack.state
      .thread(newRoot!.channel, newRoot!.ts)
      .slice(1)
      .map((m) => messageTexts(m).join('\n'));
    expect(thread).toHaveLength(2);
    expect(thread).toEqual(
      expect.arrayContaining([
        expect.stringContaining("This finding's earlier thread"),
        expect.stringContaining('Open a Security Incident Response case with the AWS Customer Incident Response Team?'),
      ]),
    );
    expect(replies(t)).toHaveLength(2);
    expect(await t.runtime.core.store.actions.getEscalation(String(FINDING.id))).toMatchObject({ threadTs: newRoot!.ts });
    expect(await t.runtime.core.store.actions.getEscalation(String(FINDING.id))).toMatchObject({ stage: 'proposed', nextAt: null });
    const audit = (await t.runtime.core.store.actions.listAudit()).filter((a) => a.actor === 'sirbot').map((a) => a.action);
    expect(audit).toEqual(['escalation.mention', 'escalation.propose-cirt']);

    // The proposal opens the case modal with the AWS CIRT engaged.
    const proposal = t.slack.state.allMessages().find((m) => JSON.stringify(m.blocks).includes('case_open_cirt'))!;
    const alice = t.user('U0ALICE');
    await alice.click(proposal, 'case_open_cirt');
    const modal = await alice.waitForModal('case_modal');
    expect((modal.blocks as any[]).find((b) => b.block_id === 'resolver').element.initial_option.value).toBe('AWS');

    // Once the case is open, the proposal offers nothing more: it says what happened instead.
    await alice.submit();
    await expect.poll(() => t!.aws!.securityIr.cases.size, { timeout: 10_000 }).toBe(1);
    const [caseId] = [...t.aws!.securityIr.cases.keys()];
    const settled = () => t!.slack.state.find(proposal.channel, proposal.ts)!;
    await expect.poll(() => messageTexts(settled()).join('\n'), { timeout: 10_000 }).toContain(`Case ${caseId} opened by <@U0ALICE>`);
    expect(JSON.stringify(settled().blocks)).not.toContain('case_open_cirt');
    expect(JSON.stringify(settled().blocks)).not.toContain('finding_acknowledge');
    expect(await t.runtime.core.store.actions.getEscalation(String(FINDING.id))).toMatchObject({ stage: 'opened' });
  });

  it('acknowledged after the CIRT proposal: the proposal keeps no buttons and says who took it', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sirbot-esc-'));
    const clock = { now: Date.parse('2026-11-22T12:00:00Z') };
    t = await start({ clock });
    await t.ingest(FINDING);
    await expect.poll(() => JSON.stringify(root(t!).blocks)).toContain('finding_acknowledge');
    for (let i = 0; i < 2; i++) {
      clock.now += 16 * MINUTE;
      expect(await tick(t)).toBe(1);
    }
    await t.runtime.idle();
    const proposal = t.slack.state.allMessages().find((m) => JSON.stringify(m.blocks).includes('case_open_cirt'))!;
    await t.user('U0ALICE').click(proposal, 'finding_acknowledge');
    const now = () => t!.slack.state.find(proposal.channel, proposal.ts)!;
    await expect.poll(() => messageTexts(now()).join('\n'), { timeout: 10_000 }).toContain('Acknowledged by <@U0ALICE>');
    expect(JSON.stringify(now().blocks)).not.toContain('"actions"');
    // The proposal was posted once, as a keyed post the settling found again.
    expect(t.slack.state.allMessages().filter((m) => (m.text ?? '').startsWith('Open a case with the AWS CIRT?'))).toHaveLength(1);
  });

  it('opens the CIRT case by itself where the rule says so', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sirbot-esc-'));
    const clock = { now: Date.parse('2026-11-22T12:00:00Z') };
    t = await start({ clock, autoOpenCase: true });
    await t.ingest(FINDING);
    await expect.poll(() => JSON.stringify(root(t!).blocks)).toContain('finding_acknowledge');
    clock.now += 16 * MINUTE;
    await tick(t);
    clock.now += 16 * MINUTE;
    await tick(t);
    await t.runtime.idle();
    const cases = [...t.aws!.securityIr.cases.values()];
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ resolverType: 'AWS', watchers: [{ email: 'secops@example.com' }] });
    expect(replies(t).some((r) => r.includes('opened Security Incident Response'))).toBe(true);
    expect((await t.runtime.core.store.actions.listAudit()).find((a) => a.action === 'case.create' && a.outcome === 'executed')?.actor).toBe('sirbot');
  });

  it('archived at its source before anyone acknowledged: the escalation stops, nobody is mentioned, the root says so', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sirbot-esc-'));
    const clock = { now: Date.parse('2026-11-22T12:00:00Z') };
    t = await start({ clock });
    await t.ingest(FINDING);
    await expect.poll(() => JSON.stringify(root(t!).blocks)).toContain('finding_acknowledge');

    // GuardDuty archives it (a responder did, in the console): the newer version says so.
    const service = FINDING.service as Record<string, unknown>;
    await t.ingest({ ...FINDING, updatedAt: '2026-11-21T11:00:00.000Z', service: { ...service, archived: true } });
    await t.runtime.idle();
    await expect.poll(() => messageTexts(root(t!)).join('\n')).toContain('Escalation stopped: the finding was closed');

    clock.now += 40 * MINUTE;
    expect(await tick(t)).toBe(0);
    await t.runtime.idle();
    expect(replies(t).some((r) => r.includes('nobody has acknowledged'))).toBe(false);
    expect(await t.runtime.core.store.actions.getEscalation(String(FINDING.id))).toMatchObject({ stage: 'closed', nextAt: null });
    const stop = (await t.runtime.core.store.actions.listAudit()).find((a) => a.action === 'escalation.stop');
    expect(stop).toMatchObject({ actor: 'sirbot', outcome: 'executed', inputs: { closedAs: 'ARCHIVED' } });
  });
});
