import { NOTE_MAX } from '../actions/workflow-status.ts';
import { SNOOZE_ENTITIES, SNOOZE_REASON_MAX, SNOOZE_VALUE_MAX, type SnoozeCriteria, type SnoozeEntity, parseSnoozeFor } from '../actions/snooze.ts';
import type { WorkflowStatus } from '../finding.ts';
import type { InvestigationTarget } from '../investigation/ad-hoc.ts';
import { decodeSlackText, isOption, parseArgs, tokenize, type Token } from './sir-tokens.ts';
import {
  ACCOUNT,
  CASE_ID,
  IAM_ARN,
  REGION,
  SIR_CASE_STATUSES,
  SIR_MAX_SINCE_HOURS,
  classifyTarget,
  parseCaseStatus,
  parseSince,
  type SirCaseStatus,
  type SirSince,
} from './sir-values.ts';

export { decodeSlackText } from './sir-tokens.ts';
export {
  SIR_CASE_STATUSES,
  SIR_MAX_SINCE_HOURS,
  classifyTarget,
  parseCaseStatus,
  parseSince,
  sinceStart,
  type SirCaseStatus,
  type SirSince,
} from './sir-values.ts';

/**
 * `/sir …`: the text Slack sends after the command, parsed into what was asked for, or
 * into an error that names the problem and shows that subcommand's usage. Pure: the
 * caller passes the clock (`now`) for `--since` checks.
 */

export const SIR_SUBCOMMANDS = ['help', 'investigate', 'finding', 'case', 'cases', 'status', 'snooze', 'stats'] as const;
export type SirSubcommand = (typeof SIR_SUBCOMMANDS)[number];

/** The workflow statuses `/sir status` sets (BatchUpdateFindings `Workflow.Status`). */
export const SIR_FINDING_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'] as const satisfies readonly WorkflowStatus[];

/** A case comment from `/sir` (Slack sends at most 4,000 characters of command text). */
export const SIR_MAX_CASE_COMMENT = 3000;

/** Finding ids and ARNs are kept to this many characters. */
export const SIR_MAX_FINDING_ID = 512;

export type SirCommand =
  | { kind: 'help'; topic?: SirSubcommand }
  | { kind: 'investigate'; target: InvestigationTarget; since?: SirSince; account?: string; region?: string }
  | { kind: 'finding'; findingId: string }
  | { kind: 'case'; caseId: string }
  | { kind: 'caseStatus'; caseId: string; status: SirCaseStatus }
  | { kind: 'caseClose'; caseId: string }
  | { kind: 'caseComment'; caseId: string; text: string }
  | { kind: 'cases'; all: boolean }
  | { kind: 'status'; findingId: string; status: WorkflowStatus; note?: string }
  | { kind: 'snoozeList' }
  | { kind: 'snoozeCancel'; snoozeId: string }
  | { kind: 'snooze'; criteria: SnoozeCriteria; seconds: number; reason: string }
  | { kind: 'stats'; since: SirSince };

/** How far back `/sir stats` reaches (one store read per day of the window), and where it starts by default. */
export const SIR_STATS_MAX_DAYS = 90;
export const SIR_STATS_DEFAULT_SINCE: SirSince = { hours: 7 * 24 };

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
  investigate:
    '/sir investigate <access key id | IAM user name | role ARN | user ARN | instance id | IP> [--since 7d|24h|90m|YYYY-MM-DD] [--account 123456789012] [--region us-east-1]',
  finding: '/sir finding <finding id or ARN>',
  case: '/sir case <case id> [status <submitted | detection | containment | post-incident> | close | comment <text…>]',
  cases: '/sir cases [--all]',
  status: '/sir status <finding id> <NEW | NOTIFIED | RESOLVED | SUPPRESSED> [note…]',
  snooze: '/sir snooze [list] | cancel <snooze id> | [account=<id>] [type=<finding type>] [resource=<id or ARN>] [principal=<name>] for=<90m|8h|7d> <reason…>',
  stats: '/sir stats [--since 7d|30d|24h|YYYY-MM-DD]',
};

