import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { SlackRouter } from '../router.ts';
import { extractTargets } from '../../domain/investigation/ad-hoc.ts';
import type { SlackAppDeps } from '../deps.ts';
import { tellPrivately } from '../actions/reply.ts';
import { acknowledge, interactionOf } from '../middleware/interaction.ts';
import { roleGuard } from '../middleware/require-role.ts';
import { CALLBACKS } from '../views/action-ids.ts';

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/**
 * "Investigate with sirbot" on any message: the first access key id, ARN, instance id
 * or IP in it is investigated in that message's thread, in sirbot's own account and
 * region unless the text names an account through an ARN. Investigating is a responder's.
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { investigations, actions, adHoc, jobs } = deps;
  if (!investigations || !actions || !adHoc || !jobs) return;
  const requireRole = roleGuard({ access: actions.access, audit: actions.audit, logger: deps.logger });
  app.shortcut<MessageShortcut>(
    CALLBACKS.investigateShortcut,
    acknowledge,
    requireRole('responder', ({ shortcut }: ShortcutArgs) => ({ action: 'investigate', target: 'message', inputs: { ts: shortcut.message.ts } })),
    async (args: ShortcutArgs) => {
      const { shortcut, client } = args;
      const { place } = interactionOf(args);
      const channel = shortcut.channel.id;
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
        channel,
        ts: place.threadTs,
      });
      await jobs.run({
        kind: 'investigation.adhoc',
        // The message, not the click, identifies the request: investigating it twice opens one thread.
        requestId: `shortcut:${channel}:${shortcut.message.ts}:${target.value}`,
        target,
        account: adHoc.account,
        region: adHoc.region,
        since: null,
        channel,
        threadTs: place.threadTs,
        requestedBy: shortcut.user.id,
      });
    },
  );
}
