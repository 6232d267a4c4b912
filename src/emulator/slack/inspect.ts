import type { Workspace } from './workspace.ts';

export interface JsonView {
  status: number;
  body: unknown;
}

/**
 * Plain JSON views of the workspace for scripts, tests and the workbench page:
 * `GET /api/conversations`, `GET /api/conversations/:channel/messages`, `GET /api/views`
 * (open modals per user, Home tabs) and `GET /api/ephemerals`.
 */
export function inspectView(ws: Workspace, pathname: string): JsonView | undefined {
  if (pathname === '/api/conversations') return { status: 200, body: { channels: ws.channels() } };
  if (pathname === '/api/views') return { status: 200, body: ws.surfaces.snapshot() };
  if (pathname === '/api/ephemerals') return { status: 200, body: { ephemerals: ws.ephemerals() } };
  const match = /^\/api\/conversations\/([^/]+)\/messages$/.exec(pathname);
  if (!match) return undefined;
  const channel = ws.channelId(decodeURIComponent(match[1] as string));
  if (!channel) return { status: 404, body: { channel: null, messages: [] } };
  const messages = ws.messages(channel).map((parent) => ({ ...parent, replies: ws.thread(channel, parent.ts).slice(1) }));
  return { status: 200, body: { channel, messages } };
}