const PURPOSE: Readonly<Record<SirSubcommand, string>> = {
  help: 'this help',
  investigate: `investigate a principal, instance or IP without a finding (CloudTrail, up to ${SIR_MAX_SINCE_HOURS / 24} days back)`,
  finding: 'show a finding sirbot delivered',
  case: 'show a Security Incident Response case, set its status, close it, or comment on it',
  cases: 'list open Security Incident Response cases (--all: closed ones too)',
  status: `set a finding's workflow status, with an optional note (quotes are fine; at most ${NOTE_MAX} characters)`,
  snooze: 'list active snoozes, cancel one, or hold back findings matching every entity given (kept and counted, not posted) until it expires',
  stats: `the numbers since then (default 7 days, at most ${SIR_STATS_MAX_DAYS}): findings by channel, severity and rule, the noise, and the time to acknowledge, to a status, to a case and to a remediation`,
};

/** The help text, a line per subcommand. */
export const SIR_USAGE: readonly string[] = SIR_SUBCOMMANDS.map((s) => `${SIR_USAGE_BY_SUBCOMMAND[s]} — ${PURPOSE[s]}`);

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
  // Notes, comments and reasons are free text: a stray quote there is part of it, anywhere else an error.
  const isComment = subcommand === 'case' && rest[1]?.value.toLowerCase() === 'comment';
  const reasonStart = subcommand === 'snooze' ? rest.find((t, i) => i > 0 && !/^[a-z]+=/i.test(t.value))?.start : undefined;
  const noteStart = subcommand === 'status' || isComment ? (rest[2]?.start ?? Infinity) : (reasonStart ?? Infinity);
  if (unterminatedAt !== null && unterminatedAt < noteStart) return fail(subcommand, 'a quote is not closed');

  switch (subcommand) {
    case 'help': {
      const args = parseArgs(rest, {});
      if ('error' in args) return fail('help', args.error);
      const [topic, extra] = args.positionals;
      if (extra) return fail('help', `unexpected argument "${extra.value}"`);
      if (!topic) return ok({ kind: 'help' });
      const name = topic.value.toLowerCase();
      if (!(SIR_SUBCOMMANDS as readonly string[]).includes(name))
        return fail('help', `there is no subcommand "${topic.value}"; the subcommands are ${SIR_SUBCOMMANDS.join(', ')}`);
      return ok({ kind: 'help', topic: name as SirSubcommand });
    }
    case 'investigate': {
      const args = parseArgs(rest, { since: 'value', account: 'value', region: 'value' });
      if ('error' in args) return fail('investigate', args.error);
      const [first, ...more] = args.positionals;
      if (!first || first.value === '')
        return fail('investigate', 'missing target: name an access key id, IAM user name, role or user ARN, instance id or IP address');
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
      if (isComment) {
        const problem = caseIdError(rest[0]);
        if (problem) return fail('case', problem);
        // The text as typed, from its first word on: options, quotes and dashes included.
        const text = rest[2] ? decoded.slice(rest[2].start).trim() : '';
        if (text === '') return fail('case', 'missing the comment text after comment');
        if (text.length > SIR_MAX_CASE_COMMENT)
          return fail(
            'case',
            `the comment has ${text.length} characters; at most ${SIR_MAX_CASE_COMMENT} are allowed from /sir (post a longer one from the thread)`,
          );
        return ok({ kind: 'caseComment', caseId: (rest[0] as Token).value, text });
      }
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
          return fail('case', `unknown case action "${action.value}"; use status, close or comment`);
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
    case 'snooze':
      return parseSnooze(rest, decoded, (error) => fail('snooze', error));
    case 'stats': {
      const args = parseArgs(rest, { since: 'value' });
      if ('error' in args) return fail('stats', args.error);
      const [extra] = args.positionals;
      if (extra) return fail('stats', `unexpected argument "${extra.value}"`);
      const since = args.options.get('since');
      if (typeof since !== 'string') return ok({ kind: 'stats', since: SIR_STATS_DEFAULT_SINCE });
      const parsed = parseSince(since, options.now ?? Date.now(), {
        hours: SIR_STATS_MAX_DAYS * 24,
        why: `the numbers cover at most the last ${SIR_STATS_MAX_DAYS} days`,
      });
      if ('error' in parsed) return fail('stats', parsed.error);
      return ok({ kind: 'stats', since: parsed });
    }
  }
}

