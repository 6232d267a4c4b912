import { describe, expect, it } from 'vitest';
import {
  SIR_SUBCOMMANDS,
  SIR_USAGE,
  SIR_USAGE_BY_SUBCOMMAND,
  classifyTarget,
  decodeSlackText,
  parseSirCommand,
  sinceStart,
  type SirCommand,
  type SirSubcommand,
} from '../../src/domain/commands/sir-command.ts';

const NOW = '2026-11-21T12:00:00Z';
const parse = (text: string) => parseSirCommand(text, { now: NOW });

/** The command, or the test fails with the parser's message. */
function command(text: string): SirCommand {
  const r = parse(text);
  if (!r.ok) throw new Error(`expected "${text}" to parse: ${r.message}`);
  return r.command;
}

/** The error for `text`, checked to carry the usage line of `subcommand`. */
function error(text: string, subcommand: SirSubcommand): string {
  const r = parse(text);
  if (r.ok) throw new Error(`expected "${text}" to fail, got ${JSON.stringify(r.command)}`);
  expect(r.subcommand).toBe(subcommand);
  expect(r.usage).toBe(SIR_USAGE_BY_SUBCOMMAND[subcommand]);
  expect(r.message).toBe(`${r.error}\nUsage: ${r.usage}`);
  return r.error;
}

const KEY = 'AKIAIOSFODNN7EXAMPLE';

describe('/sir help and unknown subcommands', () => {
  it('empty text and help (any case) are help; help names a topic', () => {
    expect(command('')).toEqual({ kind: 'help' });
    expect(command('   \n ')).toEqual({ kind: 'help' });
    expect(command('help')).toEqual({ kind: 'help' });
    expect(command('HELP')).toEqual({ kind: 'help' });
    expect(command('help Investigate')).toEqual({ kind: 'help', topic: 'investigate' });
  });

  it('refuses an unknown topic, extra words and options', () => {
    expect(error('help frob', 'help')).toBe(
      'there is no subcommand "frob"; the subcommands are help, investigate, finding, case, cases, status, snooze, stats',
    );
    expect(error('help case cases', 'help')).toBe('unexpected argument "cases"');
    expect(error('help --verbose', 'help')).toBe('unknown option --verbose (this subcommand takes no options)');
  });

  it('an unknown subcommand lists the subcommands and every usage line', () => {
    const r = parse('frobnicate now');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.subcommand).toBeNull();
    expect(r.error).toBe('unknown subcommand "frobnicate"; the subcommands are help, investigate, finding, case, cases, status, snooze, stats');
    expect(r.usage.split('\n')).toEqual(SIR_SUBCOMMANDS.map((s) => SIR_USAGE_BY_SUBCOMMAND[s]));
  });

  it('SIR_USAGE has a line per subcommand, its usage and what it does', () => {
    expect(SIR_USAGE).toHaveLength(SIR_SUBCOMMANDS.length);
    for (const [i, s] of SIR_SUBCOMMANDS.entries()) expect(SIR_USAGE[i]).toMatch(new RegExp(`^/sir ${s}\\b.* — \\S`));
    expect(SIR_USAGE.join('\n')).toContain('--since 7d|24h|90m|YYYY-MM-DD');
  });
});

