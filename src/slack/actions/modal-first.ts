import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../ports/logger.ts';
import type { Modal } from '../views/blocks.ts';
import { noticeModal } from '../views/modal.ts';
import { type Place, tellPrivately } from './reply.ts';

/** A modal opened with a placeholder, to be filled in once the checks and lookups are done. */
export interface PendingModal {
  /** The opened view's id and hash; null when Slack did not open it (the trigger expired, or was used). */
  readonly opened: { id: string; hash: string | undefined } | null;
  /** Puts the real modal in the placeholder's place. */
  show(view: Modal): Promise<void>;
  /** Replaces the placeholder with why not (a refusal, a finding no longer known); privately in the thread when that fails. */
  tell(title: string, text: string): Promise<void>;
}

/**
 * Opens `placeholder` before the button does anything else. A trigger id lives three
 * seconds, and on Lambda a cold start, a role check that reads user groups, a store read
 * and a draft could use them up: Slack would then refuse the modal. Everything after
 * this call may take its time; what it finds is shown with views.update, by view id and
 * with the placeholder's hash, so a modal the person closed or moved on from is left alone.
 */
export async function openFirst(client: WebClient, triggerId: string, placeholder: Modal, place: Place, logger: Logger): Promise<PendingModal> {
  const opened = await client.views.open({ trigger_id: triggerId, view: placeholder }).then(
    (r) => (r.view?.id ? { id: r.view.id, hash: r.view.hash } : null),
    (err: unknown) => {
      logger.warn({ err, user: place.user }, 'could not open the modal');
      return null;
    },
  );
  const update = (view: Modal) =>
    opened
      ? client.views.update({ view_id: opened.id, ...(opened.hash ? { hash: opened.hash } : {}), view }).then(
          () => true,
          (err: unknown) => {
            logger.warn({ err, view: opened.id }, 'could not fill in the modal');
            return false;
          },
        )
      : Promise.resolve(false);
  return {
    opened,
    async show(view) {
      if (!(await update(view)) && !opened) await tellPrivately(client, place, 'Slack did not let sirbot open the form in time; please click again.', logger);
    },
    async tell(title, text) {
      if (!(await update(noticeModal(title, text)))) await tellPrivately(client, place, text, logger);
    },
  };
}
