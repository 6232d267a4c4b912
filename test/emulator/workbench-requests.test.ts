import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/emulator/slack/index.ts';
import { refusalReason } from '../../src/emulator/workbench/ingest-answer.ts';
import { createWorkbench } from '../../src/emulator/workbench/workbench.ts';

/**
 * The workbench's server side against a stand-in bot whose answers the tests choose (slow,
 * failing, opening a modal), so what reaches the bot can be counted exactly.
 */
const TOKEN = 'xoxb-workbench-requests';
const plain = (text: string) => ({ type: 'plain_text' as const, text });
const button = (actionId: string, text: string) => ({ type: 'button', action_id: actionId, text: plain(text), value: actionId });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long the stand-in bot takes over a slow answer: long enough for a second request to arrive meanwhile. */
const SLOW_MS = 300;

let emulator: SlackEmulator;
let bot: Server;
let workbench: Server;
let base: string;
let botUrl: string;
/** What the stand-in bot received, in order. */
const received: Array<{ type: string; actionId?: string; callbackId?: string }> = [];
const logged: Array<{ level: 'error' | 'warn'; obj: Record<string, unknown>; msg: string }> = [];
/** What the stand-in bot's POST /ingest answers next. */
let ingestAnswer: { status: number; type: string; body: string } = { status: 202, type: 'application/json', body: '{}' };

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

async function post(path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as any };
}

const ws = () => emulator.state;

/** A bot message with these buttons in #security-incidents (not the page's default channel). */
function botMessage(...elements: unknown[]) {
  const channel = ws().resolve('security-incidents', true) as string;
  return ws().add({
    channel,
    ts: ws().nextTs(Date.now()),
    user: ws().botUserId,
    bot_id: 'B0SIRBOT',
    text: 'a finding',
    blocks: [{ type: 'actions', block_id: 'finding_actions', elements }],
  });
}

async function openModal(): Promise<string> {
  const m = botMessage(button('open_modal', 'Set status'));
  expect((await post('/workbench/api/act', { user: 'U0ALICE', actionId: 'open_modal', channel: 'security-incidents', ts: m.ts })).status).toBe(200);
  const view = ws().surfaces.top('U0ALICE');
  expect(view?.callback_id).toBe('status_modal');
  return view!.id;
}

