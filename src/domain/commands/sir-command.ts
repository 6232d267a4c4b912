import { NOTE_MAX } from '../actions/workflow-status.ts';
import type { WorkflowStatus } from '../finding.ts';
import type { InvestigationTarget } from '../investigation/ad-hoc.ts';

/**
 * `/sir …`: the text Slack sends after the command, parsed into what was asked for, or
 * into an error that names the problem and shows that subcommand's usage. Pure: the
 * caller passes the clock (`now`) for `--since` checks.
 */

export const SIR_SUBCOMMANDS = ['help', 'investigate', 'finding', 'case', 'cases', 'status'] as const;
export type SirSubcommand = (typeof SIR_SUBCOMMANDS)[number];

/** The statuses UpdateCaseStatus accepts (Security IR's `SelfManagedCaseStatus`). */
export const SIR_CASE_STATUSES = ['Submitted', 'Detection and Analysis', 'Containment, Eradication and Recovery', 'Post-incident Activities'] as const;
export type SirCaseStatus = (typeof SIR_CASE_STATUSES)[number];

/** The workflow statuses `/sir status` sets (BatchUpdateFindings `Workflow.Status`). */
export const SIR_FINDING_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'] as const satisfies readonly WorkflowStatus[];

/** CloudTrail event history (LookupEvents) reaches back 90 days. */
export const SIR_MAX_SINCE_HOURS = 90 * 24;
/** Finding ids and ARNs are kept to this many characters. */
export const SIR_MAX_FINDING_ID = 512;
/** `/sir status` notes: BatchUpdateFindings `Note.Text` holds at most 512 characters. */
export const SIR_MAX_NOTE = NOTE_MAX;

/** How far back `--since` reaches: relative (`7d`, `24h`, `90m`) or from an instant. */
export type SirSince = { hours: number } | { iso: string };

export type SirCommand =
  | { kind: 'help'; topic?: SirSubcommand }
  | { kind: 'investigate'; target: InvestigationTarget; since?: SirSince; account?: string; region?: string }
  | { kind: 'finding'; findingId: string }
  | { kind: 'case'; caseId: string }
  | { kind: 'caseStatus'; caseId: string; status: SirCaseStatus }
  | { kind: 'caseClose'; caseId: string }
  | { kind: 'cases'; all: boolean }
  | { kind: 'status'; findingId: string; status: WorkflowStatus; note?: string };

export type SirParseResult =
  | { ok: true; command: SirCommand }
  | {
      ok: false;
      /** The subcommand the error is about; null when there was none to recognise. */
      subcommand: SirSubcommand | null;
      /** What is wrong, naming the argument. */
      error: string;
      /** The usage line(s) of that subcommand (all of them for an unknown subcommand). */
      usage: string;
      /** `error` and `usage` together, ready to show. */
      message: string;
    };

/** Each subcommand's usage line. */
export const SIR_USAGE_BY_SUBCOMMAND: Readonly<Record<SirSubcommand, string>> = {
  help: '/sir help [subcommand]',
  investigate: '/sir investigate <access key id | IAM user name | role ARN | user ARN | instance id | IP> [--since 7d|24h|90m|YYYY-MM-DD] [--account 123456789012] [--region us-east-1]',
  finding: '/sir finding <finding id or ARN>',
  case: '/sir case <case id> [status <submitted | detection | containment | post-incident> | close]',
  cases: '/sir cases [--all]',
  status: '/sir status <finding id> <NEW | NOTIFIED | RESOLVED | SUPPRESSED> [note…]',
};

const PURPOSE: Readonly<Record<SirSubcommand, string>> = {
  help: 'this help',
  investigate: `investigate a principal, instance or IP without a finding (CloudTrail, up to ${SIR_MAX_SINCE_HOURS / 24} days back)`,
  finding: 'show a finding sirbot delivered',
  case: 'show a Security Incident Response case, set its status, or close it',
  cases: 'list open Security Incident Response cases (--all: closed ones too)',
  status: `set a finding's workflow status, with an optional note (quotes are fine; at most ${NOTE_MAX} characters)`,
};

/** The help text, a line per subcommand. */
export const SIR_USAGE: readonly string[] = SIR_SUBCOMMANDS.map((s) => `${SIR_USAGE_BY_SUBCOMMAND[s]} — ${PURPOSE[s]}`);

