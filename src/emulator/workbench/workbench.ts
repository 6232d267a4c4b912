import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { EmulatedPerson, type Answered, type InputValue } from '../slack/people/person.ts';
import { BodyTooLarge, readBody, sendJson as sendJsonAs } from '../slack/http-io.ts';
import { inspectView } from '../slack/inspect.ts';
import type { Workspace } from '../slack/workspace.ts';
import { scenarioFindings, wrap, type OfferedFinding } from './findings.ts';
import { pageHtml, type WorkbenchPerson } from './page.ts';
import { screenOf } from './state.ts';

export type { WorkbenchPerson } from './page.ts';

export interface WorkbenchOptions {
  workspace: Workspace;
  /** The bot's Slack receiver and the secret Slack signs requests to it with. */
  receiverUrl: () => string;
  signingSecret: string;
  /** The bot's POST /ingest, and its bearer token when one is configured. */
  ingestUrl: () => string;
  ingestToken?: string | undefined;
  /** The scenario the fake AWS was seeded with (name shown, folder read for findings). */
  scenario: { name: string; dir: string } | null;
  /** Who the page can act as; the first is the default. */
  people: WorkbenchPerson[];
  /** Channel the page opens first (the rules' default channel, which a rules reload may change). */
  channel: () => string;
  /** The app's message shortcuts (from its manifest), offered on every message. */
  shortcuts?: Array<{ name: string; callbackId: string }>;
  /** A short status of the fake AWS's changes for the page, if there is one. */
  awsChanges?: () => unknown;
}