beforeAll(async () => {
  emulator = await startSlackEmulator({
    port: 0,
    host: '127.0.0.1',
    token: TOKEN,
    limits: false,
    directory: { users: { U0ALICE: { name: 'alice' }, U0SAM: { name: 'sam' } }, groups: {} },
  });
  bot = createServer(async (req, res) => {
    const body = await text(req);
    if (req.url?.startsWith('/ingest')) {
      res.writeHead(ingestAnswer.status, { 'content-type': ingestAnswer.type });
      return res.end(ingestAnswer.body);
    }
    const payload = JSON.parse(new URLSearchParams(body).get('payload') ?? '{}') as Record<string, any>;
    const actionId = payload.actions?.[0]?.action_id as string | undefined;
    received.push({ type: payload.type, ...(actionId ? { actionId } : {}), ...(payload.view?.callback_id ? { callbackId: payload.view.callback_id } : {}) });
    if (actionId === 'open_modal') {
      const view = {
        type: 'modal',
        callback_id: 'status_modal',
        title: plain('Set status'),
        submit: plain('Set'),
        blocks: [{ type: 'input', block_id: 'note', label: plain('Note'), element: { type: 'plain_text_input', action_id: 'value' } }],
      };
      await fetch(`${emulator.url}views.open`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ trigger_id: payload.trigger_id, view }),
      });
    }
    if (actionId === 'fail') {
      res.writeHead(500);
      return res.end('boom');
    }
    if (actionId === 'slow' || payload.type === 'view_submission') await pause(SLOW_MS);
    res.writeHead(200);
    res.end();
  });
  botUrl = await listen(bot);
  const wb = createWorkbench({
    workspace: emulator.state,
    receiverUrl: () => `${botUrl}/slack/events`,
    signingSecret: 'workbench-requests-secret',
    ingestUrl: () => `${botUrl}/ingest`,
    scenario: null,
    people: [
      { id: 'U0ALICE', name: 'alice', role: 'responder' },
      { id: 'U0SAM', name: 'sam', role: 'approver' },
    ],
    channel: () => '#security-findings',
    shortcuts: [{ name: 'Investigate with sirbot', callbackId: 'investigate_message' }],
    logger: {
      error: (obj, msg) => logged.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
      warn: (obj, msg) => logged.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
    },
  });
  workbench = createServer((req, res) => {
    if (!wb.handle(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  base = await listen(workbench);
});

afterAll(async () => {
  for (const server of [workbench, bot]) {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  }
  await emulator?.close();
});

beforeEach(() => {
  received.length = 0;
  logged.length = 0;
});

describe('workbench: a message’s buttons, wherever it is', () => {
  it('finds the message in the channel the page names, by id or by name, whichever the page’s default channel is', async () => {
    const m = botMessage(button('ok', 'Investigate'));
    const id = ws().channelId('security-incidents')!;
    for (const channel of [id, 'security-incidents']) {
      expect((await post('/workbench/api/act', { user: 'U0ALICE', actionId: 'ok', channel, ts: m.ts })).status).toBe(200);
    }
    expect(received.map((r) => r.actionId)).toEqual(['ok', 'ok']);
    // Named in another channel, it is not there: the reason says where it looked.
    const elsewhere = await post('/workbench/api/act', { user: 'U0ALICE', actionId: 'ok', channel: 'security-findings', ts: m.ts });
    expect(elsewhere).toEqual({ status: 404, json: { error: `no message ${m.ts} in security-findings` } });
  });

  it('a button sirbot has since taken away is a stale click (409, with what to do), not a server failure, and nothing reaches the bot', async () => {
    const m = botMessage(button('ok', 'Investigate'));
    const stale = await post('/workbench/api/act', { user: 'U0ALICE', actionId: 'gone', channel: 'security-incidents', ts: m.ts });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toContain(`message ${m.ts} no longer has gone`);
    expect(received).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('the same button pressed twice while the bot has not answered reaches it once; the second press is refused with a reason', async () => {
    const m = botMessage(button('slow', 'Set status'));
    const press = () => post('/workbench/api/act', { user: 'U0ALICE', actionId: 'slow', channel: 'security-incidents', ts: m.ts });
    const [first, second] = await Promise.all([press(), pause(50).then(press)]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.json.error).toContain('already on its way to sirbot');
    expect(received.filter((r) => r.actionId === 'slow')).toHaveLength(1);
    // Another person's press is their own.
    const [alice, sam] = await Promise.all([press(), post('/workbench/api/act', { user: 'U0SAM', actionId: 'slow', channel: 'security-incidents', ts: m.ts })]);
    expect([alice.status, sam.status]).toEqual([200, 200]);
  });
});

describe('workbench: modal submits', () => {
  it('a double submit sends one view_submission; once answered, the modal is closed and a late third is told so', async () => {
    const viewId = await openModal();
    const submit = () => post('/workbench/api/submit', { user: 'U0ALICE', viewId, values: { note: 'done' } });
    const [first, second] = await Promise.all([submit(), pause(50).then(submit)]);
    expect(first.status).toBe(200);
    expect(second).toEqual({ status: 409, json: { error: 'this modal is already on its way to sirbot; wait for its answer' } });
    expect(received.filter((r) => r.type === 'view_submission')).toEqual([{ type: 'view_submission', callbackId: 'status_modal' }]);
    expect(ws().surfaces.top('U0ALICE')).toBeUndefined();
    expect((await submit()).status).toBe(404);
  });

  it('GET /workbench/api/sent lists what reached the bot, with its answer', async () => {
    const viewId = await openModal();
    await post('/workbench/api/submit', { user: 'U0ALICE', viewId, values: {} });
    const { sent } = (await (await fetch(`${base}/workbench/api/sent`)).json()) as { sent: Array<Record<string, unknown>> };
    expect(sent.slice(-2)).toEqual([
      expect.objectContaining({ kind: 'interactive', type: 'block_actions', user: 'U0ALICE', actionIds: ['open_modal'], status: 200 }),
      expect.objectContaining({ kind: 'interactive', type: 'view_submission', user: 'U0ALICE', callbackId: 'status_modal', actionIds: [], status: 200 }),
    ]);
  });
});

describe('workbench: failures are logged and explained', () => {
  it('sirbot’s own 5xx to a click is passed to the page and logged as a warning', async () => {
    const m = botMessage(button('fail', 'Open SIR case'));
    const answer = await post('/workbench/api/act', { user: 'U0ALICE', actionId: 'fail', channel: 'security-incidents', ts: m.ts });
    expect(answer).toEqual({ status: 200, json: { status: 500, body: { text: 'boom' } } });
    expect(logged).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'workbench: sirbot answered 500 to fail', obj: expect.objectContaining({ user: 'U0ALICE', status: 500 }) }),
    ]);
  });

  it('a 5xx of the workbench itself (sirbot unreachable) is logged with its route and reason, and the page gets the reason', async () => {
    const m = botMessage(button('ok', 'Investigate'));
    // A person the workbench has not met yet is built with the receiver's address as it is now: nowhere.
    const closed = createServer();
    const nowhere = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const savedUrl = botUrl;
    botUrl = nowhere;
    try {
      ws().directory.users.U0EVE = { name: 'eve' };
      const failed = await post('/workbench/api/act', { user: 'U0EVE', actionId: 'ok', channel: 'security-incidents', ts: m.ts });
      expect(failed.status).toBe(500);
      expect(failed.json.error).toBe('fetch failed');
      expect(logged).toEqual([
        expect.objectContaining({
          level: 'error',
          msg: 'workbench: POST /workbench/api/act answered 500: fetch failed',
          obj: expect.objectContaining({ route: 'POST /workbench/api/act', status: 500, reason: 'fetch failed', err: expect.any(Error) }),
        }),
      ]);
    } finally {
      botUrl = savedUrl;
    }
  });

  it('a refused body: /ingest’s report comes back with its reason in `error`; a non-JSON answer’s text is the reason', async () => {
    ingestAnswer = {
      status: 400,
      type: 'application/json',
      body: JSON.stringify({
        received: 1,
        accepted: 0,
        rejected: [{ path: '(root)', error: 'not a recognised finding or envelope' }],
        rejectedCount: 1,
        results: [],
      }),
    };
    const refused = await post('/workbench/api/findings/send', { json: '{"hello":"world"}', wrap: 'none' });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      accepted: 0,
      rejected: [{ path: '(root)' }],
      error: "sirbot's /ingest refused it (400): (root): not a recognised finding or envelope",
    });
    expect(logged).toEqual([]);

    ingestAnswer = { status: 502, type: 'text/html', body: '<h1>Bad gateway</h1>' };
    const proxied = await post('/workbench/api/findings/send', { json: '{}', wrap: 'none' });
    expect(proxied).toEqual({ status: 502, json: { error: "sirbot's /ingest refused it (502): <h1>Bad gateway</h1>" } });
    expect(logged.map((l) => l.msg)).toEqual([
      "workbench: POST /workbench/api/findings/send answered 502: sirbot's /ingest refused it (502): <h1>Bad gateway</h1>",
    ]);
  });
});

