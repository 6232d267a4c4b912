import type { AgentAction, AgentUsefulness } from '../../ports/security-ir.ts';
import { AGENT_ACTIONS } from './action-ids.ts';
import { type Block, type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { markdownToMrkdwn } from './markdown.ts';
import { LIMITS, escapeText, escapedPieces, link, mentionMarkup, slackDate, truncate } from './text.ts';

const KIND: Record<AgentAction['actionType'], string> = { Evidence: 'evidence', Investigation: 'investigation', Summarization: 'summary' };
const ICON: Record<AgentAction['status'], string> = {
  Completed: ':robot_face:',
  Failed: ':warning:',
  Cancelled: ':heavy_minus_sign:',
  Pending: ':hourglass:',
  InProgress: ':hourglass:',
  Waiting: ':hourglass:',
};
/** The agent writes at most 5,000 characters: escaped and formatted, they fit in three sections. */
const MAX_SECTIONS = 3;
const SECTION_ROOM = LIMITS.sectionText - 50;

/** The text in sections, cut at line ends where it can; `cut` when it did not all fit. */
function sections(text: string): { blocks: Block[]; cut: boolean } {
  const { pieces, rest } = escapedPieces(text, SECTION_ROOM, MAX_SECTIONS, true);
  const out: Block[] = pieces.map((piece) => ({ type: 'section', text: mrkdwn(piece.trim() === '' ? ' ' : piece) }));
  if (rest.length > 0) out.push({ type: 'context', elements: [mrkdwn('The rest is in the file below, and in the Security IR console.')] });
  return { blocks: out, cut: rest.length > 0 };
}

/** Whether the agent's text is longer than its message shows (then the whole of it goes as a file beside it). */
export function agentActionCut(a: AgentAction): boolean {
  return sections(markdownToMrkdwn(a.content)).cut;
}

/** One settled action of the AWS investigative agent: its kind, title and markdown, and (once completed) Useful / Not useful. */
export function agentActionMessage(caseId: string, caseUrl: string, a: AgentAction): SlackMessage {
  const value = `${caseId}:${a.investigationId}`;
  const head = `${ICON[a.status]} AWS investigative agent · ${KIND[a.actionType]}${a.status === 'Completed' ? '' : ` (${a.status.toLowerCase()})`}: *${escapeText(truncate(a.title, 200)).replace(/\*/g, '')}*`;
  return {
    text: truncate(`AWS investigative agent ${KIND[a.actionType]}: ${escapeText(a.title)}`, LIMITS.fallbackText),
    blocks: [
      { type: 'section', text: mrkdwn(truncate(head, LIMITS.sectionText)) },
      ...sections(markdownToMrkdwn(a.content)).blocks,
      {
        type: 'context',
        elements: [
          mrkdwn(
            truncate(
              `${link(caseUrl, `Case ${caseId}`)} · result ${escapeText(a.investigationId)} · ${slackDate(a.lastUpdated.toISOString())}`,
              LIMITS.contextText,
            ),
          ),
        ],
      },
      ...(a.status === 'Completed'
        ? [
            {
              type: 'actions' as const,
              block_id: `agent-${a.investigationId}`.slice(0, 255),
              elements: [
                { type: 'button' as const, text: plain('Useful'), action_id: AGENT_ACTIONS.useful, value },
                { type: 'button' as const, text: plain('Not useful'), action_id: AGENT_ACTIONS.notUseful, value },
              ],
            },
          ]
        : []),
    ],
  };
}

/** Someone's verdict on an agent result, now with Security IR. */
export function agentFeedbackMessage(caseId: string, resultId: string, usefulness: AgentUsefulness, by: string): SlackMessage {
  const verdict = usefulness === 'USEFUL' ? ':thumbsup: found it useful' : ':thumbsdown: found it not useful';
  return {
    text: `Feedback on the agent's result ${escapeText(resultId)} sent to Security IR`,
    blocks: [
      {
        type: 'context',
        elements: [mrkdwn(`${mentionMarkup(by)} ${verdict}: result ${escapeText(resultId)} of case ${escapeText(caseId)}, told to Security IR.`)],
      },
    ],
  };
}
