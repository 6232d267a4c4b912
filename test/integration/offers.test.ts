import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedMessage } from '../../src/emulator/slack/index.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

/**
 * Clicks are bound to what sirbot offered: every action button carries the id of an
 * offer stored before its message, and a click (or a modal's submission) is acted on
 * only with that offer's finding and payload, in that finding's thread. Tampered clicks
 * are sent as Slack would sign them, from doctored copies of the real messages.
 */
const SCENARIO = 'src/scenarios/exposed-access-key';
const GUARDDUTY = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, any>;
const ASFF = (JSON.parse(readFileSync(`${SCENARIO}/findings/securityhub.json`, 'utf8')) as { Findings: Array<Record<string, any>> }).Findings[0]!;
const ENV = { SIRBOT_RESPONDERS: 'U0ALICE', SIRBOT_APPROVERS: 'U0BOSS' };
const OFFER_ID = /^offer-[0-9a-f]{32}$/;

let t: TestRuntime;

const rootOf = (findingId: string): EmulatedMessage => {
  const root = t.slack.state.allMessages().find((m) => (!m.thread_ts || m.thread_ts === m.ts) && JSON.stringify(m.blocks ?? []).includes(findingId));
  if (!root) throw new Error(`no root for ${findingId}`);
  return root;
};
const threadOf = (findingId: string) => {
  const root = rootOf(findingId);
  return t.slack.state.thread(root.channel, root.ts);
};
const buttons = (m: EmulatedMessage): Array<{ action_id: string; value?: string; text: { text: string } }> =>
  (m.blocks as any[]).flatMap((b) => (b.type === 'actions' ? b.elements : []));
const buttonValue = (m: EmulatedMessage, actionId: string | RegExp) =>
  buttons(m).find((b) => (typeof actionId === 'string' ? b.action_id === actionId : actionId.test(b.action_id)))?.value as string;
/** The same message with one button's value replaced: what a forged click would carry. */
const withValue = (m: EmulatedMessage, actionId: string, value: string): EmulatedMessage => ({
  ...m,
  blocks: (m.blocks as any[]).map((b) =>
    b.type === 'actions' ? { ...b, elements: b.elements.map((e: any) => (e.action_id === actionId ? { ...e, value } : e)) } : b,
  ),
});
const summaryOf = (findingId: string) => threadOf(findingId).find((m) => JSON.stringify(m.blocks ?? []).includes('remediation_request:'));
const auditOf = async (actor: string) => (await t.runtime.core.store.actions.listAudit()).filter((a) => a.actor === actor);
const noticeText = (who: string) => JSON.stringify(t.user(who).modal()?.callback_id === 'sirbot_notice' ? t.user(who).modal()!.blocks : null);

