import type { SlackMessage } from './blocks.ts';
import { mrkdwn } from './blocks.ts';

/** What sirbot says when mentioned: what it does and where findings go. */
export function helpMessage(defaultChannel: string, ruleCount: number): SlackMessage {
  const text =
    `*sirbot* posts AWS security findings (Security Hub ASFF and OCSF, GuardDuty) into threads, one thread per finding, ` +
    `editing the thread when the finding changes and grouping storms into digests.\n` +
    `• ${ruleCount} routing rule(s) loaded; unmatched findings go to ${defaultChannel.startsWith('#') ? defaultChannel : `<#${defaultChannel}>`}.\n` +
    `• Findings arrive from EventBridge or SNS; operators can also POST them to \`/ingest\`.`;
  return { text: 'sirbot help', blocks: [{ type: 'section', text: mrkdwn(text) }] };
}
