import type { AccessControl } from '../../actions/access.ts';
import type { Auditor } from '../../actions/audit.ts';
import type { CaseService } from '../../actions/cases.ts';
import type { EscalationService } from '../../actions/escalations.ts';
import type { OfferBook } from '../../actions/offers.ts';
import type { RemediationService } from '../../actions/remediations.ts';
import type { StatusService } from '../../actions/status.ts';

/** The use cases Slack's action surfaces call; present where the runtime can act. */
export interface ActionServices {
  access: AccessControl;
  audit: Auditor;
  /** What finding messages offered: every click and submission is checked against it. */
  offers: OfferBook;
  status: StatusService;
  cases: CaseService;
  remediations: RemediationService;
  escalations: EscalationService;
}
