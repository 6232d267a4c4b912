import { describe, expect, it } from 'vitest';
import { queryProblem } from '../../src/domain/investigation/event-query.ts';
import { type QuestionContext, readQuestion } from '../../src/domain/investigation/follow-up-questions.ts';
import { MAX_QUESTION, isQuestionForSirbot } from '../../src/domain/investigation/question-words.ts';

/** The exposed key's investigation, asked about the morning after (21 Nov 2026 12:00 UTC). */
const AT = Date.parse('2026-11-21T12:00:00Z');
const CTX: QuestionContext = {
  at: AT,
  zone: 'UTC',
  zoneKnown: false,
  accountId: '111122223333',
  region: 'us-east-1',
  window: { start: '2026-11-13T10:00:00.000Z', end: '2026-11-21T10:11:00.000Z' },
  subjects: [
    { kind: 'accessKey', id: 'AKIAEXPOSEDKEY000001', principal: 'ci-deployer', principalType: 'IAMUser' },
    { kind: 'ip', id: '203.0.113.50' },
  ],
};
const WITH_ROLE: QuestionContext = {
  ...CTX,
  region: 'us-west-2',
  subjects: [
    { kind: 'role', id: 'webapp-ec2-role' },
    { kind: 'instance', id: 'i-05e1a0b7c3d900a11' },
  ],
};

function query(text: string, ctx = CTX) {
  const r = readQuestion(text, ctx);
  if (!r.ok) throw new Error(`refused: ${r.reason}`);
  expect(queryProblem(r.query)).toBeNull();
  return r;
}
function refusal(text: string, ctx = CTX): string {
  const r = readQuestion(text, ctx);
  if (r.ok) throw new Error(`read as ${JSON.stringify(r.query)}`);
  return r.reason;
}
const none = { accessKeyIds: [], usernames: [], resourceNames: [], sourceIps: [], eventNames: [] };

