import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { SlackAppDeps } from '../deps.ts';
import { acknowledge } from '../middleware/interaction.ts';
import { roleGuard } from '../middleware/require-role.ts';
import type { SlackRouter } from '../router.ts';
import { CALLBACKS } from '../views/action-ids.ts';

type ShortcutArgs = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/**
 * "Post to case" on a message in a finding's thread: its text becomes a comment on the
 * Security IR case opened from that thread (src/actions/case-comments.ts), signed with
 * who posted it, and its files are attached to the case. Putting words on a case is a responder's; the message names the comment,
 * so clicking twice, or Slack sending the shortcut again, posts it once.
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { actions, jobs } = deps;
  if (!actions || !jobs) return;
  const requireRole = roleGuard({ access: actions.access, audit: actions.audit, logger: deps.logger });
  app.shortcut<MessageShortcut>(
    CALLBACKS.postToCaseShortcut,
    acknowledge,
    requireRole('responder', ({ shortcut }: ShortcutArgs) => ({ action: 'case.comment', target: 'message', inputs: { ts: shortcut.message.ts } })),
    async ({ shortcut }: ShortcutArgs) => {
      const channel = shortcut.channel.id;
      const threadTs = shortcut.message.thread_ts ?? shortcut.message.ts;
      const files = ((shortcut.message as { files?: Array<{ id?: unknown; name?: unknown }> }).files ?? [])
        .filter((f): f is { id: string; name: string } => typeof f.id === 'string' && /^F[A-Z0-9]{2,}$/.test(f.id) && typeof f.name === 'string')
        .slice(0, 20)
        .map((f) => ({ id: f.id, name: f.name.slice(0, 1000) }));
      await jobs.run({
        kind: 'case.comment',
        userId: shortcut.user.id,
        ...(shortcut.user.name ? { userName: shortcut.user.name } : {}),
        text: shortcut.message.text ?? '',
        thread: { channel, threadTs },
        source: { channel, ts: shortcut.message.ts },
        ...(files.length > 0 ? { files } : {}),
        replyTo: { channel, threadTs, user: shortcut.user.id },
      });
    },
  );
}
