import type { SubjectState } from '../domain/investigation/current-state.ts';
import type { LimitingFactor } from '../domain/investigation/limiting.ts';
import type { CostSpike } from '../domain/investigation/cost-spikes.ts';
import type { RegionCoverage } from '../domain/investigation/region-coverage.ts';
import type { Searched } from '../domain/investigation/searched.ts';
import type { Subject } from '../domain/investigation/subjects.ts';
import type { CollectorId } from '../domain/investigation/playbooks.ts';
import type { TimelineEntry } from '../domain/investigation/timeline.ts';
import type { InvestigationWindow } from '../domain/investigation/window.ts';

/** Where and what to look for: one account and region, one window, the identifiers in play. */
export interface EvidenceScope {
  accountId: string;
  region: string;
  window: InvestigationWindow;
  /**
   * Where CloudTrail event history starts (90 days before now): with a long-term store
   * configured, event history answers from here and the archive collector before it.
   */
  eventHistoryFrom?: string;
  accessKeyIds: string[];
  /** IAM user names, `root`, and role session names (CloudTrail's event history names an assumed role's events by its session). */
  usernames: string[];
  /** IAM roles in play: whose credentials were used, or which the finding names. */
  roleNames: string[];
  /** Everything the finding (and the answers) name, typed: what current-state collectors describe. */
  subjects: Subject[];
  /** Resource names or ids the finding names (instance ids, bucket names, role names…). */
  resourceNames: string[];
  /** API calls to find whoever made them (persistence, privilege escalation, defense evasion). */
  eventNames: string[];
  /** Calls into instances looked up by name and kept when they name an instance subject (lookup-plan.ts). */
  instanceEvents?: string[];
  /** What the first round of evidence showed was created in the window, for current-state checks. */
  created?: { users: string[]; roles: string[]; accessKeys: string[]; instances: string[] };
  /** The region the window's events put each instance in, when not the finding's (launched or used elsewhere). */
  instanceRegions?: Record<string, string>;
  /** Existing identities and instances the window's events changed or touched. */
  touched?: { users: string[]; roles: string[]; instances: string[]; buckets?: string[] };
}

export interface CollectorProgress {
  collector: CollectorId;
  pages: number;
  items: number;
}

export interface CollectorResult {
  collector: CollectorId;
  /** Events: what happened. */
  items: TimelineEntry[];
  /** Current state: how the subjects are now, as the API for each kind describes them. */
  states: SubjectState[];
  /** Every look it made, with what it found (also when it found nothing). */
  searched: Searched[];
  /** What it could not collect, and why. */
  limitingFactors: LimitingFactor[];
  pages: number;
  /** CloudTrail: the regions searched against those the account has enabled. */
  regionCoverage?: RegionCoverage;
  /** Cost: spend that jumped in the window, by service and region. */
  costSpikes?: CostSpike[];
}

/** Every evidence source behind one interface. Collectors get their clients from the AWS factory. */
export interface Collector {
  readonly id: CollectorId;
  collect(scope: EvidenceScope, onProgress?: (p: CollectorProgress) => void): Promise<CollectorResult>;
  /**
   * The time of the newest event this source holds for a subject (CloudTrail: within its
   * 90 days), or null when it holds none or cannot be asked about that kind of subject:
   * where an investigation nobody's finding started should look.
   */
  lastActivity?(subject: Subject, accountId: string, region: string, now: number): Promise<string | null>;
}