describe('/sir investigate', () => {
  it('recognises each kind of target', () => {
    const target = (text: string) => (command(`investigate ${text}`) as Extract<SirCommand, { kind: 'investigate' }>).target;
    expect(target(KEY)).toEqual({ type: 'accessKey', value: KEY });
    expect(target('ASIAY34FZKBOKMUTVV7A')).toEqual({ type: 'accessKey', value: 'ASIAY34FZKBOKMUTVV7A' });
    expect(target('alice')).toEqual({ type: 'iamUser', value: 'alice' });
    expect(target('svc+deploy=ci,bot.x@corp-1_a')).toEqual({ type: 'iamUser', value: 'svc+deploy=ci,bot.x@corp-1_a' });
    expect(target('arn:aws:iam::111122223333:role/ops/Admin')).toEqual({ type: 'roleArn', value: 'arn:aws:iam::111122223333:role/ops/Admin' });
    expect(target('arn:aws-us-gov:iam::111122223333:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty').type).toBe('roleArn');
    expect(target('arn:aws:iam::111122223333:user/deploy-bot')).toEqual({ type: 'userArn', value: 'arn:aws:iam::111122223333:user/deploy-bot' });
    expect(target('i-0abc1234')).toEqual({ type: 'instance', value: 'i-0abc1234' });
    expect(target('i-0123456789abcdef0')).toEqual({ type: 'instance', value: 'i-0123456789abcdef0' });
    expect(target('203.0.113.50')).toEqual({ type: 'ip', value: '203.0.113.50' });
    expect(target('2001:db8::1')).toEqual({ type: 'ip', value: '2001:db8::1' });
    expect(target('::ffff:192.0.2.1')).toEqual({ type: 'ip', value: '::ffff:192.0.2.1' });
    expect(target('2001:DB8:0:0:0:0:0:1')).toEqual({ type: 'ip', value: '2001:DB8:0:0:0:0:0:1' });
    // Slack links an email-like user name; the label is what was typed.
    expect(target('<mailto:ops@example.com|ops@example.com>')).toEqual({ type: 'iamUser', value: 'ops@example.com' });
  });

  it('says why a target is none of them', () => {
    expect(error('investigate', 'investigate')).toBe('missing target: name an access key id, IAM user name, role or user ARN, instance id or IP address');
    expect(error('investigate --since 7d', 'investigate')).toContain('missing target');
    expect(error('investigate ""', 'investigate')).toContain('missing target');
    expect(error(`investigate ${KEY} alice`, 'investigate')).toBe('one target at a time; also got "alice"');
    expect(error('investigate AKIA1234', 'investigate')).toBe('"AKIA1234" looks like an access key id but has 8 characters; access key ids have 20');
    expect(error('investigate i-12345', 'investigate')).toBe('"i-12345" looks like an instance id, but those are i- and 8 or 17 lower-case hex digits');
    expect(error('investigate 300.1.2.3', 'investigate')).toBe('"300.1.2.3" is not a valid IPv4 address');
    expect(error('investigate 2001:db8:::1', 'investigate')).toBe('"2001:db8:::1" is not a valid IPv6 address');
    expect(error('investigate 1:2:3:4:5:6:7:8:9', 'investigate')).toContain('not a valid IPv6 address');
    expect(error('investigate arn:aws:s3:::my-bucket', 'investigate')).toContain('is not an IAM role or user ARN');
    expect(error('investigate arn:aws:iam::1111:role/x', 'investigate')).toContain('is not an IAM role or user ARN');
    expect(error('investigate arn:aws:sts::111122223333:assumed-role/Admin/alice', 'investigate')).toContain('is an assumed-role session; name the role');
    expect(error(`investigate ${'u'.repeat(65)}`, 'investigate')).toContain('is too long for an IAM user name (at most 64 characters)');
    expect(error('investigate bob/smith', 'investigate')).toBe(
      '"bob/smith" is not an access key id, IAM user name, role or user ARN, instance id or IP address',
    );
    expect(error('investigate "bob smith"', 'investigate')).toContain('is not an access key id');
  });

  it('--since takes 7d, 24h, 90m or a date, within 90 days', () => {
    const since = (arg: string) => (command(`investigate alice --since ${arg}`) as Extract<SirCommand, { kind: 'investigate' }>).since;
    expect(since('7d')).toEqual({ hours: 168 });
    expect(since('24h')).toEqual({ hours: 24 });
    expect(since('90m')).toEqual({ hours: 1.5 });
    expect(since('90d')).toEqual({ hours: 2160 });
    expect(since('2160h')).toEqual({ hours: 2160 });
    expect(since('2026-11-20')).toEqual({ iso: '2026-11-20T00:00:00.000Z' });
    expect(since('2026-11-20T08:00')).toEqual({ iso: '2026-11-20T08:00:00.000Z' });
    expect(since('2026-11-20T08:00:30.5Z')).toEqual({ iso: '2026-11-20T08:00:30.500Z' });
    expect(since('2026-11-20T08:00+02:00')).toEqual({ iso: '2026-11-20T06:00:00.000Z' });
    expect(since('2026-08-24')).toEqual({ iso: '2026-08-24T00:00:00.000Z' });
    expect((command('investigate alice --since=24h') as Extract<SirCommand, { kind: 'investigate' }>).since).toEqual({ hours: 24 });
    expect(sinceStart({ hours: 24 }, NOW)).toBe('2026-11-20T12:00:00.000Z');
    expect(sinceStart({ iso: '2026-11-20T06:00:00.000Z' }, NOW)).toBe('2026-11-20T06:00:00.000Z');
  });

  it('refuses a --since beyond CloudTrail’s 90 days, in the future, not a date, or missing', () => {
    expect(error('investigate alice --since 91d', 'investigate')).toBe('--since 91d reaches back too far: CloudTrail event history covers the last 90 days');
    expect(error('investigate alice --since 2161h', 'investigate')).toContain('reaches back too far');
    expect(error('investigate alice --since 129601m', 'investigate')).toContain('reaches back too far');
    expect(error('investigate alice --since 2026-08-01', 'investigate')).toBe(
      '--since 2026-08-01 reaches back too far: CloudTrail event history covers the last 90 days',
    );
    expect(error('investigate alice --since 2026-12-01', 'investigate')).toBe('--since 2026-12-01 is in the future');
    expect(error('investigate alice --since 0h', 'investigate')).toBe('--since must be more than zero');
    expect(error('investigate alice --since 2026-02-30', 'investigate')).toBe('--since "2026-02-30" is not a real date');
    expect(error('investigate alice --since 2026-11-20T25:00Z', 'investigate')).toBe('--since "2026-11-20T25:00Z" is not a real date');
    expect(error('investigate alice --since yesterday', 'investigate')).toBe(
      '--since "yesterday" is neither a duration (7d, 24h, 90m) nor a date (YYYY-MM-DD or an ISO date-time)',
    );
    expect(error('investigate alice --since 3w', 'investigate')).toContain('is neither a duration');
    expect(error('investigate alice --since', 'investigate')).toBe('--since needs a value');
    expect(error('investigate alice --since --region us-east-1', 'investigate')).toBe('--since needs a value');
    expect(error('investigate alice --since=', 'investigate')).toBe('--since needs a value');
  });

  it('--account is 12 digits and agrees with an ARN’s account', () => {
    expect(command(`investigate ${KEY} --account 111122223333`)).toEqual({
      kind: 'investigate',
      target: { type: 'accessKey', value: KEY },
      account: '111122223333',
    });
    expect(command('investigate arn:aws:iam::111122223333:role/Admin --account 111122223333')).toMatchObject({ account: '111122223333' });
    expect(error('investigate alice --account 12345', 'investigate')).toBe('--account "12345" is not an AWS account id (12 digits)');
    expect(error('investigate alice --account 1111-2222-3333', 'investigate')).toContain('is not an AWS account id');
    expect(error('investigate arn:aws:iam::111122223333:role/Admin --account 444455556666', 'investigate')).toBe(
      'the ARN is in account 111122223333 but --account says 444455556666',
    );
  });

  it('--region looks like a region', () => {
    expect(command('investigate alice --region eu-west-1')).toMatchObject({ region: 'eu-west-1' });
    expect(command('investigate alice --region us-gov-west-1')).toMatchObject({ region: 'us-gov-west-1' });
    expect(command('investigate alice --region ap-southeast-7')).toMatchObject({ region: 'ap-southeast-7' });
    expect(error('investigate alice --region US-EAST-1', 'investigate')).toBe('--region "US-EAST-1" is not a region name (like us-east-1)');
    expect(error('investigate alice --region useast1', 'investigate')).toContain('is not a region name');
  });

  it('takes options in any order and position, phone dashes too; refuses unknown and repeated ones', () => {
    expect(command('investigate --region us-west-2 --since 24h 10.1.2.3 --account 111122223333')).toEqual({
      kind: 'investigate',
      target: { type: 'ip', value: '10.1.2.3' },
      since: { hours: 24 },
      account: '111122223333',
      region: 'us-west-2',
    });
    expect(command('investigate alice —since 7d –region us-east-1')).toMatchObject({ since: { hours: 168 }, region: 'us-east-1' });
    expect(command('INVESTIGATE alice --SINCE 7d')).toMatchObject({ since: { hours: 168 } });
    expect(error('investigate alice --until 7d', 'investigate')).toBe('unknown option --until (options: --since, --account, --region)');
    expect(error('investigate alice --since 7d --since 24h', 'investigate')).toBe('--since is given twice');
    expect(error('investigate alice --region us-east-1 --region=us-east-2', 'investigate')).toBe('--region is given twice');
    expect(error('investigate "alice', 'investigate')).toBe('a quote is not closed');
  });
});

