import {
  SNOOZE_DURATIONS,
  SNOOZE_ENTITIES,
  SNOOZE_REASON_MAX,
  type Snooze,
  type SnoozeCriteria,
  type SnoozeDuration,
  type SnoozeEntity,
} from '../../domain/actions/snooze.ts';
import { automationRuleProposal } from '../../domain/actions/snooze-rule.ts';
import type { Finding } from '../../domain/finding.ts';
import { type Block, type Modal, type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { CALLBACKS, SNOOZE_ACTIONS } from './action-ids.ts';
import { LIMITS, code, escapeText, mentionMarkup, safeText, slackDate, truncate } from './text.ts';

export const SNOOZE_BLOCKS = { entities: 'entities', for: 'for', reason: 'reason' } as const;

export const ENTITY_LABELS: Record<SnoozeEntity, string> = {
  resource: 'Resource',
  principal: 'Principal',
  type: 'Finding type',
  accountId: 'Account',
};

const DURATION_LABELS: Record<SnoozeDuration, string> = { '1h': '1 hour', '8h': '8 hours', '24h': '24 hours', '7d': '7 days' };
const durationOption = (d: SnoozeDuration) => ({ text: plain(DURATION_LABELS[d]), value: d });

/**
 * "Snooze similar": the finding's entities as checkboxes (all ticked: the narrowest
 * snooze), an expiry and a reason. Only the offer's id travels in the metadata: the
 * values snoozed are read again from the offer's finding on submission, never from here.
 */
export function snoozeModal(finding: Finding, entities: SnoozeCriteria, offerId: string): Modal {
  const options = SNOOZE_ENTITIES.filter((e) => entities[e]).map((e) => ({
    text: plain(ENTITY_LABELS[e]),
    description: plain(safeText(entities[e] as string, 75)),
    value: e,
  }));
  return {
    type: 'modal',
    callback_id: CALLBACKS.snoozeModal,
    title: plain('Snooze similar'),
    submit: plain('Snooze'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ offerId }),
    blocks: [
      { type: 'section', text: plain(safeText(finding.title || finding.id, 300)) },
      {
        type: 'context',
        elements: [
          mrkdwn(
            'Findings about *all* the ticked entities are still stored and counted, but not posted, until the snooze ends; its end is announced in this thread.',
          ),
        ],
      },
      {
        type: 'input',
        block_id: SNOOZE_BLOCKS.entities,
        label: plain('Snooze findings with'),
        element: { type: 'checkboxes', action_id: 'value', options, ...(options.length > 0 ? { initial_options: options } : {}) },
      },
      {
        type: 'input',
        block_id: SNOOZE_BLOCKS.for,
        label: plain('For'),
        element: {
          type: 'static_select',
          action_id: 'value',
          options: (Object.keys(SNOOZE_DURATIONS) as SnoozeDuration[]).map(durationOption),
          initial_option: durationOption('24h'),
        },
      },
      {
        type: 'input',
        block_id: SNOOZE_BLOCKS.reason,
        label: plain('Reason (shown to everyone)'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: SNOOZE_REASON_MAX },
      },
    ],
  };
}

/** `account \`111122223333\` · finding type \`…\`` */
export function criteriaWords(c: SnoozeCriteria, max = 200): string {
  return SNOOZE_ENTITIES.filter((e) => c[e])
    .map((e) => `${ENTITY_LABELS[e].toLowerCase()} ${code(c[e] as string, max)}`)
    .join(' · ');
}

const quoted = (reason: string) => `> ${escapeText(reason).replace(/\n/g, '\n> ')}`;

