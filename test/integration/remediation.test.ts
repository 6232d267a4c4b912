import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedMessage } from '../../src/emulator/slack/index.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, unknown>;
const ENV = { SIRBOT_RESPONDERS: 'U0ALICE,U0DAVE', SIRBOT_APPROVERS: 'U0BOSS' };

let t: TestRuntime;

const thread = () => {
  const [root] = t.slack.state.messages('#security-incidents');
  if (!root) throw new Error('no root message');
  return t.slack.state.thread(root.channel, root.ts);
};
const withAction = (re: RegExp) => thread().filter((m) => re.test(JSON.stringify(m.blocks ?? [])));
const summary = () => withAction(/remediation_request:/)[0];
const text = (m: EmulatedMessage | undefined) => (m ? messageTexts(m).join('\n') : '');
const iamUser = (name: string) => t.aws!.state.iam.accounts['111122223333']!.users!.find((u) => u.UserName === name)!;
const instance = (id: string) => t.aws!.state.ec2.accounts['111122223333']!['us-east-1']!.instances!.find((i) => i.InstanceId === id)!;
const ephemeralsOf = (id: string) =>
  t.slack.state
    .ephemerals()
    .filter((e) => e.user === id)
    .map((e) => e.text);

/** Clicks a remediation offered in the summary, waits for its preview, and returns the text the modal shows. */
async function preview(who: string, label: string): Promise<string> {
  const person = t.user(who);
  const button = (summary()!.blocks as any[]).flatMap((b) => b.elements ?? []).find((e: any) => e.text?.text === label);
  if (!button) throw new Error(`no button ${label}`);
  await person.click(summary()!, button.action_id);
  // The click opens a placeholder at once; the preview (with its Run button) replaces it.
  const modal = await person.waitForModal('remediation_modal', (v) => !!v.submit);
  return messageTexts(modal).join('\n');
}

/** The thread message that shows a remediation (its title in bold). */
const resultOf = (title: string) =>
  thread()
    .filter((m) => text(m).includes(`*${title}*`))
    .at(-1);

