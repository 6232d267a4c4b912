import type { InvestigationSummary } from '../domain/investigation/summary.ts';
import type { TimelineEntry } from '../domain/investigation/timeline.ts';
import type { InvestigationWindow } from '../domain/investigation/window.ts';
import type { InvestigationConclusions, InvestigationFailure } from '../ports/store.ts';

/** What an investigation's record keeps of how it ended. */

/** Highlighted entries kept with the result, for case comments; the full timeline is in the files. */
const KEPT_HIGHLIGHTS = 500;

export function conclusionsOf(o: { summary: InvestigationSummary; window: InvestigationWindow; timeline: TimelineEntry[] }): InvestigationConclusions {
  return {
    summary: o.summary,
    window: o.window,
    events: o.timeline.length,
    highlights: o.timeline.filter((e) => e.highlights.length > 0).slice(0, KEPT_HIGHLIGHTS),
  };
}

export function failureOf(err: unknown): InvestigationFailure {
  return { error: String(err) };
}
