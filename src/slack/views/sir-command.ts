import type { SlackMessage } from './blocks.ts';
import { mrkdwn } from './blocks.ts';
import { LIMITS, code, escapeText, link, truncate } from './text.ts';

/** `/sir help`: every subcommand with its usage, shown only to who asked. */
export function sirHelpMessage(usage: readonly string[]): SlackMessage {
  return {
    text: 'sirbot commands',
    blocks: [
      { type: 'section', text: mrkdwn('*sirbot* — `/sir` subcommands:') },
      { type: 'section', text: mrkdwn(truncate(usage.map((u) => `• ${code(u, 300)}`).join('\n'), LIMITS.sectionText)) },
    ],
  };
}

/** A refused or malformed command: the problem in the person's own words, then the usage. */
export function sirUsageMessage(problem: string, usage: string): SlackMessage {
  return {
    text: `/sir: ${escapeText(problem)}`,
    blocks: [{ type: 'section', text: mrkdwn(truncate(`:warning: ${escapeText(problem)}\nUsage: ${code(usage, 500)}`, LIMITS.sectionText)) }],
  };
}

export function sirNoteMessage(text: string, url?: string, label?: string): SlackMessage {
  const body = url ? `${escapeText(text)} ${link(url, label ?? url)}` : escapeText(text);
  return { text: escapeText(text), blocks: [{ type: 'section', text: mrkdwn(truncate(body, LIMITS.sectionText)) }] };
}
