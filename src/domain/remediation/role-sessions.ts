import { type AwsCall, CALL_TIME } from '../actions/aws-call.ts';
import type { Plan, Remediation, RemediationInputs } from './remediation.ts';
import { ROLE, failed, iam, inAccount } from './calls.ts';

/**
 * Revoking an IAM role's active sessions, as the IAM console's "Revoke active sessions"
 * does (IAM User Guide, "Revoke IAM role temporary security credentials"): an inline
 * policy named AWSRevokeOlderSessions that denies every action to credentials issued
 * before now (`DateLessThan aws:TokenIssueTime`). Sessions issued afterwards are not
 * affected, and revoking again moves the time forward. IAM refuses it on service-linked
 * roles and on roles IAM Identity Center made from permission sets.
 */
export const REVOKE_POLICY_NAME = 'AWSRevokeOlderSessions';

/** The console's document, dated when the call is made: a preview or an approval may come long before. */
export const revokeDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': CALL_TIME } } }],
};

/** IAM returns policy documents URL-encoded (RFC 3986); put back as read. */
function decoded(document: string): string {
  try {
    return decodeURIComponent(document);
  } catch {
    return document;
  }
}

/** Why IAM will not take the policy on this role, from its path, or null. */
function unrevocable(roleName: string, path: string): string | null {
  if (path.startsWith('/aws-service-role/')) return `${roleName} is a service-linked role: IAM does not let its sessions be revoked`;
  if (path.startsWith('/aws-reserved/sso.amazonaws.com/')) {
    return `${roleName} was made by IAM Identity Center from a permission set and cannot be edited in IAM: revoke its sessions in IAM Identity Center`;
  }
  return null;
}

function plan(i: RemediationInputs, answers: unknown[]): Plan | { error: string } {
  const role = i.roleName as string;
  const roleProblem = failed(answers[0]);
  if (roleProblem === 'NoSuchEntity') return { error: `role ${role} was not found in ${i.account}` };
  if (roleProblem) return { error: `could not read role ${role}: ${roleProblem}` };
  const why = unrevocable(role, (answers[0] as { Role?: { Path?: string } }).Role?.Path ?? '/');
  if (why) return { error: why };
  const policyProblem = failed(answers[1]);
  if (policyProblem && policyProblem !== 'NoSuchEntity') return { error: `could not read the role's ${REVOKE_POLICY_NAME} policy: ${policyProblem}` };
  const earlier = policyProblem ? null : decoded((answers[1] as { PolicyDocument?: string }).PolicyDocument ?? '');
  const put = (document: unknown): AwsCall => iam(i, 'PutRolePolicy', { RoleName: role, PolicyName: REVOKE_POLICY_NAME, PolicyDocument: document });
  return {
    calls: [put({ $json: revokeDocument })],
    // Undo makes the revoked sessions valid again (until they expire): the earlier revocation, if any, stays.
    undo: earlier ? [put(earlier)] : [iam(i, 'DeleteRolePolicy', { RoleName: role, PolicyName: REVOKE_POLICY_NAME })],
    notes: [
      `Every session of ${role} issued before the call is refused from then on (IAM may take a few minutes): the intruder's, and every workload's using the role — instances through their instance profile until EC2 hands them new credentials, functions, tasks, people who assumed it. New sessions work.`,
      'Credentials that can be taken again (an instance metadata service reachable through a flaw) are not stopped by this: require IMDSv2 or contain the instance too.',
      earlier
        ? `The role already has ${REVOKE_POLICY_NAME}: this moves its time forward; undo puts the earlier document back.`
        : `Undo deletes ${REVOKE_POLICY_NAME}.`,
      'Undo makes the revoked sessions valid again until they expire, so only approvers may undo.',
    ],
  };
}

export const revokeRoleSessions: Remediation = {
  id: 'revoke-role-sessions',
  title: 'Revoke role sessions',
  effect: `Adds the inline policy ${REVOKE_POLICY_NAME} to the role, as the IAM console does: every action is denied to sessions issued before the call.`,
  inputs: [inAccount, { name: 'roleName', label: 'IAM role', pattern: ROLE }],
  role: 'responder',
  // It stops every workload on the role, not only the stolen session: a second person confirms.
  secondApprover: true,
  undoRole: 'approver',
  reads: (i) => [iam(i, 'GetRole', { RoleName: i.roleName }), iam(i, 'GetRolePolicy', { RoleName: i.roleName, PolicyName: REVOKE_POLICY_NAME })],
  plan,
  idempotencyKey: (i) => `revoke-role-sessions:${i.account}:${i.roleName}`,
};