/** expect.poll for hooks, where vitest does not allow it. */
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  t = await startTestRuntime({ scenario: SCENARIO, env: ENV });
  await t.ingest(FINDING);
  // Skip the questions: investigate with what the finding says.
  await until(() => withAction(/investigation_start_now/).length === 1, 10_000);
  await t.user('U0ALICE').click(withAction(/investigation_start_now/)[0]!, 'investigation_start_now');
  await until(() => summary() !== undefined, 30_000);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe('remediations from the investigation summary', () => {
  it('offers the remediations the evidence supports', () => {
    const labels = (summary()!.blocks as any[]).flatMap((b) => b.elements ?? []).map((e: any) => e.text?.text);
    expect(labels).toEqual(
      expect.arrayContaining([
        'Deactivate AKIAEXPOSEDKEY000001',
        'Delete AKIABACKUPSVCKEY0001',
        'Detach AdministratorAccess',
        expect.stringMatching(/^Quarantine i-/),
      ]),
    );
  });

  it('deactivate a key: preview of the exact call, confirm, execute, undo — each step audited', async () => {
    const shown = await preview('U0ALICE', 'Deactivate AKIAEXPOSEDKEY000001');
    // Each call in words: the action, where, on what, then its other parameters by name — no request JSON.
    expect(shown).toContain(
      '1. *iam:UpdateAccessKey* in 111122223333/us-east-1 on access key `AKIAEXPOSEDKEY000001` — UserName `ci-deployer` · Status `Inactive`',
    );
    expect(shown).toContain(
      '*Undo would call*\n1. *iam:UpdateAccessKey* in 111122223333/us-east-1 on access key `AKIAEXPOSEDKEY000001` — UserName `ci-deployer` · Status `Active`',
    );
    expect(shown).not.toMatch(/[{}"]/);
    await t.user('U0ALICE').submit({ note: 'key on a paste site' });
    await expect.poll(() => text(resultOf('Deactivate access key')), { timeout: 10_000 }).toContain('succeeded');
    expect(iamUser('ci-deployer').AccessKeys!.find((k) => k.AccessKeyId === 'AKIAEXPOSEDKEY000001')!.Status).toBe('Inactive');

    // Undo asks first, in Slack's confirm dialog, whose text Slack shows as it is: plain words, no markup.
    const undo = (resultOf('Deactivate access key')!.blocks as any[]).flatMap((b) => b.elements ?? []).find((e: any) => e.action_id === 'remediation_undo');
    expect(undo.confirm.text).toMatchObject({
      type: 'plain_text',
      text: 'These calls will be made:\n1. iam:UpdateAccessKey in 111122223333/us-east-1 on access key AKIAEXPOSEDKEY000001 — UserName ci-deployer · Status Active',
    });
    await t.user('U0DAVE').click(resultOf('Deactivate access key')!, 'remediation_undo');
    await expect.poll(() => text(resultOf('Deactivate access key')), { timeout: 10_000 }).toContain('undone');
    expect(text(resultOf('Deactivate access key'))).toContain('undone by <@U0DAVE>');
    expect(iamUser('ci-deployer').AccessKeys!.find((k) => k.AccessKeyId === 'AKIAEXPOSEDKEY000001')!.Status).toBe('Active');
    const audit = (await t.runtime.core.store.actions.listAudit()).filter((a) => a.target === 'AKIAEXPOSEDKEY000001');
    expect(audit.map((a) => `${a.action} ${a.actor} ${a.outcome}`)).toEqual([
      'remediation:deactivate-access-key U0ALICE requested',
      'remediation:deactivate-access-key U0ALICE executed',
      'undo:deactivate-access-key U0DAVE requested',
      'undo:deactivate-access-key U0DAVE executed',
    ]);
    expect(audit[0]?.inputs).toMatchObject({ note: 'key on a paste site', calls: [expect.objectContaining({ operation: 'UpdateAccessKey' })] });
  });

  it('refuses non-responders before showing any plan: the modal opened at the click says why; audited', async () => {
    const eve = t.user('U0EVE');
    await eve.click(summary()!, /remediation_request:/);
    const refused = await eve.waitForModal('sirbot_notice');
    expect(JSON.stringify(refused.blocks)).toContain('Not allowed: this needs the responder role, which you do not have.');
    expect(refused.submit).toBeNull();
    expect(ephemeralsOf('U0EVE')).toEqual([]);
    expect((await t.runtime.core.store.actions.listAudit()).filter((a) => a.actor === 'U0EVE').map((a) => a.outcome)).toEqual(['refused']);
  });

  it('deleting a key needs a second person: the requester cannot approve, a non-approver cannot either', async () => {
    // Asked, then withdrawn by the requester: nothing runs, and it may be asked again.
    await preview('U0ALICE', 'Delete AKIABACKUPSVCKEY0001');
    await t.user('U0ALICE').submit();
    await expect.poll(() => withAction(/remediation_approve/).length, { timeout: 10_000 }).toBe(1);
    await t.user('U0ALICE').click(withAction(/remediation_approve/)[0]!, 'remediation_reject');
    await expect.poll(() => text(resultOf('Delete access key'))).toContain('rejected by <@U0ALICE>');
    expect(withAction(/remediation_approve/)).toHaveLength(0);

    await preview('U0ALICE', 'Delete AKIABACKUPSVCKEY0001');
    await t.user('U0ALICE').submit();
    await expect
      .poll(() => text(resultOf('Delete access key')) || text(withAction(/remediation_approve/).at(-1)), { timeout: 10_000 })
      .toContain('asks to run *Delete access key*');
    const request = withAction(/remediation_approve/).at(-1)!;
    expect(iamUser('backup-svc').AccessKeys!.map((k) => k.AccessKeyId)).toContain('AKIABACKUPSVCKEY0001');

    await t.user('U0ALICE').click(request, 'remediation_approve');
    await expect.poll(() => ephemeralsOf('U0ALICE').at(-1)).toBe('Not done: you requested this action, so someone else must approve it (two-person rule).');
    await t.user('U0DAVE').click(request, 'remediation_approve');
    await expect.poll(() => ephemeralsOf('U0DAVE').at(-1)).toBe('Not done: this needs the approver role, which you do not have.');
    expect(iamUser('backup-svc').AccessKeys!.map((k) => k.AccessKeyId)).toContain('AKIABACKUPSVCKEY0001');

    await t.user('U0BOSS').click(request, 'remediation_approve');
    await expect.poll(() => text(resultOf('Delete access key')), { timeout: 10_000 }).toContain('succeeded');
    expect(text(resultOf('Delete access key'))).toContain('approved by <@U0BOSS>');
    expect(iamUser('backup-svc').AccessKeys!.map((k) => k.AccessKeyId)).not.toContain('AKIABACKUPSVCKEY0001');
    // Deleted is deleted: no undo offered.
    expect(JSON.stringify(resultOf('Delete access key')!.blocks)).not.toContain('remediation_undo');
    const audit = (await t.runtime.core.store.actions.listAudit()).filter((a) => a.target === 'AKIABACKUPSVCKEY0001');
    expect(audit.map((a) => `${a.actor} ${a.outcome}`)).toEqual([
      'U0ALICE requested',
      'U0ALICE rejected',
      'U0ALICE requested',
      'U0ALICE refused',
      'U0DAVE refused',
      'U0BOSS approved',
      'U0BOSS executed',
    ]);
  });

  it('quarantine an instance: new isolation group, previous groups restored by undo', async () => {
    const label = (summary()!.blocks as any[])
      .flatMap((b) => b.elements ?? [])
      .map((e: any) => e.text?.text)
      .find((l: string | undefined) => l?.startsWith('Quarantine i-')) as string;
    const id = label.replace('Quarantine ', '');
    const before = instance(id).SecurityGroups!.map((g) => g.GroupId);
    const shown = await preview('U0ALICE', label);
    expect(shown).toContain(`1. *ec2:CreateSecurityGroup* in 111122223333/us-east-1 on security group \`sirbot-quarantine-${id}\``);
    // What a call takes from an earlier one is named by its step, not by a placeholder.
    expect(shown).toContain('2. *ec2:RevokeSecurityGroupEgress* in 111122223333/us-east-1 on security group GroupId from step 1 (CreateSecurityGroup)');
    expect(shown).toContain(
      `3. *ec2:ModifyInstanceAttribute* in 111122223333/us-east-1 on instance \`${id}\` — Groups GroupId from step 1 (CreateSecurityGroup)`,
    );
    expect(shown).not.toMatch(/[{}"]|<quarantine/);
    await t.user('U0ALICE').submit();
    await expect.poll(() => text(resultOf('Quarantine EC2 instance')), { timeout: 10_000 }).toContain('succeeded');
    const isolated = instance(id).SecurityGroups!.map((g) => g.GroupId);
    expect(isolated).toHaveLength(1);
    expect(isolated).not.toEqual(before);
    const group = t.aws!.state.ec2.accounts['111122223333']!['us-east-1']!.securityGroups!.find((g) => g.GroupId === isolated[0])!;
    expect(group.GroupName).toBe(`sirbot-quarantine-${id}`);

    await t.user('U0ALICE').click(resultOf('Quarantine EC2 instance')!, 'remediation_undo');
    await expect.poll(() => text(resultOf('Quarantine EC2 instance')), { timeout: 10_000 }).toContain('undone');
    expect(instance(id).SecurityGroups!.map((g) => g.GroupId)).toEqual(before);
  });
});
