import type { EventQuery } from './event-query.ts';
import { queryProblem } from './event-query.ts';
import { timesIn, timeInZone } from './free-text-times.ts';
import { ACCESS_KEY_ID, INSTANCE_ID, isIp, parseArn } from './identifiers.ts';
import {
  BUCKET_NAME,
  CALL_PHRASES,
  CALLS_TO,
  DATA_EVENT_API,
  DATA_WORDS,
  EVERY_REGION,
  KIND_OF_WORD,
  KIND_WORDS,
  MAX_QUESTION,
  NAMED,
  NOT_A_NAME,
  REGION,
  SERVICE_USE,
  SERVICES,
  THIS_SUBJECT,
  WRITE_VERB,
  questionWords,
} from './question-words.ts';
import { GLOBAL_EVENTS_REGION } from './lookup-plan.ts';
import type { Subject, SubjectKind } from './subjects.ts';
import type { InvestigationWindow } from './window.ts';

/**
 * A responder's follow-up question in a finding's thread, read by a fixed grammar into
 * one bounded `EventQuery` — or refused, saying what could not be bounded or understood:
 *
 *   subject     "this key/role/user/instance/bucket/IP" (the investigation's), or a literal
 *               access key id, ARN, `user NAME`, `role NAME`, IP, bucket, instance id
 *   time range  "after 14:00" (in the asker's zone), "in the last 30 days", "since
 *               yesterday", "between … and …", "before …"; default: the investigation's window
 *   filter      "S3 activity", "calls to DeleteBucket", "who else used" (the principals)
 *   region      "in us-west-2"; default: `ctx.searchIn`, the account's enabled regions as
 *               the use case learned them (else the finding's region and us-east-1)
 *
 * Questions only read CloudTrail: anything asking to change AWS ("delete this key") is
 * refused. Pure: no I/O, no clock but the question's own time.
 */

export interface QuestionContext {
  /** When the question was written (its Slack timestamp, in ms): "the last 30 days" counts back from here. */
  at: number;
  /** The asker's IANA time zone, or UTC when not known (then said). */
  zone: string;
  zoneKnown: boolean;
  accountId: string;
  /** The finding's region. */
  region: string;
  /**
   * Where a question that names no region searches, and how to say it: resolved by the
   * use case (the account's enabled regions, the finding's first). Absent: the finding's
   * region and us-east-1.
   */
  searchIn?: { regions: string[]; words: string };
  /** The investigation's window: the range when the question names none. */
  window: InvestigationWindow;
  /** What "this key", "this role"… can stand for: the finding's and the investigation's subjects. */
  subjects: readonly Subject[];
}

export type QuestionReading =
  | {
      ok: true;
      query: EventQuery;
      /** `principals`: "who else used…": the answer lists who, not every event. */
      wants: 'events' | 'principals';
      /** What each part was read as, in words, for the answer to say. */
      understood: string[];
    }
  | { ok: false; reason: string };

/** The most records one question returns (the thread shows some, the file all). */
export const QUESTION_RECORD_LIMIT = 500;
/** The longest range one question may cover: beyond it, it is not a follow-up but a hunt. */
export const MAX_RANGE_DAYS = 180;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Blanks what a pattern took, so later parts do not read it again. */
function without(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

const refused = (reason: string): QuestionReading => ({ ok: false, reason });

type Range = { start: number; end: number; words: string } | { error: string } | null;

/** The first time expression at the start of `text` (after the keyword), resolved in the asker's zone. */
function timeAt(text: string, ctx: QuestionContext): { instant: number; wholeDay: boolean; length: number } | { error: string } | null {
  const first = timesIn(text, ctx.at, ctx.zone)[0];
  if (!first || first.start > 3) return null;
  if (first.instant === null) return { error: first.error ?? 'not a time' };
  return { instant: first.instant, wholeDay: first.wholeDay, length: first.end };
}

const AMOUNT: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, ten: 10, twelve: 12, 'twenty-four': 24 };
const UNIT: Array<[RegExp, number]> = [
  [/^(?:minutes?|mins?)$/i, MINUTE],
  [/^(?:hours?|hrs?|h)$/i, HOUR],
  [/^(?:days?|d)$/i, DAY],
  [/^(?:weeks?|wks?|w)$/i, 7 * DAY],
  [/^months?$/i, 30 * DAY],
  [/^years?$/i, 365 * DAY],
];

