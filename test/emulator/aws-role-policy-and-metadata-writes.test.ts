import { DeleteRolePolicyCommand, GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { DescribeInstancesCommand, EC2Client, ModifyInstanceMetadataOptionsCommand, type HttpTokensState } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/aws/fake-credentials.ts';
import { loadScenario } from '../../src/emulator/aws/scenario.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';
import { awsChanges } from '../../src/emulator/workbench/aws-changes.ts';

/** The cryptomining scenario: the web servers' role, the Auto Scaling service-linked role, the instances. */
const A = '111122223333';
const REGION = 'us-east-1';
const ROLE = 'webapp-ec2-role';
const WEB = 'i-05e1a0b7c3d900a11';
const MINER = 'i-0f3b9d2e8a6c40001';
const REVOKE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-10-14T13:20:00.000Z' } } }],
});

let aws: FakeAws;
beforeEach(async () => {
  aws = await startFakeAws({ scenario: loadScenario('src/scenarios/cryptomining-ec2') });
});
afterEach(async () => aws.close());

const config = () => ({ region: REGION, endpoint: aws.endpoint, credentials: fakeCredentials(A), maxAttempts: 1 });
const role = (name: string) => aws.state.iam.accounts[A]!.roles!.find((r) => r.RoleName === name)!;
const instance = (id: string) => aws.state.ec2.accounts[A]![REGION]!.instances!.find((i) => i.InstanceId === id)!;

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe("IAM: a role's inline policies (revoking its sessions)", () => {
  it('puts, lists, reads (URL-encoded, as IAM answers), replaces and deletes an inline policy; the role state follows', async () => {
    const iam = new IAMClient(config());
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: ROLE }))).PolicyNames).toEqual([]);
    await iam.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: REVOKE }));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: ROLE }))).PolicyNames).toEqual(['AWSRevokeOlderSessions']);
    const read = await iam.send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'AWSRevokeOlderSessions' }));
    expect(read).toMatchObject({ RoleName: ROLE, PolicyName: 'AWSRevokeOlderSessions' });
    expect(read.PolicyDocument).toMatch(/^%7B%22Version%22/);
    expect(JSON.parse(decodeURIComponent(read.PolicyDocument!))).toEqual(JSON.parse(REVOKE));

    const later = REVOKE.replace('13:20:00', '14:00:00');
    await iam.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: later }));
    expect(role(ROLE).RolePolicyList).toEqual([{ PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: later }]);

    await iam.send(new DeleteRolePolicyCommand({ RoleName: ROLE, PolicyName: 'AWSRevokeOlderSessions' }));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: ROLE }))).PolicyNames).toEqual([]);
    expect(await failure(iam.send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'AWSRevokeOlderSessions' })))).toEqual({
      name: 'NoSuchEntityException',
      message: 'The role policy with name AWSRevokeOlderSessions cannot be found.',
      status: 404,
    });
  });

  it("answers IAM's errors: unknown role or policy, service-linked role, malformed document, bad name, the role's quota", async () => {
    const iam = new IAMClient(config());
    const put = (RoleName: string, PolicyDocument: string, PolicyName = 'AWSRevokeOlderSessions') =>
      failure(iam.send(new PutRolePolicyCommand({ RoleName, PolicyName, PolicyDocument })));
    expect(await put('nobody', REVOKE)).toEqual({ name: 'NoSuchEntityException', message: 'The role with name nobody cannot be found.', status: 404 });
    expect(await put('AWSServiceRoleForAutoScaling', REVOKE)).toEqual({
      name: 'UnmodifiableEntityException',
      message: "Cannot perform the operation on the protected role 'AWSServiceRoleForAutoScaling' - this role is only modifiable by AWS",
      status: 400,
    });
    expect(await put(ROLE, '{"Version":')).toEqual({ name: 'MalformedPolicyDocumentException', message: 'Syntax errors in policy.', status: 400 });
    expect(await put(ROLE, JSON.stringify({ Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Principal: '*' }] }))).toMatchObject({
      message: 'Policy document should not specify a principal.',
    });
    expect(await put(ROLE, JSON.stringify({ Statement: [{ Effect: 'Deny', Resource: '*' }] }))).toMatchObject({ message: 'Missing required field Action' });
    expect(await put(ROLE, REVOKE, 'no spaces allowed')).toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining("at 'policyName' failed to satisfy constraint"),
      status: 400,
    });
    const big = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: '*', Resource: Array.from({ length: 400 }, (_, n) => `arn:aws:s3:::bucket-${n}`) }],
    });
    expect(await put(ROLE, big)).toEqual({
      name: 'LimitExceededException',
      message: `Maximum policy size of 10240 bytes exceeded for role ${ROLE}`,
      status: 409,
    });
    expect(await failure(iam.send(new DeleteRolePolicyCommand({ RoleName: ROLE, PolicyName: 'AWSRevokeOlderSessions' })))).toMatchObject({
      name: 'NoSuchEntityException',
      status: 404,
    });
    expect(role(ROLE).RolePolicyList ?? []).toEqual([]);
  });
});

