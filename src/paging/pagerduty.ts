import { pagerDutyFollowUp, pagerDutyTrigger } from '../domain/actions/paging.ts';
import type { PageRequest, Pager } from '../ports/pager.ts';
import { postJson, type PagerHttpOptions } from './http.ts';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com';

/**
 * PagerDuty Events API v2 (developer.pagerduty.com, "Events API v2 Overview" and "Send an
 * Alert Event"): one endpoint, `POST /v2/enqueue`, for trigger, acknowledge and resolve,
 * answered 202 `{status: "success", message, dedup_key}`; 400 for an invalid event, 429
 * when rate limited. The dedup key names the incident, so the same event again changes
 * nothing: a retried trigger joins the open incident.
 */
export class PagerDutyEvents implements Pager {
  constructor(
    private readonly routingKey: string,
    private readonly baseUrl: string = PAGERDUTY_EVENTS_URL,
    private readonly http: PagerHttpOptions = {},
  ) {}

  private send(event: object): Promise<unknown> {
    return postJson('PagerDuty', `${this.baseUrl.replace(/\/$/, '')}/v2/enqueue`, { routing_key: this.routingKey, ...event }, {}, [202], this.http);
  }

  async trigger(page: PageRequest): Promise<void> {
    await this.send(pagerDutyTrigger(page.finding, { key: page.key, threadLink: page.threadLink }));
  }

  async acknowledge(key: string): Promise<void> {
    await this.send(pagerDutyFollowUp('acknowledge', key));
  }

  async resolve(key: string): Promise<void> {
    await this.send(pagerDutyFollowUp('resolve', key));
  }
}
