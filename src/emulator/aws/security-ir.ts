import { AwsError } from './errors.ts';

/**
 * A fake AWS Security Incident Response: cases and comments in memory, with the API's
 * validation as its model states it (required members, enum values, lengths, patterns,
 * list sizes and unique items), idempotent creation by `clientToken`, its status rules,
 * and the paginated listings (ListCases, ListComments) with opaque `nextToken`s. Every
 * request must carry a valid SigV4 signature for the `security-ir` signing name
 * (checked by the server).
 */

export interface SirComment {
  commentId: string;
  body: string;
  createdDate: number;
  lastUpdatedDate: number;
  creator: string;
  lastUpdatedBy: string;
}

export interface SirCase {
  caseId: string;
  caseArn: string;
  title: string;
  description: string;
  caseStatus: string;
  engagementType: string;
  resolverType: string;
  reportedIncidentStartDate: number;
  actualIncidentStartDate?: number;
  impactedAccounts: string[];
  watchers: Array<{ email: string; name?: string; jobTitle?: string }>;
  threatActorIpAddresses: Array<{ ipAddress: string; userAgent?: string }>;
  impactedServices: string[];
  impactedAwsRegions: Array<{ region: string }>;
  tags: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
  closedDate?: number;
  /** `PendingAction`: `Customer` or `None`. */
  pendingAction: string;
  comments: SirComment[];
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
type Body = Record<string, unknown>;

/** The model's limits, by shape. */
export const SIR_LIMITS = {
  clientToken: { min: 1, max: 255 },
  title: { min: 1, max: 300 },
  description: { min: 1, max: 8000 },
  commentBody: { min: 1, max: 12_000 },
  /** ImpactedAccounts: 0–200 unique 12-digit account ids. */
  impactedAccounts: { min: 0, max: 200 },
  /** Watchers: 0–30 unique watchers. */
  watchers: { min: 0, max: 30 },
  personName: { min: 1, max: 50 },
  jobTitle: { min: 1, max: 50 },
  email: { min: 6, max: 254 },
  /** ThreatActorIpList: 0–200 (not required to be unique). */
  threatActorIpAddresses: { min: 0, max: 200 },
  userAgent: { min: 1, max: 500 },
  /** ImpactedServicesList: 0–600 unique AwsService names of 2–50 characters. */
  impactedServices: { min: 0, max: 600 },
  awsService: { min: 2, max: 50 },
  /** ImpactedAwsRegionList: 0–50 unique regions. */
  impactedAwsRegions: { min: 0, max: 50 },
  tags: { max: 200 },
  tagKey: { min: 1, max: 128 },
  tagValue: { min: 0, max: 256 },
  maxResults: { min: 1, max: 25 },
  nextToken: { max: 2000 },
} as const;

export function requireString(o: Body, name: string, min: number, max: number, problems: Problems, required = true, pattern?: RegExp, field = name): string | undefined {
  const v = o[name];
  if (v === undefined || v === null) {
    if (required) problems.push({ name: field, message: 'is required' });
    return undefined;
  }
  if (typeof v !== 'string') {
    problems.push({ name: field, message: 'must be a string' });
    return undefined;
  }
  if (v.length < min || v.length > max) {
    problems.push({ name: field, message: `length must be between ${min} and ${max}` });
    return undefined;
  }
  if (pattern && !pattern.test(v)) {
    problems.push({ name: field, message: `must match the pattern ${pattern.source}` });
    return undefined;
  }
  return v;
}

export function requireEnum(o: Body, name: string, allowed: readonly string[], problems: Problems, required = true, field = name): string | undefined {
  const v = o[name];
  if (v === undefined || v === null) {
    if (required) problems.push({ name: field, message: 'is required' });
    return undefined;
  }
  if (typeof v !== 'string' || !allowed.includes(v)) {
    problems.push({ name: field, message: `must be one of: ${allowed.join(', ')}` });
    return undefined;
  }
  return v;
}

const RESOLVERS = ['AWS', 'Self'] as const;
const ENGAGEMENTS = ['Security Incident', 'Investigation'] as const;
const SELF_MANAGED = ['Submitted', 'Detection and Analysis', 'Containment, Eradication and Recovery', 'Post-incident Activities'] as const;
/** The `AwsRegion` enum. */
export const SIR_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
] as const;
const ACCOUNT_ID = /^[0-9]{12}$/;
const CASE_ID = /^\d{10,32}$/;
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*$/;
/**
 * The model's `IPAddress` pattern, as written: dotted IPv4 with octets up to 255, or
 * IPv6 with all eight groups in upper-case hex (or six and an IPv4 tail). Compressed
 * (`::`) and lower-case IPv6 addresses do not match it.
 */
