import type { StoredAnswers } from '../domain/investigation/answer-book.ts';
import type { InvestigationSummary } from '../domain/investigation/summary.ts';
import type { TimelineEntry } from '../domain/investigation/timeline.ts';
import type { InvestigationWindow } from '../domain/investigation/window.ts';
import type { Finding } from '../domain/finding.ts';
import type { FindingRecord, InvestigationRecord } from '../ports/store.ts';

/**
 * The JSON the store keeps for an investigation (its answers, its result) and for the
 * finding it is about, read and written here only, so the rest of the use case handles
 * typed values. (Until the store parses its records itself.)
 */

/** Highlighted entries kept with the result, for case comments; the full timeline is in the files. */
const KEPT_HIGHLIGHTS = 500;

/** What is kept of a summarized investigation. */
export interface StoredResult {
  summary: InvestigationSummary;
  window: InvestigationWindow;
  events: number;
  highlights: TimelineEntry[];
}

export function answersOf(record: Pick<InvestigationRecord, 'answers'>): StoredAnswers {
  return JSON.parse(record.answers) as StoredAnswers;
}

export function answersField(answers: StoredAnswers): string {
  return JSON.stringify(answers);
}

export function resultField(o: { summary: InvestigationSummary; window: InvestigationWindow; timeline: TimelineEntry[] }): string {
  const kept: StoredResult = {
    summary: o.summary,
    window: o.window,
    events: o.timeline.length,
    highlights: o.timeline.filter((e) => e.highlights.length > 0).slice(0, KEPT_HIGHLIGHTS),
  };
  return JSON.stringify(kept);
}

export function failureField(err: unknown): string {
  return JSON.stringify({ error: String(err) });
}

/** The finding as delivered, or null when none was stored. */
export function findingOf(record: Pick<FindingRecord, 'snapshot'> | null): Finding | null {
  return record?.snapshot ? (JSON.parse(record.snapshot) as Finding) : null;
}
