import type { ThreadNotifier } from '../../ports/thread-notifier.ts';
import type { SlackPoster } from '../poster.ts';
import { SlackActionNotices } from './actions.ts';
import { SlackDeliveryNotices } from './delivery.ts';
import { SlackInvestigationNotices } from './investigation.ts';

/**
 * The thread notifier in Slack: one object answering every event, made of the three
 * parts (delivery, actions, investigation) that share one poster, so posts to a channel
 * keep one pace and one order. The parts have no method in common (their names are
 * checked here when the object is built). A part's events may be methods or arrow
 * properties: both are taken.
 */
export function slackThreadNotifier(poster: SlackPoster): ThreadNotifier {
  const parts = [new SlackDeliveryNotices(poster), new SlackActionNotices(poster), new SlackInvestigationNotices(poster)];
  const notifier: Record<string, unknown> = {};
  for (const part of parts) {
    const names = [...Object.keys(part), ...Object.getOwnPropertyNames(Object.getPrototypeOf(part))];
    for (const name of names) {
      const method = (part as unknown as Record<string, unknown>)[name];
      // Events only: the parts' own fields (their poster) are not the notifier's.
      if (name === 'constructor' || typeof method !== 'function') continue;
      if (name in notifier) throw new Error(`two notifier parts answer ${name}`);
      notifier[name] = method.bind(part);
    }
  }
  return notifier as unknown as ThreadNotifier;
}
