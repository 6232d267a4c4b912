import { awsSettingsFromEnv, secretsManager } from '../../aws/clients.ts';
import { loadSlackSecret, type SlackSecret } from '../../aws/slack-secret.ts';
import { parseEnv, type Env } from '../../config/env.ts';
import { MemoryStore } from '../../store/memory.ts';
import { composeCore, type Core } from '../compose.ts';
import { createLogger, type Logger } from '../logger.ts';

export interface LambdaContext {
  env: Env;
  logger: Logger;
  slack: SlackSecret;
  core: Core;
}

let context: Promise<LambdaContext> | undefined;

/**
 * Built once per container. The store is in-memory until the DynamoDB store lands
 * (see docs/ARCHITECTURE.md): dedup then holds within a warm container only.
 */
export function lambdaContext(): Promise<LambdaContext> {
  context ??= (async () => {
    const env = parseEnv();
    const logger = createLogger(env.LOG_LEVEL);
    if (!env.SIRBOT_SLACK_SECRET_ID) throw new Error('SIRBOT_SLACK_SECRET_ID must name the Slack credentials secret');
    const slack = await loadSlackSecret(secretsManager(awsSettingsFromEnv()), env.SIRBOT_SLACK_SECRET_ID);
    const core = composeCore({
      env,
      store: new MemoryStore(),
      logger,
      slackToken: slack.botToken,
      ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
    });
    return { env, logger, slack, core };
  })();
  context.catch(() => {
    context = undefined;
  });
  return context;
}
