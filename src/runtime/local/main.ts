import { ConfigError, parseEnv } from '../../config/env.ts';
import { RulesFileError } from '../../config/rules-file.ts';
import { startSlackEmulator } from '../../emulator/slack/index.ts';
import { createLogger } from '../logger.ts';
import { evidenceFromEnv } from '../evidence.ts';
import { startLocalRuntime } from './server.ts';

/** Credentials the embedded emulator accepts; they never leave this machine. */
const EMULATOR_TOKEN = 'xoxb-local-emulator';
const EMULATOR_SIGNING_SECRET = 'local-emulator-signing-secret';

/**
 * `npm start`: real Slack when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set,
 * otherwise the embedded Slack emulator, so the bot runs with no account at all.
 */
async function main(): Promise<void> {
  const env = parseEnv();
  const logger = createLogger(env.LOG_LEVEL);
  const real = env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET;
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET) {
    throw new ConfigError('SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not: set both to use a real workspace, or neither for the emulator');
  }
  if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN) {
    throw new ConfigError('SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: Socket Mode needs both (and SLACK_SIGNING_SECRET); see README "Use a real workspace"');
  }
  const emulator = real ? undefined : await startSlackEmulator({ port: env.SIRBOT_EMULATOR_PORT, host: env.HOST, token: EMULATOR_TOKEN });
  const slack = real
    ? {
        token: env.SLACK_BOT_TOKEN as string,
        signingSecret: env.SLACK_SIGNING_SECRET as string,
        ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
        ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
      }
    : { token: EMULATOR_TOKEN, signingSecret: EMULATOR_SIGNING_SECRET, apiUrl: emulator?.url as string };
  const evidence = await evidenceFromEnv(env);
  const runtime = await startLocalRuntime({
    env,
    logger,
    slack,
    evidence,
    actions: { clients: evidence.clients, securityIr: { account: evidence.homeAccount, region: env.SIRBOT_SIR_REGION ?? evidence.region } },
  });

  const lines = [
    '',
    `sirbot is listening on ${runtime.url}`,
    `  Slack events     POST ${runtime.url}/slack/events`,
    `  findings         POST ${runtime.url}/ingest   (EventBridge, SNS or exported findings; add ?wait=true to wait for Slack)`,
    `  dead letters     GET  ${runtime.url}/dead-letters`,
    `  rules            ${env.SIRBOT_RULES} (${runtime.core.rules().rules.length} rules, default channel ${runtime.core.rules().defaultChannel})`,
    `  store            ${env.SIRBOT_DB}`,
    evidence.fake
      ? `  AWS              embedded fake seeded with ${env.SIRBOT_SCENARIO} (${evidence.fake.scenario.accounts.join(', ') || 'no accounts'}); SIRBOT_AWS=real uses your AWS credentials`
      : '  AWS              real (default credential chain)',
    real
      ? `  Slack            real workspace (SLACK_BOT_TOKEN), ${env.SLACK_APP_TOKEN ? 'Socket Mode (SLACK_APP_TOKEN): no public URL needed' : `events and interactions on ${runtime.url}/slack/events`}`
      : `  Slack            embedded emulator at ${emulator?.url} — see what the bot posted: GET ${emulator?.url.replace(/\/api\/$/, '')}/api/conversations`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = async () => {
    await runtime.close();
    await evidence.close();
    await emulator?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof RulesFileError) {
    process.stderr.write(`sirbot: ${err.message}\n`);
  } else {
    process.stderr.write(`sirbot: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  }
  process.exit(1);
});
