/**
 * Times as people write them in a thread reply: `2026-11-20 14:00`, `yesterday at 3pm`,
 * `this morning`, `2 hours ago`, `on Nov 20`, `last Tuesday evening`, `15:30 CET`. Read
 * relative to the reply's own time, in the writer's time zone when it is known, else in
 * UTC — and the reading says which zone it assumed. Pure: the only clock is `at`.
 *
 * Rules that make a vague time definite, each chosen so that an exposure window starts
 * no later than the person meant (an earlier start only searches more):
 * - a date without a time is the whole day, from its start;
 * - a part of the day is its start: morning 06:00, afternoon 12:00, evening and night 18:00;
 * - a bare hour from 1 to 12 (`at 3`) without am/pm or a part of the day is the morning one;
 * - a date without a year, a weekday, or a time without a date is the latest such before
 *   the reply (`on Nov 20` written in January is last year's; `at 3pm` written at 10:00
 *   is yesterday's);
 * - a time after the reply was written is refused, never moved.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Clocks differ a little: a time this close after the reply is still "now". */
const FUTURE_GRACE_MS = 5 * MINUTE;

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_SHOWN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const PERIOD_START: Record<string, number> = { morning: 6, afternoon: 12, evening: 18, night: 18 };
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  'a couple of': 2,
  'a couple': 2,
  'couple of': 2,
  'half an': 0.5,
  'half a': 0.5,
};
const UNIT_MS: Array<[RegExp, number]> = [
  [/^(minutes?|mins?|m)$/i, MINUTE],
  [/^(hours?|hrs?|h)$/i, HOUR],
  [/^(days?|d)$/i, DAY],
  [/^(weeks?|wks?|w)$/i, 7 * DAY],
];
/** Zone abbreviations that mean one offset wherever they are used (CST, IST and BST do not). */
const ABBREVIATIONS: Record<string, number> = { pst: -8, pdt: -7, mst: -7, mdt: -6, est: -5, edt: -4, cet: 1, cest: 2, eet: 2, eest: 3, jst: 9 };
const ZONE_SUFFIX = /^\s*(?:(utc|gmt|z)(?:\s*([+-])(\d{1,2})(?::?(\d{2}))?)?|([+-])(\d{2}):?(\d{2})|(pst|pdt|mst|mdt|est|edt|cet|cest|eet|eest|jst))(?![\w])/i;

/** The zone a time was read in: the writer's (from Slack), or UTC assumed when theirs is not known. */
export interface ReadZone {
  name: string;
  assumed: boolean;
}

/** One time expression found in a sentence: where it is, and what it stands for (or why it cannot be read). */
export interface TimeExpression {
  start: number;
  end: number;
  /** The instant, or null when the expression cannot be read (with `error`). */
  instant: number | null;
  /** A whole day (no time of day given): stored as the day's date when read in UTC. */
  wholeDay: boolean;
  /** Whether the reader's zone was needed (a local date or time without a zone of its own). */
  local: boolean;
  /** How a vague part was made definite (`morning taken as 06:00`), for the reply that says what was understood. */
  note?: string;
  error?: string;
}

type AtomKind = 'iso' | 'date' | 'time' | 'period' | 'ago';

