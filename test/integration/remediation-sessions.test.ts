import { readFileSync } from 'node:fs';
import { GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/aws/fake-credentials.ts';
import type { EmulatedMessage } from '../../src/emulator/slack/index.ts';
import { awsChanges } from '../../src/emulator/workbench/aws-changes.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

/**
 * The cryptomining scenario's first finding: the web server's instance-role credentials
 * (taken through its metadata service) used from outside AWS. Its investigation offers
 * revoking the role's sessions and requiring IMDSv2 on the web server; both are run
 * against the fake AWS through the real Bolt app and SDK clients, and undone.
 */
const SCENARIO = 'src/scenarios/cryptomining-ec2';
const FINDING = (JSON.parse(readFileSync(`${SCENARIO}/findings/guardduty-us-east-1.json`, 'utf8')) as Array<{ type: string }>).find((f) =>
  f.type.includes('InstanceCredentialExfiltration'),
) as Record<string, unknown>;
const ENV = { SIRBOT_RESPONDERS: 'U0ALICE,U0DAVE', SIRBOT_APPROVERS: 'U0BOSS' };
const A = '111122223333';
const ROLE = 'webapp-ec2-role';
const WEB = 'i-05e1a0b7c3d900a11';

let t: TestRuntime;

const thread = () => {
  const [root] = t.slack.state.messages('#security-incidents');
  if (!root) throw new Error('no root message');
  return t.slack.state.thread(root.channel, root.ts);
};
const withAction = (re: RegExp) => thread().filter((m) => re.test(JSON.stringify(m.blocks ?? [])));
const summary = () => withAction(/remediation_request:/)[0];
const buttons = () => (summary()!.blocks as any[]).flatMap((b) => b.elements ?? []);
const text = (m: EmulatedMessage | undefined) => (m ? messageTexts(m).join('\n') : '');
const resultOf = (title: string) =>
  thread()
    .filter((m) => text(m).includes(`*${title}*`))
    .at(-1);
const ephemeralsOf = (id: string) =>
  t.slack.state
    .ephemerals()
    .filter((e) => e.user === id)
    .map((e) => e.text);
const auditOf = async (target: string) =>
  (await t.runtime.core.store.actions.listAudit()).filter((a) => a.target === target).map((a) => `${a.action} ${a.actor} ${a.outcome}`);
/** The fake's own read APIs, through the SDK, as anyone would look. */
const clientConfig = () => ({ region: 'us-east-1', endpoint: t.aws!.endpoint, credentials: fakeCredentials(A), maxAttempts: 1 });
const metadataOptions = async () =>
  (await new EC2Client(clientConfig()).send(new DescribeInstancesCommand({ InstanceIds: [WEB] }))).Reservations?.[0]?.Instances?.[0]?.MetadataOptions;
const rolePolicies = async () => (await new IAMClient(clientConfig()).send(new ListRolePoliciesCommand({ RoleName: ROLE }))).PolicyNames;

async function preview(who: string, label: string): Promise<string> {
  const button = buttons().find((e: any) => e.text?.text === label);
  if (!button) throw new Error(`no button ${label}`);
  await t.user(who).click(summary()!, button.action_id);
  const modal = await t.user(who).waitForModal('remediation_modal', (v) => !!v.submit);
  return messageTexts(modal).join('\n');
}

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
  await until(() => withAction(/investigation_start_now/).length === 1, 10_000);
  await t.user('U0ALICE').click(withAction(/investigation_start_now/)[0]!, 'investigation_start_now');
  await until(() => summary() !== undefined, 30_000);
}, 60_000);

afterAll(async () => {
  await t?.close();
});