/**
 * Slack's encoding undone: `<url|label>` → label, `<url>` → url (also mentions and
 * channel links), then the `&lt;` `&gt;` `&amp;` entities. Wrappers go first, as any
 * `<` the person typed arrives as `&lt;`.
 */
export function decodeSlackText(text: string): string {
  return text
    .replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_m, target: string, label: string | undefined) => (label ? label : target))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

interface Token {
  value: string;
  /** It began with a quote: never an option, and may hold spaces. */
  quoted: boolean;
  /** It was exactly one quoted string ("like this"). */
  wholeQuoted: boolean;
  start: number;
  end: number;
}

/** Opening quotes and what closes them: straight, curly (phones), and „German“. */
const QUOTES: Readonly<Record<string, RegExp>> = { '"': /["”]/, '“': /[”"]/, '”': /[”"]/, '„': /[“"]/ };

/** Whitespace-separated words; "double quotes" (straight or curly) keep spaces in a word. */
function tokenize(text: string): { tokens: Token[]; unterminatedAt: number | null } {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) return { tokens, unterminatedAt: null };
    const start = i;
    let value = '';
    let sections = 0;
    let plain = false;
    while (i < text.length && !/\s/.test(text[i] as string)) {
      const ch = text[i] as string;
      const closer = QUOTES[ch];
      if (!closer) {
        value += ch;
        plain = true;
        i++;
        continue;
      }
      const length = text.slice(i + 1).search(closer);
      if (length === -1) {
        tokens.push({ value: value + text.slice(i + 1), quoted: start === i, wholeQuoted: false, start, end: text.length });
        return { tokens, unterminatedAt: i };
      }
      value += text.slice(i + 1, i + 1 + length);
      sections++;
      i += length + 2;
    }
    const quoted = QUOTES[text[start] as string] !== undefined;
    tokens.push({ value, quoted, wholeQuoted: quoted && sections === 1 && !plain, start, end: i });
  }
}

const DASHES = /^(?:--|[—–])(?=[a-z])/i;
const isOption = (t: Token) => !t.quoted && (t.value.startsWith('--') || /^[—–]/.test(t.value));

type Options = Record<string, 'value' | 'switch'>;

/** Positionals and `--name value` / `--name=value` / `--switch` options, each at most once. */
function parseArgs(tokens: Token[], allowed: Options): { positionals: Token[]; options: Map<string, string | true> } | { error: string } {
  const positionals: Token[] = [];
  const options = new Map<string, string | true>();
  const known = Object.keys(allowed).map((o) => `--${o}`);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (!isOption(t)) {
      positionals.push(t);
      continue;
    }
    // Phones turn "--" into a dash; "—since" is "--since".
    const raw = t.value.replace(DASHES, '--');
    const eq = raw.indexOf('=');
    const name = (eq === -1 ? raw : raw.slice(0, eq)).slice(2).toLowerCase();
    const kind = allowed[name];
    if (!kind) return { error: `unknown option ${eq === -1 ? raw : raw.slice(0, eq)}${known.length ? ` (options: ${known.join(', ')})` : ' (this subcommand takes no options)'}` };
    if (options.has(name)) return { error: `--${name} is given twice` };
    if (kind === 'switch') {
      if (eq !== -1) return { error: `--${name} takes no value` };
      options.set(name, true);
      continue;
    }
    let value: string | undefined = eq === -1 ? undefined : raw.slice(eq + 1);
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next && !isOption(next)) {
        value = next.value;
        i++;
      }
    }
    if (!value) return { error: `--${name} needs a value` };
    options.set(name, value);
  }
  return { positionals, options };
}

const ACCESS_KEY = /^(?:AKIA|ASIA)[A-Z0-9]{16}$/;
const INSTANCE = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const IAM_ARN = /^arn:aws[-a-z]*:iam::(\d{12}):(role|user)\/((?:[\x21-\x2e\x30-\x7e]+\/)*)([\w+=,.@-]{1,64})$/;
const IAM_USER = /^[\w+=,.@-]{1,64}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const CASE_ID = /^\d{10,32}$/;

function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(p));
}