/** The question's time range, with the words it was read from blanked out of `text`. */
function rangeIn(text: string, ctx: QuestionContext): { range: Range; text: string } {
  const shown = (t: number) => timeInZone(t, ctx.zone);
  const last =
    /\b(?:in\s+|over\s+|during\s+|for\s+|within\s+)?(?:the\s+)?(?:last|past|previous)\s+(?:(\d{1,4}|an?|one|two|three|four|five|six|seven|ten|twelve|twenty-four)\s+)?(minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|years?)\b/i.exec(
      text,
    );
  if (last) {
    const amount = last[1] ? (AMOUNT[last[1].toLowerCase()] ?? Number(last[1])) : 1;
    const unit = UNIT.find(([re]) => re.test(last[2] as string))?.[1] ?? DAY;
    const start = ctx.at - amount * unit;
    return {
      range: {
        start,
        end: ctx.at,
        words: `the last ${amount} ${(last[2] as string).toLowerCase().replace(/s$/, '')}${amount === 1 ? '' : 's'} (from ${shown(start)})`,
      },
      text: without(text, last.index, last.index + last[0].length),
    };
  }
  const between = /\bbetween\s+/i.exec(text);
  if (between) {
    const from = between.index + between[0].length;
    const a = timeAt(text.slice(from), ctx);
    if (a && 'error' in a) return { range: a, text };
    if (a) {
      const rest = text.slice(from + a.length);
      const and = /^\s*(?:and|to|-|–)\s*/i.exec(rest);
      const b = and ? timeAt(rest.slice(and[0].length), ctx) : null;
      if (b && 'error' in b) return { range: b, text };
      if (and && b) {
        const end = b.wholeDay ? b.instant + DAY : b.instant;
        const taken = from + a.length + and[0].length + b.length;
        return { range: { start: a.instant, end, words: `between ${shown(a.instant)} and ${shown(end)}` }, text: without(text, between.index, taken) };
      }
    }
    return { range: { error: 'a range "between" needs two times: "between 14:00 and 16:00"' }, text };
  }
  for (const m of text.matchAll(/\b(after|since|from|before|until|till|on)\s+/gi)) {
    const from = (m.index ?? 0) + m[0].length;
    const t = timeAt(text.slice(from), ctx);
    if (!t) continue;
    if ('error' in t) return { range: t, text };
    const word = (m[1] as string).toLowerCase();
    // "from 10:00 to 12:00", "since Monday until Tuesday": a range with both ends.
    const to = /^\s*(?:to|until|till|-|–)\s*/i.exec(text.slice(from + t.length));
    const end = to && (word === 'from' || word === 'since' || word === 'after') ? timeAt(text.slice(from + t.length + to[0].length), ctx) : null;
    if (end && 'error' in end) return { range: end, text };
    if (to && end) {
      const until = end.wholeDay ? end.instant + DAY : end.instant;
      const taken = from + t.length + to[0].length + end.length;
      return { range: { start: t.instant, end: until, words: `between ${shown(t.instant)} and ${shown(until)}` }, text: without(text, m.index ?? 0, taken) };
    }
    const blanked = without(text, m.index ?? 0, from + t.length);
    if (word === 'before' || word === 'until' || word === 'till') {
      const end = t.instant;
      return { range: { start: Math.min(Date.parse(ctx.window.start), end), end, words: `before ${shown(end)}` }, text: blanked };
    }
    if (word === 'on' && t.wholeDay)
      return { range: { start: t.instant, end: t.instant + DAY, words: `on ${shown(t.instant).replace(/ \d{2}:\d{2} /, ' ')}` }, text: blanked };
    const start = word === 'after' && t.wholeDay ? t.instant + DAY : t.instant;
    return { range: { start, end: ctx.at, words: `after ${shown(start)}` }, text: blanked };
  }
  const day = /\b(today|yesterday)\b/i.exec(text);
  if (day) {
    const t = timeAt(text.slice(day.index), ctx);
    if (t && !('error' in t))
      return {
        range: { start: t.instant, end: Math.min(t.instant + DAY, ctx.at), words: `${(day[1] as string).toLowerCase()} (from ${shown(t.instant)})` },
        text: without(text, day.index, day.index + t.length),
      };
  }
  return { range: null, text };
}

