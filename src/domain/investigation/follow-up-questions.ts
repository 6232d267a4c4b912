import type { EventQuery } from './event-query.ts';
import { queryProblem } from './event-query.ts';
import { timesIn, timeInZone } from './free-text-times.ts';
import { ACCESS_KEY_ID, INSTANCE_ID, isIp, parseArn } from './identifiers.ts';
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
 *   region      "in us-west-2"; default: the finding's region and us-east-1
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

/** A question longer than this is not read. */
export const MAX_QUESTION = 500;
/** The most records one question returns (the thread shows some, the file all). */
export const QUESTION_RECORD_LIMIT = 500;
/** The longest range one question may cover: beyond it, it is not a follow-up but a hunt. */
export const MAX_RANGE_DAYS = 180;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Verbs that change AWS: a question starting with one (after "please", "can you"…) asks for a write. */
const WRITE_VERB =
  /^(?:(?:hey|ok|okay|so|now|then)[\s,]+)*(?:(?:please|pls|kindly|can you|could you|would you|will you|go ahead and|just|let'?s|you should|sirbot)[\s,]+)*(?:delete|remove|disable|deactivate|revoke|rotate|stop|terminate|detach|attach|block|quarantine|isolate|create|put|update|modify|enable|kill|shut\s*down|reset|tag|untag|lock|suspend|purge|empty|reboot|restart|change|grant|deny|allow|apply|fix|remediate|contain|invalidate)\b/i;

/** Services named in words, and the event source CloudTrail records them with. */
const SERVICES: Record<string, string> = {
  s3: 's3.amazonaws.com',
  iam: 'iam.amazonaws.com',
  ec2: 'ec2.amazonaws.com',
  sts: 'sts.amazonaws.com',
  kms: 'kms.amazonaws.com',
  lambda: 'lambda.amazonaws.com',
  cloudtrail: 'cloudtrail.amazonaws.com',
  guardduty: 'guardduty.amazonaws.com',
  ssm: 'ssm.amazonaws.com',
  'secrets manager': 'secretsmanager.amazonaws.com',
  secretsmanager: 'secretsmanager.amazonaws.com',
  rds: 'rds.amazonaws.com',
  dynamodb: 'dynamodb.amazonaws.com',
  organizations: 'organizations.amazonaws.com',
  cloudformation: 'cloudformation.amazonaws.com',
  ecr: 'ecr.amazonaws.com',
  eks: 'eks.amazonaws.com',
  ecs: 'ecs.amazonaws.com',
  sns: 'sns.amazonaws.com',
  sqs: 'sqs.amazonaws.com',
  'security hub': 'securityhub.amazonaws.com',
  securityhub: 'securityhub.amazonaws.com',
  console: 'signin.amazonaws.com',
  signin: 'signin.amazonaws.com',
};
const SERVICE_WORDS = Object.keys(SERVICES)
  .sort((a, b) => b.length - a.length)
  .map((w) => w.replace(' ', String.raw`\s+`))
  .join('|');
const SERVICE_USE = new RegExp(
  String.raw`\b(${SERVICE_WORDS})\s+(?:activity|calls?|events?|api\s+calls?|actions?|access|requests?|usage|logins?|sign-?ins?|objects?|object(?:[- ]level)?\s+access|data\s+events?)\b`,
  'gi',
);
/** An API name as CloudTrail records it: `DeleteBucket`, `RunInstances`. */
const API_NAME = String.raw`[A-Z][a-z]+[A-Za-z0-9]*`;
const CALLS_TO = new RegExp(
  String.raw`\b(?:calls?\s+to|calls?|called|calling|ran|run|invoked|invoke|did|use|used)\s+(${API_NAME}(?:\s*(?:,|or|and|\/)\s*${API_NAME})*)`,
  'g',
);
/** Everyday words for a few calls responders ask about most ("who created users?"). */
const CALL_PHRASES: Array<[RegExp, string[]]> = [
  [/\b(?:created?|creating|new)\s+(?:iam\s+)?users?\b/i, ['CreateUser']],
  [/\b(?:created?|creating|new)\s+(?:access\s+)?keys?\b/i, ['CreateAccessKey']],
  [/\b(?:launch(?:ed|ing)?|new)\s+(?:ec2\s+)?instances?\b/i, ['RunInstances']],
  [/\b(?:attached|attaching)\s+(?:a\s+|the\s+|any\s+)?polic(?:y|ies)\b/i, ['AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy']],
  [/\bstopped\s+(?:cloudtrail\s+)?logging\b|\bdeleted?\s+(?:the\s+|a\s+)?trails?\b/i, ['StopLogging', 'DeleteTrail']],
];
/** Object-level access CloudTrail records only as data events. */
const DATA_EVENT_API = /^(?:GetObject|PutObject|DeleteObject|DeleteObjects|CopyObject|HeadObject|GetObjectAcl|PutObjectAcl|Invoke|GetSecretValue)$/;
const DATA_WORDS = /\b(?:data events?|object[- ]level|object access|objects? (?:read|downloaded|uploaded)|downloads?|downloaded)\b/i;

const REGION = /\bin\s+((?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d)\b/gi;
const EVERY_REGION = /\b(?:in\s+)?(?:all|every|any|each|other)\s+regions?\b/i;

/** Words that point at the investigation's own subjects: "this key", "that instance", "the role". */
const THIS_SUBJECT =
  /\b(?:this|that|these|those|the|same|our)\s+(access\s+keys?|keys?|credentials?|creds|roles?|users?|instances?|hosts?|machines?|servers?|vms?|buckets?|ips?|ip\s+address(?:es)?|address(?:es)?|principals?)\b/gi;
const KIND_OF_WORD: Array<[RegExp, SubjectKind]> = [
  [/^(?:access\s+keys?|keys?|credentials?|creds)$/i, 'accessKey'],
  [/^roles?$/i, 'role'],
  [/^(?:users?|principals?)$/i, 'iamUser'],
  [/^(?:instances?|hosts?|machines?|servers?|vms?)$/i, 'instance'],
  [/^buckets?$/i, 'bucket'],
  [/^(?:ips?|ip\s+address(?:es)?|address(?:es)?)$/i, 'ip'],
];
const KIND_WORDS: Partial<Record<SubjectKind, string>> = {
  accessKey: 'access key',
  role: 'role',
  iamUser: 'user',
  instance: 'instance',
  bucket: 'bucket',
  ip: 'IP address',
};
const NAMED = /\b(user|role|bucket|instance)\s+[`'"]?([\w+=,.@-]{2,64})[`'"]?/gi;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Words "user X" / "bucket X" cannot name. */
const NOT_A_NAME = new Set(
  'is was are were the a an that this these those it its has had have with and or of for in on at to from by as which who what else did do does doing done activity used use between after before since during today yesterday recently last past over make made call called access accessed see saw'.split(
    ' ',
  ),
);

/** Slack's markup as plain words: links, mentions and broadcasts, entities, formatting, invisible characters. */
export function questionWords(text: string): string {
  return text
    .slice(0, MAX_QUESTION * 2)
    .replace(/[\p{Cf}]/gu, '')
    .replace(/[\p{Cc}]/gu, ' ')
    .replace(/<mailto:[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<(?:https?|ftp):[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<((?:https?|ftp):[^>]*)>/g, '$1')
    .replace(/<@[UWB][A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
    .replace(/<#C[A-Z0-9]+(?:\|([^>]*))?>/g, ' ')
    .replace(/<![^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[*~`]/g, '')
    .replace(/(^|\s)_+|_+(?=[\s.,;:!?]|$)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Asks rather than tells: a question word first, a question mark last, or a request to show or find. */
export function questionShaped(text: string): boolean {
  const t = questionWords(text);
  return (
    /\?\s*$/.test(t) ||
    /^(?:what|who|whom|whose|which|when|where|how|why|did|does|do|has|have|is|are|was|were|any|anything|anyone|anybody|show|list|find|search|look\s+up|lookup|get|give|tell)\b/i.test(
      t,
    )
  );
}

/** Names something evidence can be searched by: an identifier, "this key", a service's activity, calls to an API. */
export function namesEvidence(text: string): boolean {
  const t = questionWords(text);
  if (new RegExp(THIS_SUBJECT.source, 'i').test(t) || new RegExp(SERVICE_USE.source, 'i').test(t) || new RegExp(CALLS_TO.source).test(t)) return true;
  if (/\bwho\s+else\b/i.test(t)) return true;
  return t.split(/[\s,;()]+/).some((w) => {
    const token = w.replace(/[.?!:]+$/, '');
    return ACCESS_KEY_ID.test(token) || INSTANCE_ID.test(token) || isIp(token) || parseArn(token) !== null;
  });
}

/**
 * Whether a thread message is a question for sirbot rather than an answer or chat: one
 * that mentions the bot is (while sirbot's own questions are open, if it is shaped as a
 * question or a request); while they are open, nothing else is (so answers read as
 * before); after that, a message shaped as a question that names something to search.
 */
export function isQuestionForSirbot(text: string, o: { mentionsBot: boolean; questionsOpen: boolean }): boolean {
  // "@sirbot it leaked yesterday" while its questions are open is an answer addressed to it; "@sirbot delete this key" is refused as a question.
  if (o.mentionsBot) return !o.questionsOpen || questionShaped(text) || WRITE_VERB.test(questionWords(text));
  if (o.questionsOpen) return false;
  return questionShaped(text) && namesEvidence(text);
}

interface Taken {
  text: string;
  understood: string[];
}

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
  if (named.length === 0) {
    // Where the investigation looked: the finding's region, and us-east-1 for IAM, STS and a CLI's default.
    return { regions: [...new Set([ctx.region, GLOBAL_EVENTS_REGION])], text, said: false };
  }
  return { regions: [...new Set(named)], text: text.replace(REGION, (m) => ' '.repeat(m.length)), said: true };
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
  understood.push(
    ...subjects.understood,
    ...filters.understood,
    range.words,
    `in ${regions.regions.join(', ')}${regions.said ? '' : ' (the finding’s region and us-east-1)'}`,
  );
  if (!ctx.zoneKnown && timed.range) understood.push('times read as UTC (your Slack time zone is not known)');
  return { ok: true, query, wants, understood };
}

// --- a model's translation ------------------------------------------------------------

/**
 * What a model may return for a question the grammar could not read: the parts of one
 * bounded query, or that it cannot be answered. Nothing else is taken from a model (the
 * adapter validates the shape with zod before this sees it).
 */
export type ModelQuery =
  | {
      answerable: true;
      accessKeyIds: string[];
      usernames: string[];
      resourceNames: string[];
      sourceIps: string[];
      eventNames: string[];
      eventSources: string[];
      /** ISO instants; null: the investigation's window. */
      start: string | null;
      end: string | null;
      /** Empty: the finding's region and us-east-1. */
      regions: string[];
      wants: 'events' | 'principals';
    }
  | { answerable: false; reason: string };

const REGION_NAME = /^(?:us|eu|ap|sa|ca|me|af|il|mx)(?:-gov)?-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/;
const NAME_VALUE = /^[\w+=,.@:/-]{1,256}$/;
const EVENT_NAME = /^[A-Z][A-Za-z0-9]{1,127}$/;
const EVENT_SOURCE = /^[a-z0-9-]+\.amazonaws\.com$/;

/**
 * A model's translation, held to the grammar's bounds: every value must look like what
 * it stands for, the range must be a range within MAX_RANGE_DAYS ending by the question,
 * and the query must pass `queryProblem`. The model never widens what a question may do:
 * the result is the same read-only `EventQuery`.
 */
export function readModelQuery(m: ModelQuery, ctx: QuestionContext): QuestionReading {
  if (!m.answerable) return refused(`the model could not make a bounded search of it: ${m.reason.slice(0, 200)}`);
  const bad = [
    ...m.accessKeyIds.filter((v) => !ACCESS_KEY_ID.test(v)),
    ...m.sourceIps.filter((v) => !isIp(v)),
    ...[...m.usernames, ...m.resourceNames].filter((v) => !NAME_VALUE.test(v)),
    ...m.eventNames.filter((v) => !EVENT_NAME.test(v)),
    ...m.eventSources.filter((v) => !EVENT_SOURCE.test(v)),
    ...m.regions.filter((v) => !REGION_NAME.test(v)),
  ];
  if (bad.length > 0) return refused(`the model’s query has values that are not what they claim to be (${bad.slice(0, 3).join(', ').slice(0, 200)})`);
  const start = m.start === null ? Date.parse(ctx.window.start) : Date.parse(m.start);
  const end = Math.min(m.end === null ? Date.parse(ctx.window.end) : Date.parse(m.end), ctx.at);
  if (Number.isNaN(start) || Number.isNaN(end) || start >= end) return refused('the model’s time range is not a range');
  if (end - start > MAX_RANGE_DAYS * DAY) return refused(`the model’s time range is longer than ${MAX_RANGE_DAYS} days`);
  const regions = m.regions.length ? [...new Set(m.regions)] : [...new Set([ctx.region, GLOBAL_EVENTS_REGION])];
  const hasSubject = m.accessKeyIds.length + m.usernames.length + m.resourceNames.length + m.sourceIps.length > 0;
  const query: EventQuery = {
    accountId: ctx.accountId,
    regions,
    window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    match: {
      accessKeyIds: m.accessKeyIds,
      usernames: m.usernames,
      resourceNames: m.resourceNames,
      sourceIps: m.sourceIps,
      eventNames: hasSubject ? [] : m.eventNames,
    },
    ...(m.eventSources.length || (hasSubject && m.eventNames.length)
      ? {
          only: {
            ...(m.eventSources.length ? { eventSources: m.eventSources } : {}),
            ...(hasSubject && m.eventNames.length ? { eventNames: m.eventNames } : {}),
          },
        }
      : {}),
    limit: QUESTION_RECORD_LIMIT,
  };
  const problem = queryProblem(query);
  if (problem) return refused(`the model’s query is not bounded: ${problem}`);
  const named = [
    ...m.accessKeyIds.map((v) => `access key ${v}`),
    ...m.usernames.map((v) => `user ${v}`),
    ...m.resourceNames.map((v) => `resource ${v}`),
    ...m.sourceIps.map((v) => `source IP ${v}`),
    ...(m.eventNames.length ? [`calls to ${m.eventNames.join(', ')}`] : []),
    ...m.eventSources.map((v) => `${v} calls`),
  ];
  const range = m.start === null && m.end === null ? 'the investigation’s window' : `${timeInZone(start, ctx.zone)} to ${timeInZone(end, ctx.zone)}`;
  return { ok: true, query, wants: m.wants, understood: [...named, range, `in ${regions.join(', ')}`] };
}