export function snoozeCreatedMessage(s: Snooze): SlackMessage {
  const text = truncate(
    `:zzz: ${mentionMarkup(s.createdBy)} snoozed findings with ${criteriaWords(s.criteria)} until ${slackDate(s.expiresAt)} (${code(s.id, 40)}): they are kept and counted, not posted.\n${quoted(s.reason)}`,
    LIMITS.sectionText,
  );
  return { text: 'Findings snoozed', blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

const heldWords = (held: number) => (held === 0 ? 'no finding was held back' : held === 1 ? '1 finding was held back' : `${held} findings were held back`);

export function snoozeEndedMessage(s: Snooze, held: number, how: 'expired' | 'cancelled', by: string): SlackMessage {
  const head = how === 'expired' ? ':alarm_clock: The snooze of findings' : `:bell: ${mentionMarkup(by)} cancelled the snooze of findings`;
  const text = truncate(
    `${head} with ${criteriaWords(s.criteria)} (${code(s.id, 40)}, by ${mentionMarkup(s.createdBy)}) ${how === 'expired' ? 'has ended' : 'before its end'}: ${heldWords(held)} while it lasted. Matching findings are posted again.`,
    LIMITS.sectionText,
  );
  const blocks: Block[] = [{ type: 'section', text: mrkdwn(text) }];
  if (how === 'expired') blocks.push(...ruleProposalBlocks(s));
  return { text: truncate(`Snooze ended: ${heldWords(held)}`, LIMITS.fallbackText), blocks };
}

/** Room left in a section for the rule's JSON once the words around it are in. */
const RULE_JSON_MAX = LIMITS.sectionText - 400;

/**
 * The disabled automation rule that would suppress the same findings in Security Hub, as
 * JSON to paste into `create-automation-rule-v2 --cli-input-json` (a code block: the
 * entities are escaped, backticks turned into look-alikes so the block cannot be closed early).
 */
function ruleProposalBlocks(s: Snooze): Block[] {
  const proposal = automationRuleProposal(s);
  if (!proposal) return [];
  const json = JSON.stringify(proposal.input, null, 1);
  if (json.length > RULE_JSON_MAX) return [];
  const caveat =
    proposal.leftOut.length > 0
      ? ` An automation rule cannot match the ${proposal.leftOut.map((e) => ENTITY_LABELS[e].toLowerCase()).join(' or the ')}: this one matches more than the snooze did.`
      : '';
  const intro = `To keep suppressing these at the source, a Security Hub automation rule (V2, created *disabled*) could be made with \`aws securityhub create-automation-rule-v2 --cli-input-json\`:${caveat}`;
  const block = `\`\`\`${escapeText(json).replace(/`/g, 'ˋ')}\`\`\``;
  return [{ type: 'section', text: mrkdwn(truncate(`${intro}\n${block}`, LIMITS.sectionText)) }];
}

/** One active snooze as a line: what, who, until when, how many held back. */
export function snoozeLine(s: Snooze & { held: number }): string {
  return `${code(s.id, 40)} ${criteriaWords(s.criteria, 100)} — by ${mentionMarkup(s.createdBy)} until ${slackDate(s.expiresAt)} · ${s.held} held back · ${escapeText(truncate(s.reason, 120))}`;
}

/** App Home's list of active snoozes, each with Cancel (at most `max`). */
export function snoozeHomeBlocks(snoozes: Array<Snooze & { held: number }>, max = 10): Block[] {
  const blocks: Block[] = [{ type: 'header', text: plain('Snoozed findings') }];
  if (snoozes.length === 0) return [...blocks, { type: 'section', text: mrkdwn('_Nothing is snoozed._') }];
  for (const s of snoozes.slice(0, max)) {
    blocks.push({
      type: 'section',
      text: mrkdwn(truncate(`• ${snoozeLine(s)}`, LIMITS.sectionText)),
      accessory: { type: 'button', text: plain('Cancel'), action_id: SNOOZE_ACTIONS.cancel, value: s.id },
    });
  }
  if (snoozes.length > max) blocks.push({ type: 'context', elements: [mrkdwn(`…and ${snoozes.length - max} more (\`/sir snooze list\`)`)] });
  return blocks;
}

/** `/sir snooze list`. */
export function snoozeListMessage(snoozes: Array<Snooze & { held: number }>): SlackMessage {
  const text =
    snoozes.length === 0
      ? 'Nothing is snoozed.'
      : truncate(['Active snoozes:', ...snoozes.slice(0, 30).map((s) => `• ${snoozeLine(s)}`)].join('\n'), LIMITS.sectionText);
  return { text: 'Active snoozes', blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/** `/sir snooze …`'s answer to who made it: what, until when, and how to end it. */
export function snoozeMadeMessage(s: Snooze): SlackMessage {
  const text = `Snoozed findings with ${criteriaWords(s.criteria)} until ${slackDate(s.expiresAt)} (${code(s.id, 40)}; \`/sir snooze cancel ${s.id}\` ends it).`;
  return { text: 'Snoozed', blocks: [{ type: 'section', text: mrkdwn(truncate(text, LIMITS.sectionText)) }] };
}
