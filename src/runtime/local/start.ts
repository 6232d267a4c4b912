import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, type Env } from '../../config/env.ts';
import { startSlackEmulator, type Directory, type SlackEmulator } from '../../emulator/slack/index.ts';
import { persistWorkspace } from '../../emulator/slack/persist.ts';
import { createWorkbench, type WorkbenchPerson } from '../../emulator/workbench/workbench.ts';
import { awsChanges } from '../../emulator/workbench/aws-changes.ts';
import { type FakePagerDuty, startFakePagerDuty } from '../../emulator/paging/pagerduty.ts';
import { type FakeOpsgenie, startFakeOpsgenie } from '../../emulator/paging/opsgenie.ts';
import { workbenchPaging } from '../../emulator/workbench/paging.ts';
import { rolesOf } from '../../domain/actions/access.ts';
import { accessPolicyOf } from '../compose.ts';
import { evidenceFromEnv, type RuntimeEvidence } from '../evidence.ts';
import type { Logger } from '../logger.ts';
import { startLocalRuntime, type LocalRuntime } from './server.ts';

/** Where the emulated Slack workspace is kept for a database file. */
export const emulatorStateFile = (db: string) => `${db}.slack.json`;

/** Credentials the embedded emulator accepts; they never leave this machine. */
const EMULATOR_TOKEN = 'xoxb-local-emulator';
const EMULATOR_SIGNING_SECRET = 'local-emulator-signing-secret';

/** The emulated workspace's people: one per sirbot role, one with none, and the owner of the scenario's principal. */
const PEOPLE = [
  // Time zones as Slack profiles carry them: plain-word answers ("this morning") are read in the writer's.
  { id: 'U0ALICE', name: 'alice', email: 'alice@example.com', tz: 'Europe/Berlin' },
  { id: 'U0SAM', name: 'sam', email: 'sam@example.com', tz: 'America/New_York' },
  { id: 'U0EVE', name: 'eve', email: 'eve@example.com' },
  // Owns the exposed-access-key scenario's CI user (its owner-email tag): "Was this you?" asks her.
  { id: 'U0DANA', name: 'dana', email: 'dana@example.com', tz: 'Europe/London' },
] as const;
/** Credentials the fake PagerDuty and Opsgenie accept; they never leave this machine. */
const FAKE_PAGING = {
  routingKey: 'L0CALEMULAT0RR0UT1NGKEY000000000',
  webhookSecret: 'local-emulator-pagerduty-webhook-secret',
  apiKey: 'local-emulator-opsgenie-api-key',
  webhookToken: 'local-emulator-opsgenie-webhook-token',
};
const DEFAULT_RESPONDERS = 'U0ALICE';
const DEFAULT_APPROVERS = 'U0SAM';

export interface LocalStack {
  runtime: LocalRuntime;
  /** On the emulator with a database file: where its workspace is kept, and what was read back at start. */
  slackState: { file: string; restored: { channels: number; messages: number } | null } | undefined;
  /** The embedded Slack emulator, when no real workspace is configured. */
  emulator: SlackEmulator | undefined;
  evidence: RuntimeEvidence;
  /** The workbench page, when running on the emulator. */
  workbenchUrl: string | undefined;
  env: Env;
  /** What the terminal shows at start: where everything is, and how to switch to real Slack and AWS. */
  banner(): string[];
  close(): Promise<void>;
}

/** The message shortcuts manifest.yml declares: what Slack would offer on each message. */
function manifestShortcuts(): Array<{ name: string; callbackId: string }> {
  try {
    const manifest = parseYaml(readFileSync(new URL('../../../manifest.yml', import.meta.url), 'utf8')) as {
      features?: { shortcuts?: Array<{ name: string; type: string; callback_id: string }> };
    };
    return (manifest.features?.shortcuts ?? []).filter((s) => s.type === 'message').map((s) => ({ name: s.name, callbackId: s.callback_id }));
  } catch {
    return [];
  }
}

/** A person's sirbot roles as the page lists them; an approver may respond too. */
function roleOf(env: Env, id: string): string {
  const roles = rolesOf(accessPolicyOf(env), id, []);
  if (roles.has('approver')) return 'approver';
  if (roles.has('responder')) return 'responder';
  return 'no role (reads only)';
}

/**
 * `npm start`'s whole stack: real Slack when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are
 * set, otherwise the embedded Slack emulator with the workbench page on the bot's own port,
 * so the bot runs and can be tried with no account at all.
 */
