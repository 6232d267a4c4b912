import type { CaseRecord } from '../../ports/action-store.ts';
import type { CaseCommentShown, CaseFieldChange } from '../../ports/notices/actions.ts';
import type { CustomActionDoing } from '../../domain/routing/custom-actions.ts';
import { FINDING_ACTIONS } from './action-ids.ts';
import { type Block, type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { caseLine } from './case.ts';
import { LIMITS, code, escapeText, escapedPieces, link, mentionMarkup, slackDate, truncate } from './text.ts';

/** Sections a comment may fill: the service's 12,000 characters fit in five of Slack's. */
const COMMENT_SECTIONS = 5;
const SECTION_ROOM = LIMITS.sectionText - 100;

const changeLine = (c: CaseFieldChange) => `${c.field} ${c.from ? `*${escapeText(c.from)}* → ` : ''}*${escapeText(c.to)}*`;

/** The case changed where sirbot did not change it: who the service says did it, and what. */
export function caseChangedElsewhereMessage(c: CaseRecord, url: string, by: string, changes: CaseFieldChange[]): SlackMessage {
  const what = changes.map(changeLine).join('; ');
  return {
    text: truncate(`Security IR case ${escapeText(c.caseId)} changed by ${escapeText(by)}`, LIMITS.fallbackText),
    blocks: [
      { type: 'section', text: mrkdwn(truncate(`:arrows_counterclockwise: ${escapeText(by)} changed ${what}`, LIMITS.sectionText)) },
      { type: 'context', elements: [mrkdwn(truncate(caseLine(c, url), LIMITS.contextText))] },
    ],
  };
}

/**
 * A comment written on the case, whole (up to the service's limit), as text: its author
 * is whoever can write on the case, so nothing in it mentions, links or formats.
 */
export function caseCommentMessage(e: CaseCommentShown): SlackMessage {
  const { pieces, rest } = escapedPieces(escapeText(e.body.replace(/\r\n?/g, '\n')), SECTION_ROOM, COMMENT_SECTIONS);
  const sections: Block[] = pieces.map((piece) => ({ type: 'section', text: mrkdwn(`>${piece.replace(/\n/g, '\n>')}`.slice(0, LIMITS.sectionText)) }));
  const cut = rest.length > 0;
  return {
    text: truncate(`${escapeText(e.author)} commented on Security IR case ${escapeText(e.caseId)}`, LIMITS.fallbackText),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          truncate(
            `:speech_balloon: ${escapeText(e.author)} ${e.edited ? 'edited a comment' : 'commented'} on ${link(e.caseUrl, `case ${e.caseId}`)} (comment ${escapeText(e.commentId)}${e.at ? `, ${slackDate(e.at)}` : ''}):`,
            LIMITS.sectionText,
          ),
        ),
      },
      ...sections,
      ...(cut ? [{ type: 'context' as const, elements: [mrkdwn(`The rest is on the ${link(e.caseUrl, 'case')}.`)] }] : []),
    ],
  };
}

/** A message of the thread is now a case comment, with what became of its files. */
export function caseCommentPostedMessage(
  caseId: string,
  url: string,
  commentId: string,
  by: string,
  files: { attached: string[]; failed: Array<{ name: string; reason: string }> } = { attached: [], failed: [] },
): SlackMessage {
  const attached = files.attached.length > 0 ? ` with ${files.attached.map((n) => code(n, 80)).join(', ')} attached` : '';
  const failed = files.failed.map((f) => `:warning: ${code(f.name, 80)} was not attached: ${escapeText(truncate(f.reason, 200))}`);
  return {
    text: `Posted to Security IR case ${escapeText(caseId)} as comment ${escapeText(commentId)}`,
    blocks: [
      {
        type: 'context',
        elements: [
          mrkdwn(
            truncate(
              `:outbox_tray: ${mentionMarkup(by)} posted a message of this thread to ${link(url, `case ${caseId}`)} (comment ${escapeText(commentId)})${attached}.`,
              LIMITS.contextText,
            ),
          ),
        ],
      },
      ...(failed.length > 0 ? [{ type: 'section' as const, text: mrkdwn(truncate(failed.join('\n'), LIMITS.sectionText)) }] : []),
    ],
  };
}

/** A Security Hub custom action sent the finding: what sirbot does about it (and, for a case, the button). */
export function customActionMessage(actionName: string, doing: CustomActionDoing, caseOffer?: string): SlackMessage {
  const what = doing === 'investigate' ? 'sirbot is investigating it in this thread' : 'open a Security IR case on it here';
  const line = `:inbox_tray: The Security Hub custom action “${escapeText(truncate(actionName, 40))}” sent this finding: ${what}.`;
  return {
    text: `Security Hub custom action: ${escapeText(truncate(actionName, 40))}`,
    blocks: [
      { type: 'section', text: mrkdwn(line) },
      ...(caseOffer
        ? [
            {
              type: 'actions' as const,
              elements: [{ type: 'button' as const, text: plain('Open SIR case'), action_id: FINDING_ACTIONS.openCase, value: caseOffer }],
            },
          ]
        : []),
    ],
  };
}
