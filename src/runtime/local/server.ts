import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Env } from '../../config/env.ts';
import { type HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import { createHttpReceiver, createSlackApp } from '../../slack/app.ts';
import { boltLogger } from '../../slack/logger.ts';
import type { PosterLimits } from '../../slack/poster.ts';
import { SqliteStore } from '../../store/sqlite.ts';
import type { Store } from '../../ports/store.ts';
import { VegaStatsCharts } from '../../charts/findings-chart.ts';
import { composeCore, slackAppDeps, type ActionSettings, type Core, type CoreOptions, type EvidenceSources } from '../compose.ts';
import { JobDispatcher } from '../../jobs/dispatch.ts';
import { InlineJobs } from '../../jobs/inline.ts';
import { slackJobPorts } from '../../slack/job-ports.ts';
import type { Logger } from '../logger.ts';
import { unhandledRejections } from '../process-guards.ts';
import { slackClientOptions } from '../../slack/client-options.ts';
import { BodyTooLargeError, readBody, sendJson } from './http.ts';
import { adminTokenOf, hasBearer, type AdminToken } from './admin-auth.ts';
import * as z from 'zod';
import { SlackRequestGuard } from '../../slack/request-guard.ts';
import { slackEventsRoute } from './slack-route.ts';
import { logUnreadableRecords } from '../unreadable-records.ts';
import { handlePagerWebhook, PAGER_ORIGIN, replayPagerWebhook, WEBHOOK_BODY_LIMIT } from '../../paging/webhooks.ts';
import type { PagerName } from '../../domain/actions/paging.ts';

/** `GET /dead-letters?limit=`: how many to list. */
const DEAD_LETTER_LIMIT = z.coerce.number().int().min(1).max(1000).default(100);

/** Security Hub events carry up to 100 findings; each may be large. */
const INGEST_BODY_LIMIT = 20 * 1024 * 1024;

export interface LocalRuntimeOptions {
  env: Env;
  logger: Logger;
  /** Slack Web API base URL and credentials; the caller decides real Slack or the emulator. */
  slack: { token: string; signingSecret: string; apiUrl?: string; appToken?: string };
  store?: Store;
  posterLimits?: PosterLimits;
  clock?: () => number;
  digestDebounceMs?: number;
  /** Delivery leases, retry pauses and call timeouts (tests shorten them). */
  delivery?: CoreOptions['delivery'];
  evidence?: EvidenceSources;
  actions?: ActionSettings;
  /** More routes on the same server (the workbench page); return false to leave a request to the 404. */
  routes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface LocalRuntime {
  url: string;
  port: number;
  core: Core;
  /** The bearer token of /dead-letters, and where it comes from (a generated one is shown in the banner). */
  admin: AdminToken;
  /** Resolves when every accepted finding has been delivered. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One HTTP server: Bolt's receiver on /slack/events (signature-checked), POST /ingest
 * for any finding shape, POST /pager/pagerduty and /pager/opsgenie for acknowledgements
 * made there (signature- or token-checked), GET /healthz and GET /dead-letters for operators.
 */
export async function startLocalRuntime(o: LocalRuntimeOptions): Promise<LocalRuntime> {
  const store = o.store ?? new SqliteStore(o.env.SIRBOT_DB, { onUnreadable: logUnreadableRecords(o.logger) });
  const core = composeCore({
    env: o.env,
    store,
    logger: o.logger,
    slackToken: o.slack.token,
    ...(o.slack.apiUrl ? { slackApiUrl: o.slack.apiUrl } : {}),
    ...(o.posterLimits ? { posterLimits: o.posterLimits } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.digestDebounceMs !== undefined ? { digestDebounceMs: o.digestDebounceMs } : {}),
    delivery: { ...o.delivery, retryHere: true },
    ...(o.evidence ? { evidence: o.evidence } : {}),
    ...(o.actions ? { actions: o.actions } : {}),
    charts: new VegaStatsCharts(),
  });
  // Socket Mode (an app-level token) needs no public URL: Slack's events come over a WebSocket.
  // A Web API URL other than Slack's (an emulator) is where Socket Mode opens its connection too.
  const socket = o.slack.appToken
    ? new SocketModeReceiver({
        appToken: o.slack.appToken,
        logger: boltLogger(o.logger),
        installerOptions: { clientOptions: slackClientOptions(o.slack.apiUrl) },
      })
    : undefined;
  const http = socket ? undefined : createHttpReceiver(o.slack.signingSecret, o.logger);
  const receiver = socket ?? (http as HTTPReceiver);
  const deps = slackAppDeps(core, o.logger, o.actions, o.clock);
  // Jobs run here, after the acknowledgement; they answer through the app's own client, so the dispatcher follows the app.
  let dispatcher: JobDispatcher | undefined;
  const jobs = new InlineJobs((job) => (dispatcher as JobDispatcher).dispatch(job), o.logger);
  const app = createSlackApp(
    { signingSecret: o.slack.signingSecret, token: o.slack.token, receiver, ...(o.slack.apiUrl ? { slackApiUrl: o.slack.apiUrl } : {}) },
    { ...deps, jobs },
  );
  dispatcher = new JobDispatcher({
    investigations: core.investigations,
    questions: core.questions,
    actions: core.actions,
    customActions: core.customActions,
    ...slackJobPorts(deps, app.client),
  });
  if (socket) await socket.start();
  // Escalation timers live in the store: due steps are taken after a restart too.
  core.actions?.escalations.start(o.env.SIRBOT_ESCALATION_TICK_SECONDS * 1000);
  // So do snoozes: an expiry that came while the process was stopped is announced at the first tick.
  core.actions?.snoozes.start(o.env.SIRBOT_ESCALATION_TICK_SECONDS * 1000);
  core.actions?.principalCheck?.start(o.env.SIRBOT_ESCALATION_TICK_SECONDS * 1000);
  // The weekly numbers, when SIRBOT_STATS_CHANNEL is set: looked at on the same clock, posted once per ISO week.
  core.actions?.stats.start(o.env.SIRBOT_ESCALATION_TICK_SECONDS * 1000);
  // Investigations that were gathering when the process stopped start again.
  await core.investigations?.resume();
  const background = new Set<Promise<unknown>>();
  const inBackground = (work: Promise<unknown>) => {
    const tracked = work.finally(() => background.delete(tracked));
    background.add(tracked);
    return tracked;
  };
  // Deliveries and digests the stopped process left unfinished are completed (nothing else runs
  // yet, so none is anyone's), then looked for again on a timer: Slack may fail for a while.
  const resumeDeliveries = (force: boolean) =>
    inBackground(
      core.deliverer
        .resume(force)
        .then((n) => (n.findings + n.digests > 0 ? o.logger.info(n, 'resumed unfinished deliveries') : undefined))
        .catch((err: unknown) => o.logger.error({ err }, 'resuming unfinished deliveries failed')),
    );
  resumeDeliveries(true);
  const resumer = setInterval(() => resumeDeliveries(false), o.env.SIRBOT_RESUME_SECONDS * 1000);
  resumer.unref();
  // The investigative agent's results appear without an event: open cases are looked at now and then.
  let polling = false;
  const agentPoller = setInterval(() => {
    const agent = core.actions?.agentWork;
    if (!agent || polling) return;
    polling = true;
    void inBackground(
      agent
        .poll()
        .catch((err: unknown) => o.logger.error({ err }, "looking for the investigative agent's work failed"))
        .finally(() => {
          polling = false;
        }),
    );
  }, o.env.SIRBOT_AGENT_POLL_SECONDS * 1000);
  agentPoller.unref();
  const admin = adminTokenOf(o.env);
  const slackEvents = http
    ? slackEventsRoute(http, new SlackRequestGuard({ signingSecret: o.slack.signingSecret, store, logger: o.logger }), o.logger)
    : undefined;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/slack/events' && slackEvents) return slackEvents(req, res);
    if (url.pathname === '/ingest' && req.method === 'POST') {
      void handleIngest(req, res, url).catch((err: unknown) => {
        o.logger.error({ err }, 'ingest request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      });
      return;
    }
    const pagerHook = /^\/pager\/(pagerduty|opsgenie)$/.exec(url.pathname);
    if (pagerHook && req.method === 'POST') {
      void handlePagerHook(req, res, pagerHook[1] as PagerName).catch((err: unknown) => {
        o.logger.error({ err }, 'pager webhook failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      });
      return;
    }
    if (url.pathname === '/healthz') return sendJson(res, 200, { ok: true, poster: core.poster.stats(), unhandledRejections: unhandledRejections() });
    const deadLetters = url.pathname === '/dead-letters' && req.method === 'GET';
    const replay = /^\/dead-letters\/(\d+)\/replay$/.exec(url.pathname);
    if ((deadLetters || (replay && req.method === 'POST')) && !hasBearer(req, admin.token)) {
      o.logger.warn({ path: url.pathname, method: req.method }, 'operator endpoint refused: missing or wrong bearer token');
      return sendJson(res, 401, { error: 'missing or wrong bearer token (SIRBOT_ADMIN_TOKEN)' });
    }
    if (deadLetters) {
      const limit = DEAD_LETTER_LIMIT.safeParse(url.searchParams.get('limit') ?? undefined);
      if (!limit.success) return sendJson(res, 400, { error: 'limit must be a whole number from 1 to 1000' });
      void store.listDeadLetters(limit.data).then(
        (d) => sendJson(res, 200, d),
        (err: unknown) => {
          o.logger.error({ err }, 'listing dead letters failed');
          sendJson(res, 500, { error: 'internal error' });
        },
      );
      return;
    }
    if (replay && req.method === 'POST') {
      void replayDeadLetter(Number(replay[1]), res).catch((err: unknown) => {
        o.logger.error({ err }, 'dead-letter replay failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      });
      return;
    }
    if (o.routes?.(req, res)) return;
    sendJson(res, 404, { error: 'not found' });
  });

  async function handleIngest(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (o.env.SIRBOT_INGEST_TOKEN && req.headers.authorization !== `Bearer ${o.env.SIRBOT_INGEST_TOKEN}`) {
      return sendJson(res, 401, { error: 'missing or wrong bearer token' });
    }
    let body: string;
    try {
      body = await readBody(req, INGEST_BODY_LIMIT);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendJson(res, 413, { error: err.message });
      throw err;
    }
    const { report, delivered } = await core.ingest.fromText(body, `http:${req.socket.remoteAddress ?? 'unknown'}`);
    inBackground(delivered);
    const status = report.accepted === 0 ? 400 : 202;
    if (url.searchParams.get('wait') === 'true') {
      const results = await delivered;
      return sendJson(res, status === 202 ? 200 : status, { ...report, results });
    }
    sendJson(res, status, report);
  }

  /** An acknowledgement from PagerDuty or Opsgenie (src/paging/webhooks.ts checks it). */
  async function handlePagerHook(req: IncomingMessage, res: ServerResponse, pager: PagerName) {
    let body: string;
    try {
      body = await readBody(req, WEBHOOK_BODY_LIMIT);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendJson(res, 413, { error: err.message });
      throw err;
    }
    const escalations = core.actions?.escalations;
    const answer = await handlePagerWebhook(pager, body, req.headers, {
      pagerDutySecret: o.env.SIRBOT_PAGERDUTY_WEBHOOK_SECRET,
      opsgenieToken: o.env.SIRBOT_OPSGENIE_WEBHOOK_TOKEN,
      acknowledge: escalations ? (ack) => escalations.acknowledgedInPager(ack) : undefined,
      deadLetter: (entry) => store.addDeadLetter({ ...entry, receivedAt: new Date((o.clock ?? Date.now)()).toISOString(), path: `/pager/${pager}`, count: 1 }),
    });
    if (answer.status >= 400) o.logger.warn({ pager, status: answer.status, ...answer.body }, 'pager webhook refused');
    sendJson(res, answer.status, answer.body);
  }

  /**
   * Feeds a dead letter back through ingest (after the rule, producer or Slack problem
   * that caused it is fixed). It is removed once everything in it was delivered; a
   * replay that fails again leaves it, and adds the new failure.
   */
  async function replayDeadLetter(id: number, res: ServerResponse) {
    const letter = await store.getDeadLetter(id);
    if (!letter) return sendJson(res, 404, { error: `no dead letter ${id}` });
    // A pager's webhook goes back to where it came in, not to ingest.
    if (letter.origin.startsWith(PAGER_ORIGIN)) {
      const escalations = core.actions?.escalations;
      const answer = await replayPagerWebhook(letter.origin, letter.payload, escalations ? (ack) => escalations.acknowledgedInPager(ack) : undefined);
      const clean = answer.status === 200;
      if (clean) await store.deleteDeadLetter(id);
      return sendJson(res, clean ? 200 : 422, { ...answer.body, removed: clean });
    }
    const { report, delivered } = await core.ingest.fromText(letter.payload, `replay:${id}`);
    const results = await delivered;
    const clean = report.rejected.length === 0 && report.accepted > 0 && results.every((r) => r.outcome !== 'failed' && r.outcome !== 'pending');
    if (clean) await store.deleteDeadLetter(id);
    sendJson(res, clean ? 200 : 422, { ...report, results, removed: clean });
  }

  await new Promise<void>((resolve) => server.listen(o.env.PORT, o.env.HOST, resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${o.env.HOST}:${port}`,
    port,
    core,
    admin,
    async idle() {
      while (background.size > 0) await Promise.allSettled([...background]);
      await jobs.idle();
      await core.deliverer.idle();
      await core.investigations?.idle();
      await core.poster.idle();
    },
    async close() {
      clearInterval(resumer);
      clearInterval(agentPoller);
      core.actions?.escalations.stop();
      core.actions?.snoozes.stop();
      core.actions?.principalCheck?.stop();
      core.actions?.stats.stop();
      await socket?.stop();
      await jobs.idle();
      await core.investigations?.idle();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      core.deliverer.close();
      await store.close();
    },
  };
}