describe('workbench: the screen query and the page’s files', () => {
  it('refuses a malformed screen query with the reason; empty parameters are absent ones', async () => {
    const bad = await fetch(`${base}/workbench/api/screen?user=U0ALICE&thread=not-a-ts`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('thread');
    expect((await fetch(`${base}/workbench/api/screen?user=alice`)).status).toBe(400);
    expect((await fetch(`${base}/workbench/api/screen?user=U0ALICE&channel=&thread=&home=`)).status).toBe(200);
    // No user: the first person's screen.
    expect(((await (await fetch(`${base}/workbench/api/screen`)).json()) as { user: string }).user).toBe('U0ALICE');
  });

  it('serves the entry script, its modules and the styles; nothing else under /workbench/', async () => {
    const entry = await fetch(`${base}/workbench/app.js`);
    expect(entry.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const imports = [...(await entry.text()).matchAll(/from '\.\/([a-z-]+\.js)'/g)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThan(0);
    for (const name of imports) expect((await fetch(`${base}/workbench/${name}`)).status, name).toBe(200);
    expect((await fetch(`${base}/workbench/app.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    for (const path of ['/workbench/workbench.ts', '/workbench/assets.ts', '/workbench/..%2Fworkbench.ts', '/workbench/nope.js']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
  });
});

describe('refusalReason', () => {
  it('names the first parts and counts the rest', () => {
    const rejected = Array.from({ length: 8 }, (_, i) => ({ path: `[${i}]`, error: 'expected an object, got number' }));
    expect(refusalReason(400, { rejected, rejectedCount: 12 })).toBe(
      "sirbot's /ingest refused it (400): [0]: expected an object, got number; [1]: expected an object, got number; [2]: expected an object, got number; [3]: expected an object, got number; [4]: expected an object, got number; and 7 more",
    );
    expect(refusalReason(401, { error: 'missing or wrong bearer token' })).toBe("sirbot's /ingest refused it (401): missing or wrong bearer token");
    expect(refusalReason(400, 'not an object')).toBe("sirbot's /ingest refused it (400)");
  });
});
