import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { METHODS, type Args } from './methods.ts';
import { DEFAULT_LIMITS, SlidingWindowLimiter, type RateLimits } from './rate-limit.ts';
import { Workspace } from './workspace.ts';

export interface SlackEmulatorOptions {
  port?: number;
  host?: string;
  /** When set, every call must carry this bot token. */
  token?: string;
  /** Per-method limits merged over Slack's defaults; false disables limiting. */
  limits?: Partial<RateLimits> | false;
  botUserId?: string;
  teamId?: string;
}

export interface SlackEmulator {
  /** What WebClient's `slackApiUrl` wants: `http://host:port/api/`. */
  url: string;
  port: number;
  state: Workspace;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Form bodies (what WebClient sends) and JSON bodies both become plain arguments. */
function parseArgs(body: string, contentType: string | undefined): Args {
  if (!body) return {};
  if (contentType?.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(body);
      return parsed && typeof parsed === 'object' ? (parsed as Args) : {};
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

/**
 * A Slack Web API that the real `@slack/web-api` client can talk to: the methods
 * sirbot calls, Slack's per-method rate limits (429 + Retry-After) and Block Kit
 * validation, over in-memory state that tests and the local workbench can inspect.
 */
export async function startSlackEmulator(options: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const ws = new Workspace(options.teamId ?? 'T0EMULATOR', options.botUserId ?? 'U0SIRBOT');
  const limits = options.limits === false ? false : ({ ...DEFAULT_LIMITS, ...options.limits } as RateLimits);
  const limiter = new SlidingWindowLimiter(limits);
  let origin = '';

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => send(res, 500, { ok: false, error: 'internal_error', detail: String(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET') return inspect(url, res);
    const upload = /^\/upload\/v1\/(F[A-Z0-9]+)$/.exec(url.pathname);
    if (upload) return receiveUpload(upload[1] as string, req, res);
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(await readBody(req), req.headers['content-type']);
    const now = Date.now();
    const channel = typeof args.channel === 'string' ? (ws.channelId(args.channel) ?? args.channel) : undefined;
    const log = (status: number, ok: boolean, error?: string) =>
      ws.record({ method, ...(channel ? { channel } : {}), ok, status, at: now, ...(error ? { error } : {}) });

    const handler = METHODS[method];
    if (!handler) {
      log(200, false, 'unknown_method');
      return send(res, 200, { ok: false, error: 'unknown_method' });
    }
    const presented = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || (typeof args.token === 'string' ? args.token : '');
    if (options.token && presented !== options.token) {
      log(200, false, presented ? 'invalid_auth' : 'not_authed');
      return send(res, 200, { ok: false, error: presented ? 'invalid_auth' : 'not_authed' });
    }
    const waitMs = limiter.take(method, typeof args.channel === 'string' ? ws.channelKey(args.channel) : undefined, now);
    if (waitMs > 0) {
      log(429, false, 'ratelimited');
      return send(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) });
    }
    const answer = handler(args, { ws, now, origin });
    log(200, answer.ok, typeof answer.error === 'string' ? answer.error : undefined);
    send(res, 200, answer);
  }

  /** The upload URL step of files.uploadV2: the bytes of a reserved file. */
  async function receiveUpload(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const file = ws.file(id);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!file) {
      res.writeHead(404);
      return void res.end('file not found');
    }
    file.content = fileContent(Buffer.concat(chunks), String(req.headers['content-type'] ?? ''));
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${file.content.length}`);
  }

  /** Plain JSON views of the state, for scripts, tests and the workbench page. */
  function inspect(url: URL, res: ServerResponse): void {
    if (url.pathname === '/api/conversations') return send(res, 200, { channels: ws.channels() });
    const m = /^\/api\/conversations\/([^/]+)\/messages$/.exec(url.pathname);
    if (m) {
      const channel = decodeURIComponent(m[1] as string);
      const messages = ws.messages(channel).map((parent) => ({ ...parent, replies: ws.thread(channel, parent.ts).slice(1) }));
      return send(res, ws.channelId(channel) ? 200 : 404, { channel: ws.channelId(channel) ?? null, messages });
    }
    send(res, 404, { error: 'not found' });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url: `${origin}/api/`,
    port,
    state: ws,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The bytes of an upload, whether sent raw or as the single part of a multipart form. */
function fileContent(body: Buffer, contentType: string): Buffer {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return body;
  const marker = `--${boundary[1] ?? boundary[2]}`;
  const text = body.toString('latin1');
  const start = text.indexOf('\r\n\r\n', text.indexOf(marker));
  const end = text.indexOf(`\r\n${marker}`, start);
  if (start === -1 || end === -1) return body;
  return Buffer.from(text.slice(start + 4, end), 'latin1');
}
