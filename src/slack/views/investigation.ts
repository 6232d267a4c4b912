import type { Finding } from '../../domain/finding.ts';
import type { AdHocWindow, InvestigationTarget } from '../../domain/investigation/ad-hoc.ts';
import { type AddedAnswers, type Disagreement, type StoredAnswers, disagreements, knownAnswers } from '../../domain/investigation/answer-book.ts';
import { ANSWER_EXAMPLES, type ReplyReading } from '../../domain/investigation/free-text-answers.ts';
import { type ReadZone, dayShown, timeInZone } from '../../domain/investigation/free-text-times.ts';
import type { Answers, Question, QuestionId } from '../../domain/investigation/playbooks.ts';
import { rankedEntries } from '../../domain/investigation/key-entries.ts';
import { type InvestigationSummary, actorWords } from '../../domain/investigation/summary.ts';
import { READABLE_TIME, instantOf } from '../../domain/investigation/words.ts';
import type { TimelineEntry } from '../../domain/investigation/timeline.ts';
import { type Block, type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { INVESTIGATION_ACTIONS } from './action-ids.ts';
import { LIMITS, code, mentionMarkup, safeText, slackDate, truncate } from './text.ts';

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
  return `• *${d.question}*: ${kept}; ${others}. ${keeps.charAt(0).toUpperCase()}${keeps.slice(1)}; ${EFFECT_TEXT[d.effect](d)}.`;
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
          `:mag: *Before I look, a few questions.* Answer below or reply in this thread in plain words (e.g. _${ANSWER_EXAMPLES.exposedAt}_); answers from responders are taken.` +
            (knownLines.length ? `\n*Known so far*\n${knownLines.join('\n')}` : ''),
          LIMITS.sectionText,
        ),
      ),
    },
  ];
  const differing = disagreements(answers);
  if (differing.length > 0) {
    blocks.push({
      type: 'section',
      text: mrkdwn(truncate(`:warning: *Answers that differ*\n${differing.map(disagreementLine).join('\n')}`, LIMITS.sectionText)),
    });
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

/** How a rotation answer reads in a sentence. */
const ROTATED_SHOWN: Record<string, string> = {
  deleted: 'yes (deleted or rotated)',
  deactivated: 'yes (deactivated)',
  no: 'no, still active',
  unknown: 'not known',
};

/** A stored time as the person gave it: in the zone it was read in, with UTC beside it; a whole day as its date. */
function timeShown(value: string, zone: ReadZone | undefined): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${dayShown(value)} (the whole day, UTC)`;
  const t = Date.parse(value);
  if (!Number.isFinite(t)) return code(value, 60);
  if (!zone || zone.name === 'UTC') return `${timeInZone(t, 'UTC')}${zone?.assumed ? ' (assumed UTC)' : ''}`;
  return `${timeInZone(t, zone.name)} (${timeInZone(t, 'UTC')})`;
}

/** What one answer was understood as, in words. */
function understoodPart(q: QuestionId, value: string, reading: ReplyReading): string {
  const note = reading.notes[q] ? ` — ${safeText(reading.notes[q] as string, 120)}` : '';
  switch (q) {
    case 'exposedAt':
      return `exposed at ${timeShown(value, reading.zones.exposedAt)}${note}`;
    case 'rotated': {
      const when = reading.rotatedAt ? `, at ${timeShown(reading.rotatedAt, reading.zones.rotatedAt)}` : '';
      return `rotated: ${ROTATED_SHOWN[value] ?? code(value, 40)}${when}${note}`;
    }
    case 'principal':
      return `principal ${code(value, 200)}${note}`;
    case 'accessKeyId':
      return `access key ${code(value, 130)}`;
    case 'accountId':
      return `account ${code(value, 20)}`;
    case 'instanceId':
      return `instance ${code(value, 30)}`;
  }
}

export interface Understood {
  /** Who answered (a Slack user id). */
  by: string;
  reading: ReplyReading;
  /** What became of each answer in the answer book. */
  added: Pick<AddedAnswers, 'taken' | 'disputed' | 'unchanged' | 'dropped'>;
  /** The value kept for each question (to show beside a differing answer). */
  kept: Answers;
  /** The questions still open after these answers. */
  open: Question[];
}

/**
 * Said in the thread after a plain reply was read: what each answer was taken as (so a
 * misreading is seen at once), what happened to it, what is still open. Every value is
 * an identifier in a code span or a time sirbot wrote; errors echo the reply, escaped.
 */
export function understoodMessage(u: Understood): SlackMessage {
  const status = (q: QuestionId): string => {
    if (u.added.unchanged.includes(q)) return ' (already known)';
    if (u.added.disputed.includes(q))
      return ` (differs from the kept ${q === 'exposedAt' || q === 'rotated' ? safeText(u.kept[q] ?? '', 60) : code(u.kept[q] ?? '', 130)}: recorded beside it)`;
    if (u.added.dropped.includes(q)) return ' (not recorded: this question has too many differing answers already)';
    return '';
  };
  const parts = (Object.entries(u.reading.answers) as Array<[QuestionId, string]>).map(([q, v]) => `${understoodPart(q, v, u.reading)}${status(q)}`);
  const lines = [`:white_check_mark: *Understood* (${mentionMarkup(u.by)}): ${parts.join('; ')}.`];
  if (u.reading.errors.length > 0)
    lines.push(
      `Not taken: ${u.reading.errors
        .slice(0, 5)
        .map((e) => safeText(e, 200))
        .join('; ')}.`,
    );
  lines.push(u.open.length > 0 ? `Still open: ${u.open.map((q) => `_${q.text}_`).join(' ')}` : 'Nothing is left open: gathering evidence now.');
  if (u.reading.zones.exposedAt?.assumed || u.reading.zones.rotatedAt?.assumed) {
    lines.push('_Your Slack time zone is not known to me, so times without a zone were read as UTC; add one (`15:00 CET`, `+01:00`) to say otherwise._');
  }
  const text = truncate(lines.join('\n'), LIMITS.sectionText);
  return { text: truncate(`Understood: ${parts.join('; ')}`, LIMITS.fallbackText), blocks: [{ type: 'section', text: mrkdwn(text) }] };
}

/**
 * Said once for a set of open questions when a responder's reply answered none of them:
 * what each still open question expects, with an example the reader understands.
 */
export function replyHelpMessage(open: Question[]): SlackMessage {
  const lines = open.map((q) => `• _${q.text}_ — e.g. “${ANSWER_EXAMPLES[q.id]}”`);
  const text = [
    ':grey_question: I could not read an answer to the open questions in that reply. Plain words work, for example:',
    ...lines,
    'Times without a zone are read in your Slack time zone (UTC when I do not know it). I say this once for these questions; other chat here is left alone.',
  ].join('\n');
  return { text: 'sirbot could not read an answer in that reply', blocks: [{ type: 'section', text: mrkdwn(truncate(text, LIMITS.sectionText)) }] };
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
    e.resources.length
      ? `on ${e.resources
          .slice(0, 3)
          .map((r) => code(r, 80))
          .join(' ')}`
      : '',
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
  return s.actorAgents
    .slice(0, 5)
    .map((a) => `• ${code(actorWords(a.actor), 120)}${a.userAgents.length ? ` — ${a.userAgents.map((u) => code(u, 120)).join(', ')}` : ''}`);
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
        mrkdwn(
          truncate(
            `*Source IPs*\n${
              s.sourceIps
                .slice(0, 10)
                .map((ip) => code(ip, 60))
                .join(' ') || '—'
            }`,
            LIMITS.fieldText,
          ),
        ),
      ],
    },
    {
      type: 'section',
      text: mrkdwn(
        truncate(
          `*Recommended next*\n${s.recommendations.map((r) => `• ${prose(r, 500)}`).join('\n') || '• Nothing specific: see the playbook below.'}`,
          LIMITS.sectionText,
        ),
      ),
    },
  ];
  if (s.guidance.length > 0)
    blocks.push({ type: 'context', elements: [mrkdwn(truncate(`*Playbook*: ${s.guidance.map((g) => safeText(g, 400)).join(' ')}`, LIMITS.contextText))] });
  if (s.currentState.length > 0) {
    const lines = s.currentState
      .slice(0, 10)
      .map((c) => `• ${KIND_WORDS[c.kind] ?? c.kind} ${code(c.id, 100)}: ${c.facts.map((f) => prose(f, 160)).join('; ') || (c.exists ? 'exists' : 'unknown')}`);
    blocks.push({ type: 'section', text: mrkdwn(truncate(`*As it is now*\n${lines.join('\n')}`, LIMITS.sectionText)) });
  }
  if (s.actorAgents.length > 0) blocks.push({ type: 'section', text: mrkdwn(truncate(`*Who*\n${actorLines(s).join('\n')}`, LIMITS.sectionText)) });
  if (s.affectedResources.length > 0) {
    const shown = s.affectedResources
      .slice(0, 15)
      .map((r) => code(r, 150))
      .join(' ');
    const more = s.affectedResources.length > 15 ? ` _+${s.affectedResources.length - 15} more_` : '';
    blocks.push({ type: 'section', text: mrkdwn(truncate(`*Affected resources*\n${shown}${more}`, LIMITS.sectionText)) });
  }
  const entries = keyEntries(timeline);
  if (entries.length > 0) {
    blocks.push({ type: 'divider' });
    // Several sections so that long lines never push one over its limit.
    for (let i = 0; i < entries.length; i += 4) {
      blocks.push({
        type: 'section',
        text: mrkdwn(
          truncate(
            entries
              .slice(i, i + 4)
              .map(timelineLine)
              .join('\n'),
            LIMITS.sectionText,
          ),
        ),
      });
    }
  }
  if (timeline.length === 0 && s.searched.length > 0) {
    const looks = s.searched
      .slice(0, 8)
      .map((x) => `${safeText(x.what, 120)} in ${code(x.accountId, 20)}${x.region ? `/${code(x.region, 20)}` : ''}: ${x.found}`);
    blocks.push({ type: 'context', elements: [mrkdwn(truncate(`*Searched*: ${looks.join('; ')}`, LIMITS.contextText))] });
  }
  if (s.limitingFactors.length > 0) {
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          truncate(
            `*Limiting factors*: ${s.limitingFactors.map((l) => `${l.source} ${l.reason} — ${safeText(l.detail, 200)}`).join('; ')}`,
            LIMITS.contextText,
          ),
        ),
      ],
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
      // An address is only looked for in the trail's long-term store (event history cannot search by IP), a year back.
      return target.type === 'ip'
        ? `The trail's long-term store holds no call from it in the last year: looking at the last day anyway (${wider}).`
        : `CloudTrail holds no event for it in its 90 days: looking at the last day anyway (${wider}).`;
    case 'not-searchable':
      return "CloudTrail event history cannot be looked up by source IP: only what identities did is found (searching by IP needs a trail's logs, CloudTrail Lake or Athena).";
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
        text: mrkdwn(
          `${who} asked sirbot to investigate ${TARGET_LABEL[target.type]} ${code(target.value, 300)} in account ${code(finding.accountId, 20)}, ${code(finding.region, 30)}.`,
        ),
      },
      { type: 'context', elements: [mrkdwn(truncate(`${windowNote(finding, target)} · ID ${code(finding.id, 80)}`, LIMITS.contextText))] },
    ],
  };
}
