import type { Context } from '@slack/bolt';
import type { Logger } from '../../ports/logger.ts';
import { type PendingModal, openFirst } from '../actions/modal-first.ts';
import { placeOf } from '../actions/reply.ts';
import type { Modal } from '../views/blocks.ts';
import type { ActionArgs } from '../router.ts';

/** The modal a click opened at once, with the title a notice put in its place keeps. */
export interface OpenedModal {
  modal: PendingModal;
  title: string;
}

const OPENED = 'sirbotOpenedModal';

export const openedModalOf = (context: Context): OpenedModal | undefined => context[OPENED] as OpenedModal | undefined;

/**
 * Acknowledges a button and opens `placeholder` before anything else runs (actions/modal-first.ts
 * says why); the steps after it fill the modal in, or replace it with why not (answerPrivately).
 */
export function openModalFirst(title: string, placeholder: () => Modal, logger: Logger) {
  return async (args: ActionArgs): Promise<void> => {
    await args.ack();
    const modal = await openFirst(args.client, args.body.trigger_id, placeholder(), placeOf(args.body), logger);
    args.context[OPENED] = { modal, title } satisfies OpenedModal;
    await args.next();
  };
}

/** The modal opened by openModalFirst, for the listener at the end of its chain. */
export function openedModal(context: Context): OpenedModal {
  const opened = openedModalOf(context);
  if (!opened) throw new Error('openModalFirst must come before this listener');
  return opened;
}
