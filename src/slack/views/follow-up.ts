import type { KnownBlock } from '@slack/types';
import { type RegionCoverage, coverageLine } from '../../domain/investigation/region-coverage.ts';
import type { TimelineEntry } from '../../domain/investigation/timeline.ts';
import type { EventSearchResult } from '../../ports/event-search.ts';
import type { QuestionRead, SourceRefusal } from '../../ports/notices/questions.ts';
import { mrkdwn, type SlackMessage } from './blocks.ts';
import { LIMITS, code, escapeText, escapedPieces, mentionMarkup, safeText, truncate } from './text.ts';

/** Events listed in the thread; all of them are in the files. */
export const EVENTS_SHOWN = 20;
/** Sections the queries may take before the rest goes to a file. */
const QUERY_SECTIONS = 4;

/** Where a search's records came from, in words. */
const SOURCE_WORDS: Record<string, string> = {
  'event-history': 'CloudTrail event history (LookupEvents)',
  'cloudtrail-lake': 'CloudTrail Lake',
  athena: 'Athena over the trail’s logs',
  's3-logs': 'the trail’s S3 logs',
};
const sourceName = (via: string) => SOURCE_WORDS[via] ?? escapeText(via);

const readBy = (r: QuestionRead) => (r.by === 'model' ? 'the model (translated into the same bounded query)' : 'the grammar');

function eventLine(e: TimelineEntry): string {
  const parts = [`• ${escapeText(e.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))} ${code(e.action, 80)}`];
  if (e.actor) parts.push(`by ${code(e.actor, 120)}`);
  if (e.sourceIp) parts.push(`from ${code(e.sourceIp, 60)}`);
  if (e.region) parts.push(`in ${code(e.region, 30)}`);
  if (e.resources.length)
    parts.push(
      `on ${e.resources
        .slice(0, 2)
        .map((r) => code(r, 100))
        .join(', ')}`,
    );
  if (e.errorCode) parts.push(`— ${code(e.errorCode, 60)}`);
  return parts.join(' ');
}

/** "Who else used…": each principal once, with how often, when and from where. */
function principalLines(entries: TimelineEntry[]): string[] {
  const by = new Map<string, TimelineEntry[]>();
  for (const e of entries) by.set(e.actor ?? 'unknown', [...(by.get(e.actor ?? 'unknown') ?? []), e]);
  return [...by.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([actor, list]) => {
      const ips = [...new Set(list.map((e) => e.sourceIp).filter((ip): ip is string => !!ip))].slice(0, 3);
      const first = list[0]?.time ?? '';
      const last = list.at(-1)?.time ?? '';
      return `• ${code(actor, 150)} — ${list.length} event${list.length === 1 ? '' : 's'}, ${escapeText(first)} to ${escapeText(last)}${ips.length ? `, from ${ips.map((ip) => code(ip, 60)).join(', ')}` : ''}`;
    });
}

function sourceLines(via: string | null, refusedBy: SourceRefusal[]): string {
  const lines = via ? [`Answered by ${sourceName(via)}.`] : [];
  for (const r of refusedBy.slice(0, 5)) lines.push(`${sourceName(r.via)} could not: ${safeText(r.reason, 300)}.`);
  return lines.join(' ');
}

/** The queries as code, in sections of their own; what does not fit is named for the file. */
function queryBlocks(queries: string[]): { blocks: KnownBlock[]; cut: boolean } {
  const text = queries.map((q) => escapeText(q.replace(/`/g, 'ˋ'))).join('\n');
  const room = LIMITS.sectionText - 40;
  const { pieces, rest } = escapedPieces(text, room, QUERY_SECTIONS, true);
  const blocks: KnownBlock[] = pieces.map((p, i) => ({
    type: 'section',
    text: mrkdwn(`${i === 0 ? `*Queries run* (${queries.length}):\n` : ''}\`\`\`${p.replace(/^\n+|\n+$/g, '')}\`\`\``),
  }));
  return { blocks, cut: rest.trim().length > 0 };
}

