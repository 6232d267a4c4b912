import type { Change } from '../../domain/delivery/versions.ts';
import type { Finding } from '../../domain/finding.ts';
import { type SlackMessage, mrkdwn } from './blocks.ts';
import { code, escapeText, safeText, slackDate, truncate, LIMITS } from './text.ts';

const NAMES: Record<Change['field'], string> = {
  severity: 'Severity',
  workflowStatus: 'Workflow status',
  recordState: 'Record state',
};

/** The thread reply that says what changed in a later version of a finding. */
export function updateReply(finding: Finding, changes: Change[]): SlackMessage {
  const lines = changes.map((c) => `• *${NAMES[c.field]}*: ${c.from} → *${c.to}*`);
  const when = slackDate(finding.updatedAt);
  return {
    text: truncate(`Updated: ${changes.map((c) => `${NAMES[c.field]} ${c.from} → ${c.to}`).join(', ')}`, LIMITS.fallbackText),
    blocks: [{ type: 'section', text: mrkdwn(`:arrows_counterclockwise: *Finding updated* ${when}\n${lines.join('\n')}`) }],
  };
}

/** A change to a finding that lives in a digest: said in the digest's thread, naming the finding. */
export function digestMemberUpdateReply(finding: Finding, changes: Change[]): SlackMessage {
  const base = updateReply(finding, changes);
  return {
    text: truncate(`${escapeText(finding.id)}: ${base.text}`, LIMITS.fallbackText),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          truncate(
            `:arrows_counterclockwise: ${code(finding.id, 300)} ${safeText(finding.title, 200)}\n${changes
              .map((c) => `• *${NAMES[c.field]}*: ${c.from} → *${c.to}*`)
              .join('\n')}`,
            LIMITS.sectionText,
          ),
        ),
      },
    ],
  };
}