function isIpv6(s: string): boolean {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  let hex = s;
  const tail = s.slice(s.lastIndexOf(':') + 1);
  if (tail.includes('.')) {
    if (!isIpv4(tail)) return false;
    hex = `${s.slice(0, s.lastIndexOf(':') + 1)}0:0`;
  }
  const halves = hex.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/** What a target names, most specific first; an error says why it is none of them. */
export function classifyTarget(value: string): InvestigationTarget | { error: string } {
  if (/^arn:/i.test(value)) {
    const m = IAM_ARN.exec(value);
    if (m && value.length <= 2048) return { type: m[2] === 'role' ? 'roleArn' : 'userArn', value };
    if (/^arn:aws[-a-z]*:sts::\d{12}:assumed-role\//.test(value)) return { error: `"${value}" is an assumed-role session; name the role (arn:aws:iam::ACCOUNT:role/NAME)` };
    return { error: `"${value}" is not an IAM role or user ARN (arn:aws:iam::123456789012:role/NAME or …:user/NAME)` };
  }
  if (ACCESS_KEY.test(value)) return { type: 'accessKey', value };
  if (/^(?:AKIA|ASIA)[A-Z0-9]*$/.test(value)) return { error: `"${value}" looks like an access key id but has ${value.length} characters; access key ids have 20` };
  if (INSTANCE.test(value)) return { type: 'instance', value };
  if (/^i-[0-9a-f]+$/i.test(value)) return { error: `"${value}" looks like an instance id, but those are i- and 8 or 17 lower-case hex digits` };
  if (isIpv4(value)) return { type: 'ip', value };
  if (/^\d+(?:\.\d+){3}$/.test(value)) return { error: `"${value}" is not a valid IPv4 address` };
  if (value.includes(':')) return isIpv6(value) ? { type: 'ip', value } : { error: `"${value}" is not a valid IPv6 address` };
  if (IAM_USER.test(value)) return { type: 'iamUser', value };
  if (/^[\w+=,.@-]+$/.test(value)) return { error: `"${value}" is too long for an IAM user name (at most 64 characters)` };
  return { error: `"${value}" is not an access key id, IAM user name, role or user ARN, instance id or IP address` };
}

const toMs = (now: Date | number | string) => (now instanceof Date ? now.getTime() : typeof now === 'number' ? now : Date.parse(now));

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** `7d`, `24h`, `90m` or an ISO date (`2026-11-20`, `2026-11-20T08:00Z`; no zone is UTC), within CloudTrail's 90 days. */
export function parseSince(raw: string, now: Date | number | string): SirSince | { error: string } {
  const limit = `CloudTrail event history covers the last ${SIR_MAX_SINCE_HOURS / 24} days`;
  const rel = /^(\d{1,7})([dhm])$/i.exec(raw);
  if (rel) {
    const n = Number(rel[1]);
    const perUnit = { d: 24, h: 1, m: 1 / 60 }[(rel[2] as string).toLowerCase() as 'd' | 'h' | 'm'];
    if (n === 0) return { error: '--since must be more than zero' };
    if (n * perUnit > SIR_MAX_SINCE_HOURS) return { error: `--since ${raw} reaches back too far: ${limit}` };
    return { hours: n * perUnit };
  }
  const m = ISO.exec(raw);
  if (!m) return { error: `--since "${raw}" is neither a duration (7d, 24h, 90m) nor a date (YYYY-MM-DD or an ISO date-time)` };
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '00', m[5] ?? '00', m[6] ?? '00'].map(Number) as [number, number, number, number, number, number];
  const fraction = m[7] ?? '';
  const zone = m[8]?.toUpperCase();
  const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, s, Number(`0.${fraction || '0'}`) * 1000));
  if (wall.getUTCFullYear() !== y || wall.getUTCMonth() !== mo - 1 || wall.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return { error: `--since "${raw}" is not a real date` };
  }
  // An offset moves the instant: 08:00+02:00 is 06:00Z.
  const offsetMinutes = !zone || zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const at = wall.getTime() - offsetMinutes * 60_000;
  const nowMs = toMs(now);
  if (at > nowMs) return { error: `--since ${raw} is in the future` };
  if (nowMs - at > SIR_MAX_SINCE_HOURS * 3600_000) return { error: `--since ${raw} reaches back too far: ${limit}` };
  return { iso: new Date(at).toISOString() };
}

/** Where a `--since` starts, as an ISO instant. */
export function sinceStart(since: SirSince, now: Date | number | string): string {
  return 'iso' in since ? since.iso : new Date(toMs(now) - since.hours * 3600_000).toISOString();
}

const words = (s: string) => s.toLowerCase().replace(/[^a-z]+/g, ' ').trim();

