import type { ProposalOutcome } from '../../ports/notices/actions.ts';
import { type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { FINDING_ACTIONS } from './action-ids.ts';
import { mentionMarkup } from './text.ts';
import { LIMITS, code, escapeText, truncate } from './text.ts';

function minutes(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** Only configured ids are mentioned (rules validate them); nothing from a finding. */
export function escalationMentionMessage(notify: string[], nextSeconds: number, autoOpenCase: boolean): SlackMessage {
  const who = notify.length > 0 ? notify.map(mentionMarkup).join(' ') : 'On-call';
  const next = autoOpenCase ? 'a case will be opened with the AWS CIRT' : 'sirbot will propose a case with the AWS CIRT';
  return {
    text: 'Nobody has acknowledged this finding in time',
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:rotating_light: ${who} nobody has acknowledged this finding in time. Press *Acknowledge* on it to take it; in ${minutes(nextSeconds)} ${next}.`,
        ),
      },
    ],
  };
}

/** The proposal's buttons carry the ids of their stored offers (the CIRT case, the acknowledgement), nothing else. */
export function cirtProposalMessage(offers: { caseCirt: string; acknowledge: string }, notify: string[]): SlackMessage {
  return {
    text: 'Open a case with the AWS CIRT?',
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:sos: ${notify.map(mentionMarkup).join(' ')} still unacknowledged. Open a Security Incident Response case with the AWS Customer Incident Response Team?`.trim(),
        ),
      },
      {
        type: 'actions',
        elements: [
          { type: 'button', text: plain('Open SIR case with AWS CIRT'), action_id: FINDING_ACTIONS.openCaseCirt, value: offers.caseCirt, style: 'danger' },
          { type: 'button', text: plain('Acknowledge'), action_id: FINDING_ACTIONS.acknowledge, value: offers.acknowledge },
        ],
      },
    ],
  };
}

/** The proposal once it no longer applies (acknowledged, or a case opened): what happened instead, and no buttons. */
export function cirtProposalSettledMessage(notify: string[], outcome: ProposalOutcome): SlackMessage {
  const [what, short] =
    'acknowledgedBy' in outcome
      ? [`Acknowledged by ${mentionMarkup(outcome.acknowledgedBy)}.`, 'Acknowledged']
      : 'caseId' in outcome
        ? [`Case ${escapeText(outcome.caseId)} opened by ${mentionMarkup(outcome.openedBy)}.`, 'A case was opened']
        : [
            `The finding was set ${escapeText(outcome.closedAs)}${outcome.closedBy ? ` by ${mentionMarkup(outcome.closedBy)}` : ' at its source'}.`,
            'The finding was closed',
          ];
  return {
    text: `Open a case with the AWS CIRT? ${short}.`,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `:sos: ${notify.map(mentionMarkup).join(' ')} was unacknowledged; sirbot proposed a Security Incident Response case with the AWS CIRT.`.trim(),
        ),
      },
      { type: 'context', elements: [mrkdwn(`:white_check_mark: ${what}`)] },
    ],
  };
}

export function autoCaseMessage(reason: string, _findingId: string): SlackMessage {
  return {
    text: 'Could not open the case automatically',
    blocks: [
      {
        type: 'section',
        text: mrkdwn(truncate(`:x: The rule asks for a case with the AWS CIRT, but it could not be opened: ${escapeText(reason)}`, LIMITS.sectionText)),
      },
    ],
  };
}

/** Acknowledged (or resolved) in PagerDuty or Opsgenie: the name is that service's, escaped as text. */
export function acknowledgedElsewhereMessage(e: { service: string; name: string; how: 'acknowledged' | 'resolved' }): SlackMessage {
  const text = `:raised_hand: ${e.how === 'resolved' ? 'Resolved' : 'Acknowledged'} in ${escapeText(e.service)} by ${code(e.name, 100)}; the escalation stops here.`;
  return { text: `${e.how === 'resolved' ? 'Resolved' : 'Acknowledged'} in ${e.service}`, blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

export function acknowledgedMessage(userId: string): SlackMessage {
  return { text: 'Acknowledged', blocks: [{ type: 'section', text: mrkdwn(`:raised_hand: ${mentionMarkup(userId)} acknowledged this finding.`) }] };
}