export async function startLocalStack(given: Env, logger: Logger): Promise<LocalStack> {
  const real = Boolean(given.SLACK_BOT_TOKEN && given.SLACK_SIGNING_SECRET);
  if (given.SLACK_BOT_TOKEN && !given.SLACK_SIGNING_SECRET) {
    throw new ConfigError('SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not: set both to use a real workspace, or neither for the emulator');
  }
  if (given.SLACK_APP_TOKEN && !given.SLACK_BOT_TOKEN) {
    throw new ConfigError(
      'SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: Socket Mode needs both (and SLACK_SIGNING_SECRET); see README "Use a real workspace"',
    );
  }
  // On the emulator, nobody configured roles: give the workbench's people one each, so every button can be tried.
  const roles: Env =
    real || given.SIRBOT_RESPONDERS || given.SIRBOT_APPROVERS
      ? given
      : { ...given, SIRBOT_RESPONDERS: DEFAULT_RESPONDERS, SIRBOT_APPROVERS: DEFAULT_APPROVERS };
  // On the emulator with no paging service configured, rules that page reach a fake PagerDuty and Opsgenie.
  const fakePaging = real || given.SIRBOT_PAGERDUTY_ROUTING_KEY || given.SIRBOT_OPSGENIE_API_KEY ? undefined : await startFakePaging(given.HOST);
  const env: Env = fakePaging
    ? {
        ...roles,
        SIRBOT_PAGERDUTY_ROUTING_KEY: FAKE_PAGING.routingKey,
        SIRBOT_PAGERDUTY_EVENTS_URL: fakePaging.pd.url,
        SIRBOT_PAGERDUTY_WEBHOOK_SECRET: FAKE_PAGING.webhookSecret,
        SIRBOT_OPSGENIE_API_KEY: FAKE_PAGING.apiKey,
        SIRBOT_OPSGENIE_API_URL: fakePaging.og.url,
        SIRBOT_OPSGENIE_WEBHOOK_TOKEN: FAKE_PAGING.webhookToken,
      }
    : roles;
  const directory: Directory = {
    users: Object.fromEntries(PEOPLE.map((p) => [p.id, { name: p.name, email: p.email, ...('tz' in p ? { tz: p.tz } : {}) }])),
    groups: {},
  };
  const emulator = real ? undefined : await startSlackEmulator({ port: env.SIRBOT_EMULATOR_PORT, host: env.HOST, token: EMULATOR_TOKEN, directory });
  // The emulated workspace lives beside the database whose records point into it, so a restart finds its threads.
  const keptDb = env.SIRBOT_DB !== ':memory:' && existsSync(env.SIRBOT_DB);
  const saved = emulator && env.SIRBOT_DB !== ':memory:' ? persistWorkspace(emulator.state, emulatorStateFile(env.SIRBOT_DB), logger) : undefined;
  // A database kept without its workspace points at threads nobody can see: say so, and how to start clean.
  const orphaned = Boolean(saved && keptDb && saved.restored === null);
  const slack = emulator
    ? { token: EMULATOR_TOKEN, signingSecret: EMULATOR_SIGNING_SECRET, apiUrl: emulator.url }
    : {
        token: env.SLACK_BOT_TOKEN as string,
        signingSecret: env.SLACK_SIGNING_SECRET as string,
        ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
        ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
      };
  const evidence = await evidenceFromEnv(env);
  let botUrl = '';
  const defaultChannel = () => runtime.core.rules().defaultChannel;
  const workbench = emulator
    ? createWorkbench({
        workspace: emulator.state,
        receiverUrl: () => `${botUrl}/slack/events`,
        signingSecret: EMULATOR_SIGNING_SECRET,
        ingestUrl: () => `${botUrl}/ingest`,
        ingestToken: env.SIRBOT_INGEST_TOKEN,
        scenario: evidence.fake ? { name: path.basename(env.SIRBOT_SCENARIO), dir: env.SIRBOT_SCENARIO } : null,
        people: PEOPLE.map((p): WorkbenchPerson => ({ id: p.id, name: p.name, role: roleOf(env, p.id) })),
        channel: () => defaultChannel(),
        shortcuts: manifestShortcuts(),
        ...(evidence.fake ? { awsChanges: awsChanges(evidence.fake) } : {}),
        ...(fakePaging ? { paging: workbenchPaging(fakePaging.pd, fakePaging.og) } : {}),
        logger,
      })
    : undefined;
  const runtime = await startLocalRuntime({
    // Against the fake, its investigative agent's results are looked for every few seconds (it is cheap, and people are watching).
    env: evidence.fake ? { ...env, SIRBOT_AGENT_POLL_SECONDS: Math.min(env.SIRBOT_AGENT_POLL_SECONDS, 5) } : env,
    logger,
    slack,
    evidence,
    actions: { clients: evidence.clients, securityIr: { account: evidence.homeAccount, region: env.SIRBOT_SIR_REGION ?? evidence.region } },
    ...(workbench ? { routes: workbench.handle } : {}),
  });
  botUrl = runtime.url;
  if (fakePaging) {
    fakePaging.pd.webhook = { url: `${runtime.url}/pager/pagerduty`, secret: FAKE_PAGING.webhookSecret };
    fakePaging.og.webhook = { url: `${runtime.url}/pager/opsgenie`, headers: { 'x-sirbot-webhook-token': FAKE_PAGING.webhookToken } };
  }
  // The fake Security IR's case events reach sirbot as an EventBridge rule would bring them.
  if (evidence.fake) {
    const fakeSir = evidence.fake.securityIr;
    // An AWS responder takes up AWS-supported cases a few seconds after they are handed over, as the CIRT would.
    fakeSir.responderDelayMs = 3000;
    // Its investigative agent completes evidence, analysis and summary a few seconds apart.
    fakeSir.agentDelayMs = 4000;
    fakeSir.onEvent = (event) =>
      void runtime.core.ingest
        .fromEvent(event, 'eventbridge:security-ir')
        .then((i) => i.delivered)
        .catch((err: unknown) => logger.error({ err, eventId: event.id }, 'could not take a Security IR event'));
  }
  // The page opens on the channel findings go to by default; it exists before the first one does.
  emulator?.state.resolve(defaultChannel(), true);

  return {
    runtime,
    slackState: saved ? { file: emulatorStateFile(env.SIRBOT_DB), restored: saved.restored } : undefined,
    emulator,
    evidence,
    workbenchUrl: workbench ? `${runtime.url}/` : undefined,
    env,
    banner() {
      const rules = runtime.core.rules();
      const lines = [''];
      // What a browser on this machine opens: localhost, whichever loopback or wildcard address the server took.
      const pageUrl = /^(127\.0\.0\.1|0\.0\.0\.0|::1?|\[::1?\])$/.test(env.HOST) ? `http://localhost:${runtime.port}/` : `${runtime.url}/`;
      if (workbench) lines.push(`sirbot workbench: open ${pageUrl} in a browser`, '');
      lines.push(
        `sirbot is listening on ${runtime.url}`,
        `  Slack events     POST ${runtime.url}/slack/events`,
        `  findings         POST ${runtime.url}/ingest   (EventBridge, SNS or exported findings; add ?wait=true to wait for Slack)`,
        `  dead letters     GET  ${runtime.url}/dead-letters, POST …/dead-letters/<id>/replay`,
        `  paging webhooks  POST ${runtime.url}/pager/pagerduty, POST ${runtime.url}/pager/opsgenie${fakePaging ? `   (fake PagerDuty ${fakePaging.pd.url}, fake Opsgenie ${fakePaging.og.url}; their pages are on the workbench)` : ''}`,
        runtime.admin.from === 'generated'
          ? `                   with Authorization: Bearer ${runtime.admin.token}   (made for this run; SIRBOT_ADMIN_TOKEN sets one)`
          : `                   with Authorization: Bearer $${runtime.admin.from}`,
        `  rules            ${env.SIRBOT_RULES} (${rules.rules.length} rules, default channel ${rules.defaultChannel})`,
        `  store            SQLite at ${path.resolve(env.SIRBOT_DB)}${saved ? ` (the emulated Slack beside it, ${path.basename(emulatorStateFile(env.SIRBOT_DB))}; delete both to start clean)` : ''}`,
        evidence.fake
          ? `  AWS              embedded fake seeded with scenario ${path.basename(env.SIRBOT_SCENARIO)} (${evidence.fake.scenario.accounts.join(', ') || 'no accounts'}); SIRBOT_SCENARIO picks another (one of the bundled ones or a folder)`
          : '  AWS              real (default credential chain)',
        real
          ? `  Slack            real workspace (SLACK_BOT_TOKEN), ${env.SLACK_APP_TOKEN ? 'Socket Mode (SLACK_APP_TOKEN): no public URL needed' : `events and interactions on ${runtime.url}/slack/events`}`
          : `  Slack            embedded emulator (Web API ${emulator?.url}); state as JSON: GET ${runtime.url}/api/conversations`,
      );
      if (orphaned) {
        lines.push(
          `  NOTE             ${env.SIRBOT_DB} was kept but the emulated Slack it posted to was not: findings it already posted are not shown again`,
          `                   (a newer version is posted afresh). To start clean, stop sirbot and delete ${env.SIRBOT_DB} and ${emulatorStateFile(env.SIRBOT_DB)}.`,
        );
      }
      if (!real)
        lines.push(
          '  Real workspace   create the app from manifest.yml, then set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_APP_TOKEN (Socket Mode) — README "Use a real workspace"',
        );
      if (evidence.fake) lines.push('  Real AWS         SIRBOT_AWS=real investigates with your default AWS credential chain instead (README "Configuration")');
      lines.push('');
      return lines;
    },
    async close() {
      await runtime.close();
      await evidence.close();
      await fakePaging?.pd.close();
      await fakePaging?.og.close();
      await saved?.close();
      await emulator?.close();
    },
  };
}

/** The fake PagerDuty and Opsgenie of `npm start` on the emulator, on free local ports. */
async function startFakePaging(host: string): Promise<{ pd: FakePagerDuty; og: FakeOpsgenie }> {
  const pd = await startFakePagerDuty({ routingKeys: [FAKE_PAGING.routingKey], host });
  const og = await startFakeOpsgenie({ apiKeys: [FAKE_PAGING.apiKey], host });
  return { pd, og };
}