/** The `entity=value` words `/sir snooze` takes, by the entity each names. */
const SNOOZE_KEYS: Readonly<Record<string, SnoozeEntity>> = { account: 'accountId', type: 'type', resource: 'resource', principal: 'principal' };
const SNOOZE_ID = /^snooze-[0-9a-f]{24}$/;

/** `/sir snooze`, `/sir snooze list`, `/sir snooze cancel <id>`, or `entity=value… for=8h reason…` (the reason is the rest, as typed). */
function parseSnooze(rest: Token[], decoded: string, fail: (error: string) => SirParseResult): SirParseResult {
  const [first, second, ...more] = rest;
  if (!first || (first.value.toLowerCase() === 'list' && !first.quoted)) {
    if (second) return fail(`unexpected argument "${second.value}" after list`);
    return { ok: true, command: { kind: 'snoozeList' } };
  }
  if (first.value.toLowerCase() === 'cancel' && !first.quoted) {
    if (!second) return fail('missing snooze id (see /sir snooze list)');
    if (!SNOOZE_ID.test(second.value)) return fail(`"${second.value}" is not a snooze id (like snooze-0123456789abcdef01234567)`);
    if (more.length > 0) return fail(`unexpected argument "${(more[0] as Token).value}" after the snooze id`);
    return { ok: true, command: { kind: 'snoozeCancel', snoozeId: second.value } };
  }
  const criteria: SnoozeCriteria = { resource: null, principal: null, type: null, accountId: null };
  let seconds: number | null = null;
  let i = 0;
  for (; i < rest.length; i++) {
    const t = rest[i] as Token;
    const m = /^([a-z]+)=(.*)$/is.exec(t.value);
    if (!m) break;
    const key = (m[1] as string).toLowerCase();
    const value = (m[2] as string).trim();
    if (key === 'for') {
      if (seconds !== null) return fail('for= is given twice');
      const parsed = parseSnoozeFor(value);
      if (typeof parsed !== 'number') return fail(parsed.error);
      seconds = parsed;
      continue;
    }
    const entity = SNOOZE_KEYS[key];
    if (!entity) return fail(`unknown "${key}="; name ${Object.keys(SNOOZE_KEYS).join('=, ')}= or for=`);
    if (criteria[entity] !== null) return fail(`${key}= is given twice`);
    if (!value) return fail(`${key}= needs a value`);
    if (value.length > SNOOZE_VALUE_MAX) return fail(`${key}= has ${value.length} characters; at most ${SNOOZE_VALUE_MAX} are allowed`);
    if (entity === 'accountId' && !ACCOUNT.test(value)) return fail(`account "${value}" is not an AWS account id (12 digits)`);
    criteria[entity] = value;
  }
  if (SNOOZE_ENTITIES.every((e) => criteria[e] === null)) return fail('name at least one of account=, type=, resource=, principal=');
  if (seconds === null) return fail('missing for= (how long: 90m, 8h, 7d)');
  const reasonToken = rest[i];
  const reason = reasonToken ? decoded.slice(reasonToken.start).trim() : '';
  if (!reason) return fail('missing reason (the words after the entities: why they are snoozed)');
  if (reason.length > SNOOZE_REASON_MAX) return fail(`the reason has ${reason.length} characters; at most ${SNOOZE_REASON_MAX} are allowed`);
  return { ok: true, command: { kind: 'snooze', criteria, seconds, reason } };
}
