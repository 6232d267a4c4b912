import { checkAnswer, keyedLine } from './answers.ts';
import { type ReadZone, type TimeExpression, isTimeZone, storedTime, timesIn } from './free-text-times.ts';
import { readIdentifier } from './identifiers.ts';
import { slackPlainText } from './slack-plain-text.ts';
import type { Answers, QuestionId } from './playbooks.ts';

/**
 * A responder's plain reply in a finding's thread, read against the investigation's
 * questions: "it leaked yesterday at 3pm and the key was deactivated this morning",
 * "the key is AKIA… and it's rotated", "user ci-deployer in 1111-2222-3333".
 *
 * What may be read depends on how sure the reading is:
 * - identifiers whose form says what they are (an access key id, an instance id, a
 *   12-digit account id, a user or role ARN) and `key: value` lines are read whatever is
 *   open, as before — a differing one becomes a disagreement (answer-book.ts);
 * - a time, a rotation or a user named in words that say what they are about ("leaked
 *   …", "was deactivated", "the role deploy-bot") is read for any question the playbook
 *   asks;
 * - what says nothing of its own subject (a reply that is only a time, only "yes" or
 *   "no", only a name like `ci-deployer`) is read only for a question still open.
 * Questions ("was it rotated?"), intentions ("we should rotate it"), hypotheses ("if it
 * leaked…") and negations ("it did not leak on Monday") answer nothing. Pure: no I/O,
 * no clock but the reply's own time.
 */

export interface ReplyContext {
  /** When the reply was written (its Slack timestamp, in ms): relative times count from here. */
  at: number;
  /** The writer's IANA time zone, when known (Slack's profile `tz`); otherwise UTC is assumed, and said. */
  zone?: string | null | undefined;
  /** The questions the playbook asks (answered or not). */
  asked: readonly QuestionId[];
  /** The questions nobody has answered yet. */
  open: readonly QuestionId[];
  /** The account investigated: a role named in words becomes its ARN there, so it is searched as a role. */
  accountId?: string | undefined;
}

export interface ReplyReading {
  answers: Answers;
  /** What was meant as an answer but could not be taken, with what is expected. */
  errors: string[];
  /** The zone each time was read in, when it had none of its own (UTC when the writer's is not known: `assumed`). */
  zones: { exposedAt?: ReadZone; rotatedAt?: ReadZone };
  /** When the credentials were rotated or deactivated, if the reply says (ISO). */
  rotatedAt?: string;
  /** How a vague answer was made definite (`morning taken as from 06:00`). */
  notes: Partial<Record<QuestionId, string>>;
}

/** A reply longer than this is not an answer; only its start is read. */
export const MAX_READ = 2000;

/** One example per question, each one this reader understands (a test reads them all). */
export const ANSWER_EXAMPLES: Record<QuestionId, string> = {
  exposedAt: 'it leaked yesterday at 3pm',
  principal: 'the user is ci-deployer',
  accessKeyId: 'the key is AKIAIOSFODNN7EXAMPLE',
  rotated: 'it was deactivated this morning',
  accountId: 'account 111122223333',
  instanceId: 'instance i-0123456789abcdef0',
};

// --- the words --------------------------------------------------------------------

/** Words that say a time is the exposure's; everyday verbs (pushed, posted, shared) only with where to. */
const EXPOSURE_CUE = new RegExp(
  String.raw`\b(?:expos(?:ed|ure)|leak(?:ed|s|ing)?|published|pasted|made public|went public|compromised|stolen|got out|out there|in the wild|checked in|` +
    String.raw`(?:pushed|posted|shared|uploaded|committed)(?:\s+(?:it|them|the\s+\w+))?\s+(?:to|on|in|into)\s+(?:a\s+|the\s+|our\s+)?(?:public\s+|open\s+)?` +
    String.raw`(?:github|gitlab|bitbucket|repo|repository|git|pastebin|gist|stack\s*overflow|internet|web|slack|channel|forum|docker\s*hub|npm|pypi|s3))\b`,
  'gi',
);
/** Rotation in its forms: participles say what happened; base forms count only denied ("didn't rotate"). */
const ROTATION_CUE =
  /\b(?:no longer (?:active|valid|enabled|usable|working)|not active(?: anymore| any more)?|still (?:active|valid|enabled|live|in use|usable|working|works)|inactive|rotated|deactivated|disabled|deleted|removed|revoked|replaced|inactivated|rotate|deactivate|disable|delete|revoke|rotation|rotating|deactivating)\b/gi;
