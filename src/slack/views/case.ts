import type { CaseDraft } from '../../domain/actions/case-draft.ts';
import type { Finding } from '../../domain/finding.ts';
import { SELF_MANAGED_CASE_STATUSES, caseControls, caseStatusLabel, isSelfManagedCaseStatus, resolverLabel } from '../../domain/actions/case-status.ts';
import type { CaseRecord } from '../../ports/action-store.ts';
import type { CaseChange } from '../../ports/notices/actions.ts';
import type { CaseDetails, Watcher } from '../../ports/security-ir.ts';
import { type Block, type Modal, type Option, type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { CALLBACKS, CASE_ACTIONS } from './action-ids.ts';
import { mentionMarkup } from './text.ts';
import { LIMITS, code, escapeText, link, neutralize, safeText, truncate } from './text.ts';

/** Block ids of the case modal's inputs; the submission is read back by them. */
export const CASE_BLOCKS = {
  title: 'title',
  description: 'description',
  engagement: 'engagement',
  start: 'start',
  accounts: 'accounts',
  regions: 'regions',
  ips: 'ips',
  services: 'services',
  watchers: 'watchers',
  resolver: 'resolver',
} as const;

/** Slack's plain_text_input holds at most 3,000 characters; the API takes a longer description, the modal cannot. */
const INPUT_MAX = 3000;

const opt = (text: string, value: string): Option => ({ text: plain(text), value });
const RESOLVERS = [opt('Self-managed: our team runs the response', 'Self'), opt('AWS-supported: engage the AWS CIRT', 'AWS')];
const ENGAGEMENTS = [opt('Security Incident', 'Security Incident'), opt('Investigation', 'Investigation')];

const textInput = (
  block: string,
  label: string,
  initial: string,
  o: { multiline?: boolean; optional?: boolean; max?: number; hint?: string; note?: string } = {},
): Block => ({
  type: 'input',
  block_id: block,
  label: plain(label),
  ...(o.note ? { hint: plain(o.note) } : {}),
  ...(o.optional ? { optional: true } : {}),
  element: {
    type: 'plain_text_input',
    action_id: 'value',
    // A plain value (Slack shows it as typed, entities and all), so only its invisible characters are made visible.
    ...(initial ? { initial_value: truncate(neutralize(initial.slice(0, (o.max ?? INPUT_MAX) * 4)), o.max ?? INPUT_MAX) } : {}),
    ...(o.multiline ? { multiline: true } : {}),
    max_length: o.max ?? INPUT_MAX,
    ...(o.hint ? { placeholder: plain(o.hint) } : {}),
  },
});

/**
 * The "Open SIR case" modal, pre-filled from the investigation. Finding-supplied text
 * goes only into plain_text values, where Slack renders nothing.
 */
export function caseModal(finding: Finding, draft: CaseDraft, watchers: Watcher[], engageCirt: boolean, offerId: string): Modal {
  return {
    type: 'modal',
    callback_id: CALLBACKS.caseModal,
    title: plain('Open SIR case'),
    submit: plain('Open case'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ offerId, start: draft.reportedIncidentStartDate }),
    blocks: [
      { type: 'context', elements: [mrkdwn(truncate(`AWS Security Incident Response case for ${code(finding.id, 300)}`, LIMITS.contextText))] },
      textInput(CASE_BLOCKS.title, 'Title', draft.title, { max: 300 }),
      textInput(CASE_BLOCKS.description, 'Description', draft.description, { multiline: true }),
      {
        type: 'input',
        block_id: CASE_BLOCKS.engagement,
        label: plain('Engagement type'),
        element: {
          type: 'static_select',
          action_id: 'value',
          options: ENGAGEMENTS,
          initial_option: ENGAGEMENTS.find((e) => e.value === draft.engagementType) ?? ENGAGEMENTS[0],
        },
      } as Block,
      {
        type: 'input',
        block_id: CASE_BLOCKS.start,
        label: plain('Reported incident start (first suspicious event)'),
        element: { type: 'datepicker', action_id: 'value', initial_date: draft.reportedIncidentStartDate.slice(0, 10) },
      },
      textInput(CASE_BLOCKS.accounts, 'Impacted accounts', draft.impactedAccounts.join(', '), { hint: '123456789012, …' }),
      textInput(CASE_BLOCKS.regions, 'Impacted regions', draft.impactedAwsRegions.join(', '), { optional: true }),
      textInput(CASE_BLOCKS.ips, 'Threat actor IP addresses', draft.threatActorIpAddresses.join(', '), {
        optional: true,
        note: 'Every public address the investigation saw calls from, those the finding names first. Remove any that are yours.',
      }),
      textInput(CASE_BLOCKS.services, 'Impacted services', draft.impactedServices.join(', '), {
        optional: true,
        note: 'As AWS names them: Amazon EC2, AWS IAM, Amazon S3…',
      }),
      textInput(CASE_BLOCKS.watchers, 'Watchers (emails)', watchers.map((w) => w.email).join(', '), { hint: 'secops@example.com, …' }),
      {
        type: 'input',
        block_id: CASE_BLOCKS.resolver,
        label: plain('Resolver'),
        element: { type: 'radio_buttons', action_id: 'value', options: RESOLVERS, initial_option: RESOLVERS[engageCirt ? 1 : 0] as Option },
      },
    ],
  };
}

