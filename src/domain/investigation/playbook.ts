import type { SubjectKind } from './subjects.ts';

/** What a playbook is made of (its questions, sources and vocabulary), apart from the catalog (playbook-catalog.ts) and the choice of one (playbooks.ts), which both build on it. */

export type QuestionId = 'exposedAt' | 'principal' | 'accessKeyId' | 'rotated' | 'accountId' | 'instanceId';
/**
 * Evidence sources; a playbook may name one this runtime lacks (it becomes a limiting factor, never a guess).
 * `archive` (the trail's long-term store) goes with `cloudtrail` wherever one is configured.
 * `cost`: Cost Explorer's spend by service and region, against the period before (cost-spikes.ts).
 */
export type CollectorId = 'cloudtrail' | 'archive' | 'network' | 'iam' | 'ec2' | 'findings' | 's3' | 'eks' | 'ecs' | 'ecr' | 'rds' | 'lambda' | 'cost';

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

/** Playbook ids are part of the CLI's output (`sirbot investigate --format json`): stable, documented in README. */
export const PLAYBOOK_IDS = [
  'credential-exposure',
  'instance-credentials',
  'ec2-compromise',
  's3-data',
  'eks-compromise',
  'runtime-compromise',
  'rds-access',
  'lambda-compromise',
  'defense-evasion',
  'root-credential-use',
  'security-control',
  'vulnerability',
  'generic',
] as const;
export type PlaybookId = (typeof PLAYBOOK_IDS)[number];

export interface Playbook {
  id: PlaybookId;
  name: string;
  questions: QuestionId[];
  /** The catalog's collectors, plus those the finding's resources call for (a control's resource type, a runtime finding's cluster). */
  collectors: CollectorId[];
  /** How far before the finding's first sighting to look when no answer says otherwise. */
  lookbackDays: number;
  /** How long after the last sighting the window runs: what happened next. */
  followUpHours: number;
  containment: string[];
  /** CloudTrail event names worth finding whoever made them in the window, for this kind of finding. */
  watchedEvents: string[];
  /** Calls into an instance that CloudTrail does not list among the event's resources (SendCommand, StartSession): looked up by name, kept when they name an investigated instance. */
  instanceEvents: string[];
  /** The kinds of subject (subjects.ts) whose identifiers the activity search should use, most telling first. */
  searchBy: SubjectKind[];
  /** What the finding is, said plainly: a test signal, a probe rather than a compromise, root as the actor. */
  notes: string[];
  /** Set when the finding is a test signal (GuardDuty `PenTest:*`, `Canary:*`) investigated as what it tests. */
  signal: 'pen-test' | 'canary' | null;
  /** The threat type that chose the playbook, in GuardDuty's spelling; null when the finding states none. */
  threatType: string | null;
}
