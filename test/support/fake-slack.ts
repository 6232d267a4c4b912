import { ErrorCode, LogLevel, WebClient, type Logger, type WebAPIPlatformError } from '@slack/web-api';
import { startSlackEmulator, type EmulatedView, type SlackEmulator, type SlackEmulatorOptions } from '../../src/emulator/slack/index.ts';

export type { EmulatedView, SlackEmulator } from '../../src/emulator/slack/index.ts';

export interface FakeSlack {
  emulator: SlackEmulator;
  /** A real WebClient pointed at the emulator; the token defaults to the one the emulator wants. */
  webClient(token?: string): WebClient;
  /** A trigger id for an interaction of `user`, good for one views.open within 3 s: put it in the payload you send the bot. */
  issueTriggerId(user?: string): string;
  /** The modal last opened, pushed or updated for `user` (even if closed since), as the emulator holds it. */
  latestView(user: string): EmulatedView | undefined;
  /** The modals `user` has open, the root first. */
  openModals(user: string): EmulatedView[];
}

// Platform errors are what these tests provoke; the client need not also print them.
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => LogLevel.ERROR,
  setName() {},
};

/** The Slack emulator on a random port, and real WebClients pointed at it. */
export async function startFakeSlack(options: SlackEmulatorOptions = {}): Promise<FakeSlack> {
  const emulator = await startSlackEmulator({ port: 0, ...options });
  return {
    emulator,
    issueTriggerId: (user = 'U0RESPONDER') => emulator.state.issueTriggerId(user),
    latestView: (user) => emulator.state.surfaces.latest(user),
    openModals: (user) => emulator.state.surfaces.modals(user),
    webClient(token = options.token ?? 'xoxb-test') {
      return new WebClient(token, {
        slackApiUrl: emulator.url,
        logger: silentLogger,
        // Rate-limited calls wait out Retry-After regardless; this only keeps network retries quick.
        retryConfig: { retries: 3, minTimeout: 50, maxTimeout: 2000 },
      });
    },
  };
}

export type SlackErrorData = { ok: false; error: string; errors?: string[]; response_metadata?: { messages?: string[] } };

/** The `data` of the Slack platform error a call fails with (`{ ok: false, error, … }`); throws if it succeeds. */
export async function slackError(call: Promise<unknown>): Promise<SlackErrorData> {
  try {
    await call;
  } catch (err) {
    if ((err as WebAPIPlatformError).code === ErrorCode.PlatformError) return (err as WebAPIPlatformError).data as SlackErrorData;
    throw err;
  }
  throw new Error('expected the call to fail with a Slack platform error');
}