interface Atom {
  kind: AtomKind;
  start: number;
  end: number;
  /** A calendar date relative to the reader's today (days back) or absolute. */
  date?: { y?: number; m: number; d: number } | { back: number } | { weekday: number; last: boolean };
  time?: { h: number; min: number; s?: number; ampm?: 'am' | 'pm'; bare?: boolean; zoneOffsetMin?: number };
  period?: string;
  agoMs?: number;
  future?: boolean;
  error?: string;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(zone: string, t: number): { y: number; m: number; d: number; h: number; min: number; s: number; weekday: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  const p: Record<string, string> = {};
  for (const { type, value } of f.formatToParts(new Date(t))) p[type] = value;
  return {
    y: Number(p.year),
    m: Number(p.month) - 1,
    d: Number(p.day),
    h: Number(p.hour) % 24,
    min: Number(p.minute),
    s: Number(p.second),
    weekday: WEEKDAYS.indexOf((p.weekday ?? '').slice(0, 3).toLowerCase()),
  };
}

/** How far ahead of UTC `zone` is at instant `t`, in milliseconds. */
function offsetAt(zone: string, t: number): number {
  if (zone === 'UTC') return 0;
  const whole = Math.floor(t / 1000) * 1000;
  const p = partsIn(zone, whole);
  return Date.UTC(p.y, p.m, p.d, p.h, p.min, p.s) - whole;
}

/**
 * The instant a wall-clock time in `zone` stands for. A time a clock change skipped
 * (02:30 on the night clocks go forward) is read with the offset before the change, so
 * it lands after it (03:30), as clocks and calendars do.
 */
function instantIn(zone: string, y: number, m: number, d: number, h: number, min: number, s = 0): number {
  const wall = Date.UTC(y, m, d, h, min, s);
  const first = offsetAt(zone, wall);
  const guess = wall - first;
  const second = offsetAt(zone, guess);
  if (second === first) return guess;
  const other = wall - second;
  return offsetAt(zone, other) === second ? other : guess;
}

/** `20 Nov 2026 09:00 UTC`, or in another zone `20 Nov 2026 10:00 Europe/Paris`. */
export function timeInZone(instant: number, zone: string): string {
  const p = partsIn(zone, instant);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.d} ${MONTH_SHOWN[p.m]} ${p.y} ${two(p.h)}:${two(p.min)} ${zone}`;
}

/** `20 Nov 2026`, the day of a stored date-only answer. */
export function dayShown(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return `${d} ${MONTH_SHOWN[m - 1]} ${y}`;
}

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m, d));
  return m >= 0 && m < 12 && t.getUTCFullYear() === y && t.getUTCMonth() === m && t.getUTCDate() === d;
}

function monthIndex(word: string): number {
  return MONTH_NAMES.indexOf(word.slice(0, 3).toLowerCase());
}

function amountOf(word: string): number {
  const lower = word.toLowerCase().replace(/\s+/g, ' ');
  return NUMBER_WORDS[lower] ?? Number(lower);
}

function zoneAfter(text: string, end: number): { offsetMin: number; length: number } | null {
  const m = ZONE_SUFFIX.exec(text.slice(end));
  if (!m) return null;
  const [whole, named, sign, hours, minutes, sign2, hours2, minutes2, abbreviation] = m;
  let offsetMin = 0;
  if (named) offsetMin = sign ? (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes ?? 0)) : 0;
  else if (sign2) offsetMin = (sign2 === '-' ? -1 : 1) * (Number(hours2) * 60 + Number(minutes2));
  else if (abbreviation) offsetMin = (ABBREVIATIONS[abbreviation.toLowerCase()] as number) * 60;
  if (Math.abs(offsetMin) > 14 * 60) return null;
  return { offsetMin, length: whole.length };
}

/**
 * Finds the pieces of time expressions, most specific first; each piece hides the text it
 * took so a less specific one cannot read it again (`14:00` inside an ISO time).
 */
function atomsOf(original: string): Atom[] {
  let text = original;
  const atoms: Atom[] = [];
  const take = (re: RegExp, make: (m: RegExpExecArray) => Omit<Atom, 'start' | 'end'> | null, zoned = false) => {
    let taken = 0;
    for (const m of text.matchAll(new RegExp(re.source, 'gi'))) {
      const start = m.index ?? 0;
      // Within what this pass took already (a zone suffix such as `+01:00` after a time).
      if (start < taken) continue;
      let end = start + m[0].length;
      const made = make(m as RegExpExecArray);
      if (!made) continue;
      if (zoned && made.time) {
        const zone = zoneAfter(text, end);
        if (zone) {
          made.time.zoneOffsetMin = zone.offsetMin;
          end += zone.length;
        }
      }
      atoms.push({ ...made, start, end });
      taken = end;
    }
    // Hide what was taken: same length, so places stay those of the original, and no
    // white space, so no later pattern reaches across it (`Nov` … `1` around `1 Nov`).
    for (const a of atoms) text = text.slice(0, a.start) + '\u0001'.repeat(a.end - a.start) + text.slice(a.end);
  };

  take(
    /\b(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:t|\s+|\s*,\s*)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?/,
    (m) => {
      const [, y, mo, d, h, min, s] = m;
      const date = { y: Number(y), m: Number(mo) - 1, d: Number(d) };
      if (!validDate(date.y, date.m, date.d)) return { kind: 'date', error: `${m[0].trim()} is not a date` };
      return h ? { kind: 'iso', date, time: { h: Number(h), min: Number(min), ...(s ? { s: Number(s) } : {}) } } : { kind: 'date', date };
    },
    true,
  );
  take(/\b(\d{1,4})\/(\d{1,2})\/(\d{2,4})\b/, (m) => {
    const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const written = m[0];
    let date: { y: number; m: number; d: number } | null = null;
    if ((m[1] as string).length === 4) date = { y: a, m: b - 1, d: c };
    else {
      const y = (m[3] as string).length === 2 ? 2000 + c : c;
      if (a > 12 && b <= 12) date = { y, m: b - 1, d: a };
      else if (b > 12 && a <= 12) date = { y, m: a - 1, d: b };
      else if (a === b) date = { y, m: a - 1, d: a };
      else return { kind: 'date', error: `${written} could be either day first or month first: write 2026-11-20 or 20 Nov` };
    }
    return validDate(date.y, date.m, date.d) ? { kind: 'date', date } : { kind: 'date', error: `${written} is not a date` };
  });
  take(
    /\b(\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|a couple|couple of|half an?)\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)\s+ago\b/,
    (m) => {
      const amount = amountOf(m[1] as string);
      const unit = UNIT_MS.find(([re]) => re.test(m[2] as string))?.[1];
      return Number.isFinite(amount) && unit ? { kind: 'ago', agoMs: amount * unit } : null;
    },
  );
  take(/\b(this|yesterday|tomorrow)\s+(morning|afternoon|evening|night)\b/, (m) => {
    const word = (m[1] as string).toLowerCase();
    const period = (m[2] as string).toLowerCase();
    if (word === 'tomorrow') return { kind: 'date', future: true };
    return { kind: 'date', date: { back: word === 'yesterday' ? 1 : 0 }, period };
  });
  take(/\b(the day before yesterday|yesterday|today|tonight|last night|tomorrow)\b/, (m) => {
    const word = (m[1] as string).toLowerCase();
    if (word === 'tomorrow') return { kind: 'date', future: true };
    if (word === 'last night') return { kind: 'date', date: { back: 1 }, period: 'night' };
    if (word === 'tonight') return { kind: 'date', date: { back: 0 }, period: 'night' };
    return { kind: 'date', date: { back: word === 'today' ? 0 : word === 'yesterday' ? 1 : 2 } };
  });
  take(/\b(?:(last|this past|past)\s+)?(mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b(?!\s*\d)/, (m) => {
    // Short forms only where they mean nothing else (`sat`, `wed` and `sun` are words too).
    if (!/day\b/i.test(m[0]) && !/^(mon|tue|tues|thu|thurs|fri)$/i.test(m[2] as string)) return null;
    return { kind: 'date', date: { weekday: WEEKDAYS.indexOf((m[2] as string).slice(0, 3).toLowerCase()), last: !!m[1] } };
  });
  take(new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH}\.?(?:,?\s+(\d{4}))?\b`), (m) => {
    const date = { ...(m[3] ? { y: Number(m[3]) } : {}), m: monthIndex(m[2] as string), d: Number(m[1]) };
    return { kind: 'date', date };
  });
  take(new RegExp(String.raw`\b${MONTH}\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?![:.]\d)(?:,?\s+(\d{4})\b)?`), (m) => {
    const date = { ...(m[3] ? { y: Number(m[3]) } : {}), m: monthIndex(m[1] as string), d: Number(m[2]) };
    return { kind: 'date', date };
  });
  take(
    /(?<![\w:.-])(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?![a-z])/,
    (m) => {
      const h = Number(m[1]);
      if (h < 1 || h > 12) return null;
      const ampm = (m[3] as string).toLowerCase().startsWith('a') ? 'am' : 'pm';
      return { kind: 'time', time: { h, min: Number(m[2] ?? 0), ampm } };
    },
    true,
  );
  take(
    /(?<![\w:./-])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])/,
    (m) => {
      const [h, min] = [Number(m[1]), Number(m[2])];
      if (h > 23 || min > 59) return null;
      return { kind: 'time', time: { h, min, ...(m[3] ? { s: Number(m[3]) } : {}) } };
    },
    true,
  );
  take(/\b(noon|midday|midnight)\b/, (m) => ({ kind: 'time', time: { h: (m[1] as string).toLowerCase() === 'midnight' ? 0 : 12, min: 0 } }));
  take(
    /(?:\b(?:at|around|about|by|since)|~|@)\s*(\d{1,2})(?:\s*o'?clock)?(?![\w:./%-])(?!\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|percent|gb|mb|kb|times|events|calls|keys|users|instances|findings))/,
    (m) => {
      const h = Number(m[1]);
      if (h > 23) return null;
      return { kind: 'time', time: { h, min: 0, bare: true } };
    },
    true,
  );
  take(/\b(?:in the\s+)?(morning|afternoon|evening|night)\b/, (m) => ({ kind: 'period', period: (m[1] as string).toLowerCase() }));
  return atoms.sort((a, b) => a.start - b.start);
}

