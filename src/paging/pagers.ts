import type { Pagers } from '../ports/pager.ts';
import { OpsgenieAlerts } from './opsgenie.ts';
import { PagerDutyEvents } from './pagerduty.ts';
import type { PagerHttpOptions } from './http.ts';

/** Where the paging credentials come from: the environment, or (Lambda) the Slack secret's optional fields. */
export interface PagingSettings {
  pagerDutyRoutingKey?: string | undefined;
  pagerDutyEventsUrl?: string | undefined;
  opsgenieApiKey?: string | undefined;
  opsgenieApiUrl?: string | undefined;
}

/** The pagers that have credentials; the others are absent (a rule paging one is audited as failed, and warned about at start). */
export function configuredPagers(s: PagingSettings, http: PagerHttpOptions = {}): Pagers {
  return {
    ...(s.pagerDutyRoutingKey ? { pagerduty: new PagerDutyEvents(s.pagerDutyRoutingKey, s.pagerDutyEventsUrl, http) } : {}),
    ...(s.opsgenieApiKey ? { opsgenie: new OpsgenieAlerts(s.opsgenieApiKey, s.opsgenieApiUrl, http) } : {}),
  };
}