const IP_ADDRESS =
  /^(?:(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?))|(?:(?:[A-F0-9]{1,4}:){7}[A-F0-9]{1,4})|(?:(?:[A-F0-9]{1,4}:){6}(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?))$/;
/** The model's `AwsService` pattern (` -.` is the range from space to dot). */
const AWS_SERVICE = /^[a-zA-Z0-9 -.():]+$/;

/** A list member: its size, optionally unique items, each item checked (undefined drops it). */
function list<T>(
  o: Body,
  name: string,
  size: { min: number; max: number },
  problems: Problems,
  required: boolean,
  check: (v: unknown) => T | undefined,
  uniqueBy?: (v: T) => string,
): T[] | undefined {
  const v = o[name];
  if (v === undefined || v === null) {
    if (required) problems.push({ name, message: 'is required' });
    return undefined;
  }
  if (!Array.isArray(v)) {
    problems.push({ name, message: 'must be a list' });
    return undefined;
  }
  if (v.length < size.min || v.length > size.max) problems.push({ name, message: `must have between ${size.min} and ${size.max} items` });
  const items = v.map(check).filter((x): x is T => x !== undefined);
  if (uniqueBy && new Set(items.map(uniqueBy)).size !== items.length) problems.push({ name, message: 'must not contain duplicate items' });
  return items;
}

function timestamp(o: Body, name: string, problems: Problems, required: boolean): number | undefined {
  const v = o[name];
  if (v === undefined || v === null) {
    if (required) problems.push({ name, message: 'is required' });
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    problems.push({ name, message: 'must be a timestamp in epoch seconds' });
    return undefined;
  }
  return v;
}

const structure = (v: unknown): Body | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Body) : undefined);

function accounts(o: Body, name: string, problems: Problems, required: boolean): string[] | undefined {
  let bad = false;
  return list(
    o,
    name,
    SIR_LIMITS.impactedAccounts,
    problems,
    required,
    (v) => {
      if (typeof v === 'string' && ACCOUNT_ID.test(v)) return v;
      if (!bad) problems.push({ name, message: 'must be 12-digit account ids' });
      bad = true;
      return undefined;
    },
    (a) => a,
  );
}

type Watcher = SirCase['watchers'][number];
function watchers(o: Body, name: string, problems: Problems, required: boolean): Watcher[] | undefined {
  return list(
    o,
    name,
    SIR_LIMITS.watchers,
    problems,
    required,
    (v) => {
      const w = structure(v) ?? {};
      const { email: e, personName: n, jobTitle: j } = SIR_LIMITS;
      const email = requireString(w, 'email', e.min, e.max, problems, true, EMAIL, `${name}.email`);
      if (email === undefined) return undefined;
      const before = problems.length;
      const person = requireString(w, 'name', n.min, n.max, problems, false, undefined, `${name}.name`);
      const jobTitle = requireString(w, 'jobTitle', j.min, j.max, problems, false, undefined, `${name}.jobTitle`);
      if (problems.length > before) return undefined;
      return { email, ...(person !== undefined ? { name: person } : {}), ...(jobTitle !== undefined ? { jobTitle } : {}) };
    },
    (w) => JSON.stringify([w.email, w.name ?? null, w.jobTitle ?? null]),
  );
}

type ThreatActorIp = SirCase['threatActorIpAddresses'][number];
function threatActorIps(o: Body, name: string, problems: Problems): ThreatActorIp[] | undefined {
  return list(o, name, SIR_LIMITS.threatActorIpAddresses, problems, false, (v) => {
    const t = structure(v) ?? {};
    const ipAddress = t.ipAddress;
    if (ipAddress === undefined || ipAddress === null) {
      problems.push({ name: `${name}.ipAddress`, message: 'is required' });
      return undefined;
    }
    if (typeof ipAddress !== 'string' || !IP_ADDRESS.test(ipAddress)) {
      problems.push({ name: `${name}.ipAddress`, message: 'must be an IPv4 address, or an IPv6 address in full upper-case form' });
      return undefined;
    }
    const u = SIR_LIMITS.userAgent;
    const before = problems.length;
    const userAgent = requireString(t, 'userAgent', u.min, u.max, problems, false, undefined, `${name}.userAgent`);
    if (problems.length > before) return undefined;
    return { ipAddress, ...(userAgent !== undefined ? { userAgent } : {}) };
  });
}

