import type { Finding } from '../finding.ts';
import { type Named, kindOfType, readIdentifier, sessionOfPrincipalId } from './identifiers.ts';

/**
 * What an investigation is about: the typed things a finding names, the same from every
 * format it arrives in (GuardDuty native or API, Security Hub ASFF — GuardDuty's findings
 * as Security Hub imports them included — and OCSF). Each subject's `id` is the bare
 * identifier (key id, user or role name, instance id, bucket name, IP, cluster name…),
 * whatever spelling the finding used. Collectors, the window, questions, summaries and
 * suggested remediations all start from these.
 */

export const SUBJECT_KINDS = [
  'accessKey',
  'iamUser',
  'role',
  'root',
  'federatedUser',
  'instance',
  'bucket',
  'ip',
  'eksCluster',
  'kubernetesUser',
  'ecsCluster',
  'container',
  'rdsInstance',
  'lambdaFunction',
] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** Who holds an access key, as the finding says. */
export type PrincipalType = 'IAMUser' | 'AssumedRole' | 'Root' | 'FederatedUser' | 'Role' | 'Other';

export interface Subject {
  kind: SubjectKind;
  id: string;
  accountId?: string;
  region?: string;
  /** accessKey: the user or role the key belongs to, and what that is. */
  principal?: string;
  principalType?: PrincipalType;
  /** accessKey or role: the principal id (`AIDA…`, `AROA…:session`). */
  principalId?: string;
  /** role: the session the credentials were issued to (for an instance profile, the instance id). */
  sessionName?: string;
  /** instance: how the finding names it (`resource`: as the affected resource; `role-session`: as the session of the role whose credentials were used). */
  via?: 'resource' | 'role-session';
  /** instance: the instance profile it runs with (its role is looked up from it: the names may differ). */
  instanceProfile?: string;
  /** ip: what the address did (`caller`: made the API calls; `prober`: probed ports; `remote`: the other end of a connection). */
  ipRole?: 'caller' | 'prober' | 'remote';
  /** ip: where it is, as the finding says. */
  country?: string;
  organization?: string;
  /** container: its image; rdsInstance: the database user in the login attempts. */
  image?: string;
  dbUser?: string;
}

const ASSUMED_ROLE_TYPES = new Set(['AssumedRole', 'Role']);

function principalTypeOf(value: unknown): PrincipalType | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  if (value === 'IAMUser' || value === 'AssumedRole' || value === 'Root' || value === 'FederatedUser' || value === 'Role') return value;
  return 'Other';
}

/** Reads a path through GuardDuty's two spellings at once: the EventBridge/native camelCase and the API's PascalCase. */
function at(node: unknown, ...path: string[]): unknown {
  let current = node;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    const obj = current as Record<string, unknown>;
    current = key in obj ? obj[key] : obj[key.charAt(0).toUpperCase() + key.slice(1)];
  }
  return current;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Collects subjects, one per kind and id; later sightings add what the earlier ones did not say. */
class SubjectSet {
  private readonly byKey = new Map<string, Subject>();

  add(subject: Subject | null | undefined): void {
    if (!subject?.id) return;
    const key = `${subject.kind}\u0000${subject.kind === 'bucket' || subject.kind === 'instance' || subject.kind === 'accessKey' ? subject.id : subject.id.toLowerCase()}`;
    const known = this.byKey.get(key);
    if (!known) {
      this.byKey.set(key, { ...subject });
      return;
    }
    for (const [field, value] of Object.entries(subject)) {
      if (value !== undefined && (known as unknown as Record<string, unknown>)[field] === undefined)
        (known as unknown as Record<string, unknown>)[field] = value;
    }
  }

  named(named: Named | null, extra: Partial<Subject> = {}): void {
    if (named) this.add({ ...named, ...extra } as Subject);
  }

  values(): Subject[] {
    return [...this.byKey.values()];
  }
}

