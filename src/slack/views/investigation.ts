import type { Finding } from '../../domain/finding.ts';
import type { AdHocWindow, InvestigationTarget } from '../../domain/investigation/ad-hoc.ts';
import { type Disagreement, type StoredAnswers, disagreements, knownAnswers } from '../../domain/investigation/answer-book.ts';
import type { Question, QuestionId } from '../../domain/investigation/playbooks.ts';
import { rankedEntries } from '../../domain/investigation/key-entries.ts';
import { type InvestigationSummary, actorWords } from '../../domain/investigation/summary.ts';
import { READABLE_TIME, instantOf } from '../../domain/investigation/words.ts';
import type { TimelineEntry } from '../../domain/investigation/timeline.ts';
import { type Block, type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { mentionMarkup } from './finding-message.ts';
import { LIMITS, code, safeText, slackDate, truncate } from './text.ts';

/** Action ids of the investigation thread; the value of each carries the investigation id. */
export const INVESTIGATION_ACTIONS = {
  answer: (q: QuestionId) => `investigation_answer_${q}`,
  investigateNow: 'investigation_start_now',
  investigate: 'investigation_start',
} as const;

const MAX_ENTRIES_INLINE = 12;

const EFFECT_TEXT: Record<Disagreement['effect'], (d: Disagreement) => string> = {
  'all-searched': (d) => (d.others.length === 1 ? 'both are searched' : `all ${d.others.length + 1} are searched`),
  'earliest-used': () => 'the search starts at the earliest of them',
  'kept-only': (d) => `only ${code(d.kept, 60)} is searched (one investigation looks in one account)`,
  'not-searched': () => 'this does not change what is searched',
};

/** One disagreement, as a responder needs it: what is kept and why, who said otherwise, what is searched. */
export function disagreementLine(d: Disagreement): string {
  const kept = d.keptBy ? `${mentionMarkup(d.keptBy)} answered ${code(d.kept, 200)} first` : `the finding names ${code(d.kept, 200)}`;
  const others = d.others.map((o) => `${mentionMarkup(o.by)} answered ${code(o.value, 200)}`).join('; ');
  const keeps = d.keptBy ? 'the first answer is kept' : "the finding's value is kept";
  return `• *${d.question}*: ${kept}; ${others}. ${keeps[0]!.toUpperCase()}${keeps.slice(1)}; ${EFFECT_TEXT[d.effect](d)}.`;
}

/** Told privately to whoever gave a differing answer: plain text (the private answer escapes it). */
export function disputeNote(disputed: Disagreement[]): string {
  const lines = disputed.map((d) => {
    const kept = d.keptBy ? `the first answer was ${d.kept}` : `the finding names ${d.kept}`;
    const effect: Record<Disagreement['effect'], string> = {
      'all-searched': 'both are searched',
      'earliest-used': 'the search starts at the earliest of them',
      'kept-only': `only ${d.kept} is searched`,
      'not-searched': 'it does not change what is searched',
    };
    return `${d.question}: ${kept}; your answer ${d.others.at(-1)?.value ?? ''} is recorded beside it (${effect[d.effect]}).`;
  });
  return `Your answer differs from what is known, so it was added, not put in its place. ${lines.join(' ')}`;
}

/**
 * Only the open questions are asked; what is already known is shown with where it came
 * from (the finding, or who answered), and answers that differ from it are shown beside
 * it with what the search does about them.
 */
export function questionsMessage(investigationId: string, questions: Question[], answers: StoredAnswers): SlackMessage {
  const knownLines = knownAnswers(answers).map((k) => `• ${k.question}: ${code(k.value, 200)} (${k.by ? mentionMarkup(k.by) : 'from the finding'})`);
  const blocks: Block[] = [
    {
      type: 'section',
      text: mrkdwn(
        truncate(
          `:mag: *Before I look, a few questions.* Answer below or reply in this thread (e.g. \`exposedAt: 2026-11-20\`); answers from responders are taken.` +
            (knownLines.length ? `\n*Known so far*\n${knownLines.join('\n')}` : ''),
          LIMITS.sectionText,
        ),
      ),
    },
  ];
  const differing = disagreements(answers);
  if (differing.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn(truncate(`:warning: *Answers that differ*\n${differing.map(disagreementLine).join('\n')}`, LIMITS.sectionText)) });
  }
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

