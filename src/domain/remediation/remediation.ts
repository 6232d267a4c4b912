import type { Role } from '../actions/access.ts';
import type { AwsCall } from '../actions/aws-call.ts';

/**
 * The remediations sirbot can run, as data: each declares its inputs, the read-only
 * calls that inform its plan, the exact calls it will make (previewed before anyone
 * confirms), the role it needs, whether a second person must approve it, its
 * idempotency key and how to undo it. Nothing here does I/O: the executor runs the calls.
 */
export type RemediationInputs = Record<string, string>;

/** Which remediation, on which inputs: what a suggestion names, an offer fixes and a request runs. */
export interface RemediationChoice {
  remediationId: string;
  inputs: RemediationInputs;
}

/** A chosen remediation and the finding thread it was chosen in (null when it has none). */
export interface RemediationTarget extends RemediationChoice {
  findingId: string | null;
  channel: string | null;
  threadTs: string | null;
}

export function isRemediationChoice(v: object): v is RemediationChoice {
  return 'remediationId' in v && typeof v.remediationId === 'string' && 'inputs' in v && typeof v.inputs === 'object' && v.inputs !== null;
}

export interface InputSpec {
  name: string;
  label: string;
  pattern: RegExp;
}

export interface Plan {
  calls: AwsCall[];
  /** The calls that put things back, or null where nothing can (a deleted key is gone). */
  undo: AwsCall[] | null;
  /** What a person should know before confirming. */
  notes: string[];
}

export interface Remediation {
  id: string;
  title: string;
  /** One line saying what it does, for the confirmation modal. */
  effect: string;
  inputs: InputSpec[];
  role: Role;
  /**
   * Destructive remediations need a second person, an approver other than the requester:
   * those that cannot be undone, and those that break what the finding is not about
   * (every workload using a role whose sessions are revoked).
   */
  secondApprover: boolean;
  /** Who may undo, when undoing needs more than asking did (it would let stolen sessions work again). Default: `role`. */
  undoRole?: Role;
  /** Read-only calls whose answers the plan depends on (current groups, current settings). */
  reads(i: RemediationInputs): AwsCall[];
  /** `answers[n]` is the answer to `reads(i)[n]`, or `{ error: <AWS error name> }`. */
  plan(i: RemediationInputs, answers: unknown[]): Plan | { error: string };
  /** The same remediation of the same target is one request, whoever clicks and however often. */
  idempotencyKey(i: RemediationInputs): string;
}