/**
 * The credentials a finding is about, from the principal fields every format has in some
 * spelling: the key, who holds it, and for an assumed role the role, its session, and
 * the instance when the session is an instance profile's.
 */
function addCredentials(
  out: SubjectSet,
  c: {
    keyId?: string | undefined;
    principal?: string | undefined;
    principalType?: PrincipalType | undefined;
    principalId?: string | undefined;
    accountId: string;
  },
): void {
  const session = sessionOfPrincipalId(c.principalId);
  const type = c.principalType;
  if (c.keyId) {
    const key = readIdentifier(c.keyId, 'AwsIamAccessKey');
    out.named(key, {
      ...(c.principal ? { principal: c.principal } : {}),
      ...(type ? { principalType: type } : {}),
      ...(c.principalId ? { principalId: c.principalId } : {}),
      accountId: c.accountId,
    });
  }
  if (type === 'Root' || (c.principal && c.principal.toLowerCase() === 'root' && type !== 'AssumedRole')) {
    out.add({ kind: 'root', id: c.accountId, accountId: c.accountId });
    return;
  }
  if (!c.principal) return;
  if (type && ASSUMED_ROLE_TYPES.has(type)) {
    out.add({
      kind: 'role',
      id: c.principal,
      accountId: c.accountId,
      ...(session ? { sessionName: session } : {}),
      ...(c.principalId ? { principalId: c.principalId } : {}),
    });
    // An instance profile's credentials are issued to a session named after the instance.
    const instance = session ? readIdentifier(session) : null;
    if (instance?.kind === 'instance') out.add({ kind: 'instance', id: instance.id, accountId: c.accountId, via: 'role-session' });
    return;
  }
  if (type === 'FederatedUser') {
    out.add({ kind: 'federatedUser', id: c.principal, accountId: c.accountId });
    return;
  }
  out.named(readIdentifier(c.principal, 'AwsIamUser'), { accountId: c.accountId });
}

/** An IP address and what it did, with where the finding places it. */
function addIp(out: SubjectSet, details: unknown, role: Subject['ipRole']): void {
  const ip = str(at(details, 'ipAddressV4')) ?? str(at(details, 'ipAddressV6'));
  if (!ip) return;
  const country = str(at(details, 'country', 'countryName'));
  const organization = str(at(details, 'organization', 'asnOrg')) ?? str(at(details, 'organization', 'org'));
  out.add({ kind: 'ip', id: ip, ...(role ? { ipRole: role } : {}), ...(country ? { country } : {}), ...(organization ? { organization } : {}) });
}

