import type { Finding } from '../finding.ts';

/**
 * A GuardDuty threat type read from any of the spellings it reaches sirbot in.
 *
 * GuardDuty names its types `ThreatPurpose:ResourceTypeAffected/ThreatFamilyName.DetectionMechanism!Artifact`
 * (GuardDuty User Guide, "GuardDuty finding format"): `Backdoor:EC2/C&CActivity.B!DNS`.
 *
 * Security Hub rewrites them into ASFF `Types`, `Namespace[/Category]/Classifier`. Its
 * table of every type (GuardDuty User Guide, "Integrating with AWS Security Hub CSPM",
 * "Interpreting GuardDuty finding names") shows these shapes:
 * - the type with the slash after the resource turned into a hyphen, under a category or
 *   none: `TTPs/Command and Control/Backdoor:EC2-C&CActivity.B`, `TTPs/Discovery:S3-TorIPCaller`,
 *   `Effects/Data Exposure/Policy:S3-BucketBlockPublicAccessDisabled`;
 * - the slash kept: `TTPs/PenTest:IAMUser/KaliLinux`, `TTPs/AttackSequence:IAM/CompromisedCredentials`;
 * - the purpose left out, the category saying it: `TTPs/Credential Access/IAMUser-AnomalousBehavior`,
 *   `TTPs/Discovery/RDS-MaliciousIPCaller`;
 * - the resource first, the purpose in the category: `TTPs/DefenseEvasion/EC2:Unusual-DNS-Resolver`;
 * - the family as the category: `TTPs/AnomalousBehavior/CredentialAccess:Kubernetes-SecretsAccessed`.
 * Findings in the wild also carry other namespaces (`Software and Configuration Checks/Backdoor:EC2-…`).
 *
 * OCSF findings carry either spelling in `finding_info.types`, and the GuardDuty type in
 * `finding_info.analytic.name` when the producer fills it.
 */
export interface ThreatType {
  /** ThreatPurpose: `Backdoor`, `UnauthorizedAccess`, `AttackSequence`, `PenTest`… */
  purpose: string;
  /** ResourceTypeAffected: `EC2`, `IAMUser`, `S3`, `Kubernetes`, `Runtime`, `Lambda`… */
  resource: string;
  /** ThreatFamilyName: `C&CActivity`, `InstanceCredentialExfiltration`, `RootCredentialUsage`. */
  family: string;
  /** DetectionMechanism: `B`, `Custom`, `OutsideAWS`, `Reputation`… (null when absent). */
  mechanism: string | null;
  /** Artifact: `DNS`, `AMI`, `Snapshot`… (null when absent). */
  artifact: string | null;
  /** GuardDuty's own spelling, rebuilt: `Backdoor:EC2/C&CActivity.B!DNS`. */
  canonical: string;
}

/** Resource types GuardDuty names in its types; a part led by one of them is not led by a purpose. */
const RESOURCE_TYPES = new Set(['IAMUser', 'IAM', 'EC2', 'S3', 'S3Object', 'RDS', 'Lambda', 'Kubernetes', 'Runtime', 'ECS', 'EKS', 'Container']);
/** ASFF's type namespaces: never a category. */
const NAMESPACES = new Set(['TTPs', 'Effects', 'Unusual Behaviors', 'Software and Configuration Checks', 'Sensitive Data Identifications']);

/** `Word:Word`, optionally followed by `-Rest` (Security Hub's rewrite). */
const HEAD = /^([A-Z][A-Za-z0-9]*):([A-Za-z0-9]+)(?:-(.+))?$/;
/** Security Hub's purpose-less classifier: `IAMUser-AnomalousBehavior`. */
const RESOURCE_FIRST = /^([A-Za-z0-9]+)-(.+)$/;

/** `Family.Mechanism!Artifact` split into its parts; families hold neither dots nor bangs of their own. */
function splitRest(rest: string): { family: string; mechanism: string | null; artifact: string | null } {
  const bang = rest.indexOf('!');
  const artifact = bang === -1 ? null : rest.slice(bang + 1) || null;
  const body = bang === -1 ? rest : rest.slice(0, bang);
  const dot = body.indexOf('.');
  return { family: dot === -1 ? body : body.slice(0, dot), mechanism: dot === -1 ? null : body.slice(dot + 1) || null, artifact };
}

