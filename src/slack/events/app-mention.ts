import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackRouter } from '../router.ts';
import { helpMessage } from '../views/help.ts';
import type { SlackAppDeps } from '../deps.ts';

export function appMentionListener(deps: SlackAppDeps) {
  return async ({ event, client }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs): Promise<void> => {
    // In an investigation's thread a mention is a question: the thread's message listener answers it.
    const inThread = event.thread_ts && event.thread_ts !== event.ts;
    if (inThread && deps.investigations && (await deps.store?.findInvestigationByThread(event.channel, event.thread_ts as string))) return;
    const rules = deps.rules();
    const message = helpMessage(rules.defaultChannel, rules.rules.length);
    await client.chat.postMessage({
      channel: event.channel,
      thread_ts: event.thread_ts ?? event.ts,
      text: message.text,
      blocks: message.blocks,
    });
  };
}

export function register(app: SlackRouter, deps: SlackAppDeps): void {
  app.event('app_mention', appMentionListener(deps));
}
