import type { IncomingMessage, ServerResponse } from 'node:http';
import type * as z from 'zod';
import { EmulatedPerson, type Answered, type InputValue } from '../slack/people/person.ts';
import { httpDelivery } from '../slack/people/delivery.ts';
import { elementsOf } from '../slack/people/payloads.ts';
import { sendJson as sendJsonAs } from '../slack/http-io.ts';
import { inspectView } from '../slack/inspect.ts';
import type { Workspace } from '../slack/workspace.ts';
import { pageAssets } from './assets.ts';
import { scenarioFindings, wrap, type OfferedFinding } from './findings.ts';
import { InFlight } from './in-flight.ts';
import { answerBody, refusalReason } from './ingest-answer.ts';
import { pageHtml, type WorkbenchPerson } from './page.ts';
import { HttpError, bodies, readJson, readQuery, screenQuery } from './requests.ts';
import { SentLog } from './sent-log.ts';
import type { WorkbenchPaging } from './paging.ts';
import { screenOf } from './state.ts';

export type { WorkbenchPerson } from './page.ts';

/** The two levels the workbench logs at; pino's logger is one. */
export interface WorkbenchLogger {
  error(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

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
  /** The fake PagerDuty and Opsgenie, when sirbot pages them. */
  paging?: WorkbenchPaging;
  /** Where a failure of the workbench itself is told (every 5xx), and sirbot's own 5xx answers to people. */
  logger: WorkbenchLogger;
}

export interface Workbench {
  /** Serves the request when it is the workbench's; false leaves it to the caller. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

type Reply = { status: number; body: unknown };
type Act = z.infer<typeof bodies.act>;

/** The page's answers are always current: never cached. */
const sendJson = (res: ServerResponse, status: number, body: unknown): void => sendJsonAs(res, status, body, { 'cache-control': 'no-store' });

/**
 * The element a click names must be in what sirbot last sent: a button it has since taken
 * away (the page showed an older version) is a stale click the person can retry, not a fault.
 */
function checkElement(blocks: unknown[] | undefined, b: Act, where: string): void {
  const found = elementsOf(blocks).find(({ block, element }) => element.action_id === b.actionId && (b.blockId === undefined || block.block_id === b.blockId));
  if (!found)
    throw new HttpError(409, `${where} no longer has ${b.actionId}: sirbot changed it after the page showed it; try again on what the page shows now`);
  const { element } = found;
  if (element.type === 'datepicker' && !b.date) throw new HttpError(400, `${b.actionId} needs a date (YYYY-MM-DD)`);
  if (
    (element.type === 'static_select' || element.type === 'overflow') &&
    !((element.options ?? []) as Array<{ value?: unknown }>).some((opt) => opt.value === b.option)
  ) {
    throw new HttpError(400, `${b.actionId} has no option ${JSON.stringify(b.option ?? null)}`);
  }
}

/**
 * The workbench: a page that shows the emulated workspace as one person sees it and lets
 * them act the way Slack would let them. Everything the page shows is rendered from the
 * emulator's state; everything it does goes through an `EmulatedPerson`, so the bot gets
 * Slack's real payloads, signed, on its real receiver.
 */
export function createWorkbench(o: WorkbenchOptions): Workbench {
  const ws = o.workspace;
  const sent = new SentLog();
  const inFlight = new InFlight();
  const assets = pageAssets();
  const people = new Map<string, EmulatedPerson>();
  const person = (id: string) => {
    let p = people.get(id);
    if (!p) {
      const name = o.people.find((q) => q.id === id)?.name ?? ws.directory.users[id]?.name;
      const delivery = sent.recording(httpDelivery(o.receiverUrl(), o.signingSecret));
      p = new EmulatedPerson({ receiverUrl: o.receiverUrl(), signingSecret: o.signingSecret, workspace: ws, id, delivery, ...(name ? { name } : {}) });
      people.set(id, p);
    }
    return p;
  };
  let offered: OfferedFinding[] | undefined;
  const findings = () => (offered ??= o.scenario ? scenarioFindings(o.scenario.dir) : []);
  const page = () =>
    pageHtml({ scenario: o.scenario?.name ?? null, people: o.people, channel: o.channel(), teamDomain: ws.teamDomain, shortcuts: o.shortcuts ?? [] });

  function message(channelName: string, messageTs: string) {
    const id = ws.channelId(channelName);
    const found = id ? ws.find(id, messageTs) : undefined;
    if (!found) throw new HttpError(404, `no message ${messageTs} in ${ws.channel(channelName)?.name ?? channelName}`);
    return found;
  }

  /** A view on the person's screen: their Home, or a modal still open (the emulator remembers closed ones too; Slack would not send them). */
  function view(userId: string, viewId: string) {
    const found = ws.surfaces.byId(viewId);
    const onScreen = found?.type === 'home' ? ws.surfaces.home(userId)?.id === viewId : ws.surfaces.modals(userId).some((v) => v.id === viewId);
    if (!found || found.user !== userId || !onScreen) throw new HttpError(404, `${userId} has no view ${viewId} open`);
    return found;
  }

  /** sirbot's answer to what a person did, passed on to the page; its failures are told here too, as Slack's logs would. */
  function fromBot(what: string, userId: string, answer: Answered): Reply {
    if (answer.status >= 500)
      o.logger.warn({ what, user: userId, status: answer.status, body: answer.body }, `workbench: sirbot answered ${answer.status} to ${what}`);
    return { status: 200, body: answer };
  }

  /** A slash command's immediate answer is shown to the person who typed it, as Slack does. */
  function showAck(userId: string, channelName: string, answer: Answered): void {
    const body = answer.body;
    if (!body || (typeof body.text !== 'string' && !Array.isArray(body.blocks))) return;
    const id = ws.resolve(channelName, true) as string;
    ws.addEphemeral({
      channel: id,
      user: userId,
      ts: ws.nextTs(Date.now()),
      ...(typeof body.text === 'string' ? { text: body.text } : {}),
      ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
    });
  }

  async function ingest(body: z.infer<typeof bodies.send>): Promise<Reply> {
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
    const answer = await answerBody(res);
    if (res.ok) return { status: res.status, body: answer };
    // Refused: the report goes back whole (the page lists it), with the reason said in one line.
    const report = typeof answer === 'object' && answer !== null && !Array.isArray(answer) ? answer : {};
    return { status: res.status, body: { ...report, error: refusalReason(res.status, answer) } };
  }

  async function act(b: Act): Promise<Reply> {
    const choice = {
      ...(b.blockId ? { blockId: b.blockId } : {}),
      ...(b.option !== undefined ? { option: b.option } : {}),
      ...(b.date ? { date: b.date } : {}),
      ...(b.value !== undefined ? { value: b.value } : {}),
    };
    const what = `${b.actionId}${b.blockId ? ` (${b.blockId})` : ''}`;
    if (b.viewId) {
      const v = view(b.user, b.viewId);
      checkElement(v.blocks, b, `view ${b.viewId}`);
      return inFlight.once(`act:${b.user}:${v.id}:${what}`, `${what} in this view`, async () =>
        fromBot(what, b.user, await person(b.user).clickInView(v, b.actionId, choice)),
      );
    }
    if (!b.channel || !b.ts) throw new HttpError(400, 'an action needs a channel and message ts, or a view id');
    const m = message(b.channel, b.ts);
    checkElement(m.blocks, b, `message ${m.ts}`);
    return inFlight.once(`act:${b.user}:${m.channel}:${m.ts}:${what}`, `${what} on this message`, async () =>
      fromBot(what, b.user, await person(b.user).click(m, b.actionId, choice)),
    );
  }

  const routes: Record<string, (req: IncomingMessage, url: URL) => Promise<Reply>> = {
    'GET /workbench/api/screen': async (_req, url) => {
      const q = readQuery(url.searchParams, screenQuery, { user: o.people[0]?.id });
      return {
        status: 200,
        body: {
          ...screenOf(ws, { user: q.user, channel: q.channel, thread: q.thread, home: q.home === '1' }),
          aws: o.awsChanges?.() ?? null,
          paging: o.paging?.list() ?? null,
        },
      };
    },
    'GET /workbench/api/findings': async () => ({
      status: 200,
      body: { scenario: o.scenario?.name ?? null, findings: findings().map(({ doc: _doc, ...f }) => f) },
    }),
    'GET /workbench/api/sent': async () => ({ status: 200, body: { sent: sent.list() } }),
    'POST /workbench/api/act': async (req) => act(await readJson(req, bodies.act)),
    'POST /workbench/api/submit': async (req) => {
      const b = await readJson(req, bodies.submit);
      const v = view(b.user, b.viewId);
      // Slack closes a modal on the first submit's answer; a second press meanwhile sends nothing.
      return inFlight.once(`submit:${v.id}`, 'this modal', async () =>
        fromBot(`view_submission ${v.callback_id}`, b.user, await person(b.user).submit(b.values as Record<string, InputValue>, v)),
      );
    },
    'POST /workbench/api/close': async (req) => {
      const b = await readJson(req, bodies.close);
      const v = view(b.user, b.viewId);
      return inFlight.once(`close:${v.id}`, 'closing this modal', async () => ({ status: 200, body: await person(b.user).cancel(v) }));
    },
    'POST /workbench/api/command': async (req) => {
      const b = await readJson(req, bodies.command);
      const answer = await person(b.user).command(b.text, b.channel);
      showAck(b.user, b.channel, answer);
      return fromBot('/sir', b.user, answer);
    },
    'POST /workbench/api/say': async (req) => {
      const b = await readJson(req, bodies.say);
      const said = await person(b.user).say(b.channel, b.text, b.threadTs);
      return { status: 200, body: { ts: said.ts } };
    },
    'POST /workbench/api/shortcut': async (req) => {
      const b = await readJson(req, bodies.shortcut);
      if (!(o.shortcuts ?? []).some((sc) => sc.callbackId === b.callbackId)) throw new HttpError(400, `the app has no message shortcut ${b.callbackId}`);
      const m = message(b.channel, b.ts);
      return inFlight.once(`shortcut:${b.user}:${m.channel}:${m.ts}:${b.callbackId}`, 'this shortcut', async () =>
        fromBot(`shortcut ${b.callbackId}`, b.user, await person(b.user).shortcut(m, b.callbackId)),
      );
    },
    'POST /workbench/api/home': async (req) => {
      const b = await readJson(req, bodies.home);
      return fromBot('app_home_opened', b.user, await person(b.user).openHome());
    },
    'POST /workbench/api/findings/send': async (req) => ingest(await readJson(req, bodies.send)),
    'POST /workbench/api/paging/acknowledge': async (req) => {
      const b = await readJson(req, bodies.page);
      if (!o.paging) throw new HttpError(404, 'no fake PagerDuty or Opsgenie runs here');
      const shown = o.paging.list().find((p) => p.service === b.service && p.id === b.id);
      if (!shown) throw new HttpError(404, `no ${b.service} page ${b.id}`);
      const by = o.people.find((p) => p.id === b.user)?.name ?? b.user;
      return inFlight.once(`page:${b.service}:${b.id}`, 'this page', async () => ({
        status: 200,
        body: { answered: await o.paging?.acknowledge(b.service, b.id, by) },
      }));
    },
  };

  /** Every answer the page gets; a 5xx is the workbench failing, and is logged with its reason. */
  function respond(res: ServerResponse, route: string, status: number, body: unknown, err?: unknown): void {
    if (status >= 500) {
      const reason = (body as { error?: unknown } | null)?.error ?? `status ${status}`;
      o.logger.error({ err, route, status, reason }, `workbench: ${route} answered ${status}: ${String(reason)}`);
    }
    sendJson(res, status, body);
  }

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
      const served = req.method === 'GET' ? assets(url.pathname) : undefined;
      if (served) {
        res.writeHead(200, { 'content-type': served.type, 'cache-control': 'no-store' });
        res.end(served.body);
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
        res.writeHead(200, {
          'content-type': 'text/plain; charset=utf-8',
          'x-content-type-options': 'nosniff',
          'content-disposition': `inline; filename="${found.name.replace(/[^\w.-]/g, '_')}"`,
        });
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
      const name = `${req.method} ${url.pathname}`;
      const route = routes[name];
      if (!route) return false;
      route(req, url)
        .then((r) => respond(res, name, r.status, r.body))
        .catch((err: unknown) => {
          if (err instanceof HttpError) return respond(res, name, err.status, { error: err.message });
          respond(res, name, 500, { error: err instanceof Error ? err.message : String(err) }, err);
        });
      return true;
    },
  };
}