describe('EC2: instance metadata options (requiring IMDSv2)', () => {
  it('describes IMDSv1 allowed by default; requiring tokens answers pending, later describes say applied; other options are kept', async () => {
    const ec2 = new EC2Client(config());
    const describe = async () => (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [WEB] }))).Reservations?.[0]?.Instances?.[0]?.MetadataOptions;
    expect(await describe()).toEqual({
      State: 'applied',
      HttpTokens: 'optional',
      HttpPutResponseHopLimit: 1,
      HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: 'disabled',
    });

    const out = await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: WEB, HttpTokens: 'required' }));
    expect(out.InstanceId).toBe(WEB);
    expect(out.InstanceMetadataOptions).toMatchObject({ State: 'pending', HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' });
    expect(await describe()).toMatchObject({ State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 1 });

    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: WEB, HttpTokens: 'optional' }));
    expect(instance(WEB).MetadataOptions).toMatchObject({ HttpTokens: 'optional', State: 'applied' });
  });

  it('a stopped instance keeps the change pending until it starts', async () => {
    instance(MINER).State = { Name: 'stopped' };
    const ec2 = new EC2Client(config());
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: MINER, HttpTokens: 'required' }));
    expect((await ec2.send(new DescribeInstancesCommand({ InstanceIds: [MINER] }))).Reservations?.[0]?.Instances?.[0]?.MetadataOptions).toMatchObject({
      State: 'pending',
      HttpTokens: 'required',
    });
  });

  it("answers EC2's errors: unknown or malformed instance, invalid value, terminated instance, dry run", async () => {
    const ec2 = new EC2Client(config());
    const modify = (InstanceId: string, HttpTokens: string, DryRun?: boolean) =>
      failure(ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId, HttpTokens: HttpTokens as HttpTokensState, ...(DryRun ? { DryRun } : {}) })));
    expect(await modify('i-0000000000000dead', 'required')).toEqual({
      name: 'InvalidInstanceID.NotFound',
      message: "The instance ID 'i-0000000000000dead' does not exist",
      status: 400,
    });
    expect(await modify('web-server', 'required')).toMatchObject({ name: 'InvalidInstanceID.Malformed', status: 400 });
    expect(await modify(WEB, 'always')).toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining('Value (always) for parameter HttpTokens is invalid'),
      status: 400,
    });
    expect(await modify(WEB, 'required', true)).toMatchObject({ name: 'DryRunOperation', status: 412 });
    instance(MINER).State = { Name: 'terminated' };
    expect(await modify(MINER, 'required')).toMatchObject({ name: 'IncorrectInstanceState', status: 400 });
    expect(instance(WEB).MetadataOptions).toBeUndefined();
    expect(instance(MINER).MetadataOptions).toBeUndefined();
  });
});

describe("the workbench's AWS changes", () => {
  it('lists the policy and metadata writes, not the reads around them', async () => {
    const iam = new IAMClient(config());
    const ec2 = new EC2Client(config());
    await iam.send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'AWSRevokeOlderSessions' })).catch(() => null);
    await iam.send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: REVOKE }));
    await iam.send(new ListRolePoliciesCommand({ RoleName: ROLE }));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: ROLE, PolicyName: 'AWSRevokeOlderSessions' }));
    await ec2.send(new DescribeInstancesCommand({ InstanceIds: [WEB] }));
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: WEB, HttpTokens: 'required' }));
    expect(awsChanges(aws)().changes.map((c) => `${c.operation} ${c.account} ${c.region} ${c.status}`)).toEqual([
      `PutRolePolicy ${A} us-east-1 200`,
      `DeleteRolePolicy ${A} us-east-1 200`,
      `ModifyInstanceMetadataOptions ${A} ${REGION} 200`,
    ]);
  });
});
