import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLarge, parseArgs, presentedToken, readBody, sendJson } from './http-io.ts';
import { inspectView } from './inspect.ts';
import { methodFor, type Answer, type Args } from './methods/index.ts';
import { type Fault, Faults } from './faults.ts';
import { DEFAULT_LIMITS, SlidingWindowLimiter, type RateLimits } from './rate-limit.ts';
import { SocketModeHub } from './socket-mode.ts';
import { uploadedBytes } from './upload.ts';
import { type Directory, Workspace } from './workspace.ts';

export interface SlackEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** When set, every call must carry this bot token. */
  token?: string;
  /** When set, `apps.connections.open` takes this app-level token (`xapp-…`) and Socket Mode is served. */
  appToken?: string;
  /** Per-method limits merged over Slack's defaults; false disables limiting. */
  limits?: Partial<RateLimits> | false;
  botUserId?: string;
  teamId?: string;
  /** The workspace's `<domain>.slack.com`, in permalinks; `emulator` by default. */
  teamDomain?: string;
  /** People and user groups the workspace has. */
  directory?: Directory;
  /** People by id, merged over `directory.users`: what users.info answers. */
  users?: Directory['users'];
  /** User groups by id (`{ S0ONCALL: ['U1', 'U2'] }`), merged over `directory.groups`: what usergroups.users.list answers. */
  userGroups?: Directory['groups'];
}

export interface SlackEmulator {
  /** What WebClient's `slackApiUrl` wants: `http://host:port/api/`. */
  url: string;
  port: number;
  state: Workspace;
  /** Slack's side of Socket Mode: delivers events and interactions to a connected app. */
  socketMode: SocketModeHub;
  /** Faults to inject into later calls (5xx, 429, slow or lost answers). */
  faults: Faults;
  /** Forgets the workspace's state and every rate-limit window. */
  reset(): void;
  close(): Promise<void>;
}

const METHOD_PATH = /^\/api\/([^/]+)$/;
const UPLOAD_PATH = /^\/upload\/v1\/(F[A-Z0-9]+)$/;
const DOWNLOAD_PATH = /^\/files-pri\/T[A-Z0-9]+-(F[A-Z0-9]+)\/[^/]+$/;

/**
 * A Slack Web API that the real `@slack/web-api` client can talk to: the methods sirbot
 * calls, Slack's per-method rate limits (429 + Retry-After) and Block Kit validation, over
 * in-memory state that tests and the local workbench can inspect.
 */