function threat(purpose: string, resource: string, rest: string): ThreatType | null {
  const { family, mechanism, artifact } = splitRest(rest);
  if (!purpose || !family) return null;
  return { purpose, resource, family, mechanism, artifact, canonical: `${purpose}:${resource}/${rest}` };
}

/** A category as a purpose: `Credential Access` → `CredentialAccess`. */
const compact = (category: string | undefined) => (category ?? '').replace(/\s+/g, '');

/**
 * Reads a threat type from any of the spellings above. Split on `/`; the first part shaped
 * `Word:Word` holds it (an ASFF namespace or category never holds a colon): purpose and
 * resource, then the family after a hyphen in that part or in the parts after it. When the
 * word before the colon is a resource type, or no part holds a colon but the last is
 * `Resource-Family` under a category, the category names the purpose. A category
 * `AnomalousBehavior` is the family. Null for anything else (control and vulnerability types).
 */
export function parseThreatType(text: string | null | undefined): ThreatType | null {
  if (!text) return null;
  const parts = text
    .trim()
    .split('/')
    .map((p) => p.trim());
  const at = parts.findIndex((p) => HEAD.test(p));
  const category = (i: number) => (i >= 1 && !NAMESPACES.has(parts[i - 1] as string) ? parts[i - 1] : undefined);
  if (at === -1) {
    const last = parts.at(-1) as string;
    const m = RESOURCE_FIRST.exec(last);
    const purpose = compact(category(parts.length - 1));
    return m && RESOURCE_TYPES.has(m[1] as string) && parts[0] === 'TTPs' && purpose ? threat(purpose, m[1] as string, m[2] as string) : null;
  }
  const [, left, right, hyphenated] = HEAD.exec(parts[at] as string) as RegExpExecArray;
  if (RESOURCE_TYPES.has(left as string)) {
    // `EC2:Unusual-DNS-Resolver`: the family's words joined by hyphens, the purpose in the category.
    return threat(compact(category(at)), left as string, `${right}${hyphenated ? `-${hyphenated}` : ''}`.replace(/-/g, ''));
  }
  const rest = hyphenated ?? parts.slice(at + 1).join('/');
  if (!rest) return null;
  if (category(at) === 'AnomalousBehavior') return threat(left as string, right as string, `AnomalousBehavior.${rest}`);
  return threat(left as string, right as string, rest);
}

/** OCSF: the analytic that fired, which GuardDuty fills with its own type. */
function ocsfAnalyticName(finding: Finding): string | null {
  if (finding.schema !== 'ocsf' || !finding.raw || typeof finding.raw !== 'object') return null;
  const info = (finding.raw as Record<string, unknown>).finding_info;
  const analytic = info && typeof info === 'object' ? (info as Record<string, unknown>).analytic : undefined;
  const name = analytic && typeof analytic === 'object' ? (analytic as Record<string, unknown>).name : undefined;
  return typeof name === 'string' ? name : null;
}

/** Every threat type a finding states, in the order it states them (its types, then an OCSF analytic name). */
export function threatTypesOf(finding: Finding): ThreatType[] {
  const seen = new Set<string>();
  const out: ThreatType[] = [];
  for (const text of [...finding.types, finding.type, ocsfAnalyticName(finding)]) {
    const parsed = parseThreatType(text);
    if (!parsed || seen.has(parsed.canonical)) continue;
    seen.add(parsed.canonical);
    out.push(parsed);
  }
  return out;
}

/** Whether a finding was produced by GuardDuty, whatever format carries it. */
export function isGuardDutyFinding(finding: Finding): boolean {
  if (finding.schema === 'guardduty') return true;
  if (finding.productArn && /\/aws\/guardduty$/.test(finding.productArn)) return true;
  return /^(Amazon )?GuardDuty$/i.test(finding.product);
}
