import type { Logger } from '../../ports/logger.ts';
import { type Place, placeOf, tellPrivately } from '../actions/reply.ts';
import type { ActionArgs, CommandArgs, ShortcutArgs, ViewArgs } from '../router.ts';
import { openedModalOf } from './modal-first.ts';

/** The requests a person makes: a click, a submission, a shortcut, a slash command. */
export type InteractionArgs = ActionArgs | ViewArgs | ShortcutArgs | CommandArgs;

/** Who acted, and where an answer meant only for them goes. */
export function interactionOf(args: InteractionArgs): { user: string; place: Place } {
  if ('command' in args) {
    const user = args.command.user_id;
    return { user, place: { channel: args.command.channel_id, user } };
  }
  if ('shortcut' in args) {
    const s = args.shortcut;
    const user = s.user.id;
    if (s.type !== 'message_action') return { user, place: { channel: undefined, user } };
    return { user, place: { channel: s.channel.id, threadTs: s.message.thread_ts ?? s.message.ts, user } };
  }
  if ('view' in args) return { user: args.body.user.id, place: { channel: undefined, user: args.body.user.id } };
  return { user: args.body.user.id, place: placeOf(args.body) };
}

/**
 * Tells the person, only them, why their request stops here: in the modal their click
 * opened (modal-first.ts), in a slash command's acknowledgement (so a step that answers
 * this way comes before the one that acknowledges), or else ephemerally where they acted.
 */
export async function answerPrivately(args: InteractionArgs, text: string, logger: Logger): Promise<void> {
  const opened = openedModalOf(args.context);
  if (opened) return opened.modal.tell(opened.title, text);
  if ('command' in args) return args.ack({ response_type: 'ephemeral', text });
  await tellPrivately(args.client, interactionOf(args).place, text, logger);
}

/** Acknowledges at once (Slack wants an answer within 3 seconds), then goes on. */
export async function acknowledge(args: { ack: () => Promise<void>; next: () => Promise<void> }): Promise<void> {
  await args.ack();
  await args.next();
}
