import { AwsError } from './errors.ts';
import { queryResponse } from './query.ts';

/**
 * IAM state of a scenario (`iam.json`), in the shapes the IAM API returns:
 * `{"accounts": {"<account>": {"users": [{UserName, UserId, Arn, CreateDate, Path?,
 *   AccessKeys?: [{AccessKeyId, Status, CreateDate, LastUsed?: {LastUsedDate, ServiceName, Region}}],
 *   AttachedPolicies?: [{PolicyName, PolicyArn}], InlinePolicyNames?: [string]}],
 *   "roles": [{RoleName, RoleId, Arn, CreateDate, Path?, AttachedPolicies?, Description?, MaxSessionDuration?,
 *   AssumeRolePolicyDocument?, RoleLastUsed?: {LastUsedDate?, Region?}, RolePolicyList?: [{PolicyName, PolicyDocument}]}],
 *   "instanceProfiles": [{InstanceProfileName, InstanceProfileId, Arn, CreateDate, Path?, Roles: [role name]}]}}}`
 *   — a role's inline policies as GetAccountAuthorizationDetails lists them, each document as JSON text.
 */
export interface IamAccessKey {
  AccessKeyId: string;
  Status: 'Active' | 'Inactive';
  CreateDate: string;
  LastUsed?: { LastUsedDate?: string; ServiceName?: string; Region?: string };
}

export interface IamUser {
  UserName: string;
  UserId: string;
  Arn: string;
  CreateDate: string;
  Path?: string;
  PasswordLastUsed?: string;
  AccessKeys?: IamAccessKey[];
  AttachedPolicies?: Array<{ PolicyName: string; PolicyArn: string }>;
  InlinePolicyNames?: string[];
  /** The user's tags: who owns it (an `email` or `slack` tag) is whom "Was this you?" asks. */
  Tags?: Array<{ Key: string; Value: string }>;
}

export interface IamRole {
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: string;
  Path?: string;
  AttachedPolicies?: Array<{ PolicyName: string; PolicyArn: string }>;
  RolePolicyList?: IamInlinePolicy[];
  Description?: string;
  MaxSessionDuration?: number;
  /** The trust policy as a JSON object; IAM sends it URL-encoded. */
  AssumeRolePolicyDocument?: Record<string, unknown>;
  /** Absent: never used in the tracking period (IAM then answers an empty RoleLastUsed). */
  RoleLastUsed?: { LastUsedDate?: string; Region?: string };
}

export interface IamInlinePolicy {
  PolicyName: string;
  /** JSON text, as it was put. */
  PolicyDocument: string;
}

/** An instance profile and the role in it (by name; IAM allows one role per profile). */
export interface IamInstanceProfile {
  InstanceProfileName: string;
  InstanceProfileId: string;
  Arn: string;
  CreateDate: string;
  Path?: string;
  Roles: string[];
}

export interface IamState {
  accounts: Record<string, { users?: IamUser[]; roles?: IamRole[]; instanceProfiles?: IamInstanceProfile[] }>;
}

/** A role as GetRole and the instance-profile calls describe it. */
function roleXmlShape(r: IamRole): Record<string, unknown> {
  return {
    Path: r.Path ?? '/',
    RoleName: r.RoleName,
    RoleId: r.RoleId,
    Arn: r.Arn,
    CreateDate: r.CreateDate,
    ...(r.AssumeRolePolicyDocument ? { AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(r.AssumeRolePolicyDocument)) } : {}),
    ...(r.Description ? { Description: r.Description } : {}),
    MaxSessionDuration: r.MaxSessionDuration ?? 3600,
  };
}

function profileXmlShape(p: IamInstanceProfile, roles: IamRole[]): Record<string, unknown> {
  return {
    Path: p.Path ?? '/',
    InstanceProfileName: p.InstanceProfileName,
    InstanceProfileId: p.InstanceProfileId,
    Arn: p.Arn,
    CreateDate: p.CreateDate,
    Roles: roles.filter((r) => p.Roles.includes(r.RoleName)).map(roleXmlShape),
  };
}

export const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

export function noSuch(kind: string, name: string): AwsError {
  return new AwsError('NoSuchEntity', `The ${kind} with name ${name} cannot be found.`, 404);
}

