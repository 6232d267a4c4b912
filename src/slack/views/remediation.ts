import { type Plan, type Remediation, remediationById } from '../../domain/remediation/catalog.ts';
import type { CallOutcome } from '../../ports/aws-calls.ts';
import type { RemediationShown } from '../../ports/notices/actions.ts';
import { type Block, type Button, type Modal, type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { CALLBACKS, REMEDIATION_ACTIONS } from './action-ids.ts';
import { callHeadMrkdwn, callListMrkdwn, callListPlain } from './calls.ts';
import { mentionMarkup } from './text.ts';
import { LIMITS, code, escapeText, safeText, truncate } from './text.ts';

export const REMEDIATION_BLOCKS = { note: 'note' } as const;

/** A suggested remediation, offered: the button carries only the offer's id. */
export interface OfferedRemediation {
  offerId: string;
  remediationId: string;
  label: string;
}

/** Buttons offering the suggested remediations (at most 25, Slack's limit for one block). */
export function remediationBlocks(offered: OfferedRemediation[]): Block[] {
  const buttons: Button[] = offered.slice(0, 25).map((o, n) => ({
    type: 'button',
    text: plain(safeText(o.label, LIMITS.buttonText)),
    action_id: `${REMEDIATION_ACTIONS.request}:${n}`,
    value: o.offerId,
    // Red for what needs a second person (a deleted key, every session of a role).
    ...(remediationById(o.remediationId)?.secondApprover ? { style: 'danger' as const } : {}),
  }));
  if (buttons.length === 0) return [];
  return [
    { type: 'section', text: mrkdwn('*Containment* — each opens a preview of the exact AWS calls before anything runs') },
    { type: 'actions', block_id: 'remediations', elements: buttons },
  ];
}

/** Opened at the click, before anything is checked or read; the preview replaces it. */
export function preparingModal(): Modal {
  return {
    type: 'modal',
    callback_id: CALLBACKS.remediationModal,
    title: plain('Remediation'),
    close: plain('Close'),
    blocks: [{ type: 'section', text: plain('Preparing the preview: the exact AWS calls, what Undo would call, and who must approve…') }],
  };
}

export function errorModal(message: string): Modal {
  return {
    type: 'modal',
    callback_id: CALLBACKS.remediationModal,
    title: plain('Remediation'),
    close: plain('Close'),
    blocks: [{ type: 'section', text: plain(safeText(message, 2000)) }],
  };
}

/**
 * The confirmation: what will run, what undo would run, who must approve. The metadata
 * names the offer and the plan shown, so the submission runs that offer's remediation
 * and only if the plan is still the one previewed.
 */
export function remediationModal(preview: { remediation: Remediation; plan: Plan; planHash: string }, offerId: string): Modal {
  const { remediation: r, plan } = preview;
  const blocks: Block[] = [
    { type: 'header', text: plain(safeText(r.title, LIMITS.headerText)) },
    { type: 'section', text: plain(safeText(r.effect, 1000)) },
    { type: 'section', text: mrkdwn(truncate(`*AWS calls that will be made*\n${callListMrkdwn(plan.calls)}`, LIMITS.sectionText)) },
    {
      type: 'section',
      text: mrkdwn(
        truncate(plan.undo ? `*Undo would call*\n${callListMrkdwn(plan.undo)}` : '*Undo*: not possible — this cannot be reversed.', LIMITS.sectionText),
      ),
    },
  ];
  if (plan.notes.length > 0)
    blocks.push({ type: 'context', elements: [mrkdwn(truncate(plan.notes.map((n) => escapeText(n)).join('\n'), LIMITS.contextText))] });
  if (r.secondApprover) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(':busts_in_silhouette: Destructive: after you confirm, an approver other than you must approve it in the thread.')],
    });
  }
  blocks.push({
    type: 'input',
    block_id: REMEDIATION_BLOCKS.note,
    optional: true,
    label: plain('Reason (kept in the audit log)'),
    element: { type: 'plain_text_input', action_id: 'value', max_length: 500 },
  });
  return {
    type: 'modal',
    callback_id: CALLBACKS.remediationModal,
    title: plain('Confirm remediation'),
    submit: plain(r.secondApprover ? 'Request approval' : 'Run'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ offerId, planHash: preview.planHash }),
    blocks,
  };
}

