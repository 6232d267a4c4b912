/**
 * Times as a responder reads them in a sentence: `21 Nov 2026 10:05 UTC`, not ISO. The
 * Slack views turn each such time into a date Slack shows in the reader's own time zone
 * (`READABLE_TIME` finds them); the command line and case descriptions keep UTC.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number) => String(n).padStart(2, '0');

/** `21 Nov 2026 10:05 UTC` (or the text as given when it is not a time). */
export function readableTime(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  const d = new Date(t);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/** A time `readableTime` wrote, found again in text. */
export const READABLE_TIME = /\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}) UTC\b/g;

/** The instant a `READABLE_TIME` match stands for. */
export function instantOf(match: RegExpMatchArray): number {
  const [, day, month, year, hh, mm] = match;
  return Date.UTC(Number(year), MONTHS.indexOf(month as string), Number(day), Number(hh), Number(mm));
}

/** `Between 21 Nov 2026 10:01 UTC and 21 Nov 2026 10:30 UTC`, or `At …` for one instant. */
export function readableWindow(start: string | null, end: string | null): string {
  if (!start || !end) return 'In the window';
  if (start.slice(0, 16) === end.slice(0, 16)) return `At ${readableTime(start)}`;
  return `Between ${readableTime(start)} and ${readableTime(end)}`;
}
