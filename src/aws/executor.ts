import { ec2Sdk, guardDutySdk, iamSdk, s3Sdk, securityHubSdk, ssmSdk } from './sdk.ts';
import { type AwsCall, resolveRefs } from '../domain/actions/aws-call.ts';
import type { AwsClientFactory } from './clients.ts';

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
  if (typeof Command !== 'function') throw new Error(`the AWS SDK loaded here has no ${name}: it is older than the command (on Lambda, the runtime's SDK; see src/aws/sdk.ts)`);
  return new (Command as new (input: never) => never)(input);
}

/**
 * The only AWS calls actions may make, each mapped to its SDK command (from packages
 * loaded on first use, see ./sdk.ts). A call not
 * listed here is refused, whatever a plan says: the allowlist is the blast radius.
 */
const OPERATIONS: Record<string, Send> = {
  'iam:UpdateAccessKey': (c, call, input) => c.iam(call.account).send(command(iamSdk(), 'UpdateAccessKeyCommand', input)),
  'iam:DeleteAccessKey': (c, call, input) => c.iam(call.account).send(command(iamSdk(), 'DeleteAccessKeyCommand', input)),
  'iam:DetachUserPolicy': (c, call, input) => c.iam(call.account).send(command(iamSdk(), 'DetachUserPolicyCommand', input)),
  'iam:AttachUserPolicy': (c, call, input) => c.iam(call.account).send(command(iamSdk(), 'AttachUserPolicyCommand', input)),
  'ec2:DescribeInstances': (c, call, input) => c.ec2(call.account, call.region).send(command(ec2Sdk(), 'DescribeInstancesCommand', input)),
  'ec2:DescribeSecurityGroups': (c, call, input) => c.ec2(call.account, call.region).send(command(ec2Sdk(), 'DescribeSecurityGroupsCommand', input)),
  'ec2:CreateSecurityGroup': (c, call, input) => c.ec2(call.account, call.region).send(command(ec2Sdk(), 'CreateSecurityGroupCommand', input)),
  'ec2:RevokeSecurityGroupEgress': (c, call, input) => c.ec2(call.account, call.region).send(command(ec2Sdk(), 'RevokeSecurityGroupEgressCommand', input)),
  'ec2:ModifyInstanceAttribute': (c, call, input) => c.ec2(call.account, call.region).send(command(ec2Sdk(), 'ModifyInstanceAttributeCommand', input)),
  'ec2:CreateSnapshots': (c, call, input) => c.ec2(call.account, call.region).send(command(ec2Sdk(), 'CreateSnapshotsCommand', input)),
  'ssm:StartAutomationExecution': (c, call, input) => c.ssm(call.account, call.region).send(command(ssmSdk(), 'StartAutomationExecutionCommand', input)),
  's3:GetPublicAccessBlock': (c, call, input) => c.s3(call.account, call.region).send(command(s3Sdk(), 'GetPublicAccessBlockCommand', input)),
  's3:PutPublicAccessBlock': (c, call, input) => c.s3(call.account, call.region).send(command(s3Sdk(), 'PutPublicAccessBlockCommand', input)),
  'securityhub:BatchUpdateFindings': (c, call, input) => c.securityHub(call.account, call.region).send(command(securityHubSdk(), 'BatchUpdateFindingsCommand', input)),
  'securityhub:BatchUpdateFindingsV2': (c, call, input) => c.securityHub(call.account, call.region).send(command(securityHubSdk(), 'BatchUpdateFindingsV2Command', input)),
  'guardduty:ArchiveFindings': (c, call, input) => c.guardDuty(call.account, call.region).send(command(guardDutySdk(), 'ArchiveFindingsCommand', input)),
  'guardduty:UnarchiveFindings': (c, call, input) => c.guardDuty(call.account, call.region).send(command(guardDutySdk(), 'UnarchiveFindingsCommand', input)),
};

export interface CallError {
  name: string;
  message: string;
}

export interface CallOutcome {
  /** The call as made, references resolved. */
  call: AwsCall;
  ok: boolean;
  answer?: unknown;
  error?: CallError;
}

export type RunStatus = 'succeeded' | 'partial' | 'failed';

export function isAllowed(call: AwsCall): boolean {
  return Object.hasOwn(OPERATIONS, `${call.service}:${call.operation}`);
}

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
export class AwsCallExecutor {
  constructor(private readonly clients: AwsClientFactory) {}

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
        call = { ...planned, input: resolveRefs(planned.input, saved) as Record<string, unknown> };
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
