import { describe, expect, it } from 'vitest';
import { ANSWER_EXAMPLES, MAX_READ, type ReplyContext, isConversation, readReply } from '../../src/domain/investigation/free-text-answers.ts';
import { storedTime, timeInZone, timesIn } from '../../src/domain/investigation/free-text-times.ts';
import { PLAYBOOKS } from '../../src/domain/investigation/playbook-catalog.ts';
import type { QuestionId } from '../../src/domain/investigation/playbooks.ts';

/**
 * Replies as responders write them in a finding's thread, read against the questions of
 * the credential-exposure playbook (exposure time, principal, key, rotation, account).
 * The reply is written on Sunday 6 Dec 2026 at 12:00 UTC.
 */
const AT = Date.parse('2026-12-06T12:00:00Z');
const ASKED = PLAYBOOKS['credential-exposure'].questions;
const ctx = (o: Partial<ReplyContext> = {}): ReplyContext => ({
  at: AT,
  asked: ASKED,
  open: ['exposedAt', 'rotated', 'principal'],
  accountId: '111122223333',
  ...o,
});
const answers = (text: string, o: Partial<ReplyContext> = {}) => readReply(text, ctx(o)).answers;

describe('plain replies that answer', () => {
  it.each<[string, Record<string, string>]>([
    // Times, relative to the reply and in UTC when the writer's zone is not known.
    ['it leaked yesterday at 3pm', { exposedAt: '2026-12-05T15:00Z' }],
    ['The key was pushed to GitHub on Nov 18, around 9am', { exposedAt: '2026-11-18T09:00Z' }],
    ['2026-11-20 14:00', { exposedAt: '2026-11-20T14:00Z' }],
    ['exposed 2026-11-20T09:30Z', { exposedAt: '2026-11-20T09:30Z' }],
    ['I think around 2 hours ago', { exposedAt: '2026-12-06T10:00Z' }],
    ['on Nov 20', { exposedAt: '2026-11-20' }],
    ['probably 20th November', { exposedAt: '2026-11-20' }],
    ['leaked Nov 20, 2026 at 14:00 CET', { exposedAt: '2026-11-20T13:00Z' }],
    ['it was committed to a public repo last Tuesday evening', { exposedAt: '2026-12-01T18:00Z' }],
    ['it leaked this morning', { exposedAt: '2026-12-06T06:00Z' }],
    ['leaked 45 mins ago', { exposedAt: '2026-12-06T11:15Z' }],
    ["it's been out there since 20/11/2026", { exposedAt: '2026-11-20' }],
    ['exposed at: yesterday 3pm', { exposedAt: '2026-12-05T15:00Z' }],
    // Rotation: "yes" is rotated (kept as deleted/rotated), deactivation is its own answer.
    ['yes it’s rotated', { rotated: 'deleted' }],
    ['not rotated yet', { rotated: 'no' }],
    ['nope, not yet', { rotated: 'no' }],
    ['No, the key is still active', { rotated: 'no' }],
    ["we haven't deactivated it", { rotated: 'no' }],
    ['it was deactivated this morning', { rotated: 'deactivated' }],
    ['Disabled the old key an hour ago', { rotated: 'deactivated' }],
    ['the key is no longer active', { rotated: 'deactivated' }],
    ['we deleted the key and issued a new one', { rotated: 'deleted' }],
    ["I don't know whether it was rotated", { rotated: 'unknown' }],
    // Identifiers, by their form (readIdentifier), and principals in words.
    ['the key is AKIAIOSFODNN7EXAMPLE', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }],
    ['ASIAQWERTYUIOPASDFGH (a session key)', { accessKeyId: 'ASIAQWERTYUIOPASDFGH' }],
    ['account 1111-2222-3333', { accountId: '111122223333' }],
    ['in 210987654321', { accountId: '210987654321' }],
    ['instance i-0a1b2c3d4e5f00001.', { instanceId: 'i-0a1b2c3d4e5f00001' }],
    ['arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f00001', { instanceId: 'i-0a1b2c3d4e5f00001' }],
    ['the user is ci-deployer', { principal: 'ci-deployer' }],
    ['IAM user alice', { principal: 'alice' }],
    ['the backup-svc user did it', { principal: 'backup-svc' }],
    ['it was the role deploy-bot', { principal: 'arn:aws:iam::111122223333:role/deploy-bot' }],
    ['arn:aws:iam::111122223333:user/ci-deployer', { principal: 'arn:aws:iam::111122223333:user/ci-deployer' }],
    ['arn:aws:sts::111122223333:assumed-role/Deploy/ci-run-42', { principal: 'arn:aws:sts::111122223333:assumed-role/Deploy/ci-run-42' }],
    ['root user, sadly', { principal: 'root' }],
    ['ci-deployer', { principal: 'ci-deployer' }],
  ])('%s', (text, expected) => {
    expect(answers(text)).toEqual(expected);
  });

  it('reads several answers from one sentence, each time beside the words it belongs to', () => {
    const r = readReply('the key AKIAEXPOSEDKEY000001 leaked at 8am today and it’s rotated', ctx());
    expect(r.answers).toEqual({ accessKeyId: 'AKIAEXPOSEDKEY000001', exposedAt: '2026-12-06T08:00Z', rotated: 'deleted' });
    expect(r.zones.exposedAt).toEqual({ name: 'UTC', assumed: true });

    const both = readReply('It leaked yesterday at 3pm and was deactivated this morning.', ctx());
    expect(both.answers).toEqual({ exposedAt: '2026-12-05T15:00Z', rotated: 'deactivated' });
    expect(both.rotatedAt).toBe('2026-12-06T06:00Z');
    expect(both.notes).toEqual({ rotated: 'morning taken as from 06:00' });

    const reversed = readReply('deactivated 2 hours ago; the key had leaked on Nov 20 around 9am', ctx());
    expect(reversed.answers).toEqual({ rotated: 'deactivated', exposedAt: '2026-11-20T09:00Z' });
    expect(reversed.rotatedAt).toBe('2026-12-06T10:00Z');

    expect(answers('user ci-deployer, key AKIAIOSFODNN7EXAMPLE in 111122223333, instance i-0123456789abcdef0')).toEqual({
      principal: 'ci-deployer',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      accountId: '111122223333',
      instanceId: 'i-0123456789abcdef0',
    });
    expect(answers('key: AKIAOTHERKEY00000001\nexposedAt: 2026-11-19\nand yes, it was rotated')).toEqual({
      accessKeyId: 'AKIAOTHERKEY00000001',
      exposedAt: '2026-11-19',
      rotated: 'deleted',
    });
  });

  it('takes "yes", "no" and a time alone only for a question still open', () => {
    expect(answers('yes')).toEqual({ rotated: 'deleted' });
    expect(readReply('yes, this morning', ctx())).toMatchObject({ answers: { rotated: 'deleted' }, rotatedAt: '2026-12-06T06:00Z' });
    expect(answers('no')).toEqual({ rotated: 'no' });
    expect(answers('no', { open: ['exposedAt'] })).toEqual({});
    expect(answers('yesterday at 3pm', { open: ['rotated'] })).toEqual({});
    expect(answers('ci-deployer', { open: ['exposedAt'] })).toEqual({});
    // "don't know" could answer anything: only when the rotation is the one question left.
    expect(answers("don't know", { open: ['rotated'] })).toEqual({ rotated: 'unknown' });
    expect(answers("don't know")).toEqual({});
    // Said in words, an answer is read for any question the playbook asks (a second one becomes a disagreement).
    expect(answers('actually it leaked on Nov 18', { open: [] })).toEqual({ exposedAt: '2026-11-18' });
    expect(answers('it was deactivated', { open: [] })).toEqual({ rotated: 'deactivated' });
  });

  it('reads only what the playbook asks, except identifiers, whose form says what they are', () => {
    const ec2 = { asked: PLAYBOOKS['ec2-compromise'].questions, open: ['instanceId'] as QuestionId[] };
    expect(answers('it leaked yesterday and was deactivated this morning', ec2)).toEqual({});
    expect(answers('the user is ci-deployer', ec2)).toEqual({});
    expect(answers('i-0a1b2c3d4e5f00001, key AKIAIOSFODNN7EXAMPLE', ec2)).toEqual({ instanceId: 'i-0a1b2c3d4e5f00001', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
  });

  it('names a role by its ARN in the account investigated, so it is searched as a role (and says so when no account is known)', () => {
    expect(readReply('the role deploy-bot', ctx({ accountId: undefined }))).toMatchObject({
      answers: { principal: 'deploy-bot' },
      notes: { principal: 'searched as a user name: give the role ARN to search it as a role' },
    });
  });

  it('takes the earliest of several exposure times, and says so', () => {
    const r = readReply('it leaked yesterday at 3pm, maybe even exposed on Dec 1', ctx());
    expect(r.answers.exposedAt).toBe('2026-12-01');
    expect(r.notes.exposedAt).toBe('the earliest of 2 times given');
  });

  it('keeps one value per question and reply, and says what it left', () => {
    const r = readReply('keys AKIAIOSFODNN7EXAMPLE and AKIAOTHERKEY00000001', ctx());
    expect(r.answers).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    expect(r.errors).toEqual(['accessKeyId: AKIAOTHERKEY00000001 not taken — one answer a reply; reply again to add it']);
  });
});

describe('replies that must not be read as answers', () => {
  it.each([
    'thanks!',
    'on it',
    'looking into it now',
    'I looked at it this morning',
    'anyone looking at this one?',
    'has it been rotated?',
    'Was the key rotated',
    'When was it exposed',
    'which user is this?',
    'we should rotate it',
    "I'll deactivate it tomorrow",
    'it will be rotated tomorrow morning',
    'please deactivate the key',
    'can you rotate it once the deploy is done',
    'if it leaked yesterday we are in trouble',
    'it did not leak on Monday',
    "I'm not sure when it leaked",
    'rotated the logs yesterday',
    'deleted the old alarm',
    'the commit with the key was deleted yesterday',
    'the instance was removed',
    'I pushed a fix yesterday at 3pm',
    'I shared the runbook this morning',
    'The alert fired at 10:07 yesterday',
    'meeting at 3pm today',
    'around 10 requests per minute',
    'about 5 keys were listed',
    'the user has MFA',
    'user error, probably',
    'the role was assumed by someone else',
    'alice',
    'ok',
    'sounds good, will update in an hour',
    'exposed tomorrow',
  ])('%s', (text) => {
    expect(answers(text)).toEqual({});
  });

  it('says why a time meant as the exposure cannot be taken', () => {
    expect(readReply('exposed tomorrow', ctx()).errors).toEqual(['exposedAt: tomorrow is after the reply was written']);
    expect(readReply('leaked 03/04/2026', ctx()).errors).toEqual([
      'exposedAt: 03/04/2026 could be either day first or month first: write 2026-11-20 or 20 Nov',
    ]);
    expect(readReply('it leaked today at 3pm', ctx()).errors).toEqual(['exposedAt: 6 Dec 2026 15:00 UTC is after the reply was written']);
    expect(readReply('account: 12345', ctx()).errors).toEqual(['accountId: expected a 12-digit AWS account id']);
  });
});

describe('time zones', () => {
  it('reads local times in the writer’s Slack zone when it is known, and in UTC (said) when not', () => {
    const paris = readReply('leaked yesterday at 3pm', ctx({ zone: 'Europe/Paris' }));
    expect(paris.answers.exposedAt).toBe('2026-12-05T14:00Z');
    expect(paris.zones.exposedAt).toEqual({ name: 'Europe/Paris', assumed: false });
    const unknown = readReply('leaked yesterday at 3pm', ctx({ zone: 'Not/AZone' }));
    expect(unknown.answers.exposedAt).toBe('2026-12-05T15:00Z');
    expect(unknown.zones.exposedAt).toEqual({ name: 'UTC', assumed: true });
    // A day in a known zone is its local start; "yesterday" is the writer's yesterday.
    expect(readReply('on Nov 20', ctx({ zone: 'Europe/Paris' }))).toMatchObject({
      answers: { exposedAt: '2026-11-19T23:00Z' },
      notes: { exposedAt: 'the whole day, from its start' },
    });
    expect(answers('leaked today at 9am', { at: Date.parse('2026-12-06T02:00:00Z'), zone: 'America/Los_Angeles' })).toEqual({ exposedAt: '2026-12-05T17:00Z' });
    // A time with its own zone, or counted back from the reply, needs no assumption.
    expect(readReply('leaked at 14:00 UTC', ctx()).zones).toEqual({});
    expect(readReply('leaked at 09:30 +01:00', ctx()).answers).toEqual({ exposedAt: '2026-12-06T08:30Z' });
    expect(readReply('2 hours ago', ctx()).zones).toEqual({});
  });

  it('handles clock changes: a skipped time lands after the change', () => {
    const at = Date.parse('2026-03-09T12:00:00Z');
    expect(answers('leaked yesterday at 2:30am', { at, zone: 'America/New_York' })).toEqual({ exposedAt: '2026-03-08T07:30Z' });
    expect(answers('leaked yesterday at 3pm', { at, zone: 'America/New_York' })).toEqual({ exposedAt: '2026-03-08T19:00Z' });
    expect(answers('leaked on Mar 1 at 3pm', { at, zone: 'America/New_York' })).toEqual({ exposedAt: '2026-03-01T20:00Z' });
  });

  it('makes vague times definite, never later than meant, and says how', () => {
    const at = Date.parse('2026-12-07T09:00:00Z'); // a Monday morning
    expect(answers('leaked on Monday at 5pm', { at })).toEqual({ exposedAt: '2026-11-30T17:00Z' });
    expect(answers('leaked last Monday', { at })).toEqual({ exposedAt: '2026-11-30' });
    expect(answers('leaked on Friday night', { at })).toEqual({ exposedAt: '2026-12-04T18:00Z' });
    expect(answers('leaked on Dec 30', { at: Date.parse('2026-01-03T12:00:00Z') })).toEqual({ exposedAt: '2025-12-30' });
    expect(readReply('at 3pm', ctx())).toMatchObject({ answers: { exposedAt: '2026-12-05T15:00Z' }, notes: { exposedAt: 'taken as yesterday' } });
    expect(readReply('yesterday at 3', ctx())).toMatchObject({
      answers: { exposedAt: '2026-12-05T03:00Z' },
      notes: { exposedAt: 'taken as 03:00 (write 3pm for the afternoon)' },
    });
    expect(answers('this morning around 9')).toEqual({ exposedAt: '2026-12-06T09:00Z' });
    expect(answers('yesterday evening at 8')).toEqual({ exposedAt: '2026-12-05T20:00Z' });
  });

  it('finds times and shows them', () => {
    expect(timesIn('between noon and 2026-11-20 14:00', AT, 'UTC').map((t) => t.instant)).toEqual([
      Date.parse('2026-12-06T12:00Z'),
      Date.parse('2026-11-20T14:00Z'),
    ]);
    expect(storedTime({ instant: Date.parse('2026-11-20T00:00Z'), wholeDay: true }, 'UTC')).toBe('2026-11-20');
    expect(storedTime({ instant: Date.parse('2026-11-20T09:30:15Z'), wholeDay: false }, 'UTC')).toBe('2026-11-20T09:30:15Z');
    expect(timeInZone(Date.parse('2026-11-20T09:30Z'), 'Europe/Paris')).toBe('20 Nov 2026 10:30 Europe/Paris');
  });
});

describe('what is not meant as an answer at all', () => {
  it('tells conversation from replies that tried to answer', () => {
    expect(isConversation('<@U0BOB> can you check the VPC logs')).toBe(true);
    expect(isConversation(':eyes: :+1:')).toBe(true);
    expect(isConversation('!!')).toBe(true);
    expect(isConversation('it was about lunchtime')).toBe(false);
  });

  it('reads Slack markup as plain words, and only the start of a very long reply', () => {
    expect(answers('the key is `AKIAIOSFODNN7EXAMPLE` and it was *deactivated* _this morning_')).toEqual({
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      rotated: 'deactivated',
    });
    expect(answers('user <mailto:alice@example.com|alice@example.com>')).toEqual({ principal: 'alice@example.com' });
    expect(answers('AKIA\u200bIOSFODNN7EXAMPLE')).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    expect(answers('<!channel> <@U0BOB> &lt;script&gt;')).toEqual({});
    expect(answers(`${'blah '.repeat(MAX_READ / 5)} AKIAIOSFODNN7EXAMPLE`)).toEqual({});
  });

  it('understands every example it gives in its help', () => {
    const all: QuestionId[] = ['exposedAt', 'principal', 'accessKeyId', 'rotated', 'accountId', 'instanceId'];
    for (const q of all) expect(Object.keys(answers(ANSWER_EXAMPLES[q], { asked: all, open: all })), ANSWER_EXAMPLES[q]).toEqual([q]);
  });
});
