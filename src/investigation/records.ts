import type { InvestigationSummary } from '../domain/investigation/summary.ts';
import type { TimelineEntry } from '../domain/investigation/timeline.ts';
import type { InvestigationWindow } from '../domain/investigation/window.ts';
import type { InvestigationConclusions, InvestigationFailure, InvestigationFollowUp } from '../ports/store.ts';

/** What an investigation's record keeps of how it ended. */

/** Highlighted entries kept with the result, for case comments; the full timeline is in the files. */
const KEPT_HIGHLIGHTS = 500;

/**
 * Event ids of the timeline kept as short digests, so a question's events can be told
 * apart from what gathering already found (the full timeline is only in the files): 13
 * characters each, at most KEPT_IDS of them (65 KB), well within one store item.
 */
const KEPT_IDS = 5000;

/** 48 bits of FNV-1a (64-bit) over the id: a collision among 5,000 ids is about one in 10^7. */
export function idDigest(id: string): string {
  let h = 0xcbf29ce484222325n;
  for (const c of new TextEncoder().encode(id)) h = BigInt.asUintN(64, (h ^ BigInt(c)) * 0x100000001b3n);
  return (h >> 16n).toString(16).padStart(12, '0');
}

export function conclusionsOf(o: { summary: InvestigationSummary; window: InvestigationWindow; timeline: TimelineEntry[] }): InvestigationConclusions {
  return {
    summary: o.summary,
    window: o.window,
    events: o.timeline.length,
    highlights: o.timeline.filter((e) => e.highlights.length > 0).slice(0, KEPT_HIGHLIGHTS),
    timelineIds: o.timeline
      .slice(0, KEPT_IDS)
      .map((e) => idDigest(e.id))
      .join(' '),
  };
}

export function failureOf(err: unknown): InvestigationFailure {
  return { error: String(err) };
}

/** Events questions add to a result, in all: with the gathered highlights, the record stays one store item (DynamoDB's 400 KB). */
export const KEPT_ASKED = 300;
/** Follow-ups listed on a result (the newest kept). */
const KEPT_FOLLOW_UPS = 50;
/** How an entry a question found says so, in the timeline and in case comments. */
export const ASKED_MARK = 'found by a question in the thread';

/** A time after `previous`, so a compare-and-set on the update time tells every write apart. */
export function laterThan(previous: string, now: string): string {
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
}

/**
 * A result with what one follow-up question found merged into its stored timeline:
 * deduplicated by event id against the timeline (its ids' digests, and the kept entries
 * of results stored before digests were), each new entry marked with the question and the source
 * that found it, oldest first as `buildTimeline` orders them, so a case opened later
 * carries them. At most KEPT_ASKED entries come from questions; past that the follow-up
 * says how many were not kept.
 */
export function withQuestionEvents(
  c: InvestigationConclusions,
  asked: Omit<InvestigationFollowUp, 'added' | 'events'>,
  found: readonly TimelineEntry[],
): InvestigationConclusions {
  const known = new Set(c.highlights.map((e) => e.id));
  const digests = new Set(c.timelineIds ? c.timelineIds.split(' ') : []);
  let room = KEPT_ASKED - c.highlights.filter((e) => e.highlights.some((h) => h.startsWith(ASKED_MARK))).length;
  const mark = `${ASKED_MARK}: “${(asked.question ?? '').slice(0, 80)}” (${asked.via}, ${asked.at})`;
  const fresh: TimelineEntry[] = [];
  let notKept = 0;
  for (const e of found) {
    const digest = idDigest(e.id);
    if (known.has(e.id) || digests.has(digest)) continue;
    known.add(e.id);
    if (digests.size < KEPT_IDS) digests.add(digest);
    if (room <= 0) {
      notKept++;
      continue;
    }
    room--;
    fresh.push({ ...e, tactics: [...e.tactics], highlights: [...e.highlights, mark] });
  }
  const highlights = [...c.highlights, ...fresh].sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
  const followUp: InvestigationFollowUp = { ...asked, events: found.length, added: fresh.length + notKept, ...(notKept ? { notKept } : {}) };
  return {
    ...c,
    events: c.events + fresh.length + notKept,
    highlights,
    timelineIds: [...digests].join(' '),
    followUps: [...(c.followUps ?? []), followUp].slice(-KEPT_FOLLOW_UPS),
  };
}
