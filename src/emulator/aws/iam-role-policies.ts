import { AwsError } from './errors.ts';
import { required, roleNamed, rolePolicyNotFound, type IamRole, type IamState } from './iam.ts';

/**
 * A role's inline policies written (PutRolePolicy, DeleteRolePolicy) as IAM checks them:
 * names by the API's patterns, the document as a policy, the role's quota of inline
 * policy text, and service-linked roles left to their service.
 */

/** IAM quota: all of a role's inline policies together, whitespace not counted (IAM User Guide, "IAM and AWS STS quotas"). */
const ROLE_POLICY_CHARACTERS = 10_240;
const NAME = /^[\w+=,.@-]+$/;

/** A member checked against its pattern and length as IAM's model states them, in IAM's words. */
function named(params: URLSearchParams, member: 'RoleName' | 'PolicyName', max: number): string {
  const value = required(params, member);
  const at = member.charAt(0).toLowerCase() + member.slice(1);
  if (value.length > max)
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${value}' at '${at}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
      400,
    );
  if (!NAME.test(value))
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${value}' at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
      400,
    );
  return value;
}

/** Service-linked roles change only through their service. */
function modifiable(role: IamRole): IamRole {
  if ((role.Path ?? '/').startsWith('/aws-service-role/')) {
    throw new AwsError(
      'UnmodifiableEntity',
      `Cannot perform the operation on the protected role '${role.RoleName}' - this role is only modifiable by AWS`,
      400,
    );
  }
  return role;
}

const malformed = (message: string) => new AwsError('MalformedPolicyDocument', message, 400);
const present = (o: Record<string, unknown>, a: string, b: string) => o[a] !== undefined || o[b] !== undefined;

/** What IAM refuses in an identity policy: not JSON, no statements, a statement without effect, action or resource, or with a principal. */
function checkDocument(text: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('Syntax errors in policy.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed('Syntax errors in policy.');
  const statements = (doc as { Statement?: unknown }).Statement;
  if (statements === undefined) throw malformed('Missing required field Statement');
  for (const st of [statements].flat() as unknown[]) {
    if (!st || typeof st !== 'object') throw malformed('Syntax errors in policy.');
    const s = st as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
      throw malformed(s.Effect === undefined ? 'Missing required field Effect' : `Invalid effect: ${String(s.Effect)}`);
    if (!present(s, 'Action', 'NotAction')) throw malformed('Missing required field Action');
    if (!present(s, 'Resource', 'NotResource')) throw malformed('Missing required field Resource');
    if (present(s, 'Principal', 'NotPrincipal')) throw malformed('Policy document should not specify a principal.');
  }
}

const characters = (text: string) => text.replace(/\s/g, '').length;

export function putRolePolicy(state: IamState, account: string, params: URLSearchParams): void {
  const roleName = named(params, 'RoleName', 64);
  const policyName = named(params, 'PolicyName', 128);
  const document = required(params, 'PolicyDocument');
  const role = modifiable(roleNamed(state, account, roleName));
  checkDocument(document);
  const others = (role.RolePolicyList ?? []).filter((p) => p.PolicyName !== policyName);
  if (others.reduce((n, p) => n + characters(p.PolicyDocument), characters(document)) > ROLE_POLICY_CHARACTERS) {
    throw new AwsError('LimitExceeded', `Maximum policy size of ${ROLE_POLICY_CHARACTERS} bytes exceeded for role ${role.RoleName}`, 409);
  }
  // Putting a policy of an existing name replaces its document.
  role.RolePolicyList ??= [];
  const list = role.RolePolicyList;
  const existing = list.find((p) => p.PolicyName === policyName);
  if (existing) existing.PolicyDocument = document;
  else list.push({ PolicyName: policyName, PolicyDocument: document });
}

export function deleteRolePolicy(state: IamState, account: string, params: URLSearchParams): void {
  const roleName = named(params, 'RoleName', 64);
  const policyName = named(params, 'PolicyName', 128);
  const role = modifiable(roleNamed(state, account, roleName));
  if (!(role.RolePolicyList ?? []).some((p) => p.PolicyName === policyName)) throw rolePolicyNotFound(policyName);
  role.RolePolicyList = (role.RolePolicyList ?? []).filter((p) => p.PolicyName !== policyName);
}
