import type { FakeOpsgenie } from '../paging/opsgenie.ts';
import type { FakePagerDuty } from '../paging/pagerduty.ts';

/** One incident or alert as the page lists it. */
export interface PageShown {
  service: 'pagerduty' | 'opsgenie';
  id: string;
  title: string;
  status: string;
  /** Triggers (PagerDuty alerts) or creates (Opsgenie count) it took. */
  count: number;
  by: string | null;
  /** Whether the on-call person can still acknowledge it here. */
  canAcknowledge: boolean;
}

export interface WorkbenchPaging {
  list(): PageShown[];
  /** Someone acknowledges it in that service: its webhook goes to sirbot; the bot's answer status. */
  acknowledge(service: 'pagerduty' | 'opsgenie', id: string, by: string): Promise<number | null>;
}

/** The fake PagerDuty's incidents and the fake Opsgenie's alerts, for the workbench's "On-call pages" panel. */
export function workbenchPaging(pd: FakePagerDuty, og: FakeOpsgenie): WorkbenchPaging {
  return {
    list: () => [
      ...pd.incidents.map((i) => ({
        service: 'pagerduty' as const,
        id: i.id,
        title: i.title,
        status: i.status,
        count: i.alerts,
        by: i.by,
        canAcknowledge: i.status === 'triggered',
      })),
      ...og.alerts.map((a) => ({
        service: 'opsgenie' as const,
        id: a.id,
        title: a.message,
        status: a.status === 'closed' ? 'closed' : a.acknowledged ? 'acknowledged' : 'open',
        count: a.count,
        by: a.by,
        canAcknowledge: a.status === 'open' && !a.acknowledged,
      })),
    ],
    acknowledge: (service, id, by) => (service === 'pagerduty' ? pd.act(id, by) : og.act(id, by)),
  };
}
