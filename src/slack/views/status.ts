import { WORKFLOW_STATUSES, type Finding, type WorkflowStatus } from '../../domain/finding.ts';
import { SETTABLE_STATUSES, standingWords } from '../../domain/actions/workflow-status.ts';
import type { AwsCall } from '../../domain/actions/aws-call.ts';
import { type Modal, type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { CALLBACKS } from './action-ids.ts';
import { callListMrkdwn } from './calls.ts';
import { mentionMarkup } from './text.ts';
import { LIMITS, code, escapeText, safeText, truncate } from './text.ts';

export const STATUS_BLOCKS = { status: 'status', note: 'note' } as const;
/** Leaves room in the 512-character note for who set it. */
export const NOTE_INPUT_MAX = 450;

const STATUS_HELP: Record<WorkflowStatus, string> = {
  NEW: 'Not reviewed yet',
  NOTIFIED: 'The resource owner has been told',
  RESOLVED: 'Fixed, or not an issue',
  SUPPRESSED: 'Reviewed; no action will be taken',
};

const option = (s: WorkflowStatus) => ({ text: plain(`${s} — ${STATUS_HELP[s]}`), value: s });

/** The offer the modal answers (and through it the finding) travels in private_metadata, not in anything the user edits. */
export function statusModal(finding: Finding, offerId: string, initial?: WorkflowStatus): Modal {
  const settable = SETTABLE_STATUSES.find((s) => s === initial);
  return {
    type: 'modal',
    callback_id: CALLBACKS.statusModal,
    title: plain('Set workflow status'),
    submit: plain('Set status'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ offerId }),
    blocks: [
      { type: 'section', text: plain(safeText(finding.title || finding.id, 300)) },
      { type: 'context', elements: [mrkdwn(`${code(finding.product, 60)} · account ${code(finding.accountId, 20)} · now ${standingWords(finding)}`)] },
      {
        type: 'input',
        block_id: STATUS_BLOCKS.status,
        label: plain('Status'),
        element: {
          type: 'radio_buttons',
          action_id: 'value',
          options: SETTABLE_STATUSES.map(option),
          ...(settable ? { initial_option: option(settable) } : {}),
        },
      },
      {
        type: 'input',
        block_id: STATUS_BLOCKS.note,
        optional: true,
        label: plain('Note (recorded on the finding)'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: NOTE_INPUT_MAX },
      },
    ],
  };
}

export function isWorkflowStatus(v: string): v is WorkflowStatus {
  return (WORKFLOW_STATUSES as readonly string[]).includes(v);
}

export function statusResultMessage(o: {
  status: WorkflowStatus;
  note: string;
  userId: string;
  /** The calls made (or the one that could not be), as made: an earlier lookup's answer already in place. */
  calls: AwsCall[];
  error: { name: string; message: string } | null;
  unprocessed: Array<{ id: string; reason: string }>;
}): SlackMessage {
  const ok = !o.error && o.unprocessed.length === 0;
  const head = ok
    ? `:white_check_mark: ${mentionMarkup(o.userId)} set the workflow status to *${o.status}*`
    : `:x: ${mentionMarkup(o.userId)} could not set the workflow status to *${o.status}*`;
  const lines = [head];
  if (o.note) lines.push(`> ${escapeText(o.note).replace(/\n/g, '\n> ')}`);
  if (o.error) lines.push(`${code(o.error.name, 100)} ${escapeText(o.error.message)}`);
  for (const u of o.unprocessed.slice(0, 10)) lines.push(`Unprocessed ${code(u.id, 200)}: ${escapeText(u.reason)}`);
  const text = truncate(lines.join('\n'), LIMITS.sectionText);
  return {
    text: truncate(`${ok ? 'Status set' : 'Status not set'}: ${o.status}`, LIMITS.fallbackText),
    blocks: [
      { type: 'section', text: mrkdwn(text) },
      { type: 'context', elements: [mrkdwn(truncate(callListMrkdwn(o.calls), LIMITS.contextText))] },
    ],
  };
}