describe('the follow-up question grammar', () => {
  it('"what did this key do after 14:00?" — the finding’s key, from 14:00 in the asker’s zone (yesterday’s, as today’s is still ahead)', () => {
    const r = query('what did this key do after 14:00?');
    expect(r.query).toEqual({
      accountId: '111122223333',
      regions: ['us-east-1'],
      window: { start: '2026-11-20T14:00:00.000Z', end: '2026-11-21T12:00:00.000Z' },
      match: { ...none, accessKeyIds: ['AKIAEXPOSEDKEY000001'] },
      limit: 500,
    });
    expect(r.wants).toBe('events');
    expect(r.understood).toContain('access key AKIAEXPOSEDKEY000001');
    expect(r.understood).toContain('times read as UTC (your Slack time zone is not known)');
    // In Paris, 14:00 is 13:00 UTC.
    const paris = query('what did this key do after 14:00?', { ...CTX, zone: 'Europe/Paris', zoneKnown: true });
    expect(paris.query.window.start).toBe('2026-11-20T13:00:00.000Z');
    expect(paris.understood.join(' ')).toContain('after 20 Nov 2026 14:00 Europe/Paris');
  });

  it('"anything from 203.0.113.7 in the last 30 days?" — a source IP over 30 days back from the question', () => {
    const r = query('anything from 203.0.113.7 in the last 30 days?');
    expect(r.query.match).toEqual({ ...none, sourceIps: ['203.0.113.7'] });
    expect(r.query.window).toEqual({ start: '2026-10-22T12:00:00.000Z', end: '2026-11-21T12:00:00.000Z' });
    expect(r.query.regions).toEqual(['us-east-1']);
  });

  it('"who else used this role?" — the role by name and ARN, over the investigation’s window, answered as principals', () => {
    const r = query('who else used this role?', WITH_ROLE);
    expect(r.wants).toBe('principals');
    expect(r.query.match.resourceNames).toEqual(['webapp-ec2-role', 'arn:aws:iam::111122223333:role/webapp-ec2-role']);
    expect(r.query.window).toEqual({ start: CTX.window.start, end: CTX.window.end });
    expect(r.query.regions).toEqual(['us-west-2', 'us-east-1']);
  });

  it('naming no region, a question searches where the use case says (the account’s enabled regions); a named region wins', () => {
    const searchIn = { regions: ['us-west-2', 'us-east-1', 'ap-southeast-2', 'eu-west-1'], words: 'every enabled region of 111122223333 (4)' };
    const everywhere = query('who else used this role?', { ...WITH_ROLE, searchIn });
    expect(everywhere.query.regions).toEqual(searchIn.regions);
    expect(everywhere.understood).toContain('in every enabled region of 111122223333 (4)');
    const named = query('who else used this role in eu-west-1?', { ...WITH_ROLE, searchIn });
    expect(named.query.regions).toEqual(['eu-west-1']);
    expect(named.understood).toContain('in eu-west-1');
  });

  it('"show S3 activity on acme-build-artifacts" — the bucket, only S3’s calls', () => {
    const r = query('show S3 activity on acme-build-artifacts');
    expect(r.query.match).toEqual({ ...none, resourceNames: ['acme-build-artifacts'] });
    expect(r.query.only).toEqual({ eventSources: ['s3.amazonaws.com'] });
    expect(r.understood).toEqual(expect.arrayContaining(['bucket acme-build-artifacts', 's3.amazonaws.com calls']));
  });

  it('reads the other forms: calls to an API, since yesterday, between two times, a region, named users, ARNs and instance ids', () => {
    expect(query('who called DeleteBucket or PutBucketPolicy since yesterday?').query).toMatchObject({
      match: { ...none, eventNames: ['DeleteBucket', 'PutBucketPolicy'] },
      window: { start: '2026-11-20T00:00:00.000Z', end: '2026-11-21T12:00:00.000Z' },
    });
    expect(query('calls to CreateUser by this user between 09:00 and 11:00 in us-west-2').query).toMatchObject({
      regions: ['us-west-2'],
      match: { ...none, usernames: ['ci-deployer'] },
      only: { eventNames: ['CreateUser'] },
      window: { start: '2026-11-21T09:00:00.000Z', end: '2026-11-21T11:00:00.000Z' },
    });
    expect(query('what did user backup-svc do?').query.match).toEqual({ ...none, usernames: ['backup-svc'] });
    expect(query('anything on arn:aws:iam::111122223333:user/backup-svc?').query.match.usernames).toEqual(['backup-svc']);
    expect(query('what happened to i-0abc1234def567890 today?').query).toMatchObject({
      match: { ...none, resourceNames: ['i-0abc1234def567890'] },
      window: { start: '2026-11-21T00:00:00.000Z', end: '2026-11-21T12:00:00.000Z' },
    });
    expect(query('what did ASIAWEBAPP01AEXAMPLE do in the past 2 hours').query.window.start).toBe('2026-11-21T10:00:00.000Z');
    expect(query('show S3 object access on bucket acme-build-artifacts').query.only).toEqual({ eventSources: ['s3.amazonaws.com'], dataEvents: true });
    expect(query('what did the key do from 2026-11-20 10:00 to 2026-11-20 12:00?').query.window).toEqual({
      start: '2026-11-20T10:00:00.000Z',
      end: '2026-11-20T12:00:00.000Z',
    });
    expect(query('did this key call DeleteBucket?').query.only).toEqual({ eventNames: ['DeleteBucket'] });
    const onDay = query('what did 203.0.113.7 do on Nov 20');
    expect(onDay.query.window).toEqual({ start: '2026-11-20T00:00:00.000Z', end: '2026-11-21T00:00:00.000Z' });
    expect(onDay.understood).toContain('on 20 Nov 2026 UTC');
    expect(query('who created users in the last 7 days?').query.match).toEqual({ ...none, eventNames: ['CreateUser'] });
  });

  it('refuses what it cannot bound or understand, saying what', () => {
    expect(refusal('what happened?')).toMatch(/^nothing in the question names what to look for/);
    expect(refusal('what did this role do?')).toBe('this investigation names no role: name one instead (`role deploy-bot` or its ARN)');
    expect(refusal('what did this bucket see?')).toMatch(/^this investigation names no bucket/);
    expect(refusal('what did this key do in the last 2 years?')).toBe(
      'the time range is longer than 180 days: narrow it ("in the last 30 days", "since 1 Nov")',
    );
    expect(refusal('anything from this key in all regions?')).toMatch(/^every region is not a bounded search/);
    expect(refusal('what did this key do between 14:00 and lunch?')).toMatch(/^the time range could not be read/);
    expect(refusal('what did this key do after tomorrow?')).toMatch(/^the time range could not be read: tomorrow is after/);
    expect(refusal('what did bucket Not_A_Bucket do?')).toBe('`Not_A_Bucket` is not a bucket name');
    expect(refusal(`what did this key do ${'really '.repeat(80)}?`)).toBe(`the question is longer than ${MAX_QUESTION} characters: ask one thing at a time`);
  });

  it('refuses anything that asks to change AWS', () => {
    for (const text of [
      'delete this key',
      'disable the user',
      'please deactivate AKIAEXPOSEDKEY000001',
      'can you terminate i-0abc1234def567890?',
      '<@U0SIRBOT> revoke the role sessions',
      'ok, go ahead and block 203.0.113.50',
    ]) {
      expect(refusal(text)).toMatch(/^questions only read CloudTrail: sirbot changes nothing in AWS/);
    }
    // Asking about writes is a question.
    expect(query('who deleted the bucket acme-build-artifacts?').query.match.resourceNames).toEqual(['acme-build-artifacts']);
  });

  it('hostile text is read as plain words: broadcasts, formatting and forged links name nothing', () => {
    expect(refusal('<!channel> *show* everything <http://evil.example|now>')).toMatch(/^nothing in the question names/);
    expect(query('*what* did <http://evil.example|this key> do?').query.match.accessKeyIds).toEqual(['AKIAEXPOSEDKEY000001']);
    const r = query('<!here> what did `AKIAEXPOSEDKEY000001` do <@U0EVE>?');
    expect(r.query.match.accessKeyIds).toEqual(['AKIAEXPOSEDKEY000001']);
    expect(JSON.stringify(r)).not.toMatch(/<!|<@|<http/);
    // IAM names have no quotes: a quoted name is not read as one.
    expect(refusal("what did user o'brien do?")).toMatch(/^nothing in the question names/);
  });
});

