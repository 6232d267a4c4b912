import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { AwsCallExecutor, command } from '../../src/aws/executor.ts';
import { remediationById, type RemediationInputs } from '../../src/domain/remediation/catalog.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';
import { loadScenario } from '../../src/emulator/aws/scenario.ts';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
let aws: FakeAws;
let clients: AwsClientFactory;
let executor: AwsCallExecutor;

beforeAll(async () => {
  // A scenario object of this test's own: the fake changes it in place.
  aws = await startFakeAws({ scenario: loadScenario('src/scenarios/exposed-access-key') });
  clients = new AwsClientFactory({ region: REGION, endpoint: aws.endpoint, credentialsFor: fakeCredentials, maxAttempts: 1 });
  executor = new AwsCallExecutor(clients);
});
afterAll(async () => {
  clients.destroy();
  await aws.close();
});

/** Preview (reads + plan), execute, and return the plan for undo: what the Slack flow does around its modals. */
async function execute(id: string, inputs: RemediationInputs) {
  const r = remediationById(id)!;
  const plan = r.plan(inputs, await executor.read(r.reads(inputs)));
  if ('error' in plan) throw new Error(plan.error);
  const run = await executor.run(plan.calls);
  return { plan, run };
}

const user = (name: string) => aws.state.iam.accounts[ACCOUNT]!.users!.find((u) => u.UserName === name)!;
const bucket = () => aws.state.s3.accounts[ACCOUNT]!.buckets!.find((b) => b.Name === 'acme-build-artifacts')!;

