import { DIGEST_LISTING_SIZE } from '../../ports/notices/delivery.ts';
import type { DigestMember, DigestRecord } from '../../ports/store.ts';
import type { Finding } from '../../domain/finding.ts';
import { type Block, type SlackMessage, mrkdwn, plain } from './blocks.ts';
import { LIMITS, code, safeText, truncate } from './text.ts';

/** A listing line is ≤ ~260 chars; 10 per section keeps sections under 3,000. */
export const LINES_PER_SECTION = 10;
/** Findings per listing reply, as delivery pages them: 20 sections and a header, well under Slack's 50 blocks. */
export const LINES_PER_LISTING = DIGEST_LISTING_SIZE;

function top(counts: Record<string, number>, n: number): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = entries.slice(0, n).map(([k, v]) => `${code(k, 40)} ${v}`);
  const rest = entries.slice(n).reduce((sum, [, v]) => sum + v, 0);
  if (rest > 0) shown.push(`_+${entries.length - n} more: ${rest}_`);
  return shown.join(' · ');
}

/** The digest's root message: what is grouped, how many, where. The thread lists every finding. */
export function digestRootMessage(digest: DigestRecord, breakdown: { byAccount: Record<string, number>; bySeverity: Record<string, number> }): SlackMessage {
  const accounts = Object.keys(breakdown.byAccount).length;
  const blocks: Block[] = [
    { type: 'header', text: plain(safeText(`Digest: ${digest.count} findings`, LIMITS.headerText)) },
    { type: 'section', text: mrkdwn(truncate(`*Grouped*: ${code(digest.label, 300)}`, LIMITS.sectionText)) },
    {
      type: 'section',
      fields: [
        mrkdwn(truncate(`*By severity*\n${top(breakdown.bySeverity, 5)}`, LIMITS.fieldText)),
        mrkdwn(truncate(`*Accounts (${accounts})*\n${top(breakdown.byAccount, 8)}`, LIMITS.fieldText)),
      ],
    },
    {
      type: 'context',
      elements: [mrkdwn(`Grouped to keep this channel readable. Every finding is listed in this thread.`)],
    },
  ];
  return { text: `Digest of ${digest.count} findings: ${safeText(digest.label, 200)}`, blocks };
}

/** One listing line; rendered when the finding joins, since the store keeps no findings. */
export function digestLine(finding: Finding): string {
  return `• ${code(finding.id, 200)} ${code(finding.accountId, 20)} ${code(finding.region, 20)} ${finding.severity.label}`;
}

/** A thread reply listing members `from`..: sections of LINES_PER_SECTION lines each. */
export function digestListingMessage(members: DigestMember[], total: number): SlackMessage {
  const first = members[0]?.seq ?? 0;
  const last = members.at(-1)?.seq ?? 0;
  const blocks: Block[] = [{ type: 'context', elements: [mrkdwn(`Findings ${first}–${last} of ${total}`)] }];
  for (let i = 0; i < members.length; i += LINES_PER_SECTION) {
    const lines = members.slice(i, i + LINES_PER_SECTION).map((m) => m.line);
    blocks.push({ type: 'section', text: mrkdwn(truncate(lines.join('\n'), LIMITS.sectionText)) });
  }
  return { text: `Findings ${first}–${last} of ${total}`, blocks };
}
