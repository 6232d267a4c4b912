import type { SlackRouter } from '../router.ts';
import type { SlackAppDeps } from '../deps.ts';
import { homeView } from '../views/home.ts';

const OPEN = new Set(['asked', 'gathering']);

/** App Home: open investigations, recent cases, and the approvals waiting on whoever opens it. */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { store, actions } = deps;
  if (!store || !actions) return;
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const user = event.user;
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
      roles,
    });
    await client.views.publish({ user_id: user, view: view });
  });
}
