import { type Modal, plain } from './blocks.ts';
import { safeText } from './text.ts';

/** Callback ids of the placeholder and notice modals: nothing to submit, so no listener needs them. */
export const MODAL_CALLBACKS = { loading: 'sirbot_loading', notice: 'sirbot_notice' } as const;

/**
 * What a button opens at once, before any check or lookup: a trigger id lives three
 * seconds, so the modal is opened first and filled in (or replaced with why not) after.
 */
export function loadingModal(title: string, what: string): Modal {
  return {
    type: 'modal',
    callback_id: MODAL_CALLBACKS.loading,
    title: plain(safeText(title, 24)),
    close: plain('Close'),
    blocks: [{ type: 'section', text: plain(safeText(what, 300)) }],
  };
}

/** A modal that only tells: a refusal, or that the finding is no longer known. */
export function noticeModal(title: string, text: string): Modal {
  return {
    type: 'modal',
    callback_id: MODAL_CALLBACKS.notice,
    title: plain(safeText(title, 24)),
    close: plain('Close'),
    blocks: [{ type: 'section', text: plain(safeText(text, 2000)) }],
  };
}