/** GuardDuty's own finding document (EventBridge `detail`, or the API's PascalCase form). */
function fromGuardDuty(raw: unknown, finding: Finding, out: SubjectSet): void {
  const account = finding.accountId;
  const region = finding.region;
  const resource = at(raw, 'resource');
  const keyDetails = at(resource, 'accessKeyDetails');
  addCredentials(out, {
    keyId: str(at(keyDetails, 'accessKeyId')),
    principal: str(at(keyDetails, 'userName')),
    principalType: principalTypeOf(at(keyDetails, 'userType')),
    principalId: str(at(keyDetails, 'principalId')),
    accountId: account,
  });
  const instanceId = str(at(resource, 'instanceDetails', 'instanceId'));
  const profile = str(at(resource, 'instanceDetails', 'iamInstanceProfile', 'arn'));
  // instanceDetails is about the finding only on instance findings and exfiltrated instance
  // credentials; GuardDuty's sample findings fill it on every finding.
  const aboutInstance = str(at(resource, 'resourceType')) === 'Instance' || finding.type.includes('InstanceCredentialExfiltration');
  if (aboutInstance && instanceId && readIdentifier(instanceId)?.kind === 'instance') {
    out.add({ kind: 'instance', id: instanceId, accountId: account, region, via: 'resource', ...(profile ? { instanceProfile: profile } : {}) });
  }
  for (const b of list(at(resource, 's3BucketDetails'))) out.named(readIdentifier(str(at(b, 'arn')) ?? str(at(b, 'name')), 'AwsS3Bucket'));
  const eks = at(resource, 'eksClusterDetails');
  if (eks) out.named(readIdentifier(str(at(eks, 'arn')) ?? str(at(eks, 'name')), 'AwsEksCluster'), { accountId: account, region });
  const k8sUser = str(at(resource, 'kubernetesDetails', 'kubernetesUserDetails', 'username'));
  if (k8sUser) out.add({ kind: 'kubernetesUser', id: k8sUser, accountId: account, region });
  const ecs = at(resource, 'ecsClusterDetails');
  if (ecs) out.named(readIdentifier(str(at(ecs, 'arn')) ?? str(at(ecs, 'name')), 'AwsEcsCluster'), { accountId: account, region });
  const containers = [
    ...list(at(resource, 'ecsClusterDetails', 'taskDetails', 'containers')),
    ...list(at(resource, 'kubernetesDetails', 'kubernetesWorkloadDetails', 'containers')),
    ...(at(resource, 'containerDetails') ? [at(resource, 'containerDetails')] : []),
  ];
  for (const c of containers) {
    const id = str(at(c, 'id')) ?? str(at(c, 'name'));
    const image = str(at(c, 'image'));
    if (id) out.add({ kind: 'container', id, ...(image ? { image } : {}) });
  }
  const rds = at(resource, 'rdsDbInstanceDetails');
  const dbUser = str(at(resource, 'rdsDbUserDetails', 'user'));
  if (rds)
    out.named(readIdentifier(str(at(rds, 'dbInstanceArn')) ?? str(at(rds, 'dbInstanceIdentifier')), 'AwsRdsDbInstance'), {
      accountId: account,
      region,
      ...(dbUser ? { dbUser } : {}),
    });
  const lambda = at(resource, 'lambdaDetails');
  if (lambda) out.named(readIdentifier(str(at(lambda, 'functionArn')) ?? str(at(lambda, 'functionName')), 'AwsLambdaFunction'), { accountId: account, region });

  const action = at(raw, 'service', 'action');
  addIp(out, at(action, 'awsApiCallAction', 'remoteIpDetails'), 'caller');
  addIp(out, at(action, 'kubernetesApiCallAction', 'remoteIpDetails'), 'caller');
  addIp(out, at(action, 'rdsLoginAttemptAction', 'remoteIpDetails'), 'caller');
  addIp(out, at(action, 'networkConnectionAction', 'remoteIpDetails'), 'remote');
  for (const probe of list(at(action, 'portProbeAction', 'portProbeDetails'))) addIp(out, at(probe, 'remoteIpDetails'), 'prober');

  addSequence(out, at(raw, 'service', 'detection', 'sequence'), account);
}

/**
 * An Extended Threat Detection attack sequence: its resources, actors and endpoints.
 * GuardDuty's `service.detection.sequence` and ASFF's `Detection.Sequence` spell the same
 * fields in camelCase and PascalCase, which `at` reads alike.
 */
function addSequence(out: SubjectSet, sequence: unknown, account: string): void {
  for (const r of list(at(sequence, 'resources'))) out.named(readIdentifier(str(at(r, 'uid')) ?? str(at(r, 'name')), str(at(r, 'type'))));
  for (const a of list(at(sequence, 'actors'))) {
    addCredentials(out, {
      principal: str(at(a, 'user', 'name')),
      principalType: principalTypeOf(at(a, 'user', 'type')),
      principalId: str(at(a, 'user', 'uid')),
      keyId: str(at(a, 'user', 'credentialUid')),
      accountId: str(at(a, 'user', 'account', 'uid')) ?? account,
    });
  }
  for (const e of list(at(sequence, 'endpoints'))) {
    const ip = str(at(e, 'ip'));
    if (ip) out.named(readIdentifier(ip), { ipRole: 'caller' });
  }
}