/** The answer to a follow-up question: what it was read as, the events (or principals), the source, and the exact queries. */
export function questionAnswerMessage(o: {
  by: string;
  question: string;
  read: QuestionRead;
  result: EventSearchResult;
  refusedBy: SourceRefusal[];
  coverage?: RegionCoverage;
}): {
  message: SlackMessage;
  /** Events were found (the files carry them all, as the investigation's timeline files do), or the queries did not fit (a file carries them). */
  needsFiles: { events: boolean; queries: boolean };
} {
  const { result } = o;
  const count = result.entries.length;
  const head = `:mag: *Answer* for ${mentionMarkup(o.by)}: _${safeText(o.question, 400)}_`;
  const understood = `Read by ${readBy(o.read)} as: ${o.read.understood.map((u) => safeText(u, 200)).join('; ')}. ${sourceLines(result.via, o.refusedBy)}`;
  const lines =
    count === 0
      ? ['No events matched.']
      : o.read.wants === 'principals'
        ? principalLines(result.entries).slice(0, EVENTS_SHOWN)
        : result.entries.slice(0, EVENTS_SHOWN).map(eventLine);
  const { pieces } = escapedPieces(lines.join('\n'), LIMITS.sectionText - 100, 3, true);
  const queries = queryBlocks(result.queries);
  const shownEvents = o.read.wants === 'principals' ? count : Math.min(count, EVENTS_SHOWN);
  const more = count > shownEvents || pieces.join('\n').split('\n').length < lines.length;
  const footer = [
    `${count} event${count === 1 ? '' : 's'} found${more ? `; the first ${EVENTS_SHOWN} are listed` : ''}${count > 0 ? '; all of them are in the files below, beside the investigation’s timeline' : ''}.`,
    ...(o.coverage ? [safeText(coverageLine(o.coverage), 600)] : []),
    ...result.limitingFactors.slice(0, 5).map((f) => `:warning: ${safeText(f.detail, 300)}`),
    ...(queries.cut ? ['The queries that did not fit are in the file below.'] : []),
  ].join('\n');
  const blocks: KnownBlock[] = [
    { type: 'section', text: mrkdwn(truncate(head, LIMITS.sectionText)) },
    { type: 'context', elements: [mrkdwn(truncate(understood, LIMITS.contextText))] },
    ...pieces.map((p): KnownBlock => ({ type: 'section', text: mrkdwn(p) })),
    ...queries.blocks,
    { type: 'context', elements: [mrkdwn(truncate(footer, LIMITS.contextText))] },
  ];
  return {
    message: { text: truncate(`Answer: ${count} event${count === 1 ? '' : 's'}, from ${sourceName(result.via)}`, LIMITS.fallbackText), blocks },
    needsFiles: { events: count > 0, queries: queries.cut },
  };
}

/** A question not answered: what could not be bounded or understood, or why no source could answer it. */
export function questionRefusedMessage(o: { by: string; question: string; reason: string; read?: QuestionRead; refusedBy: SourceRefusal[] }): SlackMessage {
  const lines = [`:no_entry_sign: *Not answered* (${mentionMarkup(o.by)}): _${safeText(o.question, 400)}_`, `${safeText(o.reason, 600)}.`];
  if (o.read) lines.push(`Read by ${readBy(o.read)} as: ${o.read.understood.map((u) => safeText(u, 200)).join('; ')}.`);
  const sources = sourceLines(null, o.refusedBy);
  if (sources) lines.push(sources);
  lines.push(
    '_Questions name what to search and when, e.g. “what did this key do after 14:00?”, “show S3 activity on my-bucket in the last 7 days”. They never change anything in AWS._',
  );
  return {
    text: truncate(`Not answered: ${safeText(o.reason, 300)}`, LIMITS.fallbackText),
    blocks: [{ type: 'section', text: mrkdwn(truncate(lines.join('\n'), LIMITS.sectionText)) }],
  };
}