describe("stolen instance-role credentials: revoke the role's sessions, require IMDSv2 on the instance", () => {
  it('offers both, with the bare role name and instance id; the revocation in red (it needs a second person)', () => {
    const offered = buttons().map((e: any) => e.text?.text);
    expect(offered).toEqual(expect.arrayContaining([`Revoke sessions ${ROLE}`, `Enforce IMDSv2 ${WEB}`]));
    expect(offered.some((l: string) => /^Deactivate ASIA/.test(l))).toBe(false);
    expect(buttons().find((e: any) => e.text?.text === `Revoke sessions ${ROLE}`).style).toBe('danger');
    expect(buttons().find((e: any) => e.text?.text === `Enforce IMDSv2 ${WEB}`).style).toBeUndefined();
  });

  it('enforce IMDSv2: the exact call previewed, run, seen by DescribeInstances, undone back to optional; audited', async () => {
    expect(await metadataOptions()).toMatchObject({ HttpTokens: 'optional' });
    const shown = await preview('U0ALICE', `Enforce IMDSv2 ${WEB}`);
    expect(shown).toContain(
      `*AWS calls that will be made*\n1. *ec2:ModifyInstanceMetadataOptions* in ${A}/us-east-1 on instance \`${WEB}\` — HttpTokens \`required\``,
    );
    expect(shown).toContain(`*Undo would call*\n1. *ec2:ModifyInstanceMetadataOptions* in ${A}/us-east-1 on instance \`${WEB}\` — HttpTokens \`optional\``);
    expect(shown).not.toMatch(/[{}"]/);
    await t.user('U0ALICE').submit({ note: 'SSRF on the admin port' });
    await expect.poll(() => text(resultOf('Enforce IMDSv2')), { timeout: 10_000 }).toContain('succeeded');
    expect(await metadataOptions()).toMatchObject({ HttpTokens: 'required', State: 'applied' });

    await t.user('U0DAVE').click(resultOf('Enforce IMDSv2')!, 'remediation_undo');
    await expect.poll(() => text(resultOf('Enforce IMDSv2')), { timeout: 10_000 }).toContain('undone');
    expect(await metadataOptions()).toMatchObject({ HttpTokens: 'optional' });
    expect(await auditOf(WEB)).toEqual([
      'remediation:enforce-imdsv2 U0ALICE requested',
      'remediation:enforce-imdsv2 U0ALICE executed',
      'undo:enforce-imdsv2 U0DAVE requested',
      'undo:enforce-imdsv2 U0DAVE executed',
    ]);
  });

  it('revoke sessions: previewed with the time left to the call, approved by another person, the deny policy dated when it ran; undone by an approver only', async () => {
    const shown = await preview('U0ALICE', `Revoke sessions ${ROLE}`);
    // The policy in a sentence, its time left to the moment of the call; no document JSON.
    expect(shown).toContain(
      `1. *iam:PutRolePolicy* in ${A}/us-east-1 on role \`${ROLE}\` — PolicyName \`AWSRevokeOlderSessions\` · PolicyDocument \`Deny * on * when aws:TokenIssueTime is before the time of the call\``,
    );
    expect(shown).toContain(`*Undo would call*\n1. *iam:DeleteRolePolicy* in ${A}/us-east-1 on role \`${ROLE}\` — PolicyName \`AWSRevokeOlderSessions\``);
    expect(shown).not.toMatch(/[{}"]/);
    expect(shown).toContain('an approver other than you must approve it');
    await t.user('U0ALICE').submit({ note: 'credentials used from 203.0.113.99' });
    await expect.poll(() => withAction(/remediation_approve/).length, { timeout: 10_000 }).toBe(1);
    const request = withAction(/remediation_approve/)[0]!;
    expect(await rolePolicies()).toEqual([]);

    await t.user('U0ALICE').click(request, 'remediation_approve');
    await expect.poll(() => ephemeralsOf('U0ALICE').at(-1)).toBe('Not done: you requested this action, so someone else must approve it (two-person rule).');
    expect(await rolePolicies()).toEqual([]);

    const before = Date.now();
    await t.user('U0BOSS').click(request, 'remediation_approve');
    await expect.poll(() => text(resultOf('Revoke role sessions')), { timeout: 10_000 }).toContain('succeeded');
    expect(text(resultOf('Revoke role sessions'))).toContain('approved by <@U0BOSS>');
    expect(await rolePolicies()).toEqual(['AWSRevokeOlderSessions']);
    const read = await new IAMClient(clientConfig()).send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'AWSRevokeOlderSessions' }));
    const document = JSON.parse(decodeURIComponent(read.PolicyDocument!));
    expect(document.Statement).toMatchObject([{ Effect: 'Deny', Action: ['*'], Resource: ['*'] }]);
    const revokedBefore = Date.parse(document.Statement[0].Condition.DateLessThan['aws:TokenIssueTime']);
    expect(revokedBefore).toBeGreaterThanOrEqual(before);
    expect(revokedBefore).toBeLessThanOrEqual(Date.now());

    // Undoing lets the stolen sessions work again: a responder may not, an approver may.
    await t.user('U0DAVE').click(resultOf('Revoke role sessions')!, 'remediation_undo');
    await expect.poll(() => ephemeralsOf('U0DAVE').at(-1)).toBe('Not done: this needs the approver role, which you do not have.');
    expect(await rolePolicies()).toEqual(['AWSRevokeOlderSessions']);
    await t.user('U0BOSS').click(resultOf('Revoke role sessions')!, 'remediation_undo');
    await expect.poll(() => text(resultOf('Revoke role sessions')), { timeout: 10_000 }).toContain('undone by <@U0BOSS>');
    expect(await rolePolicies()).toEqual([]);

    expect(await auditOf(ROLE)).toEqual([
      'remediation:revoke-role-sessions U0ALICE requested',
      'remediation:revoke-role-sessions U0ALICE refused',
      'remediation:revoke-role-sessions U0BOSS approved',
      'remediation:revoke-role-sessions U0BOSS executed',
      'undo:revoke-role-sessions U0DAVE refused',
      'undo:revoke-role-sessions U0BOSS requested',
      'undo:revoke-role-sessions U0BOSS executed',
    ]);
    const executed = (await t.runtime.core.store.actions.listAudit()).find(
      (a) => a.target === ROLE && a.outcome === 'executed' && a.action.startsWith('remediation:'),
    );
    // The audit keeps the call as made: the document sent, with its time.
    const sent =
      (executed?.result as { outcomes: Array<{ call: { input: { PolicyDocument: string } } }> } | undefined)?.outcomes[0]?.call.input.PolicyDocument ?? '';
    expect(JSON.parse(sent)).toEqual(document);
  });

  it("the workbench's AWS changes list what was done and undone, in order", () => {
    const changes = awsChanges(t.aws!)().changes.map((c) => c.operation);
    expect(changes).toEqual(['ModifyInstanceMetadataOptions', 'ModifyInstanceMetadataOptions', 'PutRolePolicy', 'DeleteRolePolicy']);
  });
});
