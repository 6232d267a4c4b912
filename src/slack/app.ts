import type { App, HTTPReceiver, Receiver } from '@slack/bolt';
import * as bolt from './bolt.ts';
import type { Logger } from '../ports/logger.ts';
import type { Store } from '../ports/store.ts';
import * as investigationActions from './actions/investigation.ts';
import * as openConsole from './actions/open-console.ts';
import * as appHome from './events/app-home.ts';
import * as sirCommand from './commands/sir.ts';
import * as investigateMessage from './shortcuts/investigate-message.ts';
import * as postToCase from './shortcuts/post-to-case.ts';
import * as appMention from './events/app-mention.ts';
import * as threadReply from './events/thread-reply.ts';
import { slackClientOptions } from './client-options.ts';
import { boltLogger } from './logger.ts';
import { SlackRouter } from './router.ts';
import type { SlackAppDeps } from './deps.ts';
import * as caseActions from './actions/case-actions.ts';
import * as principalActions from './actions/principal-actions.ts';
import * as findingActions from './actions/finding-actions.ts';
import * as remediationActions from './actions/remediation-actions.ts';
import * as snoozeActions from './actions/snooze-actions.ts';

export interface SlackAppOptions {
  signingSecret: string;
  token: string;
  /** The Web API base URL (the local emulator in tests and the workbench). */
  slackApiUrl?: string;
  receiver?: Receiver;
}

/** An HTTP receiver that sirbot's own server mounts at /slack/events (see runtime/local). */
export function createHttpReceiver(signingSecret: string, logger: Logger): HTTPReceiver {
  return new bolt.HTTPReceiver({
    signingSecret,
    endpoints: '/slack/events',
    logger: boltLogger(logger),
    // Listeners ack before any slow work, so answering after them costs nothing and keeps errors visible.
    processBeforeResponse: false,
  });
}

/**
 * Slack redelivers an event it thinks went unanswered (x-slack-retry-num). The first
 * delivery claims its event id, after Bolt has checked the signature; a redelivery of
 * work already accepted is acknowledged and dropped.
 */
function ignoreRedeliveredEvents(app: App, store: Store, clock: () => number): void {
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await store.claimKey(`slack-event:${eventId}`, 3600, new Date(clock()).toISOString()))) return;
    await next();
  });
}

/** Assembles the Bolt app: every Slack surface registers itself from its own folder, through one router (./router.ts). */
export function createSlackApp(options: SlackAppOptions, deps: SlackAppDeps): App {
  const app = new bolt.App({
    signingSecret: options.signingSecret,
    token: options.token,
    logger: boltLogger(deps.logger),
    // No listener keeps conversation state, and an in-memory store would be wrong with more than one
    // instance (Lambda): without it Bolt skips a lookup (and a thrown "not found") on every request.
    convoStore: false,
    ...(options.receiver ? { receiver: options.receiver } : {}),
    clientOptions: slackClientOptions(options.slackApiUrl),
  });
  if (deps.store) ignoreRedeliveredEvents(app, deps.store, deps.clock ?? Date.now);
  const router = new SlackRouter();
  appMention.register(router, deps);
  threadReply.register(router, deps);
  openConsole.register(router);
  investigationActions.register(router, deps);
  findingActions.register(router, deps);
  caseActions.register(router, deps);
  principalActions.register(router, deps);
  remediationActions.register(router, deps);
  snoozeActions.register(router, deps);
  appHome.register(router, deps);
  sirCommand.register(router, deps);
  investigateMessage.register(router, deps);
  postToCase.register(router, deps);
  router.mount(app);
  app.error(async (error) => {
    deps.logger.error({ err: error, code: (error as { code?: string }).code }, 'Slack listener failed');
  });
  return app;
}
