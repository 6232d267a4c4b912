import type { WebClient } from '@slack/web-api';
import type { ActionServices } from '../../actions/services.ts';
import type { Store } from '../../ports/store.ts';
import type { SlackRouter } from '../router.ts';
import type { SlackAppDeps } from '../deps.ts';
import { homeView } from '../views/home.ts';

const OPEN = new Set(['asked', 'gathering']);

/**
 * Draws one person's App Home: open investigations, recent cases, active snoozes and the
 * approvals waiting on them (`without`: a snooze just cancelled, left out while its cancel runs).
 */
export async function publishHome(
  client: WebClient,
  user: string,
  { store, actions }: { store: Store; actions: ActionServices },
  o: { without?: string } = {},
): Promise<void> {
  const investigations = (await store.listInvestigations())
    .filter((i) => OPEN.has(i.state))
    .slice(-15)
    .reverse();
  const withLinks = await Promise.all(
    investigations.map(async (i) => {
      const record = await store.getFinding(i.findingId);
      const title = record?.snapshot?.title ?? i.findingId;
      const permalink = await client.chat.getPermalink({ channel: i.channel, message_ts: i.threadTs }).then(
        (r) => r.permalink ?? null,
        () => null,
      );
      return { ...i, title, permalink };
    }),
  );
  const approver = (await actions.access.check(user, 'approver')).allowed;
  const roles = approver ? ['approver', 'responder'] : (await actions.access.check(user, 'responder')).allowed ? ['responder'] : [];
  const approvals = roles.includes('approver') ? (await store.actions.listActions({ state: 'awaiting_approval' })).filter((a) => a.requestedBy !== user) : [];
  const view = homeView({
    investigations: withLinks,
    cases: await store.actions.listCases(10),
    caseUrl: (id) => actions.cases.consoleUrl(id),
    approvals,
    snoozes: (await actions.snoozes.listActive()).filter((s) => s.id !== o.without),
    roles,
  });
  await client.views.publish({ user_id: user, view: view });
}

/** App Home: open investigations, recent cases, active snoozes, and the approvals waiting on whoever opens it. */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { store, actions } = deps;
  if (!store || !actions) return;
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(client, event.user, { store, actions });
  });
}