const UNKNOWN_BEFORE =
  /(?:\b(?:don'?t|do not|doesn'?t|does not|didn'?t|did not) know\b|\bnot sure\b|\bunsure\b|\bno idea\b|\bunclear\b|\bcan'?t tell\b|\bcannot tell\b|\bno clue\b|\bdunno\b|\bunknown\b)/i;
const INTENT_BEFORE =
  /\b(?:will|shall|should|must|need(?:s|ed)? to|have to|has to|going to|gonna|about to|plan(?:s|ning)? to|wants? to|to be|please|let'?s|can you|could you|would you|once|if|when|unless|whether|might|may)\b|'ll\b/i;
const NEGATION_BEFORE = /\b(?:not|never|no one|nobody|noone|yet to|without)\b|n't\b|\bno\s+$/i;
const HYPOTHESIS_BEFORE = /\b(?:if|whether|unless|in case|not|never)\b|n't\b/i;
/** What a rotation may be of: anything else ("rotated the logs") is not about the credentials. */
const CREDENTIAL_WORD = /^(?:keys?|credentials?|creds|secrets?|tokens?|passwords?|access|akia|asia|it|them)\b/i;
/** Things deleted or disabled that are not the credentials: "the commit was deleted", "the instance was removed". */
const OTHER_THING =
  /\b(?:instances?|buckets?|files?|logs?|alarms?|rules?|trails?|repos?|repositor(?:y|ies)|commits?|messages?|posts?|gists?|tickets?|branch(?:es)?|snapshots?|volumes?|polic(?:y|ies)|groups?|stacks?|functions?|clusters?|pods?|containers?|images?|channels?|threads?|alerts?|findings?|detectors?|webhooks?|schedules?|backups?)\b/i;
/** Words that carry no meaning of their own beside a time ("I think around 3pm"). */
const FILLER = new Set(
  (
    "i i'd i'm i'll we we're think guess believe suppose say said probably maybe perhaps likely possibly around about approximately approx roughly " +
    "at on since it it's its was that that's from by before sometime somewhere the earliest latest or so just ok okay well hmm um uh exactly sure pretty as early " +
    'late ish in than earlier'
  ).split(' '),
);
/** Words a name in "user X" / "role X" cannot be. */
const NOT_A_NAME = new Set(
  (
    'is was are were be been being the a an that this these those it its has had have with without and or but of for in on at to from by as named called name names ' +
    'user users role roles principal principals id ids arn arns account accounts key keys access which who what whose whom not no any some same other another one here there now also only just can could ' +
    'should would will did does do agent agents data error errors group groups policy policies session sessions credentials creds password console mfa login ' +
    'logins list permissions permission trust path paths type types assumed assume assumes behind involved used uses using itself seems looks ' +
    'deleted created rotated deactivated removed disabled revoked said says confirmed reported changed made ran logged signed tried attempted got gets'
  ).split(' '),
);
const NAME = /^[\w+=,.@-]{2,64}$/;
/** A name that cannot be an English word: with a digit, `-`, `_`, `.`, `@`, `+`, `=`, `,` or an inner capital. */
const DISTINCT_NAME = /[\d_.@+=,-]|[a-z][A-Z]/;

// --- reading -------------------------------------------------------------------------

interface Cue {
  kind: 'exposure' | 'rotation';
  start: number;
  end: number;
  /** Dates beside a void cue (denied, hypothetical, a rotation that did not happen) are dropped. */
  void: boolean;
}

interface SentenceReading {
  answers: Answers;
  errors: string[];
  exposures: TimeExpression[];
  exposureErrors: string[];
  rotations: Array<{ value: string; at?: TimeExpression }>;
  principalNote?: string;
}

/** Slack's markup as plain words: links and mentions, entities, formatting, invisible characters. */
function plainWords(text: string): string {
  return slackPlainText(text, { max: MAX_READ, mention: ' someone ', channels: 'name', newlines: 'keep', backticks: 'keep' });
}

/** A sentence that asks rather than tells: it answers nothing. */
function isQuestion(sentence: string): boolean {
  return (
    /\?\s*$/.test(sentence) ||
    /^(?:is|was|were|are|has|have|had|did|does|do|can|could|should|shall|will|would)\s+(?:it|the|they|we|you|anyone|someone|somebody|this|that|he|she|our|any)\b/i.test(
      sentence,
    ) ||
    /^(?:who|what|when|which|why|how|where)\s+(?:was|is|did|does|were|are|has|have|do|can|should|will|would)\b/i.test(sentence)
  );
}

/** The start of the clause `index` is in: after the last `,` `;` ` and ` ` but ` before it. */
function clauseStart(sentence: string, index: number): number {
  const head = sentence.slice(0, index);
  let start = 0;
  for (const m of head.matchAll(/[,;:]|\s(?:and|but|so|then|though|although|while)\s/gi)) start = (m.index ?? 0) + m[0].length;
  return start;
}

/** Identifier tokens of a sentence (ARNs keep their `:` and `/`), with their places. */
function tokensOf(sentence: string): Array<{ token: string; start: number; end: number }> {
  const out: Array<{ token: string; start: number; end: number }> = [];
  for (const m of sentence.matchAll(/[^\s,;()[\]{}<>"'`|]+/g)) {
    const token = m[0].replace(/[.:!?]+$/, '');
    if (token) out.push({ token, start: m.index ?? 0, end: (m.index ?? 0) + token.length });
  }
  return out;
}

/** The sentence with `spans` blanked (same length: places stay those of the sentence). */
function blanked(sentence: string, spans: Array<{ start: number; end: number }>): string {
  let out = sentence;
  for (const s of spans) out = out.slice(0, s.start) + ' '.repeat(s.end - s.start) + out.slice(s.end);
  return out;
}

function onlyFiller(text: string): boolean {
  return text
    .toLowerCase()
    .split(/[^a-z']+/)
    .filter(Boolean)
    .every((w) => FILLER.has(w));
}

/** Rotation in a sentence: each mention with what it says (`deleted`, `deactivated`, `no`, `unknown`) or void. */
function rotationsIn(sentence: string): Array<{ value: string | null; start: number; end: number }> {
  const out: Array<{ value: string | null; start: number; end: number }> = [];
  for (const m of sentence.matchAll(ROTATION_CUE)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const word = m[0].toLowerCase();
    const before = sentence.slice(clauseStart(sentence, start), start);
    const after = sentence.slice(end, end + 60);
    const put = (value: string | null) => out.push({ value, start, end });
    if (UNKNOWN_BEFORE.test(before)) {
      put('unknown');
      continue;
    }
    if (INTENT_BEFORE.test(before)) {
      put(null);
      continue;
    }
    if (/^(?:no longer|not active|inactive)/.test(word)) {
      put('deactivated');
      continue;
    }
    if (word.startsWith('still ')) {
      put(NEGATION_BEFORE.test(before) ? 'deactivated' : 'no');
      continue;
    }
    // Of something else: "rotated the logs", "deleted the old alarm", "the commit was removed".
    const object = /^\s+(?:the|our|my|their|those|these|his|her|all|that)\s+(\S+)(?:\s+(\S+))?(?:\s+(\S+))?/i.exec(after);
    if ((object && !object.slice(1).some((w) => w && CREDENTIAL_WORD.test(w))) || OTHER_THING.test(before)) {
      put(null);
      continue;
    }
    const denied = NEGATION_BEFORE.test(before);
    if (/^(?:rotate|deactivate|disable|delete|revoke|rotation|rotating|deactivating)$/.test(word)) {
      put(denied ? 'no' : null);
      continue;
    }
    if (denied) put('no');
    else put(/^(?:deactivated|disabled|inactivated)$/.test(word) ? 'deactivated' : 'deleted');
  }
  return out;
}

/** The strongest state said: deleted over deactivated over still active over not known. */
function strongest(values: string[]): string | undefined {
  return ['deleted', 'deactivated', 'no', 'unknown'].find((v) => values.includes(v));
}

/** A user or role named in words: "the user is ci-deployer", "role deploy-bot", "`backup` user". */
function principalIn(sentence: string, accountId: string | undefined): { value: string; note?: string } | null {
  if (/\broot (?:user|account|credentials?|login)\b/i.test(sentence)) return { value: 'root' };
  const asRole = (name: string) =>
    accountId
      ? { value: `arn:aws:iam::${accountId}:role/${name}` }
      : { value: name, note: 'searched as a user name: give the role ARN to search it as a role' };
  for (const m of sentence.matchAll(
    /\b(?:iam\s+)?(user(?:\s*name)?|role|principal)(?:\s+(?:name|is|was|=|:|named|called))*\s*[:=]?\s+([`'"]?)([\w+=,.@-]{2,64})\2/gi,
  )) {
    const name = (m[3] as string).replace(/[.,]+$/, '');
    if (!NAME.test(name) || NOT_A_NAME.has(name.toLowerCase()) || /^\d+$/.test(name) || readIdentifier(name)) continue;
    return /^role$/i.test(m[1] as string) ? asRole(name) : { value: name };
  }
  for (const m of sentence.matchAll(/(?:^|[\s(])([`'"]?)([\w+=,.@-]{2,64})\1\s+(user|role)\b/gi)) {
    const name = (m[2] as string).replace(/[.,]+$/, '');
    if (!NAME.test(name) || NOT_A_NAME.has(name.toLowerCase()) || readIdentifier(name)) continue;
    if (!m[1] && !DISTINCT_NAME.test(name)) continue;
    return /^role$/i.test(m[3] as string) ? asRole(name) : { value: name };
  }
  return null;
}

function readSentence(sentence: string, ctx: ReplyContext, zone: string, whole: boolean): SentenceReading {
  const r: SentenceReading = { answers: {}, errors: [], exposures: [], exposureErrors: [], rotations: [] };
  const asked = new Set(ctx.asked);
  const open = new Set(ctx.open);
  const take = (id: QuestionId, value: string) => {
    if (!r.answers[id]) r.answers[id] = value;
    else if (r.answers[id] !== value) r.errors.push(`${id}: ${value} not taken — one answer a reply; reply again to add it`);
  };

  // Identifiers: their form says what they are.
  const identifiers: Array<{ start: number; end: number }> = [];
  for (const { token, start, end } of tokensOf(sentence)) {
    const account = /^(\d{12})$|^(\d{4})-(\d{4})-(\d{4})$/.exec(token);
    if (account) {
      take('accountId', account[1] ?? `${account[2]}${account[3]}${account[4]}`);
      identifiers.push({ start, end });
      continue;
    }
    const named = readIdentifier(token);
    if (!named) continue;
    if (named.kind === 'accessKey') take('accessKeyId', named.id);
    else if (named.kind === 'instance') take('instanceId', named.id);
    else if (token.startsWith('arn:') && ['iamUser', 'role', 'root', 'federatedUser'].includes(named.kind) && checkAnswer('principal', token).ok)
      take('principal', token);
    identifiers.push({ start, end });
  }
  const text = blanked(sentence, identifiers);

  // Cues, each with its place: a time belongs to the nearest cue before it (else after it).
  const cues: Cue[] = [];
  for (const m of text.matchAll(EXPOSURE_CUE)) {
    const start = m.index ?? 0;
    cues.push({ kind: 'exposure', start, end: start + m[0].length, void: HYPOTHESIS_BEFORE.test(text.slice(clauseStart(text, start), start)) });
  }
  // Rotation words place times even where the playbook does not ask about rotation.
  const rotations = rotationsIn(text);
  for (const rot of rotations) cues.push({ kind: 'rotation', start: rot.start, end: rot.end, void: rot.value !== 'deleted' && rot.value !== 'deactivated' });

  const times = timesIn(text, ctx.at, zone);
  const rest = blanked(text, times);
  // "yes" / "no" alone (or with a time: "yes, this morning") answer the one yes-or-no question.
  const short = /^\s*(yes|yeah|yep|yup|no|nope|nah|not yet)(?:[\s,.!-]+not yet)?\b/i.exec(rest);
  const shortAnswer =
    short && asked.has('rotated') && open.has('rotated') && cues.length === 0 && onlyFiller(rest.slice(short[0].length))
      ? /^(?:no|nope|nah|not yet)$/i.test(short[1] as string)
        ? 'no'
        : 'deleted'
      : null;
  if (shortAnswer) {
    r.rotations.push({ value: shortAnswer });
    cues.push({ kind: 'rotation', start: 0, end: short?.[0].length ?? 0, void: shortAnswer === 'no' });
  }
  if (asked.has('rotated')) for (const rot of rotations) if (rot.value) r.rotations.push({ value: rot.value });

  const dateOnly = cues.length === 0 && onlyFiller(rest);
  for (const t of times) {
    const before = cues.filter((c) => c.start < t.start).sort((a, b) => b.start - a.start)[0];
    const after = cues.filter((c) => c.start >= t.end).sort((a, b) => a.start - b.start)[0];
    const cue = before ?? after;
    if (!cue) {
      if (dateOnly && open.has('exposedAt')) {
        if (t.instant === null) r.exposureErrors.push(t.error ?? 'not a time');
        else r.exposures.push(t);
      }
      continue;
    }
    if (cue.void) continue;
    if (cue.kind === 'exposure') {
      if (!asked.has('exposedAt')) continue;
      if (t.instant === null) r.exposureErrors.push(t.error ?? 'not a time');
      else r.exposures.push(t);
    } else if (t.instant !== null) {
      const rotation = r.rotations.find((x) => (x.value === 'deleted' || x.value === 'deactivated') && !x.at);
      if (rotation) rotation.at = t;
    }
  }

  // Whole-reply "don't know": only when the rotation is the one question left.
  if (
    whole &&
    ctx.open.length === 1 &&
    open.has('rotated') &&
    /^\s*(?:unknown|(?:i\s+)?(?:don'?t|do not) know|not sure|no idea|dunno)\s*[.!]*\s*$/i.test(rest)
  ) {
    r.rotations.push({ value: 'unknown' });
  }

  if (asked.has('principal')) {
    const principal = principalIn(text, ctx.accountId);
    if (principal) {
      take('principal', principal.value);
      if (principal.note && r.answers.principal === principal.value) r.principalNote = principal.note;
    }
    // A reply that is only a name, while the principal is open: `ci-deployer`.
    else if (whole && open.has('principal') && cues.length === 0 && times.length === 0) {
      const only = /^\s*([\w+=,.@-]{2,64})\s*[.!]?\s*$/.exec(text);
      const name = only?.[1];
      if (name && DISTINCT_NAME.test(name) && !NOT_A_NAME.has(name.toLowerCase()) && !/^\d+$/.test(name)) take('principal', name);
    }
  }
  return r;
}

/** Splits a line into sentences (the `.` of an ARN or a version is no end: one ends only before a space). */
function sentencesOf(line: string): string[] {
  return line
    .split(/(?<=[.!?;])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** What a responder's thread reply answers, read against the investigation's questions. */
export function readReply(text: string, ctx: ReplyContext): ReplyReading {
  const zoneName = isTimeZone(ctx.zone) ? ctx.zone : 'UTC';
  const zone: ReadZone = { name: zoneName, assumed: !isTimeZone(ctx.zone) };
  const reading: ReplyReading = { answers: {}, errors: [], zones: {}, notes: {} };
  const exposures: TimeExpression[] = [];
  const exposureErrors: string[] = [];
  const rotations: Array<{ value: string; at?: TimeExpression }> = [];
  const take = (id: QuestionId, value: string) => {
    if (!reading.answers[id]) reading.answers[id] = value;
    else if (reading.answers[id] !== value) reading.errors.push(`${id}: ${value} not taken — one answer a reply; reply again to add it`);
  };

  const lines = plainWords(text)
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean);
  const sentences = lines.flatMap(sentencesOf);
  for (const line of lines) {
    const keyed = keyedLine(line.replace(/`/g, ''));
    if (keyed) {
      const checked = checkAnswer(keyed.id, keyed.value);
      if (checked.ok) take(keyed.id, checked.value);
      else if (keyed.id === 'exposedAt' || keyed.id === 'rotated') {
        // `exposed at: yesterday 3pm`, `rotated: yes, this morning`: the value read as words about that question.
        const own = readSentence(
          keyed.id === 'exposedAt' ? `exposed ${keyed.value}` : keyed.value,
          { ...ctx, asked: [keyed.id], open: [keyed.id] },
          zoneName,
          true,
        );
        if (keyed.id === 'exposedAt' && own.exposures.length > 0) exposures.push(...own.exposures);
        else if (keyed.id === 'rotated' && own.rotations.length > 0) rotations.push(...own.rotations);
        else reading.errors.push(own.exposureErrors.length ? `exposedAt: ${own.exposureErrors[0]}` : checked.error);
      } else reading.errors.push(checked.error);
      continue;
    }
    for (const sentence of sentencesOf(line)) {
      if (isQuestion(sentence)) continue;
      const r = readSentence(sentence, ctx, zoneName, sentences.length === 1);
      for (const [id, value] of Object.entries(r.answers) as Array<[QuestionId, string]>) take(id, value);
      if (r.principalNote && reading.answers.principal === r.answers.principal) reading.notes.principal = r.principalNote;
      reading.errors.push(...r.errors);
      exposures.push(...r.exposures);
      exposureErrors.push(...r.exposureErrors);
      rotations.push(...r.rotations);
    }
  }

  // The exposure: the earliest time given (an earlier start only searches more).
  const earliest = exposures.sort((a, b) => (a.instant ?? 0) - (b.instant ?? 0))[0];
  if (earliest && !reading.answers.exposedAt) {
    const value = storedTime(earliest, zoneName);
    if (value) {
      reading.answers.exposedAt = value;
      const notes = [
        earliest.note,
        earliest.wholeDay && zoneName !== 'UTC' ? 'the whole day, from its start' : undefined,
        exposures.length > 1 ? `the earliest of ${exposures.length} times given` : undefined,
      ].filter(Boolean);
      if (notes.length) reading.notes.exposedAt = notes.join('; ');
      if (earliest.local) reading.zones.exposedAt = zone;
    }
  } else if (!earliest && exposureErrors.length > 0 && !reading.answers.exposedAt) reading.errors.push(`exposedAt: ${exposureErrors[0]}`);

  const rotated = strongest(rotations.map((r) => r.value));
  if (rotated && !reading.answers.rotated) {
    reading.answers.rotated = rotated;
    const when = rotations.find((r) => r.value === rotated && r.at)?.at;
    const value = when ? storedTime(when, zoneName) : null;
    if (when && value) {
      reading.rotatedAt = value;
      if (when.note) reading.notes.rotated = when.note;
      if (when.local) reading.zones.rotatedAt = zone;
    }
  }
  return reading;
}

/** Whether a time was read in UTC only because the writer's zone is not known (reading again in theirs may differ). */
export function assumedZone(reading: ReplyReading): boolean {
  return !!(reading.zones.exposedAt?.assumed || reading.zones.rotatedAt?.assumed);
}

/** Whether a reading found anything: an answer, or an answer it could not take. */
export function readAnything(reading: ReplyReading): boolean {
  return Object.keys(reading.answers).length > 0 || reading.errors.length > 0;
}

/**
 * A reply that is plainly conversation rather than an attempt to answer: addressed to
 * someone (it starts with a mention), or nothing but emoji and punctuation.
 */
export function isConversation(text: string): boolean {
  if (/^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>/.test(text)) return true;
  return (
    plainWords(text)
      .replace(/:[\w+-]+:/g, '')
      .replace(/[\p{P}\p{S}\s]/gu, '') === ''
  );
}
