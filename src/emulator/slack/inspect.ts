import type { Workspace } from './workspace.ts';

export interface JsonView {
  status: number;
  body: unknown;
}

/**
 * Plain JSON views of the workspace for scripts, tests and the workbench page:
 * `GET /api/conversations`, `GET /api/conversations/:channel/messages`, `GET /api/views`
 * (open modals per user, root first, and Home tabs; `?user=` for one person's) and
 * `GET /api/ephemerals` (`?channel=` and `?user=` narrow it).
 */
export function inspectView(ws: Workspace, pathname: string, query: URLSearchParams = new URLSearchParams()): JsonView | undefined {
  const param = (key: string) => query.get(key) || undefined;
  if (pathname === '/api/conversations') return { status: 200, body: { channels: ws.channels() } };
  if (pathname === '/api/views') {
    const user = param('user');
    if (!user) return { status: 200, body: ws.views() };
    return { status: 200, body: { user, modals: ws.surfaces.modals(user), home: ws.surfaces.home(user) ?? null } };
  }
  if (pathname === '/api/ephemerals') {
    const channel = param('channel');
    const user = param('user');
    return { status: 200, body: { ephemerals: ws.ephemerals({ ...(channel ? { channel } : {}), ...(user ? { user } : {}) }) } };
  }
  const match = /^\/api\/conversations\/([^/]+)\/messages$/.exec(pathname);
  if (!match) return undefined;
  const channel = ws.channelId(decodeURIComponent(match[1] as string));
  if (!channel) return { status: 404, body: { channel: null, messages: [] } };
  const messages = ws.messages(channel).map((parent) => ({ ...parent, replies: ws.thread(channel, parent.ts).slice(1) }));
  return { status: 200, body: { channel, messages } };
}
