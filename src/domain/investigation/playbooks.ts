import type { Finding } from '../finding.ts';
import { isGuardDutyFinding, threatTypesOf, type ThreatType } from './finding-types.ts';
import { CONTROL_WATCHED_EVENTS, PLAYBOOKS } from './playbook-catalog.ts';
import { type Subject, type SubjectKind, subjectsOf } from './subjects.ts';
import { type CollectorId, type Playbook, type PlaybookId, type Question, type QuestionId, QUESTIONS } from './playbook.ts';

export { PLAYBOOK_IDS } from './playbook.ts';
export { QUESTIONS };
export type { CollectorId, Playbook, PlaybookId, Question, QuestionId };

/**
 * What to ask, gather and recommend for a kind of finding. Questions are asked in the
 * finding's thread before gathering, as AWS Security Incident Response's investigative
 * agent does; answers the finding already gives are filled in and not asked.
 */

/** A threat type's resource, by the playbook that investigates what happens to it. */
const BY_RESOURCE: Record<string, PlaybookId> = {
  IAMUser: 'credential-exposure',
  IAM: 'credential-exposure',
  EC2: 'ec2-compromise',
  S3: 's3-data',
  S3Object: 's3-data',
  Kubernetes: 'eks-compromise',
  EKS: 'eks-compromise',
  Runtime: 'runtime-compromise',
  ECS: 'runtime-compromise',
  Container: 'runtime-compromise',
  RDS: 'rds-access',
  Lambda: 'lambda-compromise',
};

/** GuardDuty's threat purposes (GuardDuty finding format; attack sequences, malware, Custom Detection Rules). */
const GUARDDUTY_PURPOSES = new Set([
  'AttackSequence',
  'Backdoor',
  'Behavior',
  'Canary',
  'CredentialAccess',
  'CryptoCurrency',
  'DefenseEvasion',
  'DefenseImpairment',
  'Discovery',
  'Execution',
  'Exfiltration',
  'Impact',
  'InitialAccess',
  'LateralMovement',
  'Object',
  'PenTest',
  'Persistence',
  'Policy',
  'PrivilegeEscalation',
  'Recon',
  'ResourceConsumption',
  'ResourceDevelopment',
  'Stealth',
  'Trojan',
  'UnauthorizedAccess',
]);

/**
 * Custom Detection Rules on EC2 are API calls someone made (an AMI shared, user data
 * changed, an SSH key pushed), not the instance misbehaving: the caller is investigated.
 */
const API_PURPOSES_ON_EC2 = new Set([
  'CredentialAccess',
  'Exfiltration',
  'LateralMovement',
  'Persistence',
  'InitialAccess',
  'PrivilegeEscalation',
  'ResourceDevelopment',
]);

/** The playbook one threat type calls for; null for a type that is not GuardDuty's and names nothing sirbot follows. */
export function playbookForThreat(t: ThreatType): PlaybookId | null {
  if (t.purpose === 'Policy' && t.resource === 'IAMUser' && /RootCredentialUsage$/.test(t.family)) return 'root-credential-use';
  if (t.family === 'InstanceCredentialExfiltration') return 'instance-credentials';
  if (t.purpose === 'AttackSequence') {
    // The EC2 instance-group and ECS sequences are built from Runtime Monitoring signals.
    const sequences: Record<string, PlaybookId> = {
      IAM: 'credential-exposure',
      S3: 's3-data',
      EKS: 'eks-compromise',
      ECS: 'runtime-compromise',
      EC2: 'runtime-compromise',
    };
    return sequences[t.resource] ?? 'credential-exposure';
  }
  // Macie names its bucket findings `Policy:IAMUser/S3…` and `SensitiveData:S3Object/…`.
  if (t.purpose === 'SensitiveData' || (t.purpose === 'Policy' && t.resource === 'IAMUser' && t.family.startsWith('S3'))) return 's3-data';
  if (t.resource === 'S3' || t.resource === 'S3Object') return 's3-data';
  if (t.purpose === 'Stealth' || t.purpose === 'DefenseImpairment' || (t.purpose === 'DefenseEvasion' && t.resource === 'IAMUser')) return 'defense-evasion';
  if (t.resource === 'EC2' && API_PURPOSES_ON_EC2.has(t.purpose)) return 'credential-exposure';
  if (t.purpose === 'Sirbot' && t.family === 'ExposedCredentials') return 'credential-exposure';
  const byResource = BY_RESOURCE[t.resource];
  if (byResource) return byResource;
  // A GuardDuty detection on a resource sirbot has no playbook for (SES, SageMaker,
  // Organizations…) is an API call a principal made: its credentials are what to follow.
  return GUARDDUTY_PURPOSES.has(t.purpose) ? 'credential-exposure' : null;
}

