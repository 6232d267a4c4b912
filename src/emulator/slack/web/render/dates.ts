import type { RenderContext } from './context.ts';

/**
 * Slack's `<!date^…>` tokens, formatted in the reader's zone (`ctx.timeZone`, UTC by default)
 * with 24-hour times. Slack localises further; this is close enough to read a workbench.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Parts {
  year: number;
  month: number;
  day: number;
  weekday: string;
  hh: string;
  mm: string;
  ss: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = {
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    };
    try {
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone });
    } catch {
      // An unknown zone name should cost the reader their zone, not the page.
      f = new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

function partsOf(ms: number, ctx: RenderContext): Parts {
  const p: Record<string, string> = {};
  for (const { type, value } of formatter(ctx.timeZone ?? 'UTC').formatToParts(new Date(ms))) p[type] = value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    weekday: p.weekday ?? '',
    hh: (p.hour ?? '00').padStart(2, '0'),
    mm: (p.minute ?? '00').padStart(2, '0'),
    ss: (p.second ?? '00').padStart(2, '0'),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

const monthName = (p: Parts) => MONTHS[p.month - 1] ?? '';
const dayNumber = (p: Parts) => Date.UTC(p.year, p.month - 1, p.day) / 86_400_000;

function relativeDay(p: Parts, today: Parts): string | null {
  const diff = dayNumber(p) - dayNumber(today);
  return diff === 0 ? 'today' : diff === -1 ? 'yesterday' : diff === 1 ? 'tomorrow' : null;
}

function ago(ms: number, now: number): string {
  const seconds = Math.round((now - ms) / 1000);
  const abs = Math.abs(seconds);
  const units: Array<[string, number]> = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  const unit = units.find(([, size]) => abs >= size);
  if (!unit) return seconds >= 0 ? 'a few seconds ago' : 'in a few seconds';
  const n = Math.floor(abs / unit[1]);
  const amount = `${n} ${unit[0]}${n === 1 ? '' : 's'}`;
  return seconds >= 0 ? `${amount} ago` : `in ${amount}`;
}

/** One `{token}`'s text, or undefined for a token Slack does not define. */
function token(name: string, ms: number, ctx: RenderContext): string | undefined {
  const p = partsOf(ms, ctx);
  const now = ctx.now?.() ?? Date.now();
  const today = partsOf(now, ctx);
  const long = `${p.weekday}, ${monthName(p)} ${ordinal(p.day)}, ${p.year}`;
  const plain = `${monthName(p)} ${ordinal(p.day)}, ${p.year}`;
  const short = `${monthName(p).slice(0, 3)} ${p.day}, ${p.year}`;
  switch (name) {
    case 'date_num':
      return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
    case 'date_slash':
      return `${pad(p.day)}/${pad(p.month)}/${p.year}`;
    case 'date_long':
      return long;
    case 'date_long_full':
      return `${monthName(p)} ${p.day}, ${p.year}`;
    case 'date_long_pretty':
      return relativeDay(p, today) ?? long;
    case 'date':
      return plain;
    case 'date_pretty':
      return relativeDay(p, today) ?? plain;
    case 'date_short':
      return short;
    case 'date_short_pretty':
      return relativeDay(p, today) ?? short;
    case 'day_divider_pretty':
      return relativeDay(p, today) ?? (p.year === today.year ? `${p.weekday}, ${monthName(p)} ${ordinal(p.day)}` : long);
    case 'time':
      return `${p.hh}:${p.mm}`;
    case 'time_secs':
      return `${p.hh}:${p.mm}:${p.ss}`;
    case 'ago':
      return ago(ms, now);
    default:
      return undefined;
  }
}

/**
 * A `<!date^seconds^format…>` as Slack shows it, or null when the timestamp or a token is
 * not one Slack would format (the caller shows the fallback text then, as Slack does).
 */
export function formatSlackDate(seconds: string, format: string, ctx: RenderContext): string | null {
  if (!/^-?\d{1,12}(\.\d+)?$/.test(seconds)) return null;
  const ms = Number(seconds) * 1000;
  if (!Number.isFinite(new Date(ms).getTime())) return null;
  let unknown = false;
  const text = format.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
    const value = token(name, ms, ctx);
    if (value === undefined) unknown = true;
    return value ?? whole;
  });
  return unknown ? null : text;
}

/** A message ts ("seconds.micros") as an ISO instant and a short clock time, or null if malformed. */
export function messageTime(ts: string, ctx: RenderContext): { iso: string; time: string; full: string } | null {
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(ts)) return null;
  const ms = Math.floor(Number(ts) * 1000);
  const p = partsOf(ms, ctx);
  const time = `${p.hh}:${p.mm}`;
  return { iso: new Date(ms).toISOString(), time, full: `${monthName(p).slice(0, 3)} ${p.day}, ${p.year} ${p.hh}:${p.mm}:${p.ss}` };
}
