import type { Principal, PrincipalAnswer, SeenActivity } from '../../domain/actions/principal-check.ts';
import { PRINCIPAL_ACTIONS } from './action-ids.ts';
import { type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { LIMITS, code, escapeText, mentionMarkup, slackDate, truncate } from './text.ts';

const ANSWER_WORDS: Record<PrincipalAnswer, string> = { yes: 'Yes, it was me', no: 'No, it was not me', unsure: 'I don’t know' };

const principalWords = (p: Principal) =>
  p.kind === 'root'
    ? `the root user of account ${code(p.account, 20)}`
    : p.kind === 'iamUser'
      ? `IAM user ${code(p.name, 80)} in account ${code(p.account, 20)}`
      : `your session ${code(p.name, 80)} of role ${code(p.role ?? '?', 80)} in account ${code(p.account, 20)}`;

/** The question in a direct message: what was seen (every part the finding's, so escaped), and three answers. */
export function principalQuestionMessage(e: {
  checkId: string;
  principal: Principal;
  activity: SeenActivity;
  findingTitle: string;
  waitSeconds: number;
}): SlackMessage {
  const a = e.activity;
  const lines = [
    a.action ? `• *What*: ${code(a.action, 100)}${a.service ? ` on ${code(a.service, 100)}` : ''}` : null,
    a.at ? `• *When*: ${slackDate(a.at)}` : null,
    a.sourceIp ? `• *From*: ${code(a.sourceIp, 60)}${a.location ? ` (${escapeText(truncate(a.location, 100))})` : ''}` : null,
    a.userAgent ? `• *With*: ${code(a.userAgent, 300)}` : null,
  ].filter((l): l is string => l !== null);
  const minutes = Math.max(1, Math.round(e.waitSeconds / 60));
  return {
    text: 'Was this you? The security team asks about activity with your AWS credentials.',
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          truncate(
            `:wave: The security team's sirbot here. AWS reported activity with the credentials of ${principalWords(e.principal)}: ${escapeText(truncate(e.findingTitle, 300))}\n${lines.join('\n')}`,
            LIMITS.sectionText,
          ),
        ),
      },
      {
        type: 'section',
        text: mrkdwn(`*Was this you?* Please answer within ${minutes} minute${minutes === 1 ? '' : 's'}; without an answer the security team is alerted.`),
      },
      {
        type: 'actions',
        block_id: 'principal-answer',
        elements: (['yes', 'no', 'unsure'] as const).map((answer) => ({
          type: 'button' as const,
          text: plain(ANSWER_WORDS[answer]),
          action_id: PRINCIPAL_ACTIONS.answer(answer),
          value: e.checkId,
          ...(answer === 'no' ? { style: 'danger' as const } : answer === 'yes' ? { style: 'primary' as const } : {}),
        })),
      },
    ],
  };
}

/** The question once closed: the answer taken, or the silence, and no buttons left. */
export function principalQuestionClosedMessage(answer: PrincipalAnswer | null): SlackMessage {
  const line = answer
    ? `:white_check_mark: Thank you — you answered *${ANSWER_WORDS[answer]}*. The security team has it.`
    : ':hourglass: No answer came in time, so the security team was alerted. Tell them in their channel if you know more.';
  return { text: answer ? `You answered: ${ANSWER_WORDS[answer]}` : 'No answer came in time', blocks: [{ type: 'section', text: mrkdwn(line) }] };
}

/** In the finding's thread: what the person said (or that they said nothing), and whether the escalation was hurried. */
export function principalAnsweredMessage(e: { principal: Principal; user: string; answer: PrincipalAnswer | null; escalated: boolean }): SlackMessage {
  const said = e.answer
    ? `${e.answer === 'no' ? ':rotating_light:' : e.answer === 'yes' ? ':bust_in_silhouette:' : ':grey_question:'} ${mentionMarkup(e.user)} answered *${ANSWER_WORDS[e.answer]}* to “Was this you?” about ${principalWords(e.principal)}.`
    : `:hourglass: ${mentionMarkup(e.user)} did not answer “Was this you?” about ${principalWords(e.principal)} in time.`;
  const next =
    e.answer === 'no' || e.answer === null ? (e.escalated ? ' Escalating now.' : ' No rule escalates this finding: a responder should look now.') : '';
  return {
    text: truncate(said.replace(/\*/g, ''), LIMITS.fallbackText),
    blocks: [{ type: 'section', text: mrkdwn(truncate(`${said}${next}`, LIMITS.sectionText)) }],
  };
}
