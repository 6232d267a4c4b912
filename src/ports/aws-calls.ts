import type { AwsCall } from '../domain/actions/aws-call.ts';

/** How an AWS call failed, as the API named it. */
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

/**
 * The AWS calls actions make (status changes, remediations and their previews), as
 * planned by the domain. The AWS adapter implements it with the SDK clients of the
 * account each call names, and refuses any operation outside its allowlist.
 */
export interface AwsCalls {
  /** Read-only calls for a preview: each answer, or `{ error, message }` in its place. */
  read(calls: AwsCall[]): Promise<unknown[]>;
  /** Runs calls in order, stopping at the first failure: all done `succeeded`, some `partial`, none `failed`. */
  run(calls: AwsCall[]): Promise<{ status: RunStatus; outcomes: CallOutcome[] }>;
}