function regionsIn(text: string, ctx: QuestionContext): { regions: string[]; text: string; said: boolean } {
  const named = [...text.matchAll(REGION)].map((m) => (m[1] as string).toLowerCase());
  if (named.length === 0) return { regions: defaultRegions(ctx).regions, text, said: false };
  return { regions: [...new Set(named)], text: text.replace(REGION, (m) => ' '.repeat(m.length)), said: true };
}

/** Where a question naming no region searches: the use case's answer, or the finding's region and us-east-1 (IAM, STS, a CLI's default). */
export function defaultRegions(ctx: Pick<QuestionContext, 'region' | 'searchIn'>): { regions: string[]; words: string } {
  if (ctx.searchIn && ctx.searchIn.regions.length > 0) return ctx.searchIn;
  const regions = [...new Set([ctx.region, GLOBAL_EVENTS_REGION])];
  return { regions, words: `${regions.join(', ')} (the finding’s region and us-east-1)` };
}

/** The investigation's subjects of a kind, as what records name them by. */
function subjectsOfKind(kind: SubjectKind, ctx: QuestionContext): Subject[] {
  const direct = ctx.subjects.filter((s) => s.kind === kind);
  if (kind === 'iamUser' && direct.length === 0) {
    // The key's owner, when the finding names the key only.
    return ctx.subjects
      .filter((s) => s.kind === 'accessKey' && s.principal && s.principalType === 'IAMUser')
      .map((s) => ({ kind: 'iamUser', id: s.principal as string }));
  }
  return direct;
}

interface Match {
  accessKeyIds: Set<string>;
  usernames: Set<string>;
  resourceNames: Set<string>;
  sourceIps: Set<string>;
}

function addSubject(match: Match, s: Pick<Subject, 'kind' | 'id'>, ctx: QuestionContext): void {
  switch (s.kind) {
    case 'accessKey':
      match.accessKeyIds.add(s.id);
      return;
    case 'iamUser':
      match.usernames.add(s.id);
      return;
    case 'root':
      match.usernames.add('root');
      return;
    case 'role':
      // Records name a role by its ARN (AssumeRole's resources) or its name (IAM calls on it).
      match.resourceNames.add(s.id);
      if (/^[\w+=,.@-]+$/.test(s.id)) match.resourceNames.add(`arn:aws:iam::${ctx.accountId}:role/${s.id}`);
      return;
    case 'ip':
      match.sourceIps.add(s.id);
      return;
    default:
      match.resourceNames.add(s.id);
  }
}

