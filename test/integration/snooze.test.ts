import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TestRuntime, startTestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, any>;
const CHANNEL = '#sec';
const HOUR = 3600_000;

let dir: string;
let t: TestRuntime | undefined;
let clock: { now: number };

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sirbot-snooze-'));
  writeFileSync(path.join(dir, 'rules.yml'), `defaults:\n  channel: "${CHANNEL}"\nrules: []\n`);
});

afterEach(async () => {
  await t?.close();
  t = undefined;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A runtime whose clock the test moves; expiries are announced when the test ticks. */
async function start(): Promise<TestRuntime> {
  clock = { now: Date.parse('2026-12-06T12:00:00Z') };
  t = await startTestRuntime({
    scenario: SCENARIO,
    clock: () => clock.now,
    env: { SIRBOT_RULES: path.join(dir, 'rules.yml'), SIRBOT_RESPONDERS: 'U0ALICE', SIRBOT_ESCALATION_TICK_SECONDS: '3600' },
  });
  return t;
}

/** The same kind of finding again, on another key of the same user: a new finding id. */
const similar = (n: number) => ({ ...FINDING, id: `${FINDING.id}-${n}`, updatedAt: `2026-12-06T12:0${n}:00.000Z` });

const roots = (rt: TestRuntime) => rt.slack.state.messages(CHANNEL);
const threadTexts = (rt: TestRuntime, root: { channel: string; ts: string }) =>
  rt.slack.state.thread(root.channel, root.ts).map((m) => messageTexts(m).join('\n'));

describe('Snooze similar', () => {
  it('holds back findings about the ticked entities, lists the snooze on App Home, and announces its end with the count', async () => {
    const rt = await start();
    await rt.ingest(FINDING);
    await expect.poll(() => roots(rt).length).toBe(1);
    const root = roots(rt)[0]!;
    const alice = rt.user('U0ALICE', 'alice');

    await alice.click(root, 'finding_snooze');
    const modal = await alice.waitForModal('snooze_modal');
    const shown = JSON.stringify(modal.blocks);
    expect(shown).toContain('ci-deployer');
    expect(shown).toContain('UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom');
    // Only the principal and the account: any finding of ci-deployer's in 111122223333.
    const answer = { entities: { options: ['principal', 'accountId'] }, for: { option: '8h' }, reason: 'the platform team rotates <@U0BOSS> keys' };
    expect((await alice.submit(answer, modal)).body).toBeNull();
    // Slack sends a second submission of the same view: still one snooze.
    await alice.submit(answer, modal);
    await expect.poll(() => threadTexts(rt, root).join('\n')).toContain('snoozed findings with principal `ci-deployer` · account `111122223333`');
    await rt.runtime.idle();
    const active = await rt.runtime.core.store.actions.listSnoozes('active');
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({ criteria: { resource: null, principal: 'ci-deployer', type: null, accountId: '111122223333' }, createdBy: 'U0ALICE' });
    expect(threadTexts(rt, root).join('\n')).toContain('the platform team rotates &lt;@U0BOSS&gt; keys');

    const results = await rt.ingest([similar(1), similar(2)]);
    expect(JSON.stringify(results)).toContain('snoozed');
    await rt.runtime.idle();
    expect(roots(rt)).toHaveLength(1);
    expect(await rt.runtime.core.store.actions.heldCount(active[0]!.id)).toBe(2);
    expect((await rt.runtime.core.store.getFinding(similar(1).id))?.state).toBe('snoozed');

    await alice.openHome();
    await expect.poll(() => rt.slack.state.surfaces.home('U0ALICE')).toBeDefined();
    const home = JSON.stringify(rt.slack.state.surfaces.home('U0ALICE')!.blocks);
    expect(home).toContain('Snoozed findings');
    expect(home).toContain('by <@U0ALICE> until');
    expect(home).toContain('2 held back');

    clock.now += 8 * HOUR;
    expect(await rt.runtime.core.actions!.snoozes.tick()).toBe(1);
    await rt.runtime.idle();
    const ended = threadTexts(rt, root).at(-1);
    expect(ended).toContain('has ended: 2 findings were held back while it lasted');
    // A disabled automation rule V2 is proposed to suppress the same at the source: the account, not the principal (no OCSF field for it).
    expect(ended).toContain('create-automation-rule-v2 --cli-input-json');
    expect(ended).toContain('"FieldName": "cloud.account.uid"');
    expect(ended).toContain('cannot match the principal');
    expect(await rt.runtime.core.actions!.snoozes.tick()).toBe(0);
    await rt.ingest(similar(3));
    await expect.poll(() => roots(rt).length).toBe(2);

    const audit = (await rt.runtime.core.store.actions.listAudit()).map((a) => `${a.actor} ${a.action} ${a.outcome}`);
    expect(audit.filter((a) => a.includes('snooze'))).toEqual(['U0ALICE snooze.create executed', 'sirbot snooze.expire executed']);
  });

  it('refuses someone without the responder role at the click, and audits it', async () => {
    const rt = await start();
    await rt.ingest(FINDING);
    await expect.poll(() => roots(rt).length).toBe(1);
    const eve = rt.user('U0EVE', 'eve');
    await eve.click(roots(rt)[0]!, 'finding_snooze');
    await expect.poll(() => JSON.stringify(eve.modal()?.blocks ?? [])).toContain('Not allowed');
    const audit = await rt.runtime.core.store.actions.listAudit();
    expect(audit.map((a) => `${a.actor} ${a.action} ${a.outcome}`)).toEqual(['U0EVE snooze.create refused']);
    expect(await rt.runtime.core.store.actions.listSnoozes('active')).toEqual([]);
  });

  it('is cancelled from App Home: the thread is told and findings are posted again', async () => {
    const rt = await start();
    await rt.ingest(FINDING);
    await expect.poll(() => roots(rt).length).toBe(1);
    const root = roots(rt)[0]!;
    const alice = rt.user('U0ALICE', 'alice');
    await alice.click(root, 'finding_snooze');
    const modal = await alice.waitForModal('snooze_modal');
    await alice.submit({ entities: { options: ['type'] }, for: { option: '24h' }, reason: 'noisy detector' }, modal);
    await expect.poll(async () => (await rt.runtime.core.store.actions.listSnoozes('active')).length).toBe(1);

    await alice.openHome();
    await expect.poll(() => rt.slack.state.surfaces.home('U0ALICE')).toBeDefined();
    await alice.clickInView(rt.slack.state.surfaces.home('U0ALICE')!, 'snooze_cancel');
    await expect.poll(() => threadTexts(rt, root).at(-1)).toContain('<@U0ALICE> cancelled the snooze of findings with finding type');
    await expect.poll(() => JSON.stringify(rt.slack.state.surfaces.home('U0ALICE')!.blocks)).toContain('Nothing is snoozed');
    await rt.ingest(similar(1));
    await expect.poll(() => roots(rt).length).toBe(2);
  });
});

describe('/sir snooze', () => {
  it('snoozes by account and type from the command, lists it, holds a finding back, and cancels it', async () => {
    const rt = await start();
    const ops = rt.slack.state.createChannel('sec-ops');
    const alice = rt.user('U0ALICE', 'alice');
    const ephemerals = () =>
      rt.slack.state
        .ephemerals()
        .filter((e) => e.user === 'U0ALICE')
        .map((e) => messageTexts(e as never).join('\n'));

    expect((await alice.command(`snooze account=111122223333 type="${FINDING.type}" for=8h the red team's <!here> exercise`, ops)).body).toBeNull();
    await expect.poll(() => ephemerals().join('\n')).toContain('Snoozed findings with finding type `UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom`');
    await rt.runtime.idle();
    // The channel is told who snoozed what; Slack's broadcast markup in the reason is read as text, never sent back as markup.
    const told = rt.slack.state.messages(ops).map((m) => messageTexts(m).join('\n'));
    expect(told.join('\n')).toContain(
      '<@U0ALICE> snoozed findings with finding type `UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom` · account `111122223333`',
    );
    expect(told.join('\n')).toContain("> the red team's !here exercise");
    expect(told.join('\n')).not.toContain('<!here>');
    const [snooze] = await rt.runtime.core.store.actions.listSnoozes('active');

    await rt.ingest(FINDING);
    await rt.runtime.idle();
    expect(roots(rt)).toEqual([]);

    await alice.command('snooze list', ops);
    await expect.poll(() => ephemerals().at(-1)).toContain('1 held back');
    await alice.command(`snooze cancel ${snooze!.id}`, ops);
    await expect.poll(() => ephemerals().at(-1)).toContain(`Snooze ${snooze!.id} cancelled.`);
    await alice.command('snooze', ops);
    await expect.poll(() => ephemerals().at(-1)).toContain('Nothing is snoozed.');
    await rt.ingest({ ...FINDING, updatedAt: '2026-12-06T12:30:00.000Z' });
    await expect.poll(() => roots(rt).length).toBe(1);
  });

  it('answers a malformed command with the problem and the usage; refuses and audits a non-responder', async () => {
    const rt = await start();
    const ops = rt.slack.state.createChannel('sec-ops');
    const bad = await rt.user('U0ALICE').command('snooze account=111122223333 for=8h', ops);
    expect(JSON.stringify(bad.body)).toContain('missing reason');
    expect(JSON.stringify(bad.body)).toContain('Usage');
    const refused = await rt.user('U0MALLORY').command('snooze account=111122223333 for=8h why not', ops);
    expect(refused.body).toMatchObject({ response_type: 'ephemeral', text: 'Not allowed: this needs the responder role, which you do not have.' });
    expect((await rt.runtime.core.store.actions.listAudit()).at(-1)).toMatchObject({ actor: 'U0MALLORY', action: 'command.snooze', outcome: 'refused' });
    expect(await rt.runtime.core.store.actions.listSnoozes('active')).toEqual([]);
  });
});