/** `Case 8403556001 · Detection and Analysis · AWS-supported (AWS CIRT engaged)`: the same words in threads, App Home and `/sir`. */
export function caseLine(c: { caseId: string; status: string; resolverType: string }, url: string): string {
  return `${link(url, `Case ${c.caseId}`)} · ${escapeText(caseStatusLabel(c.status))} · ${resolverLabel(c.resolverType)}`;
}

/**
 * The case's controls, for what still applies: Escalate and a status while it is
 * self-managed, Close until it is closed. Only the message that opened the case carries
 * them, redrawn after every change, so no message offers what no longer applies.
 */
function caseButtons(c: CaseRecord): Block[] {
  const can = caseControls(c);
  const elements = [];
  if (can.escalate) {
    elements.push({
      type: 'button' as const,
      text: plain('Escalate to AWS CIRT'),
      action_id: CASE_ACTIONS.escalate,
      value: c.caseId,
      style: 'danger' as const,
      confirm: {
        title: plain('Engage the AWS CIRT?'),
        text: plain('The case becomes AWS-supported: the AWS Customer Incident Response Team takes part in the response.'),
        confirm: plain('Escalate'),
        deny: plain('Cancel'),
      },
    });
  }
  if (can.setStatus) {
    const options = SELF_MANAGED_CASE_STATUSES.map((s) => opt(caseStatusLabel(s), s));
    const current = isSelfManagedCaseStatus(c.status) ? options.find((o) => o.value === c.status) : undefined;
    elements.push({
      type: 'static_select' as const,
      action_id: CASE_ACTIONS.status,
      placeholder: plain('Case status'),
      options,
      ...(current ? { initial_option: current } : {}),
    });
  }
  if (can.close) {
    elements.push({
      type: 'button' as const,
      text: plain('Close case'),
      action_id: CASE_ACTIONS.close,
      value: c.caseId,
      confirm: { title: plain('Close the case?'), text: plain('Closing cannot be undone from Slack.'), confirm: plain('Close case'), deny: plain('Cancel') },
    });
  }
  return elements.length > 0 ? [{ type: 'actions', block_id: `case-${c.caseId}`, elements }] : [];
}

export function caseOpenedMessage(c: CaseRecord, url: string, userId: string, comments: number): SlackMessage {
  return {
    text: `Security IR case ${escapeText(c.caseId)} opened`,
    blocks: [
      { type: 'section', text: mrkdwn(`:rotating_light: ${mentionMarkup(userId)} opened Security Incident Response ${caseLine(c, url)}`) },
      { type: 'context', elements: [mrkdwn(truncate(`${escapeText(c.title)} · ${comments} timeline comment(s) added`, LIMITS.contextText))] },
      ...caseButtons(c),
    ],
  };
}

/** What someone did to a case, in words (mrkdwn). */
function changeWords(change: CaseChange): string {
  switch (change.kind) {
    case 'escalated':
      return 'escalated the case to the AWS CIRT';
    case 'status':
      return `set the case status to *${caseStatusLabel(change.status)}*`;
    case 'closed':
      return 'closed the case';
  }
}

/** A change to the case, told in its thread; the controls stay on the message that opened it. */
export function caseEventMessage(c: CaseRecord, url: string, userId: string, change: CaseChange): SlackMessage {
  const event = changeWords(change);
  return {
    text: `Security IR case ${escapeText(c.caseId)}: ${event.replace(/\*/g, '')}`,
    blocks: [{ type: 'section', text: mrkdwn(`${mentionMarkup(userId)} ${event}: ${caseLine(c, url)}`) }],
  };
}

/** `/sir case ID`: the case as the service describes it. */
export function caseDetailsMessage(caseId: string, c: CaseDetails, url: string): SlackMessage {
  const fields = [
    `*Status*\n${escapeText(caseStatusLabel(c.caseStatus))}`,
    `*Resolver*\n${resolverLabel(c.resolverType)}`,
    `*Engagement*\n${escapeText(c.engagementType ?? '?')}`,
    `*Accounts*\n${
      (c.impactedAccounts ?? [])
        .slice(0, 10)
        .map((a) => code(a, 20))
        .join(' ') || '—'
    }`,
  ];
  return {
    text: `Security IR case ${escapeText(caseId)}`,
    blocks: [
      { type: 'section', text: mrkdwn(`${link(url, `Case ${caseId}`)}: ${escapeText(truncate(c.title ?? '', 300))}`) },
      { type: 'section', fields: fields.map((f) => mrkdwn(f)) },
      ...(c.description ? [{ type: 'section' as const, text: plain(safeText(c.description, 1500)) }] : []),
    ],
  };
}

/** One case in a list (`/sir cases`, App Home): the case, its title, its status and resolver. */
export function caseListLine(c: { caseId: string; title: string; status: string; resolverType: string }, url: string): string {
  return `${link(url, `Case ${c.caseId}`)} ${escapeText(truncate(c.title, 120))} · ${escapeText(caseStatusLabel(c.status))} · ${resolverLabel(c.resolverType)}`;
}

export function casesListMessage(
  cases: Array<{ caseId: string; title: string; status: string; resolverType: string }>,
  urlOf: (id: string) => string,
): SlackMessage {
  const lines = cases.slice(0, 40).map((c) => `• ${caseListLine(c, urlOf(c.caseId))}`);
  return {
    text: `${cases.length} open Security IR case(s)`,
    blocks: [{ type: 'section', text: mrkdwn(truncate(lines.length > 0 ? `*Open cases*\n${lines.join('\n')}` : 'No open cases.', LIMITS.sectionText)) }],
  };
}