/** What the question names: the investigation's subjects it points at, and identifiers written out. */
function subjectsIn(text: string, ctx: QuestionContext): { match: Match; understood: string[]; error?: string; text: string } {
  const match: Match = { accessKeyIds: new Set(), usernames: new Set(), resourceNames: new Set(), sourceIps: new Set() };
  const understood: string[] = [];
  let rest = text;
  for (const m of rest.matchAll(NAMED)) {
    const kind = (m[1] as string).toLowerCase();
    const name = m[2] as string;
    if (NOT_A_NAME.has(name.toLowerCase()) || ACCESS_KEY_ID.test(name) || isIp(name)) continue;
    if (kind === 'bucket' && !BUCKET_NAME.test(name)) return { match, understood, text: rest, error: `\`${name}\` is not a bucket name` };
    if (kind === 'instance' && !INSTANCE_ID.test(name)) return { match, understood, text: rest, error: `\`${name}\` is not an instance id (i-…)` };
    addSubject(match, { kind: kind === 'user' ? 'iamUser' : (kind as SubjectKind), id: name }, ctx);
    understood.push(`${kind} ${name}`);
    rest = without(rest, m.index ?? 0, (m.index ?? 0) + m[0].length);
  }
  for (const m of rest.matchAll(THIS_SUBJECT)) {
    const word = (m[1] as string).toLowerCase().replace(/\s+/g, ' ');
    const kind = KIND_OF_WORD.find(([re]) => re.test(word))?.[1];
    if (!kind) continue;
    const found = subjectsOfKind(kind, ctx);
    if (found.length === 0) {
      return { match, understood, text: rest, error: `this investigation names no ${KIND_WORDS[kind]}: name one instead (${EXAMPLE_OF[kind]})` };
    }
    for (const s of found) addSubject(match, s, ctx);
    understood.push(`${KIND_WORDS[kind]} ${found.map((s) => s.id).join(', ')}`);
    rest = without(rest, m.index ?? 0, (m.index ?? 0) + m[0].length);
  }
  for (const m of rest.matchAll(/[^\s,;()[\]{}<>"'|]+/g)) {
    const token = m[0].replace(/[.?!:]+$/, '');
    const arn = parseArn(token);
    if (ACCESS_KEY_ID.test(token)) {
      match.accessKeyIds.add(token);
      understood.push(`access key ${token}`);
    } else if (INSTANCE_ID.test(token)) {
      match.resourceNames.add(token);
      understood.push(`instance ${token}`);
    } else if (isIp(token)) {
      match.sourceIps.add(token);
      understood.push(`source IP ${token}`);
    } else if (arn) {
      const name = arn.resource.split('/').pop() ?? '';
      if (arn.service === 'iam' && arn.resource.startsWith('user/')) match.usernames.add(name);
      else if (arn.service === 'sts' && arn.resource.startsWith('assumed-role/')) match.usernames.add(name);
      else if (arn.service === 's3') match.resourceNames.add(arn.resource);
      else match.resourceNames.add(token);
      understood.push(token);
    } else continue;
    rest = without(rest, m.index ?? 0, (m.index ?? 0) + m[0].length);
  }
  return { match, understood, text: rest };
}

const EXAMPLE_OF: Partial<Record<SubjectKind, string>> = {
  accessKey: '`AKIA…`',
  role: '`role deploy-bot` or its ARN',
  iamUser: '`user ci-deployer` or its ARN',
  instance: '`i-0123456789abcdef0`',
  bucket: '`bucket my-bucket`',
  ip: '`203.0.113.7`',
};

/** What the question filters by: a service's activity, calls to named APIs, object-level data. */
function filtersIn(text: string): {
  eventSources: string[];
  eventNames: string[];
  dataEvents: boolean;
  understood: string[];
  text: string;
  bucketAfter: string | null;
} {
  const eventSources = new Set<string>();
  const eventNames = new Set<string>();
  const understood: string[] = [];
  let rest = text;
  let bucketAfter: string | null = null;
  for (const m of text.matchAll(SERVICE_USE)) {
    const word = (m[1] as string).toLowerCase().replace(/\s+/g, ' ');
    const source = SERVICES[word];
    if (!source) continue;
    eventSources.add(source);
    understood.push(`${source} calls`);
    rest = without(rest, m.index ?? 0, (m.index ?? 0) + m[0].length);
    // "S3 activity on acme-build-artifacts": the bucket it was on.
    if (source === 's3.amazonaws.com') {
      const on = /^\s+(?:on|in|of|for|against|to)\s+(?:the\s+)?(?:bucket\s+)?[`'"]?([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])[`'"]?(?=[\s?.!,]|$)/.exec(
        text.slice((m.index ?? 0) + m[0].length),
      );
      if (on && !NOT_A_NAME.has(on[1] as string) && !/^(?:this|that|the|us|eu|ap)$/.test(on[1] as string)) {
        bucketAfter = on[1] as string;
        const at = (m.index ?? 0) + m[0].length;
        rest = without(rest, at, at + on[0].length);
      }
    }
  }
  for (const m of text.matchAll(CALLS_TO)) {
    for (const name of (m[1] as string).split(/\s*(?:,|or|and|\/)\s*/)) if (name) eventNames.add(name);
    rest = without(rest, m.index ?? 0, (m.index ?? 0) + m[0].length);
  }
  for (const [re, names] of CALL_PHRASES) {
    const m = re.exec(rest);
    if (!m) continue;
    for (const name of names) eventNames.add(name);
    rest = without(rest, m.index, m.index + m[0].length);
  }
  if (eventNames.size > 0) understood.push(`calls to ${[...eventNames].join(', ')}`);
  const dataEvents = DATA_WORDS.test(text) || [...eventNames].some((n) => DATA_EVENT_API.test(n));
  if (dataEvents) understood.push('data events (object-level access)');
  return { eventSources: [...eventSources], eventNames: [...eventNames], dataEvents, understood, text: rest, bucketAfter };
}

/** Reads one follow-up question into a bounded query, or says why it cannot. */
export function readQuestion(raw: string, ctx: QuestionContext): QuestionReading {
  const text = questionWords(raw);
  if (text.length === 0) return refused('the question is empty');
  if (text.length > MAX_QUESTION) return refused(`the question is longer than ${MAX_QUESTION} characters: ask one thing at a time`);
  if (WRITE_VERB.test(text)) {
    return refused(
      'questions only read CloudTrail: sirbot changes nothing in AWS from a thread message (the summary offers remediations, with their approvals)',
    );
  }
  if (EVERY_REGION.test(text)) return refused('every region is not a bounded search: name the region (`in us-west-2`)');

  const understood: string[] = [];
  const regions = regionsIn(text, ctx);
  const timed = rangeIn(regions.text, ctx);
  if (timed.range && 'error' in timed.range) return refused(`the time range could not be read: ${timed.range.error}`);
  const filters = filtersIn(timed.text);
  const subjects = subjectsIn(filters.text, ctx);
  if (subjects.error) return refused(subjects.error);
  if (filters.bucketAfter) {
    subjects.match.resourceNames.add(filters.bucketAfter);
    subjects.understood.push(`bucket ${filters.bucketAfter}`);
  }
  const wants =
    /\bwho\s+(?:else\s+)?(?:used|uses|has used|assumed|called|accessed|touched|was using)\b|\bwho\s+else\b|\bwhich\s+(?:users?|principals?|roles?)\b/i.test(
      text,
    )
      ? 'principals'
      : 'events';

  const range = timed.range ?? { start: Date.parse(ctx.window.start), end: Date.parse(ctx.window.end), words: 'the investigation’s window' };
  if (range.end > ctx.at) range.end = ctx.at;
  if (range.start >= range.end) return refused(`the time range is empty (it starts at ${timeInZone(range.start, ctx.zone)}, after it ends)`);
  if (range.end - range.start > MAX_RANGE_DAYS * DAY) {
    return refused(`the time range is longer than ${MAX_RANGE_DAYS} days: narrow it ("in the last 30 days", "since 1 Nov")`);
  }

  const hasSubject = Object.values(subjects.match).some((s: Set<string>) => s.size > 0);
  const match = {
    accessKeyIds: [...subjects.match.accessKeyIds],
    usernames: [...subjects.match.usernames],
    resourceNames: [...subjects.match.resourceNames],
    sourceIps: [...subjects.match.sourceIps],
    // Calls named with nothing else to narrow them are what is looked for, whoever made them.
    eventNames: hasSubject ? [] : filters.eventNames,
  };
  const only = {
    ...(filters.eventSources.length ? { eventSources: filters.eventSources } : {}),
    ...(hasSubject && filters.eventNames.length ? { eventNames: filters.eventNames } : {}),
    ...(filters.dataEvents ? { dataEvents: true } : {}),
  };
  const query: EventQuery = {
    accountId: ctx.accountId,
    regions: regions.regions,
    window: { start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString() },
    match,
    ...(Object.keys(only).length ? { only } : {}),
    limit: QUESTION_RECORD_LIMIT,
  };
  const problem = queryProblem(query);
  if (problem) {
    return refused(
      problem.startsWith('nothing names')
        ? 'nothing in the question names what to look for: a key (`this key`, `AKIA…`), a user, a role, an instance, a bucket, an IP, a service’s activity (`S3 activity`) or calls (`calls to DeleteBucket`)'
        : problem,
    );
  }
  understood.push(...subjects.understood, ...filters.understood, range.words, `in ${regions.said ? regions.regions.join(', ') : defaultRegions(ctx).words}`);
  if (!ctx.zoneKnown && timed.range) understood.push('times read as UTC (your Slack time zone is not known)');
  return { ok: true, query, wants, understood };
}