/** What may stand between the pieces of one expression (`yesterday at 3pm`, `Nov 20, around 9am`). */
const JOINER = /^[\s,]*(?:(?:at|around|about|approximately|approx\.?|roughly|on|in|the|of|by|~|@|-)[\s,]*)*$/i;

/** Groups adjacent pieces into expressions: one date, one time of day, one part of the day each. */
function grouped(text: string, atoms: Atom[]): Atom[][] {
  const groups: Atom[][] = [];
  for (const atom of atoms) {
    const last = groups.at(-1);
    const prev = last?.at(-1);
    const kinds = new Set(last?.flatMap((a) => (a.kind === 'iso' ? ['date', 'time'] : [a.kind])));
    const clash = atom.kind === 'iso' ? kinds.has('date') || kinds.has('time') : kinds.has(atom.kind) || kinds.has('ago') || atom.kind === 'ago';
    if (last && prev && !clash && JOINER.test(text.slice(prev.end, atom.start))) last.push(atom);
    else groups.push([atom]);
  }
  return groups;
}

const two = (n: number) => String(n).padStart(2, '0');

/** Resolves one expression against the reply's time and the reader's zone. */
function resolve(group: Atom[], at: number, zone: string): Omit<TimeExpression, 'start' | 'end'> {
  const fail = (error: string) => ({ instant: null, wholeDay: false, local: false, error });
  const broken = group.find((a) => a.error);
  if (broken?.error) return fail(broken.error);
  if (group.some((a) => a.future)) return fail('tomorrow is after the reply was written');
  const ago = group.find((a) => a.kind === 'ago');
  if (ago?.agoMs !== undefined) return { instant: at - ago.agoMs, wholeDay: false, local: false };

  const dated = group.find((a) => a.date);
  const timed = group.find((a) => a.time);
  const period = group.find((a) => a.period)?.period;
  const today = partsIn(zone, at);
  const notes: string[] = [];

  // The time of day, in 24 hours.
  let h: number | null = null;
  let min = 0;
  let s = 0;
  let zoneOffsetMin: number | undefined;
  if (timed?.time) {
    const t = timed.time;
    h = t.h;
    min = t.min;
    s = t.s ?? 0;
    zoneOffsetMin = t.zoneOffsetMin;
    if (t.ampm) h = (t.h % 12) + (t.ampm === 'pm' ? 12 : 0);
    else if (period && period !== 'morning' && h < 12) h += 12;
    else if (t.bare && h >= 1 && h <= 12 && !period) notes.push(`taken as ${two(h)}:00 (write ${h}pm for the afternoon)`);
  } else if (period) {
    h = PERIOD_START[period] ?? 0;
    notes.push(`${period} taken as from ${two(h)}:00`);
  }

  // The calendar day, in the reader's zone. `earlier` steps back once to the previous
  // such day when the first one would be after the reply: a day before for a time alone,
  // a week for a weekday (a date without a year is already the latest such day).
  const dayBack = (back: number) => {
    const t = new Date(Date.UTC(today.y, today.m, today.d - back));
    return { y: t.getUTCFullYear(), m: t.getUTCMonth(), d: t.getUTCDate() };
  };
  const date = dated?.date;
  const dayOf = (earlier: boolean): { y: number; m: number; d: number } | null => {
    if (!date) return dayBack(earlier ? 1 : 0);
    if ('back' in date) return earlier ? null : dayBack(date.back);
    if ('weekday' in date) {
      // `last Monday` written on a Monday is a week ago.
      const back = (today.weekday - date.weekday + 7) % 7;
      return dayBack((back === 0 && date.last ? 7 : back) + (earlier ? 7 : 0));
    }
    if (earlier) return null;
    if (date.y !== undefined) return { y: date.y, m: date.m, d: date.d };
    const passed = date.m < today.m || (date.m === today.m && date.d <= today.d);
    return { y: today.y - (passed ? 0 : 1), m: date.m, d: date.d };
  };
  if (!date && h === null) return fail('no time');
  const wholeDay = h === null;
  // A time with its own zone (`14:00 UTC`, `09:30+01:00`) needs no assumption.
  const local = zoneOffsetMin === undefined;
  const instantOf = (day: { y: number; m: number; d: number }) =>
    zoneOffsetMin !== undefined ? Date.UTC(day.y, day.m, day.d, h ?? 0, min, s) - zoneOffsetMin * MINUTE : instantIn(zone, day.y, day.m, day.d, h ?? 0, min, s);

  let day = dayOf(false) as { y: number; m: number; d: number };
  if (!validDate(day.y, day.m, day.d)) return fail(`${day.d} ${MONTH_SHOWN[day.m] ?? '?'} ${day.y} is not a date`);
  let instant = instantOf(day);
  const before = instant > at + FUTURE_GRACE_MS ? dayOf(true) : null;
  if (before && validDate(before.y, before.m, before.d)) {
    day = before;
    instant = instantOf(day);
    if (!date) notes.push('taken as yesterday');
  }
  if (instant > at + FUTURE_GRACE_MS)
    return fail(`${wholeDay ? `${day.d} ${MONTH_SHOWN[day.m]} ${day.y}` : timeInZone(instant, zone)} is after the reply was written`);
  return { instant, wholeDay, local, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

/**
 * Every time expression in `text`, with its place (so the caller can tell which words it
 * belongs to) and what it stands for. `at`: when the text was written (ms); `zone`: an
 * IANA zone (a valid one; callers fall back to UTC).
 */
export function timesIn(text: string, at: number, zone: string): TimeExpression[] {
  const atoms = atomsOf(text);
  // A bare hour (`at 9`) is a time only beside a date or a part of the day: alone it is as likely a count.
  const meant = grouped(text, atoms).filter((g) => !g.every((a) => a.time?.bare));
  return meant.map((group) => {
    const start = (group[0] as Atom).start;
    const end = (group.at(-1) as Atom).end;
    return { start, end, ...resolve(group, at, zone) };
  });
}

/** How an instant is stored as an answer: the day (`2026-11-20`) for a whole day in UTC, else ISO to the minute (or second) in UTC. */
export function storedTime(e: Pick<TimeExpression, 'instant' | 'wholeDay'>, zone: string): string | null {
  if (e.instant === null) return null;
  const t = new Date(e.instant);
  const date = `${t.getUTCFullYear()}-${two(t.getUTCMonth() + 1)}-${two(t.getUTCDate())}`;
  if (e.wholeDay && zone === 'UTC') return date;
  const seconds = t.getUTCSeconds() ? `:${two(t.getUTCSeconds())}` : '';
  return `${date}T${two(t.getUTCHours())}:${two(t.getUTCMinutes())}${seconds}Z`;
}