describe('/sir finding', () => {
  it('takes one id: GuardDuty hex, an ARN, an OCSF uid, quoted or linked', () => {
    expect(command('finding 5ac8f1e2d3b4a59687f0e1d2c3b4a596')).toEqual({ kind: 'finding', findingId: '5ac8f1e2d3b4a59687f0e1d2c3b4a596' });
    const arn =
      'arn:aws:securityhub:us-east-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.1/finding/0a1b2c3d-1111-2222-3333-444455556666';
    expect(command(`finding ${arn}`)).toEqual({ kind: 'finding', findingId: arn });
    expect(command('finding "f-123"')).toEqual({ kind: 'finding', findingId: 'f-123' });
    expect(command('finding <https://console.aws.amazon.com/guardduty/home#/findings?fId=abc|abc123>')).toEqual({ kind: 'finding', findingId: 'abc123' });
    expect(command(`finding ${'f'.repeat(512)}`)).toEqual({ kind: 'finding', findingId: 'f'.repeat(512) });
  });

  it('refuses a missing, spaced, over-long or second id, and options', () => {
    expect(error('finding', 'finding')).toBe('missing finding id');
    expect(error('finding ""', 'finding')).toBe('missing finding id');
    expect(error('finding "a b"', 'finding')).toBe('a finding id has no spaces: "a b"');
    expect(error(`finding ${'f'.repeat(513)}`, 'finding')).toBe('the finding id has 513 characters; at most 512 are allowed');
    expect(error('finding abc def', 'finding')).toBe('unexpected argument "def" after the finding id');
    expect(error('finding abc --json', 'finding')).toBe('unknown option --json (this subcommand takes no options)');
  });
});

