import { AwsError } from './errors.ts';

/**
 * A fake AWS Security Incident Response: cases and comments in memory, with the API's
 * validation (required fields, enum values, lengths), idempotent creation by
 * `clientToken`, and its status rules. Every request must carry a valid SigV4
 * signature for the `security-ir` signing name (checked by the server).
 */

export interface SirCase {
  caseId: string;
  caseArn: string;
  title: string;
  description: string;
  caseStatus: string;
  engagementType: string;
  resolverType: string;
  reportedIncidentStartDate: number;
  impactedAccounts: string[];
  watchers: Array<{ email: string; name?: string; jobTitle?: string }>;
  threatActorIpAddresses: Array<{ ipAddress: string; userAgent?: string }>;
  impactedServices: string[];
  impactedAwsRegions: Array<{ region: string }>;
  createdDate: number;
  lastUpdatedDate: number;
  closedDate?: number;
  pendingAction: string;
  comments: Array<{ commentId: string; body: string; createdDate: number; creator: string }>;
}

export class ValidationFailure extends AwsError {
  constructor(readonly fieldList: Array<{ name: string; message: string }>) {
    super('ValidationException', fieldList.map((f) => `${f.name}: ${f.message}`).join('; '), 400);
  }
}

export class SirState {
  readonly cases = new Map<string, SirCase>();
  readonly tokens = new Map<string, string>();
  private seq = 0;

  nextCaseId(): string {
    return String(8403556000 + ++this.seq).padStart(10, '0');
  }
}

type Problems = Array<{ name: string; message: string }>;

export function requireString(o: Record<string, unknown>, name: string, min: number, max: number, problems: Problems, required = true): string | undefined {
  const v = o[name];
  if (v === undefined || v === null) {
    if (required) problems.push({ name, message: 'is required' });
    return undefined;
  }
  if (typeof v !== 'string') {
    problems.push({ name, message: 'must be a string' });
    return undefined;
  }
  if (v.length < min || v.length > max) problems.push({ name, message: `length must be between ${min} and ${max}` });
  return v;
}

export function requireEnum(o: Record<string, unknown>, name: string, allowed: readonly string[], problems: Problems, required = true): string | undefined {
  const v = o[name];
  if (v === undefined || v === null) {
    if (required) problems.push({ name, message: 'is required' });
    return undefined;
  }
  if (typeof v !== 'string' || !allowed.includes(v)) {
    problems.push({ name, message: `must be one of: ${allowed.join(', ')}` });
    return undefined;
  }
  return v;
}

const RESOLVERS = ['AWS', 'Self'] as const;
const ENGAGEMENTS = ['Security Incident', 'Investigation'] as const;
const SELF_MANAGED = ['Submitted', 'Detection and Analysis', 'Containment, Eradication and Recovery', 'Post-incident Activities'] as const;
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*$/;
const IPV4 = /^(\d{1,3}\.){3}\d{1,3}$/;

function list<T>(o: Record<string, unknown>, name: string, min: number, max: number, problems: Problems, required: boolean, check: (v: unknown, i: number) => T | undefined): T[] {
  const v = o[name];
  if (v === undefined || v === null) {
    if (required) problems.push({ name, message: 'is required' });
    return [];
  }
  if (!Array.isArray(v)) {
    problems.push({ name, message: 'must be a list' });
    return [];
  }
  if (v.length < min || v.length > max) problems.push({ name, message: `must have between ${min} and ${max} items` });
  return v.map(check).filter((x): x is T => x !== undefined);
}

function timestamp(o: Record<string, unknown>, name: string, problems: Problems, required: boolean): number | undefined {
  const v = o[name];
  if (v === undefined) {
    if (required) problems.push({ name, message: 'is required' });
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    problems.push({ name, message: 'must be a timestamp in epoch seconds' });
    return undefined;
  }
  return v;
}