/** Exact values (any case, any punctuation) and short names, to the API's value. */
const CASE_STATUS_NAMES: ReadonlyMap<string, SirCaseStatus> = new Map<string, SirCaseStatus>([
  ...SIR_CASE_STATUSES.map((s) => [words(s), s] as [string, SirCaseStatus]),
  ['submit', 'Submitted'],
  ['detection', 'Detection and Analysis'],
  ['analysis', 'Detection and Analysis'],
  ['containment', 'Containment, Eradication and Recovery'],
  ['eradication', 'Containment, Eradication and Recovery'],
  ['recovery', 'Containment, Eradication and Recovery'],
  ['post incident', 'Post-incident Activities'],
  ['postincident', 'Post-incident Activities'],
  ['post', 'Post-incident Activities'],
]);

export function parseCaseStatus(raw: string): SirCaseStatus | { error: string } {
  const key = words(raw);
  const status = CASE_STATUS_NAMES.get(key);
  if (status) return status;
  if (key === 'closed' || key === 'close') return { error: 'to close a case, use /sir case <case id> close' };
  const choices = `${SIR_CASE_STATUSES.map((s) => `"${s}"`).join(', ')} (or submitted, detection, containment, post-incident)`;
  if (key === 'acknowledged' || key === 'ready to close') return { error: `"${raw}" is set by the service, not through UpdateCaseStatus; choose ${choices}` };
  return { error: `"${raw}" is not a case status; choose ${choices}` };
}

function findingIdError(t: Token | undefined): string | null {
  if (!t || t.value === '') return 'missing finding id';
  if (/\s/.test(t.value)) return `a finding id has no spaces: "${t.value}"`;
  if (t.value.length > SIR_MAX_FINDING_ID) return `the finding id has ${t.value.length} characters; at most ${SIR_MAX_FINDING_ID} are allowed`;
  return null;
}

function caseIdError(t: Token | undefined): string | null {
  if (!t || t.value === '') return 'missing case id';
  if (!CASE_ID.test(t.value)) return `"${t.value}" is not a case id; Security Incident Response case ids are 10 to 32 digits (like 8403556009)`;
  return null;
}

export interface ParseOptions {
  /** The clock `--since` is checked against; defaults to the current time. */
  now?: Date | number | string;
}

