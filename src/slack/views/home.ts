import { remediationById } from '../../domain/remediation/catalog.ts';
import type { ActionRecord, CaseRecord } from '../../ports/action-store.ts';
import type { InvestigationRecord } from '../../ports/store.ts';
import type { Snooze } from '../../domain/actions/snooze.ts';
import { type Block, type HomeView, mrkdwn, plain } from './blocks.ts';
import { REMEDIATION_ACTIONS } from './action-ids.ts';
import { caseListLine } from './case.ts';
import { snoozeHomeBlocks } from './snooze.ts';
import { mentionMarkup } from './text.ts';
import { LIMITS, code, escapeText, link, slackDate, truncate } from './text.ts';

export interface HomeData {
  investigations: Array<InvestigationRecord & { permalink: string | null; title: string }>;
  cases: CaseRecord[];
  caseUrl: (caseId: string) => string;
  /** Requests this person could approve (someone else's, awaiting approval); empty for non-approvers. */
  approvals: ActionRecord[];
  /** Active snoozes: who snoozed what until when, how many findings each held back. */
  snoozes: Array<Snooze & { held: number }>;
  roles: string[];
}

const MAX_ROWS = 15;

/** `remediation:delete-access-key` → `Delete access key`. */
const remediationTitle = (kind: string) => {
  const id = kind.replace(/^remediation:/, '');
  return remediationById(id)?.title ?? id;
};

function section(title: string, lines: string[], empty: string): Block[] {
  return [
    { type: 'header', text: plain(title) },
    { type: 'section', text: mrkdwn(truncate(lines.length > 0 ? lines.slice(0, MAX_ROWS).join('\n') : `_${empty}_`, LIMITS.sectionText)) },
  ];
}

/** The App Home tab: what is under way, recent cases, what is snoozed, and what waits on this person. */
export function homeView(d: HomeData): HomeView {
  const investigations = d.investigations.map((i) => {
    const title = escapeText(truncate(i.title, 120));
    const where = i.permalink ? link(i.permalink, 'thread') : code(i.channel, 40);
    return `• ${title} — ${i.state} since ${slackDate(i.updatedAt)} · ${where}`;
  });
  const cases = d.cases.map((c) => `• ${caseListLine(c, d.caseUrl(c.caseId))}`);
  const blocks: Block[] = [
    { type: 'context', elements: [mrkdwn(`Your sirbot roles: ${d.roles.length > 0 ? d.roles.join(', ') : 'none (you can read, not act)'}`)] },
    ...section('Open investigations', investigations, 'No investigation is open.'),
    { type: 'divider' },
    ...section('Recent Security IR cases', cases, 'No case has been opened from Slack yet.'),
    { type: 'divider' },
    ...snoozeHomeBlocks(d.snoozes),
    { type: 'divider' },
    { type: 'header', text: plain('Waiting for your approval') },
  ];
  if (d.approvals.length === 0) blocks.push({ type: 'section', text: mrkdwn('_Nothing waits for you._') });
  for (const a of d.approvals.slice(0, 10)) {
    blocks.push({
      type: 'section',
      text: mrkdwn(
        truncate(`*${escapeText(remediationTitle(a.kind))}* requested by ${mentionMarkup(a.requestedBy)} ${slackDate(a.createdAt)}`, LIMITS.sectionText),
      ),
    });
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: plain('Approve'),
          action_id: REMEDIATION_ACTIONS.approve,
          value: a.id,
          style: 'danger',
          confirm: {
            title: plain('Approve and run?'),
            text: plain('The remediation runs as soon as you approve.'),
            confirm: plain('Approve'),
            deny: plain('Cancel'),
          },
        },
        { type: 'button', text: plain('Reject'), action_id: REMEDIATION_ACTIONS.reject, value: a.id },
      ],
    });
  }
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