describe('/sir case', () => {
  it('shows a case by its 10–32 digit id', () => {
    expect(command('case 8403556009')).toEqual({ kind: 'case', caseId: '8403556009' });
    expect(command(`case ${'1'.repeat(32)}`)).toEqual({ kind: 'case', caseId: '1'.repeat(32) });
  });

  it('sets a status by its exact value (any case) or a short name', () => {
    const status = (text: string) => (command(`case 8403556009 status ${text}`) as Extract<SirCommand, { kind: 'caseStatus' }>).status;
    expect(status('Detection and Analysis')).toBe('Detection and Analysis');
    expect(status('"detection and analysis"')).toBe('Detection and Analysis');
    expect(status('detection')).toBe('Detection and Analysis');
    expect(status('Containment, Eradication and Recovery')).toBe('Containment, Eradication and Recovery');
    expect(status('containment eradication and recovery')).toBe('Containment, Eradication and Recovery');
    expect(status('CONTAINMENT')).toBe('Containment, Eradication and Recovery');
    expect(status('post-incident')).toBe('Post-incident Activities');
    expect(status('Post-Incident Activities')).toBe('Post-incident Activities');
    expect(status('submitted')).toBe('Submitted');
    expect(command('case 8403556009 status detection')).toEqual({ kind: 'caseStatus', caseId: '8403556009', status: 'Detection and Analysis' });
  });

  it('closes a case', () => {
    expect(command('case 8403556009 close')).toEqual({ kind: 'caseClose', caseId: '8403556009' });
    expect(command('case 8403556009 CLOSE')).toEqual({ kind: 'caseClose', caseId: '8403556009' });
  });

  it('refuses bad ids, statuses UpdateCaseStatus does not take, unknown actions and extra words', () => {
    expect(error('case', 'case')).toBe('missing case id');
    expect(error('case 12345', 'case')).toBe('"12345" is not a case id; Security Incident Response case ids are 10 to 32 digits (like 8403556009)');
    expect(error(`case ${'1'.repeat(33)}`, 'case')).toContain('is not a case id');
    expect(error('case abcdefghij', 'case')).toContain('is not a case id');
    expect(error('case 8403556009 status', 'case')).toBe(
      'missing status; choose "Submitted", "Detection and Analysis", "Containment, Eradication and Recovery", "Post-incident Activities"',
    );
    expect(error('case 8403556009 status closed', 'case')).toBe('to close a case, use /sir case <case id> close');
    expect(error('case 8403556009 status Acknowledged', 'case')).toContain('"Acknowledged" is set by the service, not through UpdateCaseStatus');
    expect(error('case 8403556009 status "Ready to Close"', 'case')).toContain('is set by the service');
    expect(error('case 8403556009 status triage', 'case')).toBe(
      '"triage" is not a case status; choose "Submitted", "Detection and Analysis", "Containment, Eradication and Recovery", "Post-incident Activities" (or submitted, detection, containment, post-incident)',
    );
    expect(error('case 8403556009 reopen', 'case')).toBe('unknown case action "reopen"; use status, close or comment');
    expect(error('case 8403556009 close now', 'case')).toBe('unexpected argument "now" after close');
    expect(error('case 8403556009 --all', 'case')).toBe('unknown option --all (this subcommand takes no options)');
  });
});

