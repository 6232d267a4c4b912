import { opsgenieAlert, opsgenieFollowUp } from '../domain/actions/paging.ts';
import type { PageRequest, Pager } from '../ports/pager.ts';
import { postJson, type PagerHttpOptions } from './http.ts';

/** The US instance; EU accounts use https://api.eu.opsgenie.com. */
export const OPSGENIE_API_URL = 'https://api.opsgenie.com';

/**
 * Opsgenie Alert API (docs.opsgenie.com, "Alert API"): `POST /v2/alerts` creates an alert,
 * `POST /v2/alerts/{alias}/acknowledge?identifierType=alias` and `…/close?identifierType=alias`
 * act on it; every request carries `Authorization: GenieKey <API key>` and is answered 202
 * `{result, took, requestId}` (the work itself is asynchronous). The alias de-duplicates: a
 * second create with an open alert's alias only counts it again.
 */
export class OpsgenieAlerts implements Pager {
  constructor(
    private readonly apiKey: string,
    private readonly baseUrl: string = OPSGENIE_API_URL,
    private readonly http: PagerHttpOptions = {},
  ) {}

  private send(path: string, body: object): Promise<unknown> {
    return postJson('Opsgenie', `${this.baseUrl.replace(/\/$/, '')}${path}`, body, { authorization: `GenieKey ${this.apiKey}` }, [202], this.http);
  }

  async trigger(page: PageRequest): Promise<void> {
    await this.send('/v2/alerts', opsgenieAlert(page.finding, { key: page.key, threadLink: page.threadLink }));
  }

  async acknowledge(key: string): Promise<void> {
    await this.send(`/v2/alerts/${encodeURIComponent(key)}/acknowledge?identifierType=alias`, opsgenieFollowUp('Acknowledged in Slack (sirbot)'));
  }

  async resolve(key: string): Promise<void> {
    await this.send(`/v2/alerts/${encodeURIComponent(key)}/close?identifierType=alias`, opsgenieFollowUp('The finding was set RESOLVED (sirbot)'));
  }
}