/** GuardDuty's fields as Security Hub keeps them in ASFF `ProductFields` (flattened paths). */
function fromGuardDutyProductFields(fields: Record<string, unknown>, out: SubjectSet): void {
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== 'string' || !/remoteIpDetails\/ipAddressV[46]$/.test(key)) continue;
    const role: Subject['ipRole'] = key.includes('portProbe') ? 'prober' : key.includes('networkConnection') ? 'remote' : 'caller';
    out.named(readIdentifier(value), { ipRole: role });
  }
}

/** A Security Hub ASFF finding: its resources, their details, and the action the finding saw. */
function fromAsff(raw: Record<string, unknown>, finding: Finding, out: SubjectSet): void {
  const account = finding.accountId;
  for (const r of list(raw.Resources)) {
    const type = str(at(r, 'Type'));
    const id = str(at(r, 'Id'));
    const region = str(at(r, 'Region'));
    const details = at(r, 'Details');
    const key = at(details, 'AwsIamAccessKey');
    if (kindOfType(type) === 'accessKey' || key) {
      addCredentials(out, {
        keyId: str(at(key, 'AccessKeyId')) ?? id,
        principal: str(at(key, 'PrincipalName')) ?? str(at(key, 'UserName')),
        principalType: principalTypeOf(at(key, 'PrincipalType')),
        principalId: str(at(key, 'PrincipalId')),
        accountId: str(at(key, 'AccountId')) ?? account,
      });
      continue;
    }
    const profile = str(at(details, 'AwsEc2Instance', 'IamInstanceProfileArn'));
    out.named(readIdentifier(id, type), { ...(region ? { region } : {}), ...(profile ? { instanceProfile: profile } : {}) });
  }
  const action = raw.Action;
  addIp(out, camel(at(action, 'AwsApiCallAction', 'RemoteIpDetails')), 'caller');
  addIp(out, camel(at(action, 'NetworkConnectionAction', 'RemoteIpDetails')), 'remote');
  for (const probe of list(at(action, 'PortProbeAction', 'PortProbeDetails'))) addIp(out, camel(at(probe, 'RemoteIpDetails')), 'prober');
  if (raw.ProductFields && typeof raw.ProductFields === 'object') fromGuardDutyProductFields(raw.ProductFields as Record<string, unknown>, out);
  addSequence(out, at(raw.Detection, 'Sequence'), account);
}

/** ASFF's RemoteIpDetails spells `IpAddressV4`, `Country.CountryName`, `Organization.Asn`…: read as GuardDuty's. */
function camel(node: unknown): unknown {
  if (!node || typeof node !== 'object') return node;
  const o = node as Record<string, unknown>;
  return {
    ipAddressV4: o.IpAddressV4,
    ipAddressV6: o.IpAddressV6,
    country: { countryName: at(o, 'Country', 'CountryName') },
    organization: { asnOrg: at(o, 'Organization', 'AsnOrg') ?? at(o, 'Organization', 'Org') },
  };
}

/**
 * OCSF `data` is `json_t`: an object in Security Hub's OCSF findings, JSON text where the
 * finding went through Security Lake's Parquet (which keeps `json_t` as a string).
 */