describe('/sir cases', () => {
  it('lists open cases, or all of them with --all', () => {
    expect(command('cases')).toEqual({ kind: 'cases', all: false });
    expect(command('cases --all')).toEqual({ kind: 'cases', all: true });
    expect(command('Cases —all')).toEqual({ kind: 'cases', all: true });
  });

  it('refuses other options, a repeated --all, a value, or arguments', () => {
    expect(error('cases --mine', 'cases')).toBe('unknown option --mine (options: --all)');
    expect(error('cases --all --all', 'cases')).toBe('--all is given twice');
    expect(error('cases --all=yes', 'cases')).toBe('--all takes no value');
    expect(error('cases open', 'cases')).toBe('unexpected argument "open"');
  });
});

describe('/sir status', () => {
  const F = '5ac8f1e2d3b4a59687f0e1d2c3b4a596';

  it('sets a workflow status (any case), with an optional note', () => {
    expect(command(`status ${F} RESOLVED`)).toEqual({ kind: 'status', findingId: F, status: 'RESOLVED' });
    expect(command(`status ${F} suppressed`)).toEqual({ kind: 'status', findingId: F, status: 'SUPPRESSED' });
    expect(command(`status ${F} New`)).toMatchObject({ status: 'NEW' });
    expect(command(`status ${F} notified`)).toMatchObject({ status: 'NOTIFIED' });
  });

  it('takes the rest of the text as the note, as typed; one quoted argument loses its quotes', () => {
    expect(command(`status ${F} RESOLVED rotated the key,  see   INC-42`)).toMatchObject({ note: 'rotated the key,  see   INC-42' });
    expect(command(`status ${F} RESOLVED "false positive: the pentest team"`)).toMatchObject({ note: 'false positive: the pentest team' });
    expect(command(`status ${F} RESOLVED “curly quotes from a phone”`)).toMatchObject({ note: 'curly quotes from a phone' });
    expect(command(`status ${F} RESOLVED the "red team" did it`)).toMatchObject({ note: 'the "red team" did it' });
    expect(command(`status ${F} RESOLVED it's "odd`)).toMatchObject({ note: `it's "odd` });
    expect(command(`status ${F} RESOLVED ""`)).toEqual({ kind: 'status', findingId: F, status: 'RESOLVED' });
    expect(command(`status ${F} RESOLVED ${'n'.repeat(512)}`)).toMatchObject({ note: 'n'.repeat(512) });
  });

  it('decodes what Slack escaped and unwraps its links in the note', () => {
    expect(command(`status ${F} NOTIFIED paged &lt;oncall&gt; &amp; ops, see <https://jira.example.com/browse/INC-7|INC-7>`)).toMatchObject({
      note: 'paged <oncall> & ops, see INC-7',
    });
    expect(command(`status ${F} NOTIFIED told <@U0ALICE> in <#C0SEC|security>`)).toMatchObject({ note: 'told @U0ALICE in security' });
  });

  it('refuses a missing or unknown status, a missing or spaced finding id, and a note over 512 characters', () => {
    expect(error('status', 'status')).toBe('missing finding id');
    expect(error(`status ${F}`, 'status')).toBe('missing status; choose NEW, NOTIFIED, RESOLVED, SUPPRESSED');
    expect(error(`status ${F} DONE`, 'status')).toBe('"DONE" is not a workflow status; choose NEW, NOTIFIED, RESOLVED, SUPPRESSED');
    expect(error(`status "${F} x" RESOLVED`, 'status')).toBe(`a finding id has no spaces: "${F} x"`);
    expect(error(`status ${'f'.repeat(513)} RESOLVED`, 'status')).toContain('at most 512 are allowed');
    expect(error(`status ${F} RESOLVED ${'n'.repeat(513)}`, 'status')).toBe('the note has 513 characters; at most 512 are allowed');
    expect(error(`status ${F} "RESOLVED`, 'status')).toBe('a quote is not closed');
    expect(error(`status --force ${F} RESOLVED`, 'status')).toBe('unknown option --force (this subcommand takes no options)');
  });
});

