import { randomBytes } from 'node:crypto';
import { FAKE_SECRET } from '../../aws/fake-credentials.ts';
import { AwsError } from './errors.ts';

/** Who may assume which role: from the scenario's `sts.json`, else any role in a scenario account. */
export interface TrustPolicy {
  roles?: Array<{ arn: string; externalId?: string }>;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * STS AssumeRole (query protocol). The session's access key names the role's
 * account (`FAKE<account>`), so every later call acts in that account; its secret is
 * the fake's one, so the fake can check the session's signatures.
 */
export function assumeRole(params: URLSearchParams, trust: TrustPolicy, accounts: string[]): string {
  const roleArn = params.get('RoleArn') ?? '';
  const session = params.get('RoleSessionName') ?? '';
  const m = /^arn:aws[\w-]*:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
  if (!m || !session) throw new AwsError('ValidationError', 'RoleArn and RoleSessionName are required', 400);
  const account = m[1] as string;
  const roleName = (m[2] as string).split('/').pop() as string;
  const allowed = trust.roles
    ? trust.roles.find((r) => r.arn === roleArn && (r.externalId === undefined || r.externalId === params.get('ExternalId')))
    : accounts.includes(account);
  if (!allowed) {
    throw new AwsError('AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  }
  // Sessions expire in wall-clock time (the SDK refreshes by it), not in the scenario's replayed time.
  const expiration = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>FAKE${account}</AccessKeyId>
      <SecretAccessKey>${FAKE_SECRET}</SecretAccessKey>
      <SessionToken>${randomBytes(32).toString('base64')}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROAFAKE${account}:${xmlEscape(session)}</AssumedRoleId>
      <Arn>arn:aws:sts::${account}:assumed-role/${xmlEscape(roleName)}/${xmlEscape(session)}</Arn>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;
}

export function queryError(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`;
}
