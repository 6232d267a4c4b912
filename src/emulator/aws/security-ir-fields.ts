import type { SirCase } from './security-ir-state.ts';

/** Security Incident Response request members, validated as the API model states them (lengths, patterns, enums, list sizes). */

export type Problems = Array<{ name: string; message: string }>;
export type Body = Record<string, unknown>;

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

export function requireString(
  o: Body,
  name: string,
  min: number,
  max: number,
  problems: Problems,
  required = true,
  pattern?: RegExp,
  field = name,
): string | undefined {
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

/** The model's enums: one list shared with sirbot's client (domain/actions/case-status.ts), as both follow the API model. */
export {
  RESOLVER_TYPES as RESOLVERS,
  SELF_MANAGED_CASE_STATUSES as SELF_MANAGED,
  CASE_STATUSES,
  NEW_CASE_STATUS,
  CLOSED_CASE_STATUS,
} from '../../domain/actions/case-status.ts';
export const ENGAGEMENTS = ['Security Incident', 'Investigation'] as const;
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
export const ACCOUNT_ID = /^[0-9]{12}$/;
export const CASE_ID = /^\d{10,32}$/;
export const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*$/;
/**
 * The model's `IPAddress` pattern, as written: dotted IPv4 with octets up to 255, or
 * IPv6 with all eight groups in upper-case hex (or six and an IPv4 tail). Compressed
 * (`::`) and lower-case IPv6 addresses do not match it.
 */
export const IP_ADDRESS =
  /^(?:(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?))|(?:(?:[A-F0-9]{1,4}:){7}[A-F0-9]{1,4})|(?:(?:[A-F0-9]{1,4}:){6}(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?))$/;
/** The model's `AwsService` pattern (` -.` is the range from space to dot). */
export const AWS_SERVICE = /^[a-zA-Z0-9 -.():]+$/;

/** A list member: its size, optionally unique items, each item checked (undefined drops it). */
export function list<T>(
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

export function timestamp(o: Body, name: string, problems: Problems, required: boolean): number | undefined {
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

export const structure = (v: unknown): Body | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Body) : undefined);

export function accounts(o: Body, name: string, problems: Problems, required: boolean): string[] | undefined {
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

export type Watcher = SirCase['watchers'][number];
export function watchers(o: Body, name: string, problems: Problems, required: boolean): Watcher[] | undefined {
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

export type ThreatActorIp = SirCase['threatActorIpAddresses'][number];
export function threatActorIps(o: Body, name: string, problems: Problems): ThreatActorIp[] | undefined {
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

export function services(o: Body, name: string, problems: Problems): string[] | undefined {
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

export function regions(o: Body, name: string, problems: Problems): Array<{ region: string }> | undefined {
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

export function tags(o: Body, problems: Problems): Record<string, string> | undefined {
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
    if (typeof value !== 'string' || value.length > val.max)
      problems.push({ name: 'tags', message: `values must be strings of at most ${val.max} characters` });
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** `maxResults` (1–25, default 25) and `nextToken` (at most 2,000 characters) of a listing. */