export interface Workbench {
  /** Serves the request when it is the workbench's; false leaves it to the caller. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

const ASSETS = new URL('./assets/', import.meta.url);
const asset = (name: string) => readFileSync(new URL(name, ASSETS), 'utf8');
const BODY_LIMIT = 5 * 1024 * 1024;

const user = z.string().regex(/^[UW][A-Z0-9]{2,}$/);
const ts = z.string().regex(/^\d+\.\d+$/);
const channel = z.string().min(1).max(80);
const choice = { blockId: z.string().max(255).optional(), option: z.string().max(2000).optional(), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), value: z.string().max(3000).optional() };
const inputValue = z.union([
  z.string().max(3000),
  z.object({ option: z.string() }),
  z.object({ date: z.string() }),
  z.object({ options: z.array(z.string()) }),
  z.object({ user: z.string() }),
  z.object({ users: z.array(z.string()) }),
]);

const bodies = {
  act: z.object({ user, actionId: z.string().min(1).max(255), channel: channel.optional(), ts: ts.optional(), viewId: z.string().optional(), ...choice }),
  submit: z.object({ user, viewId: z.string().min(1), values: z.record(z.string(), inputValue) }),
  close: z.object({ user, viewId: z.string().min(1) }),
  command: z.object({ user, channel, text: z.string().max(4000) }),
  say: z.object({ user, channel, text: z.string().min(1).max(40_000), threadTs: ts.optional() }),
  shortcut: z.object({ user, channel, ts, callbackId: z.string().min(1).max(255) }),
  home: z.object({ user }),
  send: z.object({ id: z.string().optional(), json: z.string().max(BODY_LIMIT).optional(), wrap: z.enum(['none', 'eventbridge', 'sns']) }),
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The page's answers are always current: never cached. */
const sendJson = (res: ServerResponse, status: number, body: unknown): void => sendJsonAs(res, status, body, { 'cache-control': 'no-store' });

async function readJson<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  let body: Buffer;
  try {
    body = await readBody(req, BODY_LIMIT);
  } catch (err) {
    if (err instanceof BodyTooLarge) throw new HttpError(413, `request body over ${BODY_LIMIT} bytes`);
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new HttpError(400, z.prettifyError(result.error));
  return result.data;
}

/**
 * The workbench: a page that shows the emulated workspace as one person sees it and lets
 * them act the way Slack would let them. Everything the page shows is rendered from the
 * emulator's state; everything it does goes through an `EmulatedPerson`, so the bot gets
 * Slack's real payloads, signed, on its real receiver.
 */
export function createWorkbench(o: WorkbenchOptions): Workbench {
  const ws = o.workspace;
  const people = new Map<string, EmulatedPerson>();
  const person = (id: string) => {
    let p = people.get(id);
    if (!p) {
      const name = o.people.find((q) => q.id === id)?.name ?? ws.directory.users[id]?.name;
      p = new EmulatedPerson({ receiverUrl: o.receiverUrl(), signingSecret: o.signingSecret, workspace: ws, id, ...(name ? { name } : {}) });
      people.set(id, p);
    }
    return p;
  };
  let offered: OfferedFinding[] | undefined;
  const findings = () => (offered ??= o.scenario ? scenarioFindings(o.scenario.dir) : []);
  const page = () => pageHtml({ scenario: o.scenario?.name ?? null, people: o.people, channel: o.channel(), teamDomain: ws.teamDomain, shortcuts: o.shortcuts ?? [] });

  function message(channelName: string, messageTs: string) {
    const id = ws.channelId(channelName);
    const found = id ? ws.find(id, messageTs) : undefined;
    if (!found) throw new HttpError(404, `no message ${messageTs} in ${channelName}`);
    return found;
  }

  function view(userId: string, viewId: string) {
    const found = ws.surfaces.byId(viewId);
    if (!found || found.user !== userId) throw new HttpError(404, `${userId} has no view ${viewId} open`);
    return found;
  }

  /** A slash command's immediate answer is shown to the person who typed it, as Slack does. */
  function showAck(userId: string, channelName: string, answer: Answered): void {
    const body = answer.body;
    if (!body || (typeof body.text !== 'string' && !Array.isArray(body.blocks))) return;
    const id = ws.resolve(channelName, true) as string;
    ws.addEphemeral({ channel: id, user: userId, ts: ws.nextTs(Date.now()), ...(typeof body.text === 'string' ? { text: body.text } : {}), ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}) });
  }

  async function ingest(body: z.infer<typeof bodies.send>): Promise<{ status: number; body: unknown }> {
    let doc: unknown;
    if (body.id !== undefined) {
      const found = findings().find((f) => f.id === body.id);
      if (!found) throw new HttpError(404, `no finding ${body.id} in the scenario`);
      doc = found.doc;
    } else if (body.json !== undefined) {
      try {
        doc = JSON.parse(body.json);
      } catch (err) {
        throw new HttpError(400, `the pasted text is not JSON: ${(err as Error).message}`);
      }
    } else throw new HttpError(400, 'send either a scenario finding id or pasted JSON');
    // Waits for delivery, so the page can show where each finding went and open that channel.
    const res = await fetch(`${o.ingestUrl()}?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(o.ingestToken ? { authorization: `Bearer ${o.ingestToken}` } : {}) },
      body: JSON.stringify(wrap(doc, body.wrap)),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  }

  const routes: Record<string, (req: IncomingMessage, url: URL) => Promise<{ status: number; body: unknown }>> = {
    'GET /workbench/api/screen': async (_req, url) => {
      const q = url.searchParams;
      const who = user.safeParse(q.get('user') ?? o.people[0]?.id);
      if (!who.success) throw new HttpError(400, 'user must be a Slack user id');
      return { status: 200, body: { ...screenOf(ws, { user: who.data, channel: q.get('channel') || undefined, thread: q.get('thread') || undefined, home: q.get('home') === '1' }), aws: o.awsChanges?.() ?? null } };
    },
    'GET /workbench/api/findings': async () => ({
      status: 200,
      body: { scenario: o.scenario?.name ?? null, findings: findings().map(({ doc: _doc, ...f }) => f) },
    }),
    'POST /workbench/api/act': async (req) => {
      const b = await readJson(req, bodies.act);
      const choice = { ...(b.blockId ? { blockId: b.blockId } : {}), ...(b.option !== undefined ? { option: b.option } : {}), ...(b.date ? { date: b.date } : {}), ...(b.value !== undefined ? { value: b.value } : {}) };
      if (b.viewId) return { status: 200, body: await person(b.user).clickInView(view(b.user, b.viewId), b.actionId, choice) };
      if (!b.channel || !b.ts) throw new HttpError(400, 'an action needs a channel and message ts, or a view id');
      return { status: 200, body: await person(b.user).click(message(b.channel, b.ts), b.actionId, choice) };
    },
    'POST /workbench/api/submit': async (req) => {
      const b = await readJson(req, bodies.submit);
      return { status: 200, body: await person(b.user).submit(b.values as Record<string, InputValue>, view(b.user, b.viewId)) };
    },
    'POST /workbench/api/close': async (req) => {
      const b = await readJson(req, bodies.close);
      return { status: 200, body: await person(b.user).cancel(view(b.user, b.viewId)) };
    },
    'POST /workbench/api/command': async (req) => {
      const b = await readJson(req, bodies.command);
      const answer = await person(b.user).command(b.text, b.channel);
      showAck(b.user, b.channel, answer);
      return { status: 200, body: answer };
    },
    'POST /workbench/api/say': async (req) => {
      const b = await readJson(req, bodies.say);
      const said = await person(b.user).say(b.channel, b.text, b.threadTs);
      return { status: 200, body: { ts: said.ts } };
    },
    'POST /workbench/api/shortcut': async (req) => {
      const b = await readJson(req, bodies.shortcut);
      if (!(o.shortcuts ?? []).some((sc) => sc.callbackId === b.callbackId)) throw new HttpError(400, `the app has no message shortcut ${b.callbackId}`);
      return { status: 200, body: await person(b.user).shortcut(message(b.channel, b.ts), b.callbackId) };
    },
    'POST /workbench/api/home': async (req) => {
      const b = await readJson(req, bodies.home);
      return { status: 200, body: await person(b.user).openHome() };
    },
    'POST /workbench/api/findings/send': async (req) => ingest(await readJson(req, bodies.send)),
  };

  return {
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://workbench');
      if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/workbench')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(page());
        return true;
      }
      if (req.method === 'GET' && url.pathname === '/favicon.ico') {
        res.writeHead(204);
        res.end();
        return true;
      }
      if (req.method === 'GET' && (url.pathname === '/workbench/app.js' || url.pathname === '/workbench/app.css')) {
        const js = url.pathname.endsWith('.js');
        res.writeHead(200, { 'content-type': js ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8', 'cache-control': 'no-store' });
        res.end(asset(js ? 'workbench.js' : 'workbench.css'));
        return true;
      }
      const file = /^\/workbench\/files\/(F[A-Z0-9]+)$/.exec(url.pathname);
      if (req.method === 'GET' && file) {
        const found = ws.file(file[1] as string);
        if (!found?.content) {
          sendJson(res, 404, { error: 'no such file' });
          return true;
        }
        // Shown as text whatever the bot called it: the page never runs what a bot uploaded.
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-disposition': `inline; filename="${found.name.replace(/[^\w.-]/g, '_')}"` });
        res.end(found.content);
        return true;
      }
      // The emulator's inspection endpoints, on the workbench's origin too.
      if (req.method === 'GET') {
        const inspected = inspectView(ws, url.pathname, url.searchParams);
        if (inspected) {
          sendJson(res, inspected.status, inspected.body);
          return true;
        }
      }
      const route = routes[`${req.method} ${url.pathname}`];
      if (!route) return false;
      route(req, url)
        .then((r) => sendJson(res, r.status, r.body))
        .catch((err: unknown) => {
          if (err instanceof HttpError) return sendJson(res, err.status, { error: err.message });
          sendJson(res, 500, { error: (err as Error).message ?? String(err) });
        });
      return true;
    },
  };
}
