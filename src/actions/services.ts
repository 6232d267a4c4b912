import type { AccessControl } from './access.ts';
import type { Auditor } from './audit.ts';
import type { AgentWork } from './agent-work.ts';
import type { PrincipalCheck } from './principal-check.ts';
import type { CaseComments } from './case-comments.ts';
import type { CaseSync } from './case-sync.ts';
import type { CaseService } from './cases.ts';
import type { EscalationService } from './escalations.ts';
import type { OfferBook } from './offers.ts';
import type { RemediationService } from './remediations.ts';
import type { SnoozeService } from './snoozes.ts';
import type { StatsService } from './stats.ts';
import type { StatusService } from './status.ts';

/** The action use cases a runtime offers (status, cases, remediations, escalations, snoozes); present where the runtime can act. */
export interface ActionServices {
  access: AccessControl;
  audit: Auditor;
  /** What finding messages offered: every click and submission is checked against it. */
  offers: OfferBook;
  status: StatusService;
  cases: CaseService;
  /** A case's comments both ways: thread messages to the case, the case's comments to the thread. */
  caseComments: CaseComments;
  /** The case's thread kept in step with Security IR's events. */
  caseSync: CaseSync;
  /** "Was this you?" to the person behind a finding's credentials; absent without a Slack workspace to ask in. */
  principalCheck?: PrincipalCheck | undefined;
  /** The AWS investigative agent's results in the case's thread, and people's feedback on them. */
  agentWork: AgentWork;
  remediations: RemediationService;
  escalations: EscalationService;
  snoozes: SnoozeService;
  /** The numbers: `/sir stats` and the weekly post. */
  stats: StatsService;
}
