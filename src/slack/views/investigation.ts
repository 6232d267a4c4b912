import type { Finding } from '../../domain/finding.ts';
import type { InvestigationTarget } from '../../domain/investigation/ad-hoc.ts';
import type { Question, QuestionId } from '../../domain/investigation/playbooks.ts';
import type { InvestigationSummary } from '../../domain/investigation/summary.ts';
import type { TimelineEntry } from '../../domain/investigation/timeline.ts';
import { type Block, type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { LIMITS, code, safeText, slackDate, truncate } from './text.ts';

/** Action ids of the investigation thread; the value of each carries the investigation id. */
export const INVESTIGATION_ACTIONS = {
  answer: (q: QuestionId) => `investigation_answer_${q}`,
  investigateNow: 'investigation_start_now',
  investigate: 'investigation_start',
} as const;

const MAX_ENTRIES_INLINE = 12;

/** Only the open questions are asked; what the finding already says is shown as known. */
export function questionsMessage(investigationId: string, questions: Question[], known: Partial<Record<QuestionId, string>>): SlackMessage {
  const knownLines = Object.entries(known)
    .filter(([, v]) => v)
    .map(([k, v]) => `• ${k}: ${code(String(v), 200)}`);
  const blocks: Block[] = [
    {
      type: 'section',
      text: mrkdwn(
        truncate(
          `:mag: *Before I look, a few questions.* Answer below or reply in this thread (e.g. \`exposedAt: 2026-11-20\`).` +
            (knownLines.length ? `\n*Already known from the finding*\n${knownLines.join('\n')}` : ''),
          LIMITS.sectionText,
        ),
      ),
    },
  ];
  for (const q of questions) {
    const action_id = INVESTIGATION_ACTIONS.answer(q.id);
    if (q.kind === 'date') {
      blocks.push({ type: 'section', text: mrkdwn(`*${q.text}*`), accessory: { type: 'datepicker', action_id } });
    } else if (q.kind === 'select') {
      blocks.push({
        type: 'section',
        text: mrkdwn(`*${q.text}*`),
        accessory: {
          type: 'static_select',
          action_id,
          placeholder: plain('Choose'),
          options: (q.options ?? []).map((o) => ({ text: plain(o.label), value: o.value })),
        },
      });
    } else {
      blocks.push({
        type: 'input',
        dispatch_action: true,
        block_id: `q_${q.id}`,
        label: plain(q.text),
        element: { type: 'plain_text_input', action_id },
      });
    }
  }
  blocks.push({
    type: 'actions',
    elements: [{ type: 'button', text: plain('Investigate now'), action_id: INVESTIGATION_ACTIONS.investigateNow, value: investigationId, style: 'primary' }],
  });
  return { text: 'sirbot has a few questions before investigating', blocks };
}

export function progressMessage(lines: Array<{ source: string; pages: number; items: number; done: boolean }>): SlackMessage {
  const text = lines.map((l) => `${l.done ? ':white_check_mark:' : ':hourglass_flowing_sand:'} ${l.source}: ${l.items} events, ${l.pages} pages`).join('\n');
  return { text: 'Gathering evidence…', blocks: [{ type: 'section', text: mrkdwn(truncate(`*Gathering evidence*\n${text || '…'}`, LIMITS.sectionText)) }] };
}

/** One timeline line: every field an attacker could have chosen is escaped, in code spans. */
export function timelineLine(e: TimelineEntry): string {
  const parts = [
    slackDate(e.time),
    code(e.action, 80),
    e.errorCode ? `:no_entry: ${code(e.errorCode, 60)}` : '',
    `by ${code(e.actor ?? '?', 120)}`,
    e.sourceIp ? `from ${code(e.sourceIp, 60)}` : '',
    e.userAgent ? `UA ${code(e.userAgent, 100)}` : '',
    e.resources.length ? `on ${e.resources.slice(0, 3).map((r) => code(r, 80)).join(' ')}` : '',
    e.tactics.length ? `_${e.tactics.join(', ')}_` : '',
    e.highlights.length ? `:warning: ${e.highlights.map((h) => safeText(h, 80)).join('; ')}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** The entries worth reading first: highlighted or tactic-tagged, then the rest, in time order. */
export function keyEntries(timeline: TimelineEntry[], max = MAX_ENTRIES_INLINE): TimelineEntry[] {
  const important = timeline.filter((e) => e.highlights.length > 0 || (e.tactics.length > 0 && e.tactics.some((t) => t !== 'Discovery')));
  const picked = important.length >= max ? important.slice(0, max) : [...important, ...timeline.filter((e) => !important.includes(e)).slice(0, max - important.length)];
  return picked.sort((a, b) => a.time.localeCompare(b.time));
}

export function summaryMessage(summary: InvestigationSummary, timeline: TimelineEntry[], next: Block[] = []): SlackMessage {
  const s = summary;
  const blocks: Block[] = [
    { type: 'header', text: plain('Investigation summary') },
    { type: 'section', text: plain(safeText(s.text, LIMITS.sectionText)) },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Timeframe*\n${slackDate(s.timeframe.start)} → ${slackDate(s.timeframe.end)} (${s.timeframe.events} events)`),
        mrkdwn(truncate(`*Activity*\n${s.activity.map((a) => `${a.tactic}: ${a.events}`).join('\n') || '—'}`, LIMITS.fieldText)),
        mrkdwn(truncate(`*Created in the window*\n${s.createdIdentities.map((c) => `${c.kind} ${code(c.name, 80)}`).join('\n') || '—'}`, LIMITS.fieldText)),
        mrkdwn(truncate(`*Source IPs*\n${s.sourceIps.slice(0, 10).map((ip) => code(ip, 60)).join(' ') || '—'}`, LIMITS.fieldText)),
      ],
    },
    {
      type: 'section',
      text: mrkdwn(truncate(`*Recommended containment*\n${s.recommendations.map((r) => `• ${safeText(r, 500)}`).join('\n')}`, LIMITS.sectionText)),
    },
  ];
  if (s.currentState.length > 0) {
    const lines = s.currentState.slice(0, 10).map((c) => `• ${c.kind} ${c.resources.slice(0, 2).map((r) => code(r, 100)).join(' ')}: ${c.facts.map((f) => safeText(f, 120)).join('; ')}`);
    blocks.push({ type: 'section', text: mrkdwn(truncate(`*As it is now*\n${lines.join('\n')}`, LIMITS.sectionText)) });
  }
  if (s.affectedResources.length > 0) {
    const shown = s.affectedResources.slice(0, 15).map((r) => code(r, 150)).join(' ');
    const more = s.affectedResources.length > 15 ? ` _+${s.affectedResources.length - 15} more_` : '';
    blocks.push({ type: 'section', text: mrkdwn(truncate(`*Affected resources*\n${shown}${more}`, LIMITS.sectionText)) });
  }
  const entries = keyEntries(timeline);
  if (entries.length > 0) {
    blocks.push({ type: 'divider' });
    // Several sections so that long lines never push one over its limit.
    for (let i = 0; i < entries.length; i += 4) {
      blocks.push({ type: 'section', text: mrkdwn(truncate(entries.slice(i, i + 4).map(timelineLine).join('\n'), LIMITS.sectionText)) });
    }
  }
  if (s.limitingFactors.length > 0) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(truncate(`*Limiting factors*: ${s.limitingFactors.map((l) => `${l.source} ${l.reason} — ${safeText(l.detail, 200)}`).join('; ')}`, LIMITS.contextText))],
    });
  }
  // What to do next (remediations, a case) goes last, within the message's block limit.
  blocks.push(...next.slice(0, LIMITS.blocksPerMessage - blocks.length));
  return { text: `Investigation summary: ${safeText(s.text, 500)}`, blocks };
}

const TARGET_LABEL: Record<InvestigationTarget['type'], string> = {
  accessKey: 'access key',
  iamUser: 'IAM user',
  userArn: 'IAM user',
  roleArn: 'IAM role',
  instance: 'EC2 instance',
  ip: 'IP address',
};

/** The root of an ad-hoc investigation's thread; the target is shown as an identifier, never as markup. */
export function adHocMessage(finding: Finding, target: InvestigationTarget, requestedBy: string): SlackMessage {
  const who = /^[UW][A-Z0-9]+$/.test(requestedBy) ? `<@${requestedBy}>` : code(requestedBy, 40);
  return {
    text: `Ad-hoc investigation of ${TARGET_LABEL[target.type]} ${code(target.value, 200)}`,
    blocks: [
      { type: 'header', text: plain('Ad-hoc investigation') },
      {
        type: 'section',
        text: mrkdwn(`${who} asked sirbot to investigate ${TARGET_LABEL[target.type]} ${code(target.value, 300)} in account ${code(finding.accountId, 20)}, ${code(finding.region, 30)}.`),
      },
      { type: 'context', elements: [mrkdwn(`Window from ${slackDate(finding.firstSeenAt)} · ID ${code(finding.id, 80)}`)] },
    ],
  };
}