function jsonData(data: unknown): unknown {
  if (typeof data !== 'string' || !/^\s*\{/.test(data)) return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The access key an OCSF resource describes, and who holds it: ASFF's
 * `AwsIamAccessKey` details carried in `data` (PascalCase as Security Hub writes them,
 * camelCase or snake_case as other mappings do), or the resource's `owner` (an OCSF user).
 */
function addOcsfAccessKey(out: SubjectSet, r: unknown, data: unknown, uid: string | undefined, account: string): void {
  const key = at(data, 'awsIamAccessKey') ?? at(data, 'aws_iam_access_key') ?? data;
  const owner = at(r, 'owner');
  addCredentials(out, {
    keyId: str(at(key, 'accessKeyId')) ?? str(at(key, 'access_key_id')) ?? uid,
    principal: str(at(key, 'principalName')) ?? str(at(key, 'principal_name')) ?? str(at(key, 'userName')) ?? str(at(owner, 'name')),
    principalType: principalTypeOf(at(key, 'principalType') ?? at(key, 'principal_type') ?? at(owner, 'type')),
    principalId: str(at(key, 'principalId')) ?? str(at(key, 'principal_id')) ?? str(at(owner, 'uid')),
    accountId: str(at(key, 'accountId')) ?? str(at(owner, 'account', 'uid')) ?? account,
  });
}

/** An OCSF finding: resources (with their `data` details), the actor, and the endpoints, also inside evidences. */
function fromOcsf(raw: Record<string, unknown>, finding: Finding, out: SubjectSet): void {
  const account = finding.accountId;
  for (const r of list(raw.resources)) {
    const type = str(at(r, 'type'));
    const uid = str(at(r, 'uid')) ?? str(at(r, 'name'));
    const data = jsonData(at(r, 'data'));
    if (kindOfType(type) === 'accessKey' || at(data, 'awsIamAccessKey') !== undefined) {
      addOcsfAccessKey(out, r, data, uid, account);
      continue;
    }
    out.named(readIdentifier(uid, type), { ...(str(at(r, 'region')) ? { region: str(at(r, 'region')) as string } : {}) });
  }
  const actors = [raw.actor, ...list(raw.evidences).map((e) => at(e, 'actor'))].filter(Boolean);
  for (const actor of actors) {
    const user = at(actor, 'user');
    const type = principalTypeOf(at(user, 'type'));
    addCredentials(out, {
      keyId: str(at(user, 'credential_uid')),
      principal: str(at(user, 'name')) ?? (type === 'Root' ? 'root' : undefined),
      principalType: type,
      principalId: str(at(user, 'uid_alt')) ?? str(at(user, 'uid')),
      accountId: str(at(user, 'account', 'uid')) ?? account,
    });
    const session = str(at(actor, 'session', 'issuer'));
    out.named(readIdentifier(session));
  }
  const endpoints = [raw.src_endpoint, ...list(raw.evidences).map((e) => at(e, 'src_endpoint'))];
  for (const endpoint of endpoints) {
    const ip = str(at(endpoint, 'ip'));
    if (!ip) continue;
    const country = str(at(endpoint, 'location', 'country'));
    out.named(readIdentifier(ip), { ipRole: 'caller', ...(country ? { country } : {}) });
  }
}

/**
 * The subjects of a finding, in every format: the resources it names (whatever the
 * spelling of their ids), the credentials and who holds them (user, role and session,
 * root, federated user), the instance whose role credentials were used, and the IP
 * addresses it saw calling, probing or connecting.
 */
export function subjectsOf(finding: Finding): Subject[] {
  const out = new SubjectSet();
  const raw = finding.raw && typeof finding.raw === 'object' ? (finding.raw as Record<string, unknown>) : {};
  if (finding.schema === 'guardduty') fromGuardDuty(raw, finding, out);
  else if (finding.schema === 'asff') fromAsff(raw, finding, out);
  else fromOcsf(raw, finding, out);
  // The normalized resources too: they say the same for real findings, and all there is for sirbot's ad-hoc ones.
  for (const r of finding.resources) out.named(readIdentifier(r.id, r.type), r.region ? { region: r.region } : {});
  return out.values().map((s) => ({ ...s, ...(s.accountId === undefined && needsAccount(s.kind) ? { accountId: finding.accountId } : {}) }));
}

function needsAccount(kind: SubjectKind): boolean {
  return kind !== 'ip' && kind !== 'bucket' && kind !== 'container' && kind !== 'kubernetesUser';
}

/** The subjects of one kind. */
export function ofKind<K extends SubjectKind>(subjects: readonly Subject[], kind: K): Subject[] {
  return subjects.filter((s) => s.kind === kind);
}
