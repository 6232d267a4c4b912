import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const OCSF_EVENT = JSON.parse(readFileSync('test/fixtures/ocsf/findings-imported-v2-detection.json', 'utf8')) as {
  detail: { findings: Array<Record<string, any>> };
};
const ASFF = (JSON.parse(readFileSync(`${SCENARIO}/findings/securityhub.json`, 'utf8')) as { Findings: Array<Record<string, any>> }).Findings[0]!;
const GUARDDUTY = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, any>;
const OCSF = OCSF_EVENT.detail.findings[0]!;

let t: TestRuntime;
let dir: string;

/** The bundled scenario plus the OCSF finding, in a folder of this test's own. */
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sirbot-status-'));
  const scenario = path.join(dir, 'scenario');
  cpSync(SCENARIO, scenario, { recursive: true });
  writeFileSync(path.join(scenario, 'findings', 'ocsf.json'), JSON.stringify(OCSF_EVENT));
  const rules = path.join(dir, 'rules.yml');
  writeFileSync(rules, 'defaults:\n  channel: "#sec"\nrules: []\n');
  t = await startTestRuntime({ scenario, env: { SIRBOT_RULES: rules, SIRBOT_RESPONDERS: 'U0ALICE' } });
});

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

function rootFor(findingId: string) {
  const root = t.slack.state.messages('#sec').find((m) => JSON.stringify(m.blocks).includes(findingId.slice(-40)));
  if (!root) throw new Error(`no root for ${findingId}`);
  return root;
}

/** Alice sets a status through the root's button and the modal, and waits for the thread's answer. */
async function setStatus(findingId: string, status: string, note: string): Promise<string> {
  const alice = t.user('U0ALICE', 'alice');
  const root = rootFor(findingId);
  const before = t.slack.state.thread(root.channel, root.ts).length;
  await alice.click(root, 'finding_set_status');
  await alice.waitForModal('status_modal');
  expect((await alice.submit({ status: { option: status }, note })).body).toBeNull();
  await expect.poll(() => t.slack.state.thread(root.channel, root.ts).length, { timeout: 10_000 }).toBe(before + 1);
  return messageTexts(t.slack.state.thread(root.channel, root.ts).at(-1)!).join('\n');
}

describe('workflow status from Slack', () => {
  it('Security Hub CSPM finding: BatchUpdateFindings with Id and ProductArn; the root shows the status and who set it', async () => {
    await t.ingest({ Findings: [ASFF] });
    const reply = await setStatus(ASFF.Id, 'RESOLVED', 'rotated & removed <@U0BOSS>');
    expect(reply).toContain(':white_check_mark: <@U0ALICE> set the workflow status to *RESOLVED*');
    // The note is the person's text: escaped, never a mention.
    expect(reply).toContain('rotated &amp; removed &lt;@U0BOSS&gt;');
    // The call made, in words: what, where, on which finding, with which values — not the request's JSON.
    expect(reply).toContain('*securityhub:BatchUpdateFindings* in 111122223333/us-east-1 on finding `');
    expect(reply).toContain('Status `RESOLVED`');
    expect(reply).toContain('Note.Text `RESOLVED set from Slack by alice (U0ALICE): rotated &amp; removed &lt;@U0BOSS&gt;`');
    expect(reply).not.toMatch(/[{}"]/);
    const update = t.aws!.state.findingUpdates.find((u) => u.operation === 'BatchUpdateFindings');
    expect(update).toMatchObject({ findingId: ASFF.Id, account: '111122223333' });
    const stored = t.aws!.state.findings.securityhub.get('111122223333|us-east-1')!.find((f) => f.Id === ASFF.Id) as Record<string, any>;
    expect(stored.Workflow.Status).toBe('RESOLVED');
    expect(stored.Note).toMatchObject({ Text: 'RESOLVED set from Slack by alice (U0ALICE): rotated & removed <@U0BOSS>', UpdatedBy: 'alice (U0ALICE)' });
    await expect.poll(() => messageTexts(rootFor(ASFF.Id)).join('\n')).toContain('Status set to *RESOLVED* by <@U0ALICE>');
    expect(messageTexts(rootFor(ASFF.Id)).join('\n')).toContain('*Status*\nRESOLVED');
  });

  it('OCSF finding: BatchUpdateFindingsV2 with the finding identifier and status id', async () => {
    await t.ingest(OCSF_EVENT);
    const reply = await setStatus(OCSF.finding_info.uid, 'SUPPRESSED', '');
    expect(reply).toContain('set the workflow status to *SUPPRESSED*');
    const calls = t.aws!.calls().filter((c) => c.operation === 'BatchUpdateFindingsV2');
    expect(calls).toEqual([expect.objectContaining({ account: '333344445555', region: 'us-west-2', status: 200 })]);
    expect(t.aws!.state.findingUpdates.find((u) => u.operation === 'BatchUpdateFindingsV2')).toMatchObject({
      findingId: OCSF.metadata.uid,
      changes: expect.objectContaining({ StatusId: 3 }),
    });
  });

  it('GuardDuty finding: archived to resolve, unarchived to reopen', async () => {
    await t.ingest(GUARDDUTY);
    expect(await setStatus(GUARDDUTY.id, 'RESOLVED', 'false positive')).toContain('*RESOLVED*');
    const archived = () =>
      (t.aws!.state.findings.guardduty.get('111122223333|us-east-1') ?? []).find((f) => f.id === GUARDDUTY.id) as Record<string, any> | undefined;
    expect(archived()?.service.archived).toBe(true);
    // The root says it as a person would: archived, not "RESOLVED · ACTIVE".
    await expect.poll(() => messageTexts(rootFor(GUARDDUTY.id)).join('\n')).toContain('*Status*\nRESOLVED — archived in GuardDuty');
    expect(await setStatus(GUARDDUTY.id, 'NOTIFIED', '')).toContain('*NOTIFIED*');
    expect(archived()?.service.archived).toBe(false);
    await expect.poll(() => messageTexts(rootFor(GUARDDUTY.id)).join('\n')).toContain('*Status*\nNOTIFIED\n');
    expect(t.aws!.state.findingUpdates.filter((u) => u.findingId === GUARDDUTY.id).map((u) => u.operation)).toEqual(['ArchiveFindings', 'UnarchiveFindings']);
  });

  it('reports a finding Security Hub did not process, with its reason, and audits the failure', async () => {
    const unknown = { ...ASFF, Id: `${ASFF.Id}-not-in-security-hub` };
    await t.ingest({ Findings: [unknown] });
    const reply = await setStatus(unknown.Id, 'RESOLVED', '');
    expect(reply).toContain(':x: <@U0ALICE> could not set the workflow status to *RESOLVED*');
    expect(reply).toMatch(/Unprocessed `[^`]+not-in-security-hub`: \S+/);
    const audit = (await t.runtime.core.store.actions.listAudit()).filter((a) => a.target === unknown.Id).map((a) => a.outcome);
    expect(audit).toEqual(['requested', 'failed']);
    expect(messageTexts(rootFor(unknown.Id)).join('\n')).not.toContain('Status set to');
  });
});
