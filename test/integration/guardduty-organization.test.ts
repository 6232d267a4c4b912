import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials, guardDutyAdminRole } from '../../src/aws/clients.ts';
import { AwsCallExecutor } from '../../src/aws/executor.ts';
import { statusPlan } from '../../src/domain/actions/workflow-status.ts';
import { startFakeAws } from '../../src/emulator/aws/server.ts';
import { normalizeText } from '../../src/ingest/normalize.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

const GUARDDUTY = JSON.parse(readFileSync('src/scenarios/exposed-access-key/finding.json', 'utf8')) as Record<string, any>;
const MEMBER = '111122223333';
const ADMIN = '444455556666';

let dir = '';
let scenario = '';
let t: TestRuntime | undefined;

/** The bundled incident, with its accounts in a GuardDuty organization administered by ADMIN. */
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sirbot-gd-org-'));
  scenario = path.join(dir, 'scenario');
  cpSync('src/scenarios/exposed-access-key', scenario, { recursive: true });
  writeFileSync(path.join(scenario, 'guardduty.json'), JSON.stringify({ administratorAccount: ADMIN }));
  writeFileSync(path.join(dir, 'rules.yml'), 'defaults:\n  channel: "#sec"\nrules: []\n');
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(env: Record<string, string> = {}): Promise<TestRuntime> {
  t = await startTestRuntime({ scenario, env: { SIRBOT_RULES: path.join(dir, 'rules.yml'), SIRBOT_RESPONDERS: 'U0ALICE', ...env } });
  await t.ingest(GUARDDUTY);
  return t;
}

/** Alice sets a status from the root's button and modal; the thread's new reply. */
async function setStatus(rt: TestRuntime, status: string): Promise<string> {
  const [root] = rt.slack.state.messages('#sec');
  const before = rt.slack.state.thread(root!.channel, root!.ts).length;
  const alice = rt.user('U0ALICE', 'alice');
  await alice.click(root!, 'finding_set_status');
  await alice.waitForModal('status_modal');
  await alice.submit({ status: { option: status }, note: '' });
  await expect.poll(() => rt.slack.state.thread(root!.channel, root!.ts).length, { timeout: 10_000 }).toBe(before + 1);
  return messageTexts(rt.slack.state.thread(root!.channel, root!.ts).at(-1)!).join('\n');
}

const archivedFlag = (rt: TestRuntime) =>
  ((rt.aws!.state.findings.guardduty.get(`${MEMBER}|us-east-1`) ?? []).find((f) => f.id === GUARDDUTY.id)?.service as { archived?: boolean } | undefined)
    ?.archived;

describe('GuardDuty workflow status in an organization', () => {
  it('SIRBOT_GUARDDUTY_ADMIN_ACCOUNT set: archives and unarchives through the administrator, whose detector is looked up there', async () => {
    const rt = await start({ SIRBOT_GUARDDUTY_ADMIN_ACCOUNT: ADMIN });
    expect(await setStatus(rt, 'RESOLVED')).toContain(':white_check_mark: <@U0ALICE> set the workflow status to *RESOLVED*');
    expect(archivedFlag(rt)).toBe(true);
    expect(await setStatus(rt, 'NOTIFIED')).toContain('set the workflow status to *NOTIFIED*');
    expect(archivedFlag(rt)).toBe(false);
    const writes = rt.aws!.calls().filter((c) => ['ListDetectors', 'ArchiveFindings', 'UnarchiveFindings'].includes(c.operation));
    expect(writes.map((c) => [c.operation, c.account, c.status])).toEqual([
      ['ListDetectors', ADMIN, 200],
      ['ArchiveFindings', ADMIN, 200],
      ['ListDetectors', ADMIN, 200],
      ['UnarchiveFindings', ADMIN, 200],
    ]);
    // The audit log shows both calls, as planned.
    const requested = (await rt.runtime.core.store.actions.listAudit()).find((a) => a.action === 'status' && a.outcome === 'requested');
    expect(JSON.stringify(requested?.inputs)).toContain('guardDutyAdministratorDetector');
  });

  it('not configured (standalone), in an organization: the member account is refused as GuardDuty refuses it, and the thread says why', async () => {
    const rt = await start();
    const reply = await setStatus(rt, 'RESOLVED');
    expect(reply).toContain(':x: <@U0ALICE> could not set the workflow status to *RESOLVED*');
    expect(reply).toContain('`BadRequestException` Only the administrator account can archive findings.');
    expect(archivedFlag(rt)).toBe(false);
    expect(rt.aws!.calls().find((c) => c.operation === 'ArchiveFindings')).toMatchObject({ account: MEMBER, status: 400 });
  });
});

describe('reaching the GuardDuty administrator account', () => {
  it('through SIRBOT_GUARDDUTY_ADMIN_ROLE when set, else through the member role (SIRBOT_ROLE_NAME) like every account', async () => {
    // STS trusts only the administrator's own archiving role there.
    const aws = await startFakeAws({ scenario, trust: { roles: [{ arn: `arn:aws:iam::${ADMIN}:role/gd-archiver` }] } });
    const [finding] = normalizeText(JSON.stringify(GUARDDUTY), 'finding.json').findings;
    const plan = statusPlan({ finding: finding!, status: 'RESOLVED', note: '', by: 'U0ALICE' }, { administratorAccount: ADMIN });
    if ('error' in plan) throw new Error(plan.error);
    const clientsFor = (env: Record<string, string>) =>
      new AwsClientFactory({
        region: 'us-east-1',
        endpoint: aws.endpoint,
        credentialsFor: fakeCredentials,
        assumeRole: { roleName: 'sirbot-member', homeAccount: '999999999999', ...guardDutyAdminRole({ SIRBOT_GUARDDUTY_ADMIN_ACCOUNT: ADMIN, ...env }) },
      });
    const viaMember = clientsFor({});
    const refused = await new AwsCallExecutor(viaMember).run(plan.calls);
    expect(refused.status).toBe('failed');
    expect(refused.outcomes[0]?.error?.message).toContain(`arn:aws:iam::${ADMIN}:role/sirbot-member`);
    const viaOverride = clientsFor({ SIRBOT_GUARDDUTY_ADMIN_ROLE: 'gd-archiver' });
    expect((await new AwsCallExecutor(viaOverride).run(plan.calls)).status).toBe('succeeded');
    expect(
      aws
        .calls()
        .filter((c) => c.operation === 'ArchiveFindings')
        .map((c) => [c.account, c.status]),
    ).toEqual([[ADMIN, 200]]);
    viaMember.destroy();
    viaOverride.destroy();
    await aws.close();
  });
});
