import type { Finding } from '../finding.ts';

/**
 * What to ask, gather and recommend for a kind of finding. Questions are asked in the
 * finding's thread before gathering, as AWS Security Incident Response's investigative
 * agent does; answers the finding already gives are filled in and not asked.
 */

export type QuestionId = 'exposedAt' | 'principal' | 'accessKeyId' | 'rotated' | 'accountId' | 'instanceId';
/** Evidence sources; a playbook may name one this runtime lacks (it becomes a limiting factor, never a guess). */
export type CollectorId = 'cloudtrail' | 'iam' | 'ec2' | 'findings' | 's3' | 'eks' | 'ecs' | 'rds' | 'lambda';

export interface Question {
  id: QuestionId;
  text: string;
  kind: 'date' | 'text' | 'select';
  options?: Array<{ value: string; label: string }>;
}

export const QUESTIONS: Record<QuestionId, Question> = {
  exposedAt: { id: 'exposedAt', text: 'When were the credentials first exposed (or when could they have been)?', kind: 'date' },
  principal: { id: 'principal', text: 'Which IAM user or role is involved?', kind: 'text' },
  accessKeyId: { id: 'accessKeyId', text: 'Which access key id (AKIA…/ASIA…)?', kind: 'text' },
  rotated: {
    id: 'rotated',
    text: 'Have the credentials already been rotated or deactivated?',
    kind: 'select',
    options: [
      { value: 'no', label: 'No, still active' },
      { value: 'deactivated', label: 'Deactivated' },
      { value: 'deleted', label: 'Deleted / rotated' },
      { value: 'unknown', label: "Don't know" },
    ],
  },
  accountId: { id: 'accountId', text: 'Which AWS account?', kind: 'text' },
  instanceId: { id: 'instanceId', text: 'Which EC2 instance (i-…)?', kind: 'text' },
};

export interface Playbook {
  id: 'credential-exposure' | 'ec2-compromise' | 'root-credential-use' | 'generic';
  name: string;
  questions: QuestionId[];
  collectors: CollectorId[];
  /** How far before the finding's first sighting to look when no answer says otherwise. */
  lookbackDays: number;
  containment: string[];
}

const PLAYBOOKS: Record<Playbook['id'], Playbook> = {
  'credential-exposure': {
    id: 'credential-exposure',
    name: 'Credential exposure or misuse',
    questions: ['exposedAt', 'principal', 'accessKeyId', 'rotated', 'accountId'],
    collectors: ['cloudtrail', 'iam', 'ec2', 'findings'],
    lookbackDays: 7,
    containment: ['Deactivate the exposed credentials now (UpdateAccessKey Inactive, or revoke the role sessions) while the investigation runs.'],
  },
  'ec2-compromise': {
    id: 'ec2-compromise',
    name: 'EC2 instance compromise',
    questions: ['instanceId', 'accountId'],
    collectors: ['ec2', 'cloudtrail', 'findings'],
    lookbackDays: 3,
    containment: [
      'Snapshot the instance volumes for forensics, then isolate the instance in a security group with no rules.',
      "Revoke the instance role's active sessions and check what its credentials were used for outside the instance.",
    ],
  },
  'root-credential-use': {
    id: 'root-credential-use',
    name: 'Root credential use',
    questions: ['exposedAt', 'accountId'],
    collectors: ['cloudtrail', 'iam', 'findings'],
    lookbackDays: 7,
    containment: [
      'Confirm with the account owner that the root use was expected; if not, reset the root password and MFA and delete any root access keys.',
    ],
  },
  generic: {
    id: 'generic',
    name: 'Configuration finding',
    questions: ['accountId'],
    collectors: ['cloudtrail', 'findings'],
    lookbackDays: 7,
    containment: ['Apply the control’s remediation guidance to the affected resources, then confirm the finding resolves.'],
  },
};

const CREDENTIAL_TYPES = [
  /^UnauthorizedAccess:IAMUser\//,
  /^Recon:IAMUser\//,
  /^Discovery:/,
  /^Persistence:IAMUser\//,
  /^PrivilegeEscalation:IAMUser\//,
  /^CredentialAccess:IAMUser\//,
  /^DefenseEvasion:IAMUser\//,
  /^Exfiltration:IAMUser\//,
  /^Impact:IAMUser\//,
  /^AttackSequence:IAM\/CompromisedCredentials/,
  /^Sirbot:Report\/ExposedCredentials/,
];
const EC2_TYPES = [/^Backdoor:EC2\//, /^CryptoCurrency:EC2\//, /^UnauthorizedAccess:EC2\//, /^Trojan:EC2\//, /^Impact:EC2\//];

/** The playbook for a finding type (GuardDuty type, or any of an ASFF finding's types). */
export function playbookFor(finding: Pick<Finding, 'types'>): Playbook {
  const types = finding.types.map((t) => t.replace(/^TTPs\/[^/]+\//, ''));
  if (types.some((t) => t.startsWith('Policy:IAMUser/RootCredentialUsage'))) return PLAYBOOKS['root-credential-use'];
  if (types.some((t) => CREDENTIAL_TYPES.some((re) => re.test(t)))) return PLAYBOOKS['credential-exposure'];
  if (types.some((t) => EC2_TYPES.some((re) => re.test(t)))) return PLAYBOOKS['ec2-compromise'];
  return PLAYBOOKS.generic;
}

export type Answers = Partial<Record<QuestionId, string>>;

/** What the finding already answers. */
export function prefill(finding: Finding): Answers {
  const answers: Answers = { accountId: finding.accountId };
  const key = finding.resources.find((r) => r.type === 'AwsIamAccessKey')?.id;
  if (key) answers.accessKeyId = key;
  const principal = finding.resources.find((r) => r.type === 'AwsIamUser' || r.type === 'AwsIamRole')?.id;
  if (principal) answers.principal = principal;
  const instance = finding.resources.find((r) => r.type === 'AwsEc2Instance')?.id;
  if (instance) answers.instanceId = instance;
  return answers;
}

/** The questions still open: those of the playbook neither the finding nor a person has answered. */
export function openQuestions(playbook: Playbook, answers: Answers): Question[] {
  return playbook.questions.filter((q) => !answers[q]).map((q) => QUESTIONS[q]);
}
