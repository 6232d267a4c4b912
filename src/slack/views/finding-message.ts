import type { RootOffers } from '../../domain/actions/offers.ts';
import { standingWords } from '../../domain/actions/workflow-status.ts';
import type { Finding, SeverityLabel } from '../../domain/finding.ts';
import type { RouteDecision } from '../../domain/routing/decision.ts';
import type { RootFeatures, RootMarks } from '../../ports/notices/delivery.ts';
import { type Block, type Button, type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { FINDING_ACTIONS, INVESTIGATION_ACTIONS } from './action-ids.ts';
import { LIMITS, code, escapeText, mentionMarkup, safeText, safeUrl, slackDate, truncate } from './text.ts';

const SEVERITY_ICON: Record<SeverityLabel, string> = {
  CRITICAL: ':red_circle:',
  HIGH: ':large_orange_circle:',
  MEDIUM: ':large_yellow_circle:',
  LOW: ':large_blue_circle:',
  INFORMATIONAL: ':white_circle:',
};

const MAX_RESOURCES_SHOWN = 5;
const DESCRIPTION_CHARS = 700;

export function severityIcon(label: SeverityLabel): string {
  return SEVERITY_ICON[label];
}

function severityField(finding: Finding, decision: RouteDecision): string {
  const shown = `${severityIcon(decision.severity)} *${decision.severity}*`;
  if (decision.severity === finding.severity.label) return `*Severity*\n${shown} (${finding.severity.score})`;
  return `*Severity*\n${shown} (raised from ${finding.severity.label} by rule ${code(decision.severityOverriddenBy ?? '?', 60)})`;
}

function resourcesText(finding: Finding): string {
  if (finding.resources.length === 0) return '*Resources*\n_none named in the finding_';
  const lines = finding.resources.slice(0, MAX_RESOURCES_SHOWN).map((r) => {
    const tags = Object.entries(r.tags)
      .slice(0, 4)
      .map(([k, v]) => code(`${k}=${v}`, 60))
      .join(' ');
    return `• ${code(r.type, 60)} ${code(r.id, 300)}${tags ? ` ${tags}` : ''}`;
  });
  const more = finding.resources.length - MAX_RESOURCES_SHOWN;
  if (more > 0) lines.push(`_…and ${more} more_`);
  return truncate(`*Resources*\n${lines.join('\n')}`, LIMITS.sectionText);
}

export function findingFallbackText(finding: Finding, decision: RouteDecision): string {
  return truncate(
    `[${decision.severity}] ${escapeText(finding.title)} — account ${escapeText(finding.accountId)}, ${escapeText(finding.region)}`,
    LIMITS.fallbackText,
  );
}

// Defined by the delivery port (what the use case hands over); named here too for the views' callers.
export type { RootFeatures, RootMarks };

const NO_FEATURES: RootFeatures = { investigate: false, actions: false };

function marksLine(marks: RootMarks): string | null {
  const parts: string[] = [];
  if (marks.status) parts.push(`Status set to *${marks.status.status}* by ${mentionMarkup(marks.status.by)} ${slackDate(marks.status.at)}`);
  if (marks.ack?.by) parts.push(`:raised_hand: Acknowledged by ${mentionMarkup(marks.ack.by)} ${slackDate(marks.ack.at)}`);
  else if (marks.ack?.stage === 'closed') parts.push('Escalation stopped: the finding was closed');
  else if (marks.ack) parts.push(`:hourglass_flowing_sand: Waiting for acknowledgement (${marks.ack.stage})`);
  if (marks.caseId) parts.push(`Security IR case ${code(marks.caseId, 40)}`);
  return parts.length > 0 ? truncate(parts.join(' · '), LIMITS.contextText) : null;
}

/**
 * The root message of a finding's thread. Every finding-supplied string is escaped and
 * cut to fit. `features` says what the runtime can do (no Investigate button where it
 * cannot investigate); `marks` shows what people already did; `offers` holds the
 * stored offer behind each action button (Acknowledge, Set status, Open SIR case): a
 * button is shown only with its offer, and carries nothing but the offer's id.
 */
export function findingMessage(
  finding: Finding,
  decision: RouteDecision,
  features: RootFeatures = NO_FEATURES,
  marks: RootMarks = {},
  offers: RootOffers = {},
): SlackMessage {
  const blocks: Block[] = [
    { type: 'header', text: plain(safeText(`${finding.title || '(untitled finding)'}`, LIMITS.headerText)) },
    {
      type: 'section',
      fields: [
        mrkdwn(severityField(finding, decision)),
        mrkdwn(`*Account*\n${code(finding.accountId, 64)}`),
        mrkdwn(`*Region*\n${code(finding.region, 64)}`),
        mrkdwn(`*Product*\n${code(finding.product, 100)}`),
        mrkdwn(`*Type*\n${code(finding.type || '—', 300)}`),
        mrkdwn(`*Status*\n${standingWords(finding, marks.status?.status)}`),
        mrkdwn(`*First seen*\n${slackDate(finding.firstSeenAt ?? finding.createdAt)}`),
        mrkdwn(`*Last seen*\n${slackDate(finding.lastSeenAt ?? finding.updatedAt)}`),
      ],
    },
  ];
  if (finding.description) {
    blocks.push({ type: 'section', text: plain(safeText(finding.description, DESCRIPTION_CHARS)) });
  }
  blocks.push({ type: 'section', text: mrkdwn(resourcesText(finding)) });

  const context = [`ID ${code(finding.id, 400)}`];
  if (finding.controlId) context.push(`control ${code(finding.controlId, 40)}`);
  if (decision.matchedRules.length > 0) {
    context.push(
      `rules ${decision.matchedRules
        .slice(0, 5)
        .map((r) => code(r, 60))
        .join(' ')}`,
    );
  }
  blocks.push({ type: 'context', elements: [mrkdwn(truncate(context.join(' · '), LIMITS.contextText))] });
  const marked = marksLine(marks);
  if (marked) blocks.push({ type: 'context', elements: [mrkdwn(marked)] });
  if (decision.mentions.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn(decision.mentions.map(mentionMarkup).join(' ')) });
  }
  const buttons: Button[] = [];
  if (offers.acknowledge) {
    buttons.push({ type: 'button', text: plain('Acknowledge'), action_id: FINDING_ACTIONS.acknowledge, value: offers.acknowledge, style: 'primary' });
  }
  // Findings a rule flags start investigating on their own; the others offer it. The value is the
  // finding id (checked against the thread it is clicked in); an id too long for one gets no button.
  if (features.investigate && !decision.investigate && finding.id.length <= LIMITS.buttonValue) {
    buttons.push({ type: 'button', text: plain('Investigate'), action_id: INVESTIGATION_ACTIONS.investigate, value: finding.id });
  }
  if (offers.status) buttons.push({ type: 'button', text: plain('Set status'), action_id: FINDING_ACTIONS.setStatus, value: offers.status });
  if (offers.case) buttons.push({ type: 'button', text: plain('Open SIR case'), action_id: FINDING_ACTIONS.openCase, value: offers.case });
  if (offers.snooze) buttons.push({ type: 'button', text: plain('Snooze similar'), action_id: FINDING_ACTIONS.snooze, value: offers.snooze });
  const consoleUrl = finding.consoleUrl ? safeUrl(finding.consoleUrl) : null;
  if (consoleUrl && consoleUrl.length <= LIMITS.url) {
    buttons.push({ type: 'button', text: plain('Open in AWS console'), action_id: 'open_console', url: consoleUrl });
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return { text: findingFallbackText(finding, decision), blocks };
}