/** Parses the text after `/sir` (as Slack sends it). Empty text is `help`. */
export function parseSirCommand(text: string, options: ParseOptions = {}): SirParseResult {
  const decoded = decodeSlackText(text);
  const { tokens, unterminatedAt } = tokenize(decoded);
  const fail = (subcommand: SirSubcommand | null, error: string): SirParseResult => {
    const usage = subcommand ? SIR_USAGE_BY_SUBCOMMAND[subcommand] : SIR_SUBCOMMANDS.map((s) => SIR_USAGE_BY_SUBCOMMAND[s]).join('\n');
    return { ok: false, subcommand, error, usage, message: `${error}\nUsage: ${usage}` };
  };
  const ok = (command: SirCommand): SirParseResult => ({ ok: true, command });
  const [head, ...rest] = tokens;
  if (!head) return ok({ kind: 'help' });
  const sub = head.value.toLowerCase();
  if (!(SIR_SUBCOMMANDS as readonly string[]).includes(sub)) {
    return fail(null, `unknown subcommand "${head.value}"; the subcommands are ${SIR_SUBCOMMANDS.join(', ')}`);
  }
  const subcommand = sub as SirSubcommand;
  // Notes are free text: a stray quote there is part of the note, anywhere else an error.
  const noteStart = subcommand === 'status' ? (rest[2]?.start ?? Infinity) : Infinity;
  if (unterminatedAt !== null && unterminatedAt < noteStart) return fail(subcommand, 'a quote is not closed');

  switch (subcommand) {
    case 'help': {
      const args = parseArgs(rest, {});
      if ('error' in args) return fail('help', args.error);
      const [topic, extra] = args.positionals;
      if (extra) return fail('help', `unexpected argument "${extra.value}"`);
      if (!topic) return ok({ kind: 'help' });
      const name = topic.value.toLowerCase();
      if (!(SIR_SUBCOMMANDS as readonly string[]).includes(name)) return fail('help', `there is no subcommand "${topic.value}"; the subcommands are ${SIR_SUBCOMMANDS.join(', ')}`);
      return ok({ kind: 'help', topic: name as SirSubcommand });
    }
    case 'investigate': {
      const args = parseArgs(rest, { since: 'value', account: 'value', region: 'value' });
      if ('error' in args) return fail('investigate', args.error);
      const [first, ...more] = args.positionals;
      if (!first || first.value === '') return fail('investigate', 'missing target: name an access key id, IAM user name, role or user ARN, instance id or IP address');
      if (more.length > 0) return fail('investigate', `one target at a time; also got ${more.map((t) => `"${t.value}"`).join(', ')}`);
      const target = classifyTarget(first.value);
      if ('error' in target) return fail('investigate', target.error);
      const command: Extract<SirCommand, { kind: 'investigate' }> = { kind: 'investigate', target };
      const since = args.options.get('since');
      if (typeof since === 'string') {
        const parsed = parseSince(since, options.now ?? Date.now());
        if ('error' in parsed) return fail('investigate', parsed.error);
        command.since = parsed;
      }
      const account = args.options.get('account');
      if (typeof account === 'string') {
        if (!ACCOUNT.test(account)) return fail('investigate', `--account "${account}" is not an AWS account id (12 digits)`);
        const inArn = IAM_ARN.exec(target.value)?.[1];
        if (inArn && inArn !== account) return fail('investigate', `the ARN is in account ${inArn} but --account says ${account}`);
        command.account = account;
      }
      const region = args.options.get('region');
      if (typeof region === 'string') {
        if (!REGION.test(region)) return fail('investigate', `--region "${region}" is not a region name (like us-east-1)`);
        command.region = region;
      }
      return ok(command);
    }
    case 'finding': {
      const args = parseArgs(rest, {});
      if ('error' in args) return fail('finding', args.error);
      const [id, extra] = args.positionals;
      const problem = findingIdError(id);
      if (problem) return fail('finding', problem);
      if (extra) return fail('finding', `unexpected argument "${extra.value}" after the finding id`);
      return ok({ kind: 'finding', findingId: (id as Token).value });
    }
    case 'case': {
      const args = parseArgs(rest, {});
      if ('error' in args) return fail('case', args.error);
      const [id, action, ...more] = args.positionals;
      const problem = caseIdError(id);
      if (problem) return fail('case', problem);
      const caseId = (id as Token).value;
      if (!action) return ok({ kind: 'case', caseId });
      switch (action.value.toLowerCase()) {
        case 'close':
          if (more.length > 0) return fail('case', `unexpected argument "${(more[0] as Token).value}" after close`);
          return ok({ kind: 'caseClose', caseId });
        case 'status': {
          if (more.length === 0) return fail('case', `missing status; choose ${SIR_CASE_STATUSES.map((s) => `"${s}"`).join(', ')}`);
          const status = parseCaseStatus(more.map((t) => t.value).join(' '));
          if (typeof status !== 'string') return fail('case', status.error);
          return ok({ kind: 'caseStatus', caseId, status });
        }
        default:
          return fail('case', `unknown case action "${action.value}"; use status or close`);
      }
    }
    case 'cases': {
      const args = parseArgs(rest, { all: 'switch' });
      if ('error' in args) return fail('cases', args.error);
      const [extra] = args.positionals;
      if (extra) return fail('cases', `unexpected argument "${extra.value}"`);
      return ok({ kind: 'cases', all: args.options.has('all') });
    }
    case 'status': {
      const [id, statusToken, noteToken] = rest;
      for (const t of [id, statusToken]) if (t && isOption(t)) return fail('status', `unknown option ${t.value} (this subcommand takes no options)`);
      const problem = findingIdError(id);
      if (problem) return fail('status', problem);
      if (!statusToken) return fail('status', `missing status; choose ${SIR_FINDING_STATUSES.join(', ')}`);
      const status = SIR_FINDING_STATUSES.find((s) => s === statusToken.value.toUpperCase());
      if (!status) return fail('status', `"${statusToken.value}" is not a workflow status; choose ${SIR_FINDING_STATUSES.join(', ')}`);
      const command: Extract<SirCommand, { kind: 'status' }> = { kind: 'status', findingId: (id as Token).value, status };
      if (noteToken) {
        const remainder = decoded.slice(noteToken.start).trim();
        // One quoted argument is the note without its quotes; anything else is the note as typed.
        const note = rest.length === 3 && noteToken.wholeQuoted ? noteToken.value.trim() : remainder;
        if (note.length > NOTE_MAX) return fail('status', `the note has ${note.length} characters; at most ${NOTE_MAX} are allowed`);
        if (note) command.note = note;
      }
      return ok(command);
    }
  }
}
