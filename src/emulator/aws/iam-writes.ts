import { AwsError } from './errors.ts';
import { NS, noSuch, required, type IamState, type IamUser } from './iam.ts';
import { deleteRolePolicy, putRolePolicy } from './iam-role-policies.ts';
import { queryResponse } from './query.ts';

/**
 * The IAM writes remediations make (UpdateAccessKey, DeleteAccessKey, DetachUserPolicy,
 * AttachUserPolicy; PutRolePolicy and DeleteRolePolicy in ./iam-role-policies.ts),
 * applied to the scenario's IAM state in place so later reads see them, with IAM's
 * errors for what IAM would refuse.
 */

const WRITES = new Set(['UpdateAccessKey', 'DeleteAccessKey', 'DetachUserPolicy', 'AttachUserPolicy', 'PutRolePolicy', 'DeleteRolePolicy']);
/** IAM's default quota of managed policies attached to one user. */
const POLICIES_PER_USER = 10;
const POLICY_ARN = /^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,128})$/;

function keyNotFound(id: string): AwsError {
  return new AwsError('NoSuchEntity', `The Access Key with id ${id} cannot be found.`, 404);
}

function policyArn(params: URLSearchParams): { arn: string; name: string; owner: string } {
  const arn = required(params, 'PolicyArn');
  const m = POLICY_ARN.exec(arn);
  if (!m) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`, 400);
  return { arn, owner: m[1] as string, name: m[2] as string };
}

/** Answers an IAM write, or null when `action` is not one (the reads answer it). */
export function iamWrite(state: IamState, account: string, action: string, params: URLSearchParams): string | null {
  if (!WRITES.has(action)) return null;
  const users = state.accounts[account]?.users ?? [];
  const userNamed = (name: string): IamUser => {
    const u = users.find((x) => x.UserName === name);
    if (!u) throw noSuch('user', name);
    return u;
  };
  /** Without UserName IAM acts on the caller's own user; the fake finds the key's owner instead. */
  const keyOwner = (id: string): IamUser => {
    const name = params.get('UserName');
    const owner = name ? userNamed(name) : users.find((u) => (u.AccessKeys ?? []).some((k) => k.AccessKeyId === id));
    if (!owner || !(owner.AccessKeys ?? []).some((k) => k.AccessKeyId === id)) throw keyNotFound(id);
    return owner;
  };
  switch (action) {
    case 'PutRolePolicy':
      putRolePolicy(state, account, params);
      break;
    case 'DeleteRolePolicy':
      deleteRolePolicy(state, account, params);
      break;
    case 'UpdateAccessKey': {
      const id = required(params, 'AccessKeyId');
      const status = required(params, 'Status');
      if (status !== 'Active' && status !== 'Inactive') {
        throw new AwsError(
          'ValidationError',
          `1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`,
          400,
        );
      }
      const key = (keyOwner(id).AccessKeys ?? []).find((k) => k.AccessKeyId === id);
      if (key) key.Status = status;
      break;
    }
    case 'DeleteAccessKey': {
      const id = required(params, 'AccessKeyId');
      const owner = keyOwner(id);
      owner.AccessKeys = (owner.AccessKeys ?? []).filter((k) => k.AccessKeyId !== id);
      break;
    }
    case 'DetachUserPolicy': {
      const user = userNamed(required(params, 'UserName'));
      const { arn } = policyArn(params);
      if (!(user.AttachedPolicies ?? []).some((p) => p.PolicyArn === arn)) throw new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
      user.AttachedPolicies = (user.AttachedPolicies ?? []).filter((p) => p.PolicyArn !== arn);
      break;
    }
    case 'AttachUserPolicy': {
      const user = userNamed(required(params, 'UserName'));
      const { arn, name, owner } = policyArn(params);
      if (owner !== 'aws' && owner !== account) throw new AwsError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
      const attached = user.AttachedPolicies ?? [];
      // Attaching an attached policy is a no-op in IAM, not an error.
      if (attached.some((p) => p.PolicyArn === arn)) break;
      if (attached.length >= POLICIES_PER_USER) throw new AwsError('LimitExceeded', `Cannot exceed quota for PoliciesPerUser: ${POLICIES_PER_USER}`, 409);
      user.AttachedPolicies = [...attached, { PolicyName: name, PolicyArn: arn }];
      break;
    }
  }
  return queryResponse(action, NS, {});
}
