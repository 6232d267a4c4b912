import { LogLevel, WebClient } from '@slack/web-api';
import { startSlackEmulator, type SlackEmulatorOptions } from '../../src/emulator/slack/index.ts';

/** The Slack emulator on a random port, and real WebClients pointed at it. */
export async function startFakeSlack(options: SlackEmulatorOptions = {}) {
  const emulator = await startSlackEmulator({ port: 0, ...options });
  return {
    emulator,
    webClient(token = options.token ?? 'xoxb-test') {
      // Platform errors are what these tests provoke; the client need not also log them.
      return new WebClient(token, { slackApiUrl: emulator.url, logLevel: LogLevel.ERROR, retryConfig: { retries: 3, minTimeout: 50, maxTimeout: 2000 } });
    },
  };
}