/** One timeline line: every field an attacker could have chosen is escaped, in code spans. The user agent is shown once per actor, not here. */
export function timelineLine(e: TimelineEntry): string {
  const parts = [
    slackDate(e.time),
    code(e.action, 80),
    e.errorCode ? `:no_entry: ${code(e.errorCode, 60)}` : '',
    `by ${code(e.actor ?? '?', 120)}`,
    e.sourceIp ? `from ${code(e.sourceIp, 60)}` : '',
    e.resources.length ? `on ${e.resources.slice(0, 3).map((r) => code(r, 80)).join(' ')}` : '',
    e.tactics.length ? `_${e.tactics.join(', ')}_` : '',
    e.highlights.length ? `:warning: ${e.highlights.map((h) => safeText(h, 80)).join('; ')}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** The entries worth reading first (domain/investigation/key-entries.ts), in time order. */
export function keyEntries(timeline: TimelineEntry[], max = MAX_ENTRIES_INLINE): TimelineEntry[] {
  return rankedEntries(timeline, max);
}

/**
 * Prose cut to `max` characters, with its times shown as Slack dates in each reader's own
 * time zone (each date token is longer than the time it replaces: callers cut the block).
 */
function prose(text: string, max: number): string {
  // Escaped first (the text carries finding fields); the times written by readableTime hold nothing to escape.
  return safeText(text, max).replace(READABLE_TIME, (...m) => slackDate(new Date(instantOf(m as unknown as RegExpMatchArray)).toISOString()));
}

/** Each actor once, with the user agents it used. */
function actorLines(s: InvestigationSummary): string[] {
  return s.actorAgents.slice(0, 5).map((a) => `• ${code(actorWords(a.actor), 120)}${a.userAgents.length ? ` — ${a.userAgents.map((u) => code(u, 120)).join(', ')}` : ''}`);
}

/** A subject's kind as a responder says it. */
const KIND_WORDS: Record<string, string> = {
  accessKey: 'Access key',
  iamUser: 'IAM user',
  role: 'Role',
  root: 'Root user',
  federatedUser: 'Federated user',
  instance: 'Instance',
  instanceProfile: 'Instance profile',
  bucket: 'Bucket',
  policy: 'Policy',
  eksCluster: 'EKS cluster',
  ecsCluster: 'ECS cluster',
  rdsInstance: 'RDS instance',
  lambdaFunction: 'Lambda function',
};

export function summaryMessage(summary: InvestigationSummary, timeline: TimelineEntry[], next: Block[] = []): SlackMessage {
  const s = summary;
  const blocks: Block[] = [
    { type: 'header', text: plain('Investigation summary') },
    { type: 'section', text: mrkdwn(truncate(prose(s.text, LIMITS.sectionText - 600), LIMITS.sectionText)) },
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
      text: mrkdwn(
        truncate(`*Recommended next*\n${s.recommendations.map((r) => `• ${prose(r, 500)}`).join('\n') || '• Nothing specific: see the playbook below.'}`, LIMITS.sectionText),
      ),
    },
  ];
  if (s.guidance.length > 0) blocks.push({ type: 'context', elements: [mrkdwn(truncate(`*Playbook*: ${s.guidance.map((g) => safeText(g, 400)).join(' ')}`, LIMITS.contextText))] });
  if (s.currentState.length > 0) {
    const lines = s.currentState.slice(0, 10).map((c) => `• ${KIND_WORDS[c.kind] ?? c.kind} ${code(c.id, 100)}: ${c.facts.map((f) => prose(f, 160)).join('; ') || (c.exists ? 'exists' : 'unknown')}`);
    blocks.push({ type: 'section', text: mrkdwn(truncate(`*As it is now*\n${lines.join('\n')}`, LIMITS.sectionText)) });
  }
  if (s.actorAgents.length > 0) blocks.push({ type: 'section', text: mrkdwn(truncate(`*Who*\n${actorLines(s).join('\n')}`, LIMITS.sectionText)) });
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
  if (timeline.length === 0 && s.searched.length > 0) {
    const looks = s.searched.slice(0, 8).map((x) => `${safeText(x.what, 120)} in ${code(x.accountId, 20)}${x.region ? `/${code(x.region, 20)}` : ''}: ${x.found}`);
    blocks.push({ type: 'context', elements: [mrkdwn(truncate(`*Searched*: ${looks.join('; ')}`, LIMITS.contextText))] });
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

/** Where an ad-hoc investigation looks and why there, and how to look elsewhere. */
function windowNote(finding: Finding, target: InvestigationTarget): string {
  const window = (finding.raw as { sirbot?: { window?: AdHocWindow } } | null)?.sirbot?.window;
  const wider = `\`/sir investigate ${safeText(target.value, 200)} --since 30d\` looks elsewhere`;
  switch (window?.how) {
    case 'asked':
      return `Looking from ${slackDate(window.start)}, as asked.`;
    case 'last-activity':
      return `CloudTrail's newest event for it is at ${slackDate(window.lastActivity)}: the investigation looks back from there (${wider}).`;
    case 'no-activity':
      return `CloudTrail holds no event for it in its 90 days: looking at the last day anyway (${wider}).`;
    case 'not-searchable':
      return 'CloudTrail event history cannot be looked up by source IP: only what identities did is found (searching by IP needs a trail\'s logs, CloudTrail Lake or Athena).';
    default:
      return `Window from ${slackDate(finding.firstSeenAt)}.`;
  }
}

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
      { type: 'context', elements: [mrkdwn(truncate(`${windowNote(finding, target)} · ID ${code(finding.id, 80)}`, LIMITS.contextText))] },
    ],
  };
}