export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const ws = new Workspace(options.teamId ?? 'T0EMULATOR', options.botUserId ?? 'U0SIRBOT', options.teamDomain);
  ws.directory = {
    users: { ...options.directory?.users, ...options.users },
    groups: { ...options.directory?.groups, ...options.userGroups },
  };
  const limits = options.limits === false ? false : ({ ...DEFAULT_LIMITS, ...options.limits } as RateLimits);
  const limiter = new SlidingWindowLimiter(limits);
  const host = options.host ?? '127.0.0.1';
  let origin = '';
  const socketMode = new SocketModeHub();
  const faults = new Faults();
  /** Answers held back by a `hang` fault: released (destroyed) when the emulator closes. */
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (err instanceof BodyTooLarge) return sendJson(res, 413, { ok: false, error: 'request_too_large' });
      sendJson(res, 500, { ok: false, error: 'internal_error', detail: String(err) });
    });
  });

  server.on('upgrade', (req, socket, head: Buffer) => {
    if (!socketMode.handleUpgrade(req, socket, head)) socket.destroy();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const upload = UPLOAD_PATH.exec(url.pathname);
    if (req.method === 'POST' && upload) return receiveUpload(upload[1] as string, req, res);
    const download = DOWNLOAD_PATH.exec(url.pathname);
    if (req.method === 'GET' && download) return sendDownload(download[1] as string, req, res);
    if (req.method === 'GET') {
      const view = inspectView(ws, url.pathname, url.searchParams);
      if (view) return sendJson(res, view.status, view.body);
    }
    const method = METHOD_PATH.exec(url.pathname)?.[1];
    if (!method || (req.method !== 'POST' && req.method !== 'GET')) return sendJson(res, 404, { ok: false, error: 'not_found' });
    const body = req.method === 'POST' ? (await readBody(req)).toString('utf8') : '';
    const args = parseArgs(url.searchParams, body, req.headers['content-type']);
    // Interactions carry a trigger id Slack issued; whoever builds one here (tests, the workbench) asks for it.
    if (req.method === 'POST' && method === 'trigger') {
      const user = typeof args.user === 'string' && args.user !== '' ? args.user : 'U0EMULATOR';
      return sendJson(res, 200, { ok: true, trigger_id: ws.issueTriggerId(user) });
    }
    const fault = faults.take(method, typeof args.channel === 'string' ? args.channel : undefined);
    if (fault && (await injected(fault, method, args, req, res))) return;
    const { status, answer, headers } = call(method, args, presentedToken(req, args));
    sendJson(res, status, answer, headers);
  }

  /** A file's bytes, as files.slack.com serves `url_private`: only to a request carrying the bot token. */
  function sendDownload(id: string, req: IncomingMessage, res: ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (options.token && token !== options.token) {
      res.writeHead(403, { 'content-type': 'text/plain' });
      return void res.end('not authorized');
    }
    const file = ws.file(id);
    if (!file?.content) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('no such file');
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.content.length) });
    res.end(file.content);
  }

  /** Applies a fault; true when it answered (or withheld the answer) itself. */
  async function injected(fault: Fault, method: string, args: Args, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const at = Date.now();
    switch (fault.kind) {
      case 'delay': {
        if (!fault.applied) {
          await new Promise((resolve) => setTimeout(resolve, fault.ms));
          return false;
        }
        const { status, answer, headers } = call(method, args, presentedToken(req, args));
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        sendJson(res, status, answer, headers);
        return true;
      }
      case 'status':
        ws.record({ method, ok: false, status: fault.status, at, error: `http_${fault.status}` });
        res.writeHead(fault.status, { 'content-type': 'text/html' });
        res.end(`<html><body>${fault.status} injected by the emulator</body></html>`);
        return true;
      case 'error':
        ws.record({ method, ok: false, status: 200, at, error: fault.error });
        sendJson(res, 200, { ok: false, error: fault.error });
        return true;
      case 'ratelimit':
        ws.record({ method, ok: false, status: 429, at, error: 'ratelimited' });
        sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(fault.retryAfterSeconds) });
        return true;
      case 'hang':
        if (fault.applied) call(method, args, presentedToken(req, args));
        else ws.record({ method, ok: false, status: 0, at, error: 'no_answer' });
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return true;
    }
  }

  function call(method: string, args: Args, token: string): { status: number; answer: Answer; headers?: Record<string, string> } {
    const now = Date.now();
    const named = typeof args.channel === 'string' ? args.channel : undefined;
    const log = (status: number, answer: Answer) => {
      const channel = typeof answer.channel === 'string' ? answer.channel : named && (ws.channelId(named) ?? named);
      const error = typeof answer.error === 'string' ? answer.error : undefined;
      ws.record({ method, ok: answer.ok, status, at: now, ...(channel ? { channel } : {}), ...(error ? { error } : {}) });
      return { status, answer };
    };

    // Socket Mode's handshake takes the app-level token, not the bot token.
    if (method === 'apps.connections.open') {
      if (!options.appToken) return log(200, { ok: false, error: 'not_allowed_token_type' });
      if (token !== options.appToken) return log(200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' });
      return log(200, { ok: true, url: socketMode.open(origin) });
    }
    const handler = methodFor(method);
    if (!handler) return log(200, { ok: false, error: 'unknown_method' });
    if (options.token && token !== options.token) return log(200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' });
    const waitMs = limiter.take(method, named === undefined ? undefined : ws.channelKey(named), now);
    if (waitMs > 0) {
      const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
      return { ...log(429, { ok: false, error: 'ratelimited' }), headers: { 'retry-after': retryAfter } };
    }
    return log(200, handler(args, { ws, now, origin }));
  }

  /** The upload URL step of files.uploadV2: the bytes of a reserved file. */
  async function receiveUpload(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const file = ws.file(id);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('file not found');
    }
    file.content = uploadedBytes(body, String(req.headers['content-type'] ?? ''));
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${file.content.length}`);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${origin}/api/`,
    port,
    state: ws,
    socketMode,
    faults,
    reset() {
      ws.reset();
      limiter.reset();
      faults.clear();
    },
    async close() {
      socketMode.close();
      for (const res of hanging) res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
