import { ec2Sdk, guardDutySdk, iamSdk, s3Sdk, securityHubSdk, ssmSdk } from './sdk.ts';
import { type AwsCall, resolveRefs } from '../domain/actions/aws-call.ts';
import type { AwsClientFactory } from './clients.ts';
import type { AwsCalls, CallError, CallOutcome, RunStatus } from '../ports/aws-calls.ts';

export type { CallError, CallOutcome, RunStatus };

type Send = (clients: AwsClientFactory, call: AwsCall, input: never) => Promise<unknown>;
// Each SDK client's `send` is typed for its own commands; the allowlist below pairs them by hand.
type AnyCommand = never;

/**
 * A command from a package loaded on first use. On Lambda that package is the runtime's
 * SDK, which may predate a command (BatchUpdateFindingsV2 is recent): say so, rather than
 * "is not a constructor".
 */
export function command<M extends object, K extends keyof M & string>(sdk: M, name: K, input: never): AnyCommand {
  const Command: unknown = sdk[name];
  if (typeof Command !== 'function')
    throw new Error(`the AWS SDK loaded here has no ${name}: it is older than the command (on Lambda, the runtime's SDK; see src/aws/sdk.ts)`);
  return new (Command as new (input: never) => never)(input);
}

/** A command's name in the SDK package `F` loads: checked when compiling, looked up at run time. */
type CommandName<F extends () => object> = keyof ReturnType<F> & string;

// One maker per service: which client (IAM is global) and which SDK package its commands come from.
const iam =
  (name: CommandName<typeof iamSdk>): Send =>
  (c, call, input) =>
    c.iam(call.account).send(command(iamSdk(), name, input));
const ec2 =
  (name: CommandName<typeof ec2Sdk>): Send =>
  (c, call, input) =>
    c.ec2(call.account, call.region).send(command(ec2Sdk(), name, input));
const ssm =
  (name: CommandName<typeof ssmSdk>): Send =>
  (c, call, input) =>
    c.ssm(call.account, call.region).send(command(ssmSdk(), name, input));
const s3 =
  (name: CommandName<typeof s3Sdk>): Send =>
  (c, call, input) =>
    c.s3(call.account, call.region).send(command(s3Sdk(), name, input));
const securityHub =
  (name: CommandName<typeof securityHubSdk>): Send =>
  (c, call, input) =>
    c.securityHub(call.account, call.region).send(command(securityHubSdk(), name, input));
const guardDuty =
  (name: CommandName<typeof guardDutySdk>): Send =>
  (c, call, input) =>
    c.guardDuty(call.account, call.region).send(command(guardDutySdk(), name, input));

/**
 * The only AWS calls actions may make, each mapped to its SDK command (from packages
 * loaded on first use, see ./sdk.ts). A call not listed here is refused, whatever a plan
 * says: the allowlist is the blast radius.
 */
const OPERATIONS: Record<string, Send> = {
  'iam:UpdateAccessKey': iam('UpdateAccessKeyCommand'),
  'iam:DeleteAccessKey': iam('DeleteAccessKeyCommand'),
  'iam:DetachUserPolicy': iam('DetachUserPolicyCommand'),
  'iam:AttachUserPolicy': iam('AttachUserPolicyCommand'),
  // Revoking a role's sessions: the role and its AWSRevokeOlderSessions policy read for the
  // plan, the policy written, and removed (or put back) by undo.
  'iam:GetRole': iam('GetRoleCommand'),
  'iam:GetRolePolicy': iam('GetRolePolicyCommand'),
  'iam:PutRolePolicy': iam('PutRolePolicyCommand'),
  'iam:DeleteRolePolicy': iam('DeleteRolePolicyCommand'),
  'ec2:DescribeInstances': ec2('DescribeInstancesCommand'),
  'ec2:DescribeSecurityGroups': ec2('DescribeSecurityGroupsCommand'),
  'ec2:CreateSecurityGroup': ec2('CreateSecurityGroupCommand'),
  'ec2:RevokeSecurityGroupEgress': ec2('RevokeSecurityGroupEgressCommand'),
  'ec2:ModifyInstanceAttribute': ec2('ModifyInstanceAttributeCommand'),
  'ec2:CreateSnapshots': ec2('CreateSnapshotsCommand'),
  'ec2:ModifyInstanceMetadataOptions': ec2('ModifyInstanceMetadataOptionsCommand'),
  'ssm:StartAutomationExecution': ssm('StartAutomationExecutionCommand'),
  's3:GetPublicAccessBlock': s3('GetPublicAccessBlockCommand'),
  's3:PutPublicAccessBlock': s3('PutPublicAccessBlockCommand'),
  'securityhub:BatchUpdateFindings': securityHub('BatchUpdateFindingsCommand'),
  'securityhub:BatchUpdateFindingsV2': securityHub('BatchUpdateFindingsV2Command'),
  // The GuardDuty administrator's detector, looked up before archiving through it.
  'guardduty:ListDetectors': guardDuty('ListDetectorsCommand'),
  'guardduty:ArchiveFindings': guardDuty('ArchiveFindingsCommand'),
  'guardduty:UnarchiveFindings': guardDuty('UnarchiveFindingsCommand'),
};

function withoutMetadata(answer: unknown): unknown {
  if (!answer || typeof answer !== 'object') return answer;
  const { $metadata: _m, ...rest } = answer as Record<string, unknown>;
  return rest;
}

function errorOf(err: unknown): CallError {
  const e = err as { name?: string; Code?: string; message?: string };
  return { name: e.Code ?? e.name ?? 'Error', message: e.message ?? String(err) };
}

/** Runs planned calls with the clients of the account each names. */
export class AwsCallExecutor implements AwsCalls {
  /** `clock` dates calls whose input holds the time they are made (`{ $time: 'call' }`). */
  constructor(
    private readonly clients: AwsClientFactory,
    private readonly clock: () => number = Date.now,
  ) {}

  private async send(call: AwsCall): Promise<unknown> {
    const send = OPERATIONS[`${call.service}:${call.operation}`];
    if (!send) throw Object.assign(new Error(`${call.service}:${call.operation} is not an operation sirbot may call`), { name: 'NotAllowed' });
    return withoutMetadata(await send(this.clients, call, call.input as never));
  }

  /** Read-only calls for a preview: each answer, or `{ error, message }` in its place. */
  async read(calls: AwsCall[]): Promise<unknown[]> {
    return Promise.all(
      calls.map((c) =>
        this.send(c).catch((err: unknown) => {
          const e = errorOf(err);
          return { error: e.name, message: e.message };
        }),
      ),
    );
  }

  /**
   * Runs calls in order and stops at the first failure, since later calls build on
   * earlier ones: all done is `succeeded`, some done `partial`, none `failed`.
   */
  async run(calls: AwsCall[]): Promise<{ status: RunStatus; outcomes: CallOutcome[] }> {
    const saved: Record<string, unknown> = {};
    const outcomes: CallOutcome[] = [];
    for (const planned of calls) {
      let call = planned;
      try {
        call = { ...planned, input: resolveRefs(planned.input, saved, new Date(this.clock()).toISOString()) as Record<string, unknown> };
        const answer = await this.send(call);
        if (planned.saveAs) saved[planned.saveAs] = answer;
        outcomes.push({ call, ok: true, answer });
      } catch (err) {
        outcomes.push({ call, ok: false, error: errorOf(err) });
        const done = outcomes.filter((o) => o.ok).length;
        return { status: done === 0 ? 'failed' : 'partial', outcomes };
      }
    }
    return { status: 'succeeded', outcomes };
  }
}