describe('every remediation against the fake AWS: execute, then undo', () => {
  it('detach a policy attached during the activity; undo attaches it again', async () => {
    const inputs = { account: ACCOUNT, userName: 'backup-svc', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' };
    const { plan, run } = await execute('detach-user-policy', inputs);
    expect(run.status).toBe('succeeded');
    expect(user('backup-svc').AttachedPolicies ?? []).toEqual([]);
    expect((await executor.run(plan.undo!)).status).toBe('succeeded');
    expect(user('backup-svc').AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([inputs.policyArn]);
  });

  it('snapshot the volumes of an instance (no undo: evidence is kept)', async () => {
    const { plan, run } = await execute('snapshot-instance', { account: ACCOUNT, region: REGION, instanceId: 'i-0a1b2c3d4e5f00001' });
    expect(run.status).toBe('succeeded');
    expect((run.outcomes[0]!.answer as { Snapshots?: unknown[] }).Snapshots?.length).toBeGreaterThan(0);
    expect(plan.undo).toBeNull();
  });

  it("run AWS's containment runbook; undo runs it in Release mode", async () => {
    const { plan, run } = await execute('contain-instance-runbook', { account: ACCOUNT, region: REGION, instanceId: 'i-0a1b2c3d4e5f00002' });
    expect(run.status).toBe('succeeded');
    await executor.run(plan.undo!);
    expect(aws.state.ssm.executions.map((e) => `${e.DocumentName} ${e.Parameters.Action?.join()} ${e.Parameters.InstanceId?.join()}`)).toEqual([
      'AWSSupport-ContainEC2Instance Contain i-0a1b2c3d4e5f00002',
      'AWSSupport-ContainEC2Instance Release i-0a1b2c3d4e5f00002',
    ]);
  });

  it('block public access on a bucket; undo restores the settings it had (none)', async () => {
    const { plan, run } = await execute('block-s3-public-access', { account: ACCOUNT, region: REGION, bucket: 'acme-build-artifacts' });
    expect(run.status).toBe('succeeded');
    expect(bucket().PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    await executor.run(plan.undo!);
    expect(bucket().PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
  });

  it('quarantine twice: the second run reuses the isolation group; a failure midway is partial, with the AWS error', async () => {
    const inputs = { account: ACCOUNT, region: REGION, instanceId: 'i-0a1b2c3d4e5f00002' };
    const first = await execute('quarantine-instance', inputs);
    expect(first.run.status).toBe('succeeded');
    await executor.run(first.plan.undo!);
    const again = await execute('quarantine-instance', inputs);
    expect(again.plan.calls.map((c) => c.operation)).toEqual(['ModifyInstanceAttribute']);
    expect(again.run.status).toBe('succeeded');

    const broken = await executor.run([
      {
        service: 'iam',
        operation: 'UpdateAccessKey',
        account: ACCOUNT,
        region: REGION,
        input: { UserName: 'ci-deployer', AccessKeyId: 'AKIAEXPOSEDKEY000001', Status: 'Inactive' },
      },
      {
        service: 'iam',
        operation: 'DeleteAccessKey',
        account: ACCOUNT,
        region: REGION,
        input: { UserName: 'ci-deployer', AccessKeyId: 'AKIANOSUCHKEY0000001' },
      },
    ]);
    expect(broken.status).toBe('partial');
    expect(broken.outcomes[1]).toMatchObject({ ok: false, error: { name: 'NoSuchEntity' } });
  });

  it('refuses calls outside its allowlist, whatever a plan says', async () => {
    const run = await executor.run([{ service: 'iam', operation: 'DeleteUser', account: ACCOUNT, region: REGION, input: { UserName: 'ci-deployer' } }]);
    expect(run).toMatchObject({ status: 'failed', outcomes: [{ ok: false, error: { name: 'NotAllowed' } }] });
    expect(user('ci-deployer')).toBeDefined();
  });
});

describe("a role's sessions and an instance's metadata options, against the fake AWS (cryptomining scenario)", () => {
  let fake: FakeAws;
  let factory: AwsClientFactory;
  let run: AwsCallExecutor;
  const CALLED_AT = Date.parse('2026-10-14T13:20:00.000Z');
  beforeAll(async () => {
    fake = await startFakeAws({ scenario: loadScenario('src/scenarios/cryptomining-ec2') });
    factory = new AwsClientFactory({ region: REGION, endpoint: fake.endpoint, credentialsFor: fakeCredentials, maxAttempts: 1 });
    run = new AwsCallExecutor(factory, () => CALLED_AT);
  });
  afterAll(async () => {
    factory.destroy();
    await fake.close();
  });
  const prepare = async (id: string, inputs: RemediationInputs) => {
    const r = remediationById(id)!;
    const plan = r.plan(inputs, await run.read(r.reads(inputs)));
    if ('error' in plan) throw new Error(plan.error);
    return plan;
  };
  const role = () => fake.state.iam.accounts[ACCOUNT]!.roles!.find((r) => r.RoleName === 'webapp-ec2-role')!;
  const web = () => fake.state.ec2.accounts[ACCOUNT]![REGION]!.instances!.find((i) => i.InstanceId === 'i-05e1a0b7c3d900a11')!;

  it('revokes the sessions dated by the call; a second revocation moves the time and its undo puts the first back; the last undo deletes it', async () => {
    const inputs = { account: ACCOUNT, roleName: 'webapp-ec2-role' };
    const first = await prepare('revoke-role-sessions', inputs);
    const done = await run.run(first.calls);
    expect(done.status).toBe('succeeded');
    expect((done.outcomes[0]!.call.input as { PolicyDocument: string }).PolicyDocument).toContain('"aws:TokenIssueTime":"2026-10-14T13:20:00.000Z"');
    expect(role().RolePolicyList?.map((p) => JSON.parse(p.PolicyDocument).Statement[0].Condition.DateLessThan['aws:TokenIssueTime'])).toEqual([
      '2026-10-14T13:20:00.000Z',
    ]);

    const later = new AwsCallExecutor(factory, () => CALLED_AT + 3_600_000);
    const second = await prepare('revoke-role-sessions', inputs);
    expect((await later.run(second.calls)).status).toBe('succeeded');
    expect(role().RolePolicyList?.[0]?.PolicyDocument).toContain('2026-10-14T14:20:00.000Z');
    expect((await run.run(second.undo!)).status).toBe('succeeded');
    expect(role().RolePolicyList?.[0]?.PolicyDocument).toContain('2026-10-14T13:20:00.000Z');
    expect((await run.run(first.undo!)).status).toBe('succeeded');
    expect(role().RolePolicyList).toEqual([]);
  });

  it('refuses the Auto Scaling service-linked role from its path, before any call', async () => {
    const r = remediationById('revoke-role-sessions')!;
    const inputs = { account: ACCOUNT, roleName: 'AWSServiceRoleForAutoScaling' };
    expect(r.plan(inputs, await run.read(r.reads(inputs)))).toEqual({
      error: 'AWSServiceRoleForAutoScaling is a service-linked role: IAM does not let its sessions be revoked',
    });
  });

  it('requires IMDSv2 on the web server, then undoes it back to optional', async () => {
    const inputs = { account: ACCOUNT, region: REGION, instanceId: 'i-05e1a0b7c3d900a11' };
    const plan = await prepare('enforce-imdsv2', inputs);
    const done = await run.run(plan.calls);
    expect(done.status).toBe('succeeded');
    expect(done.outcomes[0]!.answer).toMatchObject({ InstanceId: inputs.instanceId, InstanceMetadataOptions: { State: 'pending', HttpTokens: 'required' } });
    expect(web().MetadataOptions).toMatchObject({ HttpTokens: 'required', State: 'applied' });
    await expect(prepare('enforce-imdsv2', inputs)).rejects.toThrow('already requires IMDSv2');
    expect((await run.run(plan.undo!)).status).toBe('succeeded');
    expect(web().MetadataOptions).toMatchObject({ HttpTokens: 'optional' });
  });
});

describe('commands from an SDK loaded at run time', () => {
  it('says which command an older SDK lacks, instead of "is not a constructor"', () => {
    const olderSecurityHub = { BatchUpdateFindingsCommand: class {} } as unknown as {
      BatchUpdateFindingsCommand: new () => object;
      BatchUpdateFindingsV2Command: new () => object;
    };
    expect(() => command(olderSecurityHub, 'BatchUpdateFindingsV2Command', {} as never)).toThrow('the AWS SDK loaded here has no BatchUpdateFindingsV2Command');
    expect(command(olderSecurityHub, 'BatchUpdateFindingsCommand', {} as never)).toBeInstanceOf(olderSecurityHub.BatchUpdateFindingsCommand);
  });
});