describe('which thread messages are questions for sirbot', () => {
  const after = { mentionsBot: false, questionsOpen: false };
  it('after the questions are answered: question-shaped messages that name something to search', () => {
    for (const text of [
      'what did this key do after 14:00?',
      'anything from 203.0.113.7 in the last 30 days?',
      'who else used this role?',
      'show S3 activity on acme-build-artifacts',
    ]) {
      expect(isQuestionForSirbot(text, after)).toBe(true);
    }
    for (const text of ['anyone around to look at this?', 'leaked on Nov 18 actually', 'I rotated AKIAEXPOSEDKEY000001 already', 'thanks!']) {
      expect(isQuestionForSirbot(text, after)).toBe(false);
    }
  });
  it('while sirbot’s own questions are open, only a message mentioning it (answers read as before)', () => {
    expect(isQuestionForSirbot('what did this key do after 14:00?', { mentionsBot: false, questionsOpen: true })).toBe(false);
    expect(isQuestionForSirbot('what did this key do after 14:00?', { mentionsBot: true, questionsOpen: true })).toBe(true);
    expect(isQuestionForSirbot('<@U0SIRBOT> delete this key', { mentionsBot: true, questionsOpen: true })).toBe(true);
    expect(isQuestionForSirbot('<@U0SIRBOT> it leaked yesterday at 3pm', { mentionsBot: true, questionsOpen: true })).toBe(false);
  });
});