function services(o: Body, name: string, problems: Problems): string[] | undefined {
  let bad = false;
  return list(
    o,
    name,
    SIR_LIMITS.impactedServices,
    problems,
    false,
    (v) => {
      const { min, max } = SIR_LIMITS.awsService;
      if (typeof v === 'string' && v.length >= min && v.length <= max && AWS_SERVICE.test(v)) return v;
      if (!bad) problems.push({ name, message: `service names must be ${min} to ${max} characters matching ${AWS_SERVICE.source}` });
      bad = true;
      return undefined;
    },
    (s) => s,
  );
}

function regions(o: Body, name: string, problems: Problems): Array<{ region: string }> | undefined {
  return list(
    o,
    name,
    SIR_LIMITS.impactedAwsRegions,
    problems,
    false,
    (v) => {
      const region = requireEnum(structure(v) ?? {}, 'region', SIR_REGIONS, problems, true, `${name}.region`);
      return region === undefined ? undefined : { region };
    },
    (r) => r.region,
  );
}

function tags(o: Body, problems: Problems): Record<string, string> | undefined {
  const v = o.tags;
  if (v === undefined || v === null) return undefined;
  const map = structure(v);
  if (!map) {
    problems.push({ name: 'tags', message: 'must be a map of strings' });
    return undefined;
  }
  const entries = Object.entries(map);
  if (entries.length > SIR_LIMITS.tags.max) problems.push({ name: 'tags', message: `must have at most ${SIR_LIMITS.tags.max} entries` });
  const { tagKey: k, tagValue: val } = SIR_LIMITS;
  for (const [key, value] of entries) {
    if (key.length < k.min || key.length > k.max) problems.push({ name: 'tags', message: `keys must be ${k.min} to ${k.max} characters` });
    if (typeof value !== 'string' || value.length > val.max) problems.push({ name: 'tags', message: `values must be strings of at most ${val.max} characters` });
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** `maxResults` (1–25, default 25) and `nextToken` (at most 2,000 characters) of a listing. */
function paging(o: Body, problems: Problems): { max: number; token: string | undefined } {
  const v = o.maxResults;
  let max: number = SIR_LIMITS.maxResults.max;
  if (v !== undefined && v !== null) {
    const { min, max: top } = SIR_LIMITS.maxResults;
    if (typeof v !== 'number' || !Number.isInteger(v)) problems.push({ name: 'maxResults', message: 'must be an integer' });
    else if (v < min || v > top) problems.push({ name: 'maxResults', message: `must be between ${min} and ${top}` });
    else max = v;
  }
  const token = requireString(o, 'nextToken', 0, SIR_LIMITS.nextToken.max, problems, false);
  return { max, token: token || undefined };
}

/** Opaque to callers: which listing it continues, and the last key it returned. */
function encodeToken(scope: string, after: string): string {
  return Buffer.from(JSON.stringify({ v: 1, scope, after }), 'utf8').toString('base64url');
}
function decodeToken(token: string, scope: string): string {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { v?: number; scope?: string; after?: string };
    if (t.v === 1 && t.scope === scope && typeof t.after === 'string' && /^\d{1,32}$/.test(t.after)) return t.after;
  } catch {
    // falls through to the refusal
  }
  throw new ValidationFailure([{ name: 'nextToken', message: 'is not a token this listing returned' }]);
}

/**
 * One page of `items` (already in the listing's order): those after the key the token
 * names (`follows(key, last)`), so cases added meanwhile neither repeat nor shift a page.
 */
function page<T>(items: T[], keyOf: (t: T) => string, follows: (key: string, last: string) => boolean, scope: string, paged: { max: number; token: string | undefined }) {
  let start = 0;
  if (paged.token !== undefined) {
    const last = decodeToken(paged.token, scope);
    const i = items.findIndex((t) => follows(keyOf(t), last));
    start = i === -1 ? items.length : i;
  }
  const slice = items.slice(start, start + paged.max);
  const lastItem = slice[slice.length - 1];
  const more = start + slice.length < items.length;
  return { slice, nextToken: more && lastItem !== undefined ? encodeToken(scope, keyOf(lastItem)) : undefined };
}

/** Case and comment ids are digit strings; compare them as numbers. */
function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function caseOf(state: SirState, caseId: string): SirCase {
  const c = state.cases.get(caseId);
  if (!c) throw new AwsError('ResourceNotFoundException', `Case ${caseId} does not exist.`, 404);
  return c;
}

function publicCase(c: SirCase): Record<string, unknown> {
  const { comments: _comments, caseId: _id, tags: _tags, ...rest } = c;
  return rest;
}

const accountOfCase = (c: SirCase) => c.caseArn.split(':')[4];

const CASE_OPERATIONS = new Set(['get-case', 'update-case', 'update-case-status', 'update-resolver-type', 'close-case', 'create-comment', 'list-comments']);

/** Routes one Security IR request (already authenticated) to its operation. */
export function securityIrRoute(state: SirState, account: string, region: string, method: string, path: string, body: Record<string, unknown>, now: number): { status: number; body: unknown } {
  const problems: Problems = [];
  const fail = () => {
    if (problems.length > 0) throw new ValidationFailure(problems);
  };
  if (method === 'POST' && path === '/v1/create-case') {
    const clientToken = requireString(body, 'clientToken', SIR_LIMITS.clientToken.min, SIR_LIMITS.clientToken.max, problems, false);
    const resolverType = requireEnum(body, 'resolverType', RESOLVERS, problems);
    const title = requireString(body, 'title', SIR_LIMITS.title.min, SIR_LIMITS.title.max, problems);
    const description = requireString(body, 'description', SIR_LIMITS.description.min, SIR_LIMITS.description.max, problems);
    const engagementType = requireEnum(body, 'engagementType', ENGAGEMENTS, problems);
    const reportedIncidentStartDate = timestamp(body, 'reportedIncidentStartDate', problems, true);
    const impactedAccounts = accounts(body, 'impactedAccounts', problems, true) ?? [];
    const watcherList = watchers(body, 'watchers', problems, true) ?? [];
    const threatActorIpAddresses = threatActorIps(body, 'threatActorIpAddresses', problems) ?? [];
    const impactedServices = services(body, 'impactedServices', problems) ?? [];
    const impactedAwsRegions = regions(body, 'impactedAwsRegions', problems) ?? [];
    const caseTags = tags(body, problems) ?? {};
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
      watchers: watcherList,
      threatActorIpAddresses,
      impactedServices,
      impactedAwsRegions,
      tags: caseTags,
      createdDate: now / 1000,
      lastUpdatedDate: now / 1000,
      pendingAction: 'None',
      comments: [],
    });
    if (clientToken) state.tokens.set(`${account}|${clientToken}`, caseId);
    return { status: 201, body: { caseId } };
  }
  if (method === 'POST' && path === '/v1/list-cases') {
    const paged = paging(body, problems);
    fail();
    // The caller's cases, newest first.
    const mine = [...state.cases.values()].filter((c) => accountOfCase(c) === account).sort((a, b) => compareIds(b.caseId, a.caseId));
    const { slice, nextToken } = page(mine, (c) => c.caseId, (key, last) => compareIds(key, last) < 0, 'list-cases', paged);
    const items = slice.map((c) => ({
      caseId: c.caseId,
      lastUpdatedDate: c.lastUpdatedDate,
      title: c.title,
      caseArn: c.caseArn,
      engagementType: c.engagementType,
      caseStatus: c.caseStatus,
      createdDate: c.createdDate,
      ...(c.closedDate !== undefined ? { closedDate: c.closedDate } : {}),
      resolverType: c.resolverType,
      pendingAction: c.pendingAction,
    }));
    return { status: 200, body: { items, total: mine.length, ...(nextToken ? { nextToken } : {}) } };
  }
  const m = /^\/v1\/cases\/([^/]*)\/([a-z-]+)$/.exec(path);
  if (!m || !CASE_OPERATIONS.has(m[2] as string)) throw new AwsError('UnknownOperationException', `no Security IR operation at ${method} ${path}`, 404);
  const [, rawId, op] = m as unknown as [string, string, string];
  const caseId = decodeURIComponent(rawId);
  if (!CASE_ID.test(caseId)) throw new ValidationFailure([{ name: 'caseId', message: 'must be 10 to 32 digits' }]);
  const c = caseOf(state, caseId);
  const touch = () => {
    c.lastUpdatedDate = now / 1000;
  };
  switch (`${method} ${op}`) {
    case 'GET get-case':
      return { status: 200, body: publicCase(c) };
    case 'POST update-case': {
      const title = requireString(body, 'title', SIR_LIMITS.title.min, SIR_LIMITS.title.max, problems, false);
      const description = requireString(body, 'description', SIR_LIMITS.description.min, SIR_LIMITS.description.max, problems, false);
      const reported = timestamp(body, 'reportedIncidentStartDate', problems, false);
      const actual = timestamp(body, 'actualIncidentStartDate', problems, false);
      const engagementType = requireEnum(body, 'engagementType', ENGAGEMENTS, problems, false);
      const watchersToAdd = watchers(body, 'watchersToAdd', problems, false) ?? [];
      const watchersToDelete = watchers(body, 'watchersToDelete', problems, false) ?? [];
      const ipsToAdd = threatActorIps(body, 'threatActorIpAddressesToAdd', problems) ?? [];
      const ipsToDelete = threatActorIps(body, 'threatActorIpAddressesToDelete', problems) ?? [];
      const servicesToAdd = services(body, 'impactedServicesToAdd', problems) ?? [];
      const servicesToDelete = services(body, 'impactedServicesToDelete', problems) ?? [];
      const regionsToAdd = regions(body, 'impactedAwsRegionsToAdd', problems) ?? [];
      const regionsToDelete = regions(body, 'impactedAwsRegionsToDelete', problems) ?? [];
      const accountsToAdd = accounts(body, 'impactedAccountsToAdd', problems, false) ?? [];
      const accountsToDelete = accounts(body, 'impactedAccountsToDelete', problems, false) ?? [];
      fail();
      // The case as it would be; only committed if it still fits the model's limits.
      const next = {
        watchers: [...c.watchers.filter((w) => !watchersToDelete.some((d) => d.email === w.email)), ...watchersToAdd.filter((w) => !c.watchers.some((x) => x.email === w.email))],
        threatActorIpAddresses: [
          ...c.threatActorIpAddresses.filter((t) => !ipsToDelete.some((d) => d.ipAddress === t.ipAddress && (d.userAgent === undefined || d.userAgent === t.userAgent))),
          ...ipsToAdd.filter((t) => !c.threatActorIpAddresses.some((x) => x.ipAddress === t.ipAddress && x.userAgent === t.userAgent)),
        ],
        impactedServices: [...c.impactedServices.filter((s) => !servicesToDelete.includes(s)), ...servicesToAdd.filter((s) => !c.impactedServices.includes(s))],
        impactedAwsRegions: [
          ...c.impactedAwsRegions.filter((r) => !regionsToDelete.some((d) => d.region === r.region)),
          ...regionsToAdd.filter((r) => !c.impactedAwsRegions.some((x) => x.region === r.region)),
        ],
        impactedAccounts: [...c.impactedAccounts.filter((a) => !accountsToDelete.includes(a)), ...accountsToAdd.filter((a) => !c.impactedAccounts.includes(a))],
      };
      for (const key of Object.keys(next) as Array<keyof typeof next>) {
        const max = SIR_LIMITS[key].max;
        if (next[key].length > max) problems.push({ name: key, message: `the case would have ${next[key].length}; at most ${max} are allowed` });
      }
      fail();
      Object.assign(c, next);
      if (title !== undefined) c.title = title;
      if (description !== undefined) c.description = description;
      if (reported !== undefined) c.reportedIncidentStartDate = reported;
      if (actual !== undefined) c.actualIncidentStartDate = actual;
      if (engagementType !== undefined) c.engagementType = engagementType;
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
      touch();
      return { status: 200, body: { caseId, caseStatus: c.caseStatus, resolverType: c.resolverType } };
    }
    case 'POST close-case':
      c.caseStatus = 'Closed';
      c.closedDate = now / 1000;
      touch();
      return { status: 200, body: { caseStatus: c.caseStatus, closedDate: c.closedDate } };
    case 'POST create-comment': {
      const text = requireString(body, 'body', SIR_LIMITS.commentBody.min, SIR_LIMITS.commentBody.max, problems);
      const clientToken = requireString(body, 'clientToken', SIR_LIMITS.clientToken.min, SIR_LIMITS.clientToken.max, problems, false);
      fail();
      const known = clientToken ? state.tokens.get(`${account}|${caseId}|comment|${clientToken}`) : undefined;
      if (known) return { status: 201, body: { commentId: known } };
      const commentId = String(c.comments.length + 1).padStart(6, '0');
      c.comments.push({ commentId, body: text as string, createdDate: now / 1000, lastUpdatedDate: now / 1000, creator: account, lastUpdatedBy: account });
      if (clientToken) state.tokens.set(`${account}|${caseId}|comment|${clientToken}`, commentId);
      touch();
      return { status: 201, body: { commentId } };
    }
    case 'POST list-comments': {
      const paged = paging(body, problems);
      fail();
      // Oldest first, as the conversation went.
      const { slice, nextToken } = page(c.comments, (x) => x.commentId, (key, last) => compareIds(key, last) > 0, `list-comments|${caseId}`, paged);
      return { status: 200, body: { items: slice, total: c.comments.length, ...(nextToken ? { nextToken } : {}) } };
    }
    default:
      throw new AwsError('UnknownOperationException', `no Security IR operation at ${method} ${path}`, 404);
  }
}