describe('Slack text', () => {
  it('unwraps <url|label> to the label and <url> to the url, then decodes entities once', () => {
    expect(decodeSlackText('<http://example.com|example.com>')).toBe('example.com');
    expect(decodeSlackText('<https://example.com/a?b=1&amp;c=2>')).toBe('https://example.com/a?b=1&c=2');
    expect(decodeSlackText('&lt;b&gt; &amp;amp; &amp;lt;')).toBe('<b> &amp; &lt;');
    expect(decodeSlackText('<!here> <@U123|alice>')).toBe('!here alice');
  });

  it('classifies targets outside a command too', () => {
    expect(classifyTarget('10.0.0.1')).toEqual({ type: 'ip', value: '10.0.0.1' });
    expect(classifyTarget('not valid!')).toHaveProperty('error');
  });
});

describe('/sir snooze', () => {
  it('lists active snoozes, with or without "list"', () => {
    expect(command('snooze')).toEqual({ kind: 'snoozeList' });
    expect(command('snooze LIST')).toEqual({ kind: 'snoozeList' });
    expect(error('snooze list all', 'snooze')).toBe('unexpected argument "all" after list');
  });

  it('cancels a snooze by its id', () => {
    expect(command('snooze cancel snooze-0123456789abcdef01234567')).toEqual({ kind: 'snoozeCancel', snoozeId: 'snooze-0123456789abcdef01234567' });
    expect(error('snooze cancel', 'snooze')).toBe('missing snooze id (see /sir snooze list)');
    expect(error('snooze cancel 42', 'snooze')).toContain('is not a snooze id');
  });

  it('snoozes by the entities named, for a while, with the rest of the text as the reason', () => {
    expect(command('snooze account=111122223333 type="Recon:EC2/PortProbeUnprotectedPort" for=24h the scanner\'s "weekly" run')).toEqual({
      kind: 'snooze',
      criteria: { resource: null, principal: null, type: 'Recon:EC2/PortProbeUnprotectedPort', accountId: '111122223333' },
      seconds: 86_400,
      reason: 'the scanner\'s "weekly" run',
    });
    expect(command('snooze principal=ci-deployer resource=arn:aws:s3:::b FOR=90m rotating')).toMatchObject({
      criteria: { principal: 'ci-deployer', resource: 'arn:aws:s3:::b' },
      seconds: 5400,
    });
    // A stray quote in the reason is part of the reason.
    expect(command('snooze account=111122223333 for=1h it"s a test')).toMatchObject({ reason: 'it"s a test' });
  });

  it('says what is missing or wrong', () => {
    expect(error('snooze for=8h why', 'snooze')).toBe('name at least one of account=, type=, resource=, principal=');
    expect(error('snooze account=111122223333 because', 'snooze')).toBe('missing for= (how long: 90m, 8h, 7d)');
    expect(error('snooze account=111122223333 for=8h', 'snooze')).toContain('missing reason');
    expect(error('snooze account=12 for=8h x', 'snooze')).toContain('is not an AWS account id');
    expect(error('snooze region=us-east-1 for=8h x', 'snooze')).toContain('unknown "region="');
    expect(error('snooze account=111122223333 for=40d x', 'snooze')).toBe('a snooze lasts at most 30 days');
    expect(error('snooze type=a type=b for=1h x', 'snooze')).toBe('type= is given twice');
  });
});

describe('/sir stats', () => {
  it('covers the last 7 days unless --since says otherwise', () => {
    expect(command('stats')).toEqual({ kind: 'stats', since: { hours: 168 } });
    expect(command('stats --since 30d')).toEqual({ kind: 'stats', since: { hours: 720 } });
    expect(command('stats --since 24h')).toEqual({ kind: 'stats', since: { hours: 24 } });
    expect(command('stats --since 2026-11-20')).toEqual({ kind: 'stats', since: { iso: '2026-11-20T00:00:00.000Z' } });
  });

  it('refuses a window it cannot read, and anything else', () => {
    expect(error('stats --since 91d', 'stats')).toBe('--since 91d reaches back too far: the numbers cover at most the last 90 days');
    expect(error('stats --since 2027-01-01', 'stats')).toBe('--since 2027-01-01 is in the future');
    expect(error('stats --since soon', 'stats')).toMatch(/neither a duration/);
    expect(error('stats weekly', 'stats')).toBe('unexpected argument "weekly"');
    expect(error('stats --until 2d', 'stats')).toMatch(/--until/);
  });
});
