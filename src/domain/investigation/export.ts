import { escapeInvisibleInJson, neutralizeInvisible } from '../invisible.ts';
import type { TimelineEntry } from './timeline.ts';

const COLUMNS = [
  'time',
  'source',
  'action',
  'service',
  'actor',
  'actorType',
  'accessKeyId',
  'sourceIp',
  'userAgent',
  'resources',
  'errorCode',
  'accountId',
  'region',
  'tactics',
  'highlights',
  'via',
] as const;

/**
 * One CSV cell. Values an attacker chose (user agents, names) must not become formulas
 * when a responder opens the file in a spreadsheet, so a leading = + - @ is defused;
 * nor hide or reorder text in Slack's preview or the spreadsheet, so invisible
 * characters are written as `[U+202E]` (the JSON file keeps them exactly, escaped).
 */
function cell(value: unknown): string {
  let s = neutralizeInvisible(Array.isArray(value) ? value.join('; ') : value === null || value === undefined ? '' : String(value));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function timelineCsv(timeline: TimelineEntry[]): string {
  const rows = timeline.map((e) => COLUMNS.map((c) => cell(e[c])).join(','));
  return `${[COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

export function timelineJson(timeline: TimelineEntry[]): string {
  return `${escapeInvisibleInJson(JSON.stringify(timeline, null, 2))}\n`;
}
