import type { ActionServices } from '../actions/services.ts';
import type { RuleSet } from '../domain/routing/rules.ts';
import type { InvestigationService } from '../investigation/service.ts';
import type { JobRunner } from '../jobs/job.ts';
import type { FindingSource } from '../ports/finding-source.ts';
import type { Logger } from '../ports/logger.ts';
import type { Store } from '../ports/store.ts';

/** What the Slack surfaces need from the runtime: the use cases they call and where slow work goes. */
export interface SlackAppDeps {
  rules: () => RuleSet;
  logger: Logger;
  /** Present where the runtime can investigate. */
  investigations?: InvestigationService;
  store?: Store;
  /** Present where the runtime can act (status, cases, remediations, escalations). */
  actions?: ActionServices;
  /** Where ad-hoc investigations look when the request names no account or region. */
  adHoc?: { account: string; region: string };
  /** Where `/sir finding` fetches findings sirbot has not seen. */
  findingSource?: FindingSource;
  /** Feeds a fetched finding document through ingest and delivery, and waits for it. */
  ingest?: (document: unknown) => Promise<string[]>;
  permalink?: (channel: string, ts: string) => Promise<string | null>;
  clock?: () => number;
  /** Where slow work goes once an interaction is acknowledged (the command bus); required with investigations or actions. */
  jobs?: JobRunner;
}