async function until(condition: () => boolean | undefined, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  t = await startTestRuntime({ scenario: SCENARIO, env: ENV });
  await t.ingest(GUARDDUTY);
  await t.ingest({ Findings: [ASFF] });
  await until(() => threadOf(GUARDDUTY.id).some((m) => JSON.stringify(m.blocks ?? []).includes('investigation_start_now')), 10_000);
  const questions = threadOf(GUARDDUTY.id).find((m) => JSON.stringify(m.blocks ?? []).includes('investigation_start_now'))!;
  await t.user('U0ALICE').click(questions, 'investigation_start_now');
  await until(() => summaryOf(GUARDDUTY.id) !== undefined, 30_000);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('offers behind buttons', () => {
  it('root and summary buttons carry only the id of an offer stored for their finding; redrawing offers the same ids', async () => {
    const root = rootOf(GUARDDUTY.id);
    const status = buttonValue(root, 'finding_set_status');
    const openCase = buttonValue(root, 'case_open');
    expect(status).toMatch(OFFER_ID);
    expect(openCase).toMatch(OFFER_ID);
    expect(await t.runtime.core.store.actions.getOffer(status)).toMatchObject({ findingId: GUARDDUTY.id, kind: 'status', payload: {} });
    const deactivate = buttons(summaryOf(GUARDDUTY.id)!).find((b) => b.text.text === 'Deactivate AKIAEXPOSEDKEY000001')!;
    expect(deactivate.value).toMatch(OFFER_ID);
    const offer = await t.runtime.core.store.actions.getOffer(deactivate.value!);
    expect(offer).toMatchObject({ findingId: GUARDDUTY.id, kind: 'remediation' });
    expect(offer!.payload).toEqual({
      remediationId: 'deactivate-access-key',
      inputs: { account: '111122223333', userName: 'ci-deployer', accessKeyId: 'AKIAEXPOSEDKEY000001' },
    });

    await t.runtime.core.deliverer.refreshRoot(GUARDDUTY.id);
    const redrawn = rootOf(GUARDDUTY.id);
    expect(redrawn.edited).toBeDefined();
    expect([buttonValue(redrawn, 'finding_set_status'), buttonValue(redrawn, 'case_open')]).toEqual([status, openCase]);
    // Another finding's offers are its own.
    expect(buttonValue(rootOf(ASFF.Id), 'finding_set_status')).not.toBe(status);
  });

  it('refuses, in the modal opened at the click, an offer of another finding, one for another button, and one never made; each refusal audited', async () => {
    const alice = t.user('U0ALICE');
    const root = rootOf(GUARDDUTY.id);
    const other = buttonValue(rootOf(ASFF.Id), 'finding_set_status');
    const before = (await auditOf('U0ALICE')).length;

    await alice.click(withValue(root, 'finding_set_status', other), 'finding_set_status');
    await expect.poll(() => noticeText('U0ALICE')).toContain("Not done: this was offered in another finding's thread.");
    await alice.click(withValue(root, 'finding_set_status', buttonValue(root, 'case_open')), 'finding_set_status');
    await expect.poll(() => noticeText('U0ALICE')).toContain('Not done: this button was offered for another action.');
    await alice.click(withValue(root, 'finding_set_status', GUARDDUTY.id), 'finding_set_status');
    await expect.poll(() => noticeText('U0ALICE')).toContain('Not done: sirbot did not offer this (unknown offer).');
    await alice.click(withValue(root, 'case_open', `offer-${'0'.repeat(32)}`), 'case_open');
    await expect.poll(async () => (await auditOf('U0ALICE')).length).toBe(before + 4);

    const refusals = (await auditOf('U0ALICE')).slice(before);
    expect(refusals.map((a) => [a.action, a.target, a.outcome, (a.result as { reason: string }).reason])).toEqual([
      ['status', ASFF.Id, 'refused', "this was offered in another finding's thread"],
      ['status', GUARDDUTY.id, 'refused', 'this button was offered for another action'],
      ['status', GUARDDUTY.id, 'refused', 'sirbot did not offer this (unknown offer)'],
      ['case.create', `offer-${'0'.repeat(32)}`, 'refused', 'sirbot did not offer this (unknown offer)'],
    ]);
    expect(refusals[0]?.inputs).toMatchObject({ offerId: other, clickedIn: { channel: root.channel, threadTs: root.ts } });
    // Where it happened: the thread clicked in.
    expect(refusals.every((a) => a.permalink?.includes(`/archives/${root.channel}/p`))).toBe(true);
    // Nothing was set; what the person saw last is the refusal, not a status form.
    expect(await t.runtime.core.store.actions.listActions({ kind: 'status' })).toEqual([]);
    expect(alice.modal()?.callback_id).toBe('sirbot_notice');
  });

  it('a remediation click runs only what the offer holds: a forged target, or another thread, reaches no request', async () => {
    const alice = t.user('U0ALICE');
    const summary = summaryOf(GUARDDUTY.id)!;
    const deactivate = buttons(summary).find((b) => b.text.text === 'Deactivate AKIAEXPOSEDKEY000001')!;
    // The old button value format, pointing at a key sirbot never offered to delete.
    const forged = JSON.stringify({
      r: 'delete-access-key',
      i: { account: '111122223333', userName: 'ci-deployer', accessKeyId: 'AKIAEXPOSEDKEY000001' },
      f: GUARDDUTY.id,
    });
    await alice.click(withValue(summary, deactivate.action_id, forged), deactivate.action_id);
    await expect.poll(() => noticeText('U0ALICE')).toContain('Not done: sirbot did not offer this (unknown offer).');
    // A real offer, clicked in another finding's thread.
    const elsewhere = {
      ...withValue(summary, deactivate.action_id, deactivate.value!),
      channel: rootOf(ASFF.Id).channel,
      ts: `${rootOf(ASFF.Id).ts.split('.')[0]}.999999`,
      thread_ts: rootOf(ASFF.Id).ts,
    };
    await alice.click(elsewhere, deactivate.action_id);
    await expect
      .poll(async () => (await auditOf('U0ALICE')).filter((a) => a.action === 'remediation:deactivate-access-key' && a.outcome === 'refused').length)
      .toBe(1);
    expect((await auditOf('U0ALICE')).filter((a) => a.action === 'remediation' && a.outcome === 'refused').map((a) => a.target)).toEqual([
      forged.slice(0, 200),
    ]);
    expect(await t.runtime.core.store.actions.listActions({ kind: 'remediation:delete-access-key' })).toEqual([]);
    expect(await t.runtime.core.store.actions.listActions({ kind: 'remediation:deactivate-access-key' })).toEqual([]);
    expect(t.aws!.state.iam.accounts['111122223333']!.users!.find((u) => u.UserName === 'ci-deployer')!.AccessKeys!.map((k) => k.Status)).not.toContain(
      'Inactive',
    );
  });

  it('a submission names the offer and the plan it showed: a changed plan hash or an unknown offer is refused and audited', async () => {
    const alice = t.user('U0ALICE');
    const summary = summaryOf(GUARDDUTY.id)!;
    const deactivate = buttons(summary).find((b) => b.text.text === 'Deactivate AKIAEXPOSEDKEY000001')!;
    await alice.click(summary, deactivate.action_id);
    const preview = await alice.waitForModal('remediation_modal', (v) => !!v.submit);
    const meta = JSON.parse(preview.private_metadata) as { offerId: string; planHash: string };
    expect(meta).toEqual({ offerId: deactivate.value, planHash: expect.stringMatching(/^[0-9a-f]{32}$/) });

    // The plan hash of another plan: nothing runs, the person is told, the refusal is recorded.
    expect((await alice.submit({}, { ...preview, private_metadata: JSON.stringify({ ...meta, planHash: '0'.repeat(32) }) })).body).toBeNull();
    await expect
      .poll(() =>
        t.slack.state
          .ephemerals()
          .filter((e) => e.user === 'U0ALICE')
          .map((e) => e.text),
      )
      .toContain('Remediation not run: what this remediation would do has changed since the preview; open it again to see the new plan');
    const stale = (await auditOf('U0ALICE')).filter((a) => a.action === 'remediation:deactivate-access-key').at(-1)!;
    expect(stale).toMatchObject({ outcome: 'refused', target: 'AKIAEXPOSEDKEY000001', inputs: { planHash: '0'.repeat(32), current: meta.planHash } });

    // Metadata naming an offer sirbot never made: refused in the modal itself, before anything is queued.
    await alice.click(summary, deactivate.action_id);
    const again = await alice.waitForModal('remediation_modal', (v) => !!v.submit);
    const answer = await alice.submit({}, { ...again, private_metadata: JSON.stringify({ offerId: `offer-${'f'.repeat(32)}`, planHash: meta.planHash }) });
    expect(answer.body).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
    expect(JSON.stringify(alice.modal()?.blocks)).toContain('Not done: sirbot did not offer this (unknown offer).');
    expect((await auditOf('U0ALICE')).at(-1)).toMatchObject({ action: 'remediation', target: `offer-${'f'.repeat(32)}`, outcome: 'refused' });
    expect(await t.runtime.core.store.actions.listActions({ kind: 'remediation:deactivate-access-key' })).toEqual([]);

    // The real submission runs the offer's remediation.
    await alice.click(summary, deactivate.action_id);
    await alice.submit({}, await alice.waitForModal('remediation_modal', (v) => !!v.submit));
    await expect
      .poll(() => threadOf(GUARDDUTY.id).some((m) => messageTexts(m).join('\n').includes('*Deactivate access key* — :white_check_mark: succeeded')), {
        timeout: 10_000,
      })
      .toBe(true);
  });

  it('a status submission whose metadata names another kind of offer sets nothing', async () => {
    const alice = t.user('U0ALICE');
    const root = rootOf(ASFF.Id);
    await alice.click(root, 'finding_set_status');
    const modal = await alice.waitForModal('status_modal');
    const answer = await alice.submit(
      { status: { option: 'RESOLVED' } },
      { ...modal, private_metadata: JSON.stringify({ offerId: buttonValue(root, 'case_open') }) },
    );
    expect(answer.body).toMatchObject({ response_action: 'update' });
    expect(JSON.stringify(alice.modal()?.blocks)).toContain('Not done: this button was offered for another action.');
    expect((await auditOf('U0ALICE')).at(-1)).toMatchObject({ action: 'status', target: ASFF.Id, outcome: 'refused' });
    expect(await t.runtime.core.store.actions.listActions({ kind: 'status' })).toEqual([]);
  });
});
