import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { SlackRouter } from '../router.ts';
import { extractTargets } from '../../domain/investigation/ad-hoc.ts';
import type { SlackAppDeps } from '../app.ts';
import { tellPrivately } from '../actions/reply.ts';
import { CALLBACKS } from '../views/action-ids.ts';

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/**
 * "Investigate with sirbot" on any message: the first access key id, ARN, instance id
 * or IP in it is investigated in that message's thread, in sirbot's own account and
 * region unless the text names an account through an ARN.
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { investigations, actions, adHoc, jobs } = deps;
  if (!investigations || !actions || !adHoc || !jobs) return;
  app.shortcut<MessageShortcut>(CALLBACKS.investigateShortcut, async ({ ack, shortcut, client }: ShortcutArgs) => {
    await ack();
    const place = { channel: shortcut.channel.id, threadTs: shortcut.message.thread_ts ?? shortcut.message.ts, user: shortcut.user.id };
    const allowed = await actions.access.check(shortcut.user.id, 'responder');
    if (!allowed.allowed) {
      await actions.audit.record({
        actor: shortcut.user.id,
        action: 'investigate',
        target: 'message',
        inputs: { ts: shortcut.message.ts },
        outcome: 'refused',
        result: { reason: allowed.reason },
        channel: place.channel,
        ts: place.threadTs,
      });
      return tellPrivately(client, place, `Not allowed: ${allowed.reason}.`, deps.logger);
    }
    const [target] = extractTargets(shortcut.message.text ?? '');
    if (!target)
      return tellPrivately(
        client,
        place,
        'That message names no access key id (AKIA…/ASIA…), IAM ARN, instance id (i-…) or IPv4 address to investigate.',
        deps.logger,
      );
    await actions.audit.record({
      actor: shortcut.user.id,
      action: 'investigate',
      target: target.value,
      inputs: { via: 'message shortcut' },
      outcome: 'executed',
      channel: place.channel,
      ts: place.threadTs,
    });
    await jobs.run({
      kind: 'investigation.adhoc',
      // The message, not the click, identifies the request: investigating it twice opens one thread.
      requestId: `shortcut:${place.channel}:${shortcut.message.ts}:${target.value}`,
      target,
      account: adHoc.account,
      region: adHoc.region,
      since: null,
      channel: place.channel,
      threadTs: place.threadTs,
      requestedBy: shortcut.user.id,
    });
  });
}
