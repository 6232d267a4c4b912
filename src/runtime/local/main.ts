import '../sdk-notice.ts';
import { ConfigError, parseEnv } from '../../config/env.ts';
import { RulesFileError } from '../../config/rules-file.ts';
import { createLogger } from '../logger.ts';
import { guardUnhandledRejections } from '../process-guards.ts';
import { startLocalStack } from './start.ts';

/** `npm start`: the bot with real Slack and AWS when configured, the emulator, fake AWS and workbench otherwise. */
async function main(): Promise<void> {
  const env = parseEnv();
  const logger = createLogger(env.LOG_LEVEL);
  guardUnhandledRejections(logger);
  const stack = await startLocalStack(env, logger);
  process.stdout.write(`${stack.banner().join('\n')}\n`);

  const stop = async () => {
    await stack.close();
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
