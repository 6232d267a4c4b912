import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError, type Env } from '../../config/env.ts';
import { startSlackEmulator, type Directory, type SlackEmulator } from '../../emulator/slack/index.ts';
import { createWorkbench, type WorkbenchPerson } from '../../emulator/workbench/workbench.ts';
import { awsChanges } from '../../emulator/workbench/aws-changes.ts';
import { rolesOf } from '../../domain/actions/access.ts';
import { accessPolicyOf } from '../compose.ts';
import { evidenceFromEnv, type RuntimeEvidence } from '../evidence.ts';
import type { Logger } from '../logger.ts';
import { startLocalRuntime, type LocalRuntime } from './server.ts';

/** Credentials the embedded emulator accepts; they never leave this machine. */
const EMULATOR_TOKEN = 'xoxb-local-emulator';
const EMULATOR_SIGNING_SECRET = 'local-emulator-signing-secret';

/** The emulated workspace's people: one per sirbot role, and one with none. */
const PEOPLE = [
  { id: 'U0ALICE', name: 'alice', email: 'alice@example.com' },
  { id: 'U0SAM', name: 'sam', email: 'sam@example.com' },
  { id: 'U0EVE', name: 'eve', email: 'eve@example.com' },
] as const;
const DEFAULT_RESPONDERS = 'U0ALICE';
const DEFAULT_APPROVERS = 'U0SAM';

export interface LocalStack {
  runtime: LocalRuntime;
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
    const manifest = parseYaml(readFileSync(new URL('../../../manifest.yml', import.meta.url), 'utf8')) as { features?: { shortcuts?: Array<{ name: string; type: string; callback_id: string }> } };
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
    throw new ConfigError('SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: Socket Mode needs both (and SLACK_SIGNING_SECRET); see README "Use a real workspace"');
  }
  // On the emulator, nobody configured roles: give the workbench's people one each, so every button can be tried.
  const env: Env =
    real || given.SIRBOT_RESPONDERS || given.SIRBOT_APPROVERS ? given : { ...given, SIRBOT_RESPONDERS: DEFAULT_RESPONDERS, SIRBOT_APPROVERS: DEFAULT_APPROVERS };
  const directory: Directory = { users: Object.fromEntries(PEOPLE.map((p) => [p.id, { name: p.name, email: p.email }])), groups: {} };
  const emulator = real ? undefined : await startSlackEmulator({ port: env.SIRBOT_EMULATOR_PORT, host: env.HOST, token: EMULATOR_TOKEN, directory });
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
        logger,
      })
    : undefined;
  const runtime = await startLocalRuntime({
    env,
    logger,
    slack,
    evidence,
    actions: { clients: evidence.clients, securityIr: { account: evidence.homeAccount, region: env.SIRBOT_SIR_REGION ?? evidence.region } },
    ...(workbench ? { routes: workbench.handle } : {}),
  });
  botUrl = runtime.url;
  // The page opens on the channel findings go to by default; it exists before the first one does.
  emulator?.state.resolve(defaultChannel(), true);

  return {
    runtime,
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
        runtime.admin.from === 'generated'
          ? `                   with Authorization: Bearer ${runtime.admin.token}   (made for this run; SIRBOT_ADMIN_TOKEN sets one)`
          : `                   with Authorization: Bearer $${runtime.admin.from}`,
        `  rules            ${env.SIRBOT_RULES} (${rules.rules.length} rules, default channel ${rules.defaultChannel})`,
        `  store            SQLite at ${path.resolve(env.SIRBOT_DB)}`,
        evidence.fake
          ? `  AWS              embedded fake seeded with scenario ${path.basename(env.SIRBOT_SCENARIO)} (${evidence.fake.scenario.accounts.join(', ') || 'no accounts'}); SIRBOT_SCENARIO picks another (one of the bundled ones or a folder)`
          : '  AWS              real (default credential chain)',
        real
          ? `  Slack            real workspace (SLACK_BOT_TOKEN), ${env.SLACK_APP_TOKEN ? 'Socket Mode (SLACK_APP_TOKEN): no public URL needed' : `events and interactions on ${runtime.url}/slack/events`}`
          : `  Slack            embedded emulator (Web API ${emulator?.url}); state as JSON: GET ${runtime.url}/api/conversations`,
      );
      if (!real) lines.push('  Real workspace   create the app from manifest.yml, then set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_APP_TOKEN (Socket Mode) — README "Use a real workspace"');
      if (evidence.fake) lines.push('  Real AWS         SIRBOT_AWS=real investigates with your default AWS credential chain instead (README "Configuration")');
      lines.push('');
      return lines;
    },
    async close() {
      await runtime.close();
      await evidence.close();
      await emulator?.close();
    },
  };
}