export function approvalMessage(actionId: string, r: Remediation, input: { plan: Plan; note: string }, requester: string): SlackMessage {
  return {
    text: `Approval needed: ${escapeText(r.title)}`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`:busts_in_silhouette: ${mentionMarkup(requester)} asks to run *${escapeText(r.title)}*. An approver other than them must approve.`),
      },
      { type: 'section', text: mrkdwn(truncate(`*AWS calls*\n${callListMrkdwn(input.plan.calls)}`, LIMITS.sectionText)) },
      ...(input.note ? [{ type: 'context' as const, elements: [mrkdwn(truncate(`Reason: ${escapeText(input.note)}`, LIMITS.contextText))] }] : []),
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: plain('Approve'),
            action_id: REMEDIATION_ACTIONS.approve,
            value: actionId,
            style: 'danger',
            confirm: {
              title: plain('Approve and run?'),
              text: plain(safeText(`${r.title}: ${r.effect}`, 300)),
              confirm: plain('Approve'),
              deny: plain('Cancel'),
            },
          },
          { type: 'button', text: plain('Reject'), action_id: REMEDIATION_ACTIONS.reject, value: actionId },
        ],
      },
    ],
  };
}

/** Where a request stands, in words, and the icon shown beside them. */
const STATES: Record<string, [icon: string, words: string]> = {
  awaiting_approval: [':hourglass_flowing_sand:', 'waiting for approval'],
  running: [':gear:', 'running'],
  succeeded: [':white_check_mark:', 'succeeded'],
  partial: [':warning:', 'partly done'],
  failed: [':x:', 'failed'],
  rejected: [':no_entry_sign:', 'rejected'],
  undoing: [':leftwards_arrow_with_hook:', 'undoing'],
  undone: [':leftwards_arrow_with_hook:', 'undone'],
  undo_failed: [':x:', 'undo failed'],
};
const stateWords = (state: string) => STATES[state]?.[1] ?? escapeText(state.replace(/_/g, ' '));
const stateLine = (state: string) => `${STATES[state]?.[0] ?? ':grey_question:'} ${stateWords(state)}`;

function outcomeLines(outcomes: CallOutcome[]): string {
  return outcomes
    .map(
      (o) =>
        `${o.ok ? ':white_check_mark:' : ':x:'} ${callHeadMrkdwn(o.call)}${o.error ? ` ${code(o.error.name, 80)} ${escapeText(truncate(o.error.message, 300))}` : ''}`,
    )
    .join('\n');
}

/** Where a remediation request stands, with who asked, who decided and what AWS answered. */
export function remediationResultMessage(
  shown: Pick<RemediationShown, 'actionId' | 'remediation' | 'state' | 'requestedBy' | 'decidedBy' | 'plan' | 'outcomes' | 'undoOutcomes' | 'undoneBy'>,
): SlackMessage {
  const { remediation: r, state, plan } = shown;
  const who = [`requested by ${mentionMarkup(shown.requestedBy)}`];
  if (shown.decidedBy) who.push(`${state === 'rejected' ? 'rejected' : 'approved'} by ${mentionMarkup(shown.decidedBy)}`);
  if (shown.undoneBy) who.push(`undone by ${mentionMarkup(shown.undoneBy)}`);
  const blocks: Block[] = [{ type: 'section', text: mrkdwn(`*${escapeText(r.title)}* — ${stateLine(state)}\n${who.join(' · ')}`) }];
  if (shown.outcomes.length) blocks.push({ type: 'section', text: mrkdwn(truncate(outcomeLines(shown.outcomes), LIMITS.sectionText)) });
  if (shown.undoOutcomes.length) blocks.push({ type: 'section', text: mrkdwn(truncate(`*Undo*\n${outcomeLines(shown.undoOutcomes)}`, LIMITS.sectionText)) });
  if (plan.undo && (state === 'succeeded' || state === 'partial')) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: plain('Undo'),
          action_id: REMEDIATION_ACTIONS.undo,
          value: shown.actionId,
          confirm: {
            title: plain('Undo this remediation?'),
            // A confirm dialog shows its text as it is (Slack takes plain_text there): no markup.
            text: plain(safeText(`These calls will be made:\n${callListPlain(plan.undo)}`, 300)),
            confirm: plain('Undo'),
            deny: plain('Cancel'),
          },
        },
      ],
    });
  }
  return { text: `${escapeText(r.title)}: ${stateWords(state)}`, blocks };
}
