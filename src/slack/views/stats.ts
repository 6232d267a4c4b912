import { type Count, type FindingStats, type Milestone, MILESTONES, formatDuration } from '../../domain/stats/stats.ts';
import { type Block, type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { LIMITS, code, escapeText, truncate } from './text.ts';

const MILESTONE_LABELS: Record<Milestone, string> = {
  acknowledged: 'To acknowledge',
  statusChanged: 'To a status change',
  caseOpened: 'To a case',
  remediated: 'To a remediation',
};

/** Lines of a breakdown shown at most; the rest are summed up as "n more". */
const TOP = 8;

/** Channel ids are linked (Slack shows their names); anything else (a `#name` from the rules) is escaped text. */
const channelLabel = (channel: string) => (/^[CG][A-Z0-9]{8,}$/.test(channel) ? `<#${channel}>` : escapeText(channel));

/** Rule names, products and finding types are identifiers (a finding's type is the finding's to choose): code spans, where formatting stays literal. */
const identifier = (key: string) => code(key, 120);

function breakdown(title: string, counts: Count[], label: (key: string) => string = identifier): string {
  if (counts.length === 0) return `*${title}*\nnone`;
  const lines = counts.slice(0, TOP).map((c) => `${c.count} · ${truncate(label(c.key), 120)}`);
  const rest = counts.slice(TOP).reduce((n, c) => n + c.count, 0);
  if (rest > 0) lines.push(`${rest} more in ${counts.length - TOP} others`);
  return truncate(`*${title}*\n${lines.join('\n')}`, LIMITS.fieldText);
}

const day = (iso: string) => iso.slice(0, 10);

/**
 * The numbers of a window as one message: the counts, the noise, and how long steps took
 * (median and p90 over the findings that reached them, "nobody yet" when none did). Every
 * name from a rule or a finding is escaped; each section stays within Block Kit's limits.
 */
export function statsMessage(stats: FindingStats, heading: string): SlackMessage {
  const { noise } = stats;
  const window = `${day(stats.window.from)} – ${day(stats.window.to)} (UTC)`;
  const durationLines = MILESTONES.map((m) => {
    const d = stats.durations[m];
    return d.count === 0
      ? `${MILESTONE_LABELS[m]}: nobody yet`
      : `${MILESTONE_LABELS[m]}: median ${formatDuration(d.medianSeconds)}, p90 ${formatDuration(d.p90Seconds)} (${d.count} finding${d.count === 1 ? '' : 's'})`;
  });
  const blocks: Block[] = [
    { type: 'header', text: plain(truncate(heading, LIMITS.headerText)) },
    {
      type: 'section',
      text: mrkdwn(
        `*${stats.delivered}* finding${stats.delivered === 1 ? '' : 's'} delivered ${window}: ${stats.inThreads} in threads of their own, ` +
          `${noise.digested} digested, ${noise.snoozed} snoozed, ${noise.suppressed} suppressed.`,
      ),
    },
    { type: 'section', text: mrkdwn(`*Time from delivery*\n${durationLines.join('\n')}`) },
    {
      type: 'section',
      fields: [
        mrkdwn(breakdown('By severity', stats.bySeverity, escapeText)),
        mrkdwn(breakdown('By channel (as routed now)', stats.byChannel, channelLabel)),
        mrkdwn(breakdown('By rule (matching now)', stats.byRule)),
        mrkdwn(breakdown('By product', stats.byProduct)),
      ],
    },
    { type: 'section', fields: [mrkdwn(breakdown('By type', stats.byType)), mrkdwn(breakdown('Suppressed, by rule', noise.suppressedByRule))] },
    {
      type: 'context',
      elements: [
        mrkdwn(
          (stats.truncated ? `Only the first ${stats.delivered} findings of the window were counted. ` : '') +
            'Times run from when sirbot received the finding to the first time the step was done (the audit log); p90 is the time 90% were within.',
        ),
      ],
    },
  ];
  const text = `${escapeText(heading)}: ${stats.delivered} findings, ${noise.suppressed} suppressed, ${noise.digested} digested, ${noise.snoozed} snoozed`;
  return { text: truncate(text, LIMITS.fallbackText), blocks };
}