function caseOf(state: SirState, caseId: string): SirCase {
  const c = state.cases.get(caseId);
  if (!c) throw new AwsError('ResourceNotFoundException', `Case ${caseId} does not exist.`, 404);
  return c;
}

function publicCase(c: SirCase): Record<string, unknown> {
  const { comments: _comments, caseId: _id, ...rest } = c;
  return rest;
}

/** Routes one Security IR request (already authenticated) to its operation. */
export function securityIrRoute(state: SirState, account: string, region: string, method: string, path: string, body: Record<string, unknown>, now: number): { status: number; body: unknown } {
  const problems: Problems = [];
  const fail = () => {
    if (problems.length > 0) throw new ValidationFailure(problems);
  };
  if (method === 'POST' && path === '/v1/create-case') {
    const clientToken = requireString(body, 'clientToken', 1, 255, problems, false);
    const resolverType = requireEnum(body, 'resolverType', RESOLVERS, problems);
    const title = requireString(body, 'title', 1, 300, problems);
    const description = requireString(body, 'description', 1, 8000, problems);
    const engagementType = requireEnum(body, 'engagementType', ENGAGEMENTS, problems);
    const reportedIncidentStartDate = timestamp(body, 'reportedIncidentStartDate', problems, true);
    const impactedAccounts = list(body, 'impactedAccounts', 1, 200, problems, true, (v) =>
      typeof v === 'string' && /^[0-9]{12}$/.test(v) ? v : (problems.push({ name: 'impactedAccounts', message: 'must be 12-digit account ids' }), undefined),
    );
    const watchers = list(body, 'watchers', 1, 30, problems, true, (v) => {
      const w = (v ?? {}) as Record<string, unknown>;
      if (typeof w.email !== 'string' || !EMAIL.test(w.email) || w.email.length < 6 || w.email.length > 254) {
        problems.push({ name: 'watchers.email', message: 'must be an email address' });
        return undefined;
      }
      return w as SirCase['watchers'][number];
    });
    const threatActorIpAddresses = list(body, 'threatActorIpAddresses', 0, 200, problems, false, (v) => {
      const t = (v ?? {}) as Record<string, unknown>;
      if (typeof t.ipAddress !== 'string' || !(IPV4.test(t.ipAddress) || t.ipAddress.includes(':'))) {
        problems.push({ name: 'threatActorIpAddresses.ipAddress', message: 'must be an IP address' });
        return undefined;
      }
      if (t.userAgent !== undefined && (typeof t.userAgent !== 'string' || t.userAgent.length < 1 || t.userAgent.length > 500)) {
        problems.push({ name: 'threatActorIpAddresses.userAgent', message: 'length must be between 1 and 500' });
      }
      return t as SirCase['threatActorIpAddresses'][number];
    });
    const impactedServices = list(body, 'impactedServices', 0, 600, problems, false, (v) => (typeof v === 'string' ? v : undefined));
    const impactedAwsRegions = list(body, 'impactedAwsRegions', 0, 50, problems, false, (v) => v as { region: string });
    fail();
    // The same client token is the same case: retries and double submits create one.
    const existing = clientToken ? state.tokens.get(`${account}|${clientToken}`) : undefined;
    if (existing) return { status: 201, body: { caseId: existing } };
    const caseId = state.nextCaseId();
    state.cases.set(caseId, {
      caseId,
      caseArn: `arn:aws:security-ir:${region}:${account}:case/${caseId}`,
      title: title as string,
      description: description as string,
      caseStatus: 'Submitted',
      engagementType: engagementType as string,
      resolverType: resolverType as string,
      reportedIncidentStartDate: reportedIncidentStartDate as number,
      impactedAccounts,
      watchers,
      threatActorIpAddresses,
      impactedServices,
      impactedAwsRegions,
      createdDate: now / 1000,
      lastUpdatedDate: now / 1000,
      pendingAction: resolverType === 'AWS' ? 'Support' : 'None',
      comments: [],
    });
    if (clientToken) state.tokens.set(`${account}|${clientToken}`, caseId);
    return { status: 201, body: { caseId } };
  }
  const m = /^\/v1\/cases\/(\d{10,32})\/([a-z-]+)$/.exec(path);
  if (!m) throw new AwsError('UnknownOperationException', `no Security IR operation at ${method} ${path}`, 404);
  const [, caseId, op] = m as unknown as [string, string, string];
  const c = caseOf(state, caseId);
  const touch = () => {
    c.lastUpdatedDate = now / 1000;
  };
  switch (`${method} ${op}`) {
    case 'GET get-case':
      return { status: 200, body: publicCase(c) };
    case 'POST update-case': {
      if (body.title !== undefined) c.title = requireString(body, 'title', 1, 300, problems) ?? c.title;
      if (body.description !== undefined) c.description = requireString(body, 'description', 1, 8000, problems) ?? c.description;
      fail();
      for (const ip of (body.threatActorIpAddressesToAdd as SirCase['threatActorIpAddresses'] | undefined) ?? []) c.threatActorIpAddresses.push(ip);
      for (const a of (body.impactedAccountsToAdd as string[] | undefined) ?? []) if (!c.impactedAccounts.includes(a)) c.impactedAccounts.push(a);
      for (const w of (body.watchersToAdd as SirCase['watchers'] | undefined) ?? []) if (!c.watchers.some((x) => x.email === w.email)) c.watchers.push(w);
      touch();
      return { status: 200, body: {} };
    }
    case 'POST update-case-status': {
      const status = requireEnum(body, 'caseStatus', SELF_MANAGED, problems);
      fail();
      if (c.resolverType === 'AWS') {
        throw new ValidationFailure([{ name: 'caseStatus', message: 'an AWS-supported case changes status through AWS; close it with CloseCase' }]);
      }
      if (c.caseStatus === 'Closed') throw new AwsError('ConflictException', `Case ${caseId} is closed.`, 409);
      c.caseStatus = status as string;
      touch();
      return { status: 201, body: { caseStatus: c.caseStatus } };
    }
    case 'POST update-resolver-type': {
      const resolver = requireEnum(body, 'resolverType', RESOLVERS, problems);
      fail();
      if (c.resolverType === 'AWS' && resolver === 'Self') {
        throw new ValidationFailure([{ name: 'resolverType', message: 'changing an AWS-supported case back to self-managed is not possible' }]);
      }
      c.resolverType = resolver as string;
      if (resolver === 'AWS' && c.caseStatus === 'Submitted') c.caseStatus = 'Detection and Analysis';
      c.pendingAction = resolver === 'AWS' ? 'Support' : c.pendingAction;
      touch();
      return { status: 200, body: { caseId, caseStatus: c.caseStatus, resolverType: c.resolverType } };
    }
    case 'POST close-case':
      c.caseStatus = 'Closed';
      c.closedDate = now / 1000;
      touch();
      return { status: 200, body: { caseStatus: c.caseStatus, closedDate: c.closedDate } };
    case 'POST create-comment': {
      const text = requireString(body, 'body', 1, 12_000, problems);
      const clientToken = requireString(body, 'clientToken', 1, 255, problems, false);
      fail();
      const known = clientToken ? state.tokens.get(`${account}|${caseId}|comment|${clientToken}`) : undefined;
      if (known) return { status: 201, body: { commentId: known } };
      const commentId = String(c.comments.length + 1).padStart(6, '0');
      c.comments.push({ commentId, body: text as string, createdDate: now / 1000, creator: account });
      if (clientToken) state.tokens.set(`${account}|${caseId}|comment|${clientToken}`, commentId);
      touch();
      return { status: 201, body: { commentId } };
    }
    default:
      throw new AwsError('UnknownOperationException', `no Security IR operation at ${method} ${path}`, 404);
  }
}