/** IAM's wording for a missing required member (it validates before looking anything up). */
export function required(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (!value) {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    throw new AwsError('ValidationError', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`, 400);
  }
  return value;
}

export function roleNamed(state: IamState, account: string, name: string): IamRole {
  const r = (state.accounts[account]?.roles ?? []).find((x) => x.RoleName === name);
  if (!r) throw noSuch('role', name);
  return r;
}

export function rolePolicyNotFound(name: string): AwsError {
  return new AwsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);
}

export function iamAction(state: IamState, account: string, action: string, params: URLSearchParams): string {
  const acct = state.accounts[account] ?? {};
  const user = () => {
    const name = params.get('UserName') ?? '';
    const u = (acct.users ?? []).find((x) => x.UserName === name);
    if (!u) throw noSuch('user', name);
    return u;
  };
  switch (action) {
    case 'GetUser': {
      const u = user();
      return queryResponse(action, NS, {
        User: {
          Path: u.Path ?? '/',
          UserName: u.UserName,
          UserId: u.UserId,
          Arn: u.Arn,
          CreateDate: u.CreateDate,
          ...(u.PasswordLastUsed ? { PasswordLastUsed: u.PasswordLastUsed } : {}),
        },
      });
    }
    case 'ListUserTags': {
      const u = user();
      return queryResponse(action, NS, { Tags: (u.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })), IsTruncated: false });
    }
    case 'ListAccessKeys': {
      const u = user();
      return queryResponse(action, NS, {
        AccessKeyMetadata: (u.AccessKeys ?? []).map((k) => ({ UserName: u.UserName, AccessKeyId: k.AccessKeyId, Status: k.Status, CreateDate: k.CreateDate })),
        IsTruncated: false,
      });
    }
    case 'GetAccessKeyLastUsed': {
      const id = params.get('AccessKeyId') ?? '';
      for (const u of acct.users ?? []) {
        const k = (u.AccessKeys ?? []).find((x) => x.AccessKeyId === id);
        if (k) return queryResponse(action, NS, { UserName: u.UserName, AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A', ...k.LastUsed } });
      }
      throw new AwsError('AccessDenied', `The access key ${id} is not in this account.`, 403);
    }
    case 'ListAttachedUserPolicies':
      return queryResponse(action, NS, { AttachedPolicies: user().AttachedPolicies ?? [], IsTruncated: false });
    case 'ListUserPolicies':
      return queryResponse(action, NS, { PolicyNames: user().InlinePolicyNames ?? [], IsTruncated: false });
    case 'GetRole': {
      const r = roleNamed(state, account, params.get('RoleName') ?? '');
      return queryResponse(action, NS, { Role: { ...roleXmlShape(r), RoleLastUsed: r.RoleLastUsed ?? {} } });
    }
    case 'GetInstanceProfile': {
      const name = params.get('InstanceProfileName') ?? '';
      const p = (acct.instanceProfiles ?? []).find((x) => x.InstanceProfileName === name);
      if (!p) throw new AwsError('NoSuchEntity', `Instance Profile ${name} cannot be found.`, 404);
      return queryResponse(action, NS, { InstanceProfile: profileXmlShape(p, acct.roles ?? []) });
    }
    case 'ListInstanceProfilesForRole': {
      const name = params.get('RoleName') ?? '';
      if (!(acct.roles ?? []).some((x) => x.RoleName === name)) throw noSuch('role', name);
      const profiles = (acct.instanceProfiles ?? []).filter((p) => p.Roles.includes(name));
      return queryResponse(action, NS, { InstanceProfiles: profiles.map((p) => profileXmlShape(p, acct.roles ?? [])), IsTruncated: false });
    }
    case 'ListAttachedRolePolicies':
      return queryResponse(action, NS, {
        AttachedPolicies: roleNamed(state, account, params.get('RoleName') ?? '').AttachedPolicies ?? [],
        IsTruncated: false,
      });
    case 'ListRolePolicies':
      return queryResponse(action, NS, {
        PolicyNames: (roleNamed(state, account, params.get('RoleName') ?? '').RolePolicyList ?? []).map((p) => p.PolicyName),
        IsTruncated: false,
      });
    case 'GetRolePolicy': {
      const r = roleNamed(state, account, params.get('RoleName') ?? '');
      const name = params.get('PolicyName') ?? '';
      const policy = (r.RolePolicyList ?? []).find((p) => p.PolicyName === name);
      if (!policy) throw rolePolicyNotFound(name);
      // IAM answers policy documents URL-encoded (RFC 3986); the SDK does not decode them.
      return queryResponse(action, NS, { RoleName: r.RoleName, PolicyName: policy.PolicyName, PolicyDocument: encodeURIComponent(policy.PolicyDocument) });
    }
    default:
      throw new AwsError('InvalidAction', `${action} is not served by the fake IAM`, 400);
  }
}
