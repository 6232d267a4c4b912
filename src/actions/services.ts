import type { AccessControl } from './access.ts';
import type { Auditor } from './audit.ts';
import type { CaseService } from './cases.ts';
import type { EscalationService } from './escalations.ts';
import type { OfferBook } from './offers.ts';
import type { RemediationService } from './remediations.ts';
import type { SnoozeService } from './snoozes.ts';
import type { StatusService } from './status.ts';

/** The action use cases a runtime offers (status, cases, remediations, escalations, snoozes); present where the runtime can act. */
export interface ActionServices {
  access: AccessControl;
  audit: Auditor;
  /** What finding messages offered: every click and submission is checked against it. */
  offers: OfferBook;
  status: StatusService;
  cases: CaseService;
  remediations: RemediationService;
  escalations: EscalationService;
  snoozes: SnoozeService;
}