/** A Security Hub control (security standard) finding, in ASFF or OCSF (Compliance Finding, class 2003). */
function isControlFinding(finding: Finding): boolean {
  if (finding.controlId) return true;
  if (finding.types.some((t) => t.startsWith('Software and Configuration Checks/Industry and Regulatory Standards'))) return true;
  return finding.schema === 'ocsf' && rawField(finding, 'class_uid') === 2003;
}

/** Inspector and other vulnerability findings (ASFF `Software and Configuration Checks/Vulnerabilities/…`, OCSF class 2002). */
function isVulnerabilityFinding(finding: Finding): boolean {
  if (/inspector/i.test(finding.product) || /\/aws\/inspector$/.test(finding.productArn ?? '')) return true;
  if (finding.types.some((t) => t.startsWith('Software and Configuration Checks/Vulnerabilities'))) return true;
  return finding.schema === 'ocsf' && rawField(finding, 'class_uid') === 2002;
}

function rawField(finding: Finding, key: string): unknown {
  return finding.raw && typeof finding.raw === 'object' ? (finding.raw as Record<string, unknown>)[key] : undefined;
}

/** The collector that reads the current state of a resource type (ASFF or CloudFormation spelling). */
function collectorForResourceType(type: string): CollectorId | null {
  const t = type.replace(/^AWS::/, 'Aws').replace(/::/g, '');
  if (/^AwsEc2/i.test(t)) return 'ec2';
  if (/^AwsS3/i.test(t)) return 's3';
  if (/^AwsIam/i.test(t)) return 'iam';
  if (/^AwsEks/i.test(t)) return 'eks';
  if (/^AwsEcs/i.test(t)) return 'ecs';
  if (/^AwsEcr/i.test(t)) return 'ecr';
  if (/^AwsRds/i.test(t)) return 'rds';
  if (/^AwsLambda/i.test(t)) return 'lambda';
  return null;
}

const COLLECTOR_OF_SUBJECT: Partial<Record<SubjectKind, CollectorId>> = {
  instance: 'ec2',
  bucket: 's3',
  eksCluster: 'eks',
  ecsCluster: 'ecs',
  container: 'ecs',
  rdsInstance: 'rds',
  lambdaFunction: 'lambda',
};

const unique = <T>(items: T[]): T[] => [...new Set(items)];

/** Playbooks about what an instance itself did: its traffic and lookups are evidence. */
const INSTANCE_PLAYBOOKS = new Set<PlaybookId>(['ec2-compromise', 'instance-credentials']);

/**
 * Network evidence (Security Lake's flows and DNS lookups) where it can say something: an
 * instance playbook with an instance in play, or any playbook with an address in play.
 */
function withNetwork(id: PlaybookId, collectors: CollectorId[], subjects: Subject[]): CollectorId[] {
  const instance = INSTANCE_PLAYBOOKS.has(id) && subjects.some((s) => s.kind === 'instance');
  const address = subjects.some((s) => s.kind === 'ip');
  return instance || address ? unique([...collectors, 'network']) : collectors;
}

function notesFor(id: PlaybookId, threat: ThreatType | null, rootActor: boolean): string[] {
  const notes: string[] = [];
  if (threat?.purpose === 'PenTest') {
    notes.push(
      `A pen-test signal (${threat.canonical}): the calls came from a penetration-testing distribution. Investigated as what it tests; confirm whether an authorized test was running before containing, and treat it as an attack if none was.`,
    );
  }
  if (threat?.purpose === 'Canary') {
    notes.push(
      `A canary signal (${threat.canonical}): a test finding, investigated as what it tests. Expect nothing behind it unless the resource it names is real and unexpected activity shows up.`,
    );
  }
  if (threat?.purpose === 'Recon' && threat.resource === 'EC2' && threat.family.startsWith('PortProbe')) {
    notes.push(
      'A port probe shows exposure, not compromise: the instance answers on a port open to the internet. Close or restrict that port; treat the instance as compromised only if its own activity says so.',
    );
  }
  if (threat?.purpose === 'AttackSequence') {
    notes.push('An attack sequence: GuardDuty correlated several signals into one; its actors, resources and endpoints are all followed.');
  }
  if (rootActor && id === 'root-credential-use' && threat && !/RootCredentialUsage$/.test(threat.family)) {
    notes.push(`The root user is the actor of this ${threat.canonical} finding, so it is investigated as root credential use.`);
  }
  return notes;
}

/** The playbook with what this finding adds: collectors by its resources, watched events of a control's resource, notes. */
function compose(id: PlaybookId, finding: Finding, subjects: Subject[], threat: ThreatType | null, rootActor: boolean): Playbook {
  const base = PLAYBOOKS[id];
  let collectors = [...base.collectors];
  let watchedEvents = [...base.watchedEvents];
  if (id === 'security-control' || id === 'vulnerability') {
    const byType = finding.resources.map((r) => collectorForResourceType(r.type)).filter((c): c is CollectorId => c !== null);
    collectors = unique([...collectors, ...byType]);
    if (id === 'security-control') {
      watchedEvents = unique(byType.flatMap((c) => (c in CONTROL_WATCHED_EVENTS ? [...CONTROL_WATCHED_EVENTS[c as keyof typeof CONTROL_WATCHED_EVENTS]] : [])));
    }
  }
  if (id === 'runtime-compromise') {
    // Runtime Monitoring runs on EC2 hosts, EKS nodes and ECS tasks: read what this finding's workload runs on.
    const bySubject = subjects.map((s) => COLLECTOR_OF_SUBJECT[s.kind]).filter((c): c is CollectorId => c === 'ec2' || c === 'eks' || c === 'ecs');
    collectors = unique([...(bySubject.length ? bySubject : ['ec2' as const]), ...collectors]);
  }
  collectors = withNetwork(id, collectors, subjects);
  const signal = threat?.purpose === 'PenTest' ? 'pen-test' : threat?.purpose === 'Canary' ? 'canary' : null;
  return {
    ...base,
    questions: [...base.questions],
    collectors,
    containment: [...base.containment],
    watchedEvents,
    searchBy: [...base.searchBy],
    notes: notesFor(id, threat, rootActor),
    signal,
    threatType: threat?.canonical ?? null,
  };
}

/** Playbooks whose subject is whoever acted: when that is root, root's playbook applies. */
const ACTOR_PLAYBOOKS = new Set<PlaybookId>(['credential-exposure', 'defense-evasion']);

/** For a GuardDuty finding whose type says nothing sirbot can read: what it names decides. */
function bySubjects(subjects: Subject[]): PlaybookId {
  const kinds = new Set(subjects.map((s) => s.kind));
  if (kinds.has('root')) return 'root-credential-use';
  if (kinds.has('eksCluster') || kinds.has('kubernetesUser')) return 'eks-compromise';
  if (kinds.has('ecsCluster') || kinds.has('container')) return 'runtime-compromise';
  if (kinds.has('rdsInstance')) return 'rds-access';
  if (kinds.has('lambdaFunction')) return 'lambda-compromise';
  if (kinds.has('bucket')) return 's3-data';
  if (kinds.has('instance') && !kinds.has('accessKey')) return 'ec2-compromise';
  return 'credential-exposure';
}

/**
 * The playbook for a finding: from its threat type in any spelling (GuardDuty, Security
 * Hub's ASFF rewrite, OCSF types or analytic), else by what kind of finding it is (a
 * security control, a vulnerability), else — for GuardDuty, which never gets `generic` —
 * by what it names. Root as the actor of a credential or defense-evasion finding makes
 * it root credential use.
 */
export function playbookFor(finding: Finding): Playbook {
  const subjects = subjectsOf(finding);
  const rootActor = subjects.some((s) => s.kind === 'root');
  for (const threat of threatTypesOf(finding)) {
    const chosen = playbookForThreat(threat);
    if (!chosen) continue;
    const id = rootActor && ACTOR_PLAYBOOKS.has(chosen) ? 'root-credential-use' : chosen;
    return compose(id, finding, subjects, threat, rootActor);
  }
  if (isControlFinding(finding)) return compose('security-control', finding, subjects, null, rootActor);
  if (isVulnerabilityFinding(finding)) return compose('vulnerability', finding, subjects, null, rootActor);
  if (isGuardDutyFinding(finding)) return compose(bySubjects(subjects), finding, subjects, null, rootActor);
  return compose('generic', finding, subjects, null, rootActor);
}

export type Answers = Partial<Record<QuestionId, string>>;

/**
 * What the finding already answers, read from its subjects: the bare key id (not
 * Security Hub's `AWS::IAM::AccessKey:…`), the principal who holds it (a user, a role,
 * root), the instance (as the finding's resource, else as the session of an instance
 * profile's role).
 */
export function prefill(finding: Finding): Answers {
  const subjects = subjectsOf(finding);
  const answers: Answers = { accountId: finding.accountId };
  const first = (kind: SubjectKind) => subjects.find((s) => s.kind === kind);
  const key = first('accessKey');
  if (key) answers.accessKeyId = key.id;
  // CloudTrail names the root user's events `root`.
  const principal = first('iamUser')?.id ?? first('role')?.id ?? (first('root') ? 'root' : undefined) ?? first('federatedUser')?.id;
  if (principal) answers.principal = principal;
  const instances = subjects.filter((s) => s.kind === 'instance');
  const instance = instances.find((s) => s.via !== 'role-session') ?? instances[0];
  if (instance) answers.instanceId = instance.id;
  return answers;
}

/** The questions still open: those of the playbook neither the finding nor a person has answered. */
export function openQuestions(playbook: Playbook, answers: Answers): Question[] {
  return playbook.questions.filter((q) => !answers[q]).map((q) => QUESTIONS[q]);
}
