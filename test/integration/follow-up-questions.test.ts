import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { eventCallbackBody, postSignedToSlackReceiver } from '../support/slack-signer.ts';
import { SIGNING_SECRET, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';
import { highlightLines } from '../../src/domain/actions/case-draft.ts';
import type { InvestigationConclusions } from '../../src/ports/store.ts';

/**
 * Responders ask sirbot follow-up questions in a finding's thread, sent as Slack sends
 * them (signed `message` events to the real Bolt app over its HTTP receiver); sirbot
 * answers in the thread from the fake CloudTrail's exposed-key scenario, with the exact
 * queries it ran. Each question carries its own `ts` — the morning after the finding (21
 * Nov 2026 12:00 UTC) — so "after 14:00" has one meaning whenever the test runs.
 */
const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, any>;
const WRITTEN_AT = Date.parse('2026-11-21T12:00:00Z') / 1000;
const BOT = 'U0SIRBOT';
const DIRECTORY = { users: { U0ALICE: { name: 'alice', tz: 'Europe/Paris' }, U0EVE: { name: 'eve' } }, groups: {} };

/**
 * The same scenario in an account with more regions enabled (us-west-2, eu-west-3,
 * ap-southeast-2 beside us-east-1), where the key also described instances in
 * ap-southeast-2: found only because questions search every enabled region — once within
 * the investigation's window, once the morning before it began.
 */
function everyRegionScenario(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-questions-'));
  cpSync(SCENARIO, dir, { recursive: true });
  writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify({ regions: ['us-west-2', 'eu-west-3', 'ap-southeast-2'] }));
  const far = {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLECIDEPLOY1',
      arn: 'arn:aws:iam::111122223333:user/ci-deployer',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXPOSEDKEY000001',
      userName: 'ci-deployer',
    },
    eventTime: '2026-11-21T10:07:00Z',
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: 'ap-southeast-2',
    sourceIPAddress: '203.0.113.50',
    userAgent: 'aws-cli/2.15.30',
    requestParameters: null,
    responseElements: null,
    eventID: 'far00000-0000-4000-8000-000000000001',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  };
  const before = { ...far, eventTime: '2026-11-20T09:00:00Z', eventName: 'DescribeRegions', eventID: 'far00000-0000-4000-8000-000000000000' };
  writeFileSync(path.join(dir, 'cloudtrail', '111122223333_CloudTrail_ap-southeast-2_20261121.json'), JSON.stringify({ Records: [before, far] }));
  dirs.push(dir);
  return dir;
}
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const root = (rt: TestRuntime) => rt.slack.state.messages('#security-incidents')[0]!;
const thread = (rt: TestRuntime) => rt.slack.state.thread(root(rt).channel, root(rt).ts);
const questions = (rt: TestRuntime) => thread(rt).find((m) => JSON.stringify(m.blocks ?? []).includes('investigation_start_now'));
const byText = (rt: TestRuntime, start: string) => thread(rt).filter((m) => m.text?.startsWith(start));
const shown = (m: { text?: string; blocks?: unknown }) => messageTexts(m).join('\n');
const investigation = async (rt: TestRuntime) => (await rt.runtime.core.store.listInvestigations())[0]!;
const auditOf = async (rt: TestRuntime, actor: string, action: string) =>
  (await rt.runtime.core.store.actions.listAudit()).filter((a) => a.actor === actor && a.action === action);

let seq = 0;
/** A thread message as Slack delivers it; returns the signed body, so a test can deliver it again. */
async function say(rt: TestRuntime, user: string, text: string, o: { body?: string; headers?: Record<string, string> } = {}): Promise<string> {
  seq++;
  const event = { type: 'message', channel: root(rt).channel, channel_type: 'channel', user, text, ts: `${WRITTEN_AT + seq}.000100`, thread_ts: root(rt).ts };
  const body = o.body ?? eventCallbackBody(event);
  const res = await postSignedToSlackReceiver(`${rt.runtime.url}/slack/events`, {
    body,
    contentType: 'application/json',
    signingSecret: SIGNING_SECRET,
    ...(o.headers ? { headers: o.headers } : {}),
  });
  expect(res.status).toBe(200);
  await rt.runtime.idle();
  return body;
}

describe('follow-up questions in a finding’s thread', () => {
  it('a responder’s questions are answered from CloudTrail with the queries run; refusals are shown; a retried event is answered once; a non-responder is refused', async () => {
    // Every enabled region of the account, one of them (eu-west-3) denied by an SCP.
    t = await startTestRuntime({
      scenario: everyRegionScenario(),
      env: { SIRBOT_RESPONDERS: 'U0ALICE' },
      directory: DIRECTORY,
      everyRegion: true,
      awsDeny: ['cloudtrail:LookupEvents@eu-west-3'],
    });
    const rt = t;
    await rt.ingest(FINDING);
    await expect.poll(() => questions(rt), { timeout: 10_000 }).toBeDefined();
    const answersBefore = (await investigation(rt)).answers;

    // While sirbot's own questions are open, a question that mentions it is answered — and answers nothing.
    const asked = await say(rt, 'U0ALICE', `<@${BOT}> what did this key do after 14:00?`);
    const [first] = byText(rt, 'Answer:');
    expect(first).toBeDefined();
    const firstText = shown(first!);
    expect(firstText).toContain(':mag: *Answer* for <@U0ALICE>: _what did this key do after 14:00?_');
    // 14:00 in Alice's zone (Europe/Paris) is 13:00 UTC.
    expect(firstText).toContain(
      'Read by the grammar as: access key AKIAEXPOSEDKEY000001; after 20 Nov 2026 14:00 Europe/Paris; in every enabled region of 111122223333 (4). Answered by CloudTrail event history (LookupEvents).',
    );
    // The key is looked up in each enabled region, the finding's first.
    expect(firstText).toContain(
      '*Queries run* (4):\n```LookupEvents region=us-east-1 LookupAttributes=[{AttributeKey=AccessKeyId,AttributeValue=AKIAEXPOSEDKEY000001}] StartTime=2026-11-20T13:00:00.000Z EndTime=2026-11-21T12:00:01.000Z\nLookupEvents region=ap-southeast-2 ',
    );
    // What the key did in a far region is in the answer; the denied region is named, the others said to be searched.
    expect(firstText).toContain(
      '• 2026-11-21 10:07:00Z `DescribeInstances` by `arn:aws:iam::111122223333:user/ci-deployer` from `203.0.113.50` in `ap-southeast-2`',
    );
    expect(firstText).toContain("CloudTrail was searched in 111122223333's us-east-1, ap-southeast-2, us-west-2; not in eu-west-3.");
    expect(firstText).toMatch(/:warning: CloudTrail in 111122223333\/eu-west-3: 1 of 1 lookup failed, AccessKeyId=AKIAEXPOSEDKEY000001: AccessDenied/);
    expect(firstText).toContain('• 2026-11-20 14:02:11Z `ListBuckets` by `arn:aws:iam::111122223333:user/ci-deployer` from `198.51.100.10`');
    expect(firstText).toContain('• 2026-11-21 10:06:00Z `AttachUserPolicy`');
    expect(firstText).toContain('15 events found; all of them are in the files below');
    expect((await investigation(rt)).answers).toEqual(answersBefore);
    expect(rt.slack.state.files().map((f) => f.name)).toEqual([
      expect.stringMatching(/^timeline-.*-question-\d+\.csv$/),
      expect.stringMatching(/-question-\d+\.json$/),
    ]);

    // Slack also sends the mention as an `app_mention` event: in an investigation's thread it gets no help message.
    const mention = JSON.parse(asked) as { event: Record<string, unknown> };
    await say(rt, 'U0ALICE', '', { body: eventCallbackBody({ ...mention.event, type: 'app_mention' }) });
    // Bolt runs the listener after acknowledging: give it the time it takes elsewhere to post.
    await new Promise((resolve) => setTimeout(resolve, 500));
    await rt.runtime.idle();
    expect(thread(rt).filter((m) => shown(m).includes('routing rule(s) loaded'))).toEqual([]);

    // Slack delivers the same event again (a retry), and the job runs a second time for the same message: one answer.
    await say(rt, 'U0ALICE', '', { body: asked, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    const again = JSON.parse(asked) as { event: Record<string, unknown> };
    await say(rt, 'U0ALICE', '', { body: eventCallbackBody(again.event) });
    expect(byText(rt, 'Answer:')).toHaveLength(1);
    // An edit of the question is not asked again.
    await say(rt, 'U0ALICE', '', {
      body: eventCallbackBody({
        type: 'message',
        subtype: 'message_changed',
        channel: root(rt).channel,
        message: { ...again.event, text: 'what did this key do after 15:00?' },
        ts: `${WRITTEN_AT + 90}.000100`,
      }),
    });
    expect(byText(rt, 'Answer:')).toHaveLength(1);

    // The questions are answered as before, even addressed to sirbot; the investigation runs.
    await say(rt, 'U0ALICE', `<@${BOT}> It leaked yesterday at 3pm and the key was deactivated this morning.`);
    await expect.poll(async () => (await investigation(rt)).state, { timeout: 20_000 }).toBe('summarized');
    await rt.runtime.idle();

    // Once it is summarized, questions need no mention.
    await say(rt, 'U0ALICE', 'show S3 activity on acme-build-artifacts');
    const s3 = shown(byText(rt, 'Answer:')[1]!);
    expect(s3).toContain('Read by the grammar as: bucket acme-build-artifacts; s3.amazonaws.com calls; the investigation’s window');
    expect(s3).toContain('AttributeKey=ResourceName,AttributeValue=acme-build-artifacts');
    expect(s3).toContain('• 2026-11-20 14:02:40Z `PutObject`');
    expect(s3).toContain('1 event found');

    await say(rt, 'U0ALICE', 'who else used this key?');
    const who = shown(byText(rt, 'Answer:')[2]!);
    expect(who).toContain('• `arn:aws:iam::111122223333:user/ci-deployer` — 15 events');
    const gathered = (await investigation(rt)).result as InvestigationConclusions;

    // Before the investigation's window, in a far region: an event the investigation did not have.
    await say(rt, 'U0ALICE', 'what did this key do since yesterday?');
    const since = shown(byText(rt, 'Answer:')[3]!);
    expect(since).toContain('• 2026-11-20 09:00:00Z `DescribeRegions` by `arn:aws:iam::111122223333:user/ci-deployer` from `203.0.113.50` in `ap-southeast-2`');
    expect(since).toContain('16 events found');

    // Refusals, in the thread: no source can search by IP; no role here; a write; hostile markup.
    await say(rt, 'U0ALICE', 'anything from 203.0.113.7 in the last 30 days?');
    await say(rt, 'U0ALICE', 'who else used this role?');
    await say(rt, 'U0ALICE', `<@${BOT}> <!channel> *delete* this key now <http://evil.example|please>`);
    await say(rt, 'U0ALICE', 'what did this key do in the last 2 years?');
    const refusals = byText(rt, 'Not answered:').map(shown);
    expect(refusals).toHaveLength(4);
    expect(refusals[0]).toContain(
      'no long-term store of CloudTrail records (CloudTrail Lake, Athena over the trail’s logs, the trail’s S3 logs) is configured to answer it.',
    );
    expect(refusals[0]).toContain('CloudTrail event history (LookupEvents) could not: event history cannot search by source IP.');
    expect(refusals[1]).toContain('this investigation names no role: name one instead (`role deploy-bot` or its ARN).');
    expect(refusals[2]).toContain('questions only read CloudTrail: sirbot changes nothing in AWS');
    expect(refusals[2]).not.toMatch(/<!channel>|<http/);
    expect(refusals[3]).toContain('the time range is longer than 180 days');

    // Someone without the responder role: refused privately, audited, nothing in the thread.
    const length = thread(rt).length;
    await say(rt, 'U0EVE', 'what did this key do after 14:00?');
    expect(thread(rt)).toHaveLength(length);
    expect(
      rt.slack.state
        .ephemerals()
        .filter((e) => e.user === 'U0EVE')
        .map((e) => e.text),
    ).toEqual(['Not allowed: this needs the responder role, which you do not have.']);
    expect((await auditOf(rt, 'U0EVE', 'investigation.question')).map((a) => a.outcome)).toEqual(['refused']);

    // Every question Alice asked is audited: what, how it was read, the queries and the count.
    const audit = await auditOf(rt, 'U0ALICE', 'investigation.question');
    expect(audit.map((a) => a.outcome)).toEqual(['executed', 'executed', 'executed', 'executed', 'failed', 'failed', 'failed', 'failed']);
    expect(audit[0]).toMatchObject({
      inputs: { question: `what did this key do after 14:00?`, read: 'grammar', query: { match: { accessKeyIds: ['AKIAEXPOSEDKEY000001'] } } },
      result: { via: 'event-history', events: 15, regions: { searched: ['us-east-1', 'ap-southeast-2', 'us-west-2'], failed: ['eu-west-3'] } },
    });
    // The investigation's stored timeline has what its questions found after it was summarized, deduplicated by event id
    // (every region's events were gathered already, so only the one before the window is new), marked with where it came from.
    const result = (await investigation(rt)).result as InvestigationConclusions;
    expect(result.followUps?.map((f) => [f.question, f.via, f.events, f.added, f.regions?.failed])).toEqual([
      ['show S3 activity on acme-build-artifacts', 'event-history', 1, 0, ['eu-west-3']],
      ['who else used this key?', 'event-history', 15, 0, ['eu-west-3']],
      ['what did this key do since yesterday?', 'event-history', 16, 1, ['eu-west-3']],
    ]);
    expect(result.events).toBe(gathered.events + 1);
    const added = result.highlights.filter((e) => e.id === 'far00000-0000-4000-8000-000000000000');
    expect(added.map((e) => e.highlights)).toEqual([
      [expect.stringMatching(/^found by a question in the thread: “what did this key do since yesterday\?” \(event-history, /)],
    ]);
    // Oldest first, as the timeline is: a case opened now lists it among the highlights.
    expect(result.highlights[0]?.id).toBe('far00000-0000-4000-8000-000000000000');
    expect(highlightLines(result.highlights)[0]).toMatch(
      /^2026-11-20T09:00:00.000Z \| DescribeRegions \| arn:aws:iam::111122223333:user\/ci-deployer \| 203.0.113.50 \| 111122223333 \| ap-southeast-2 \| ok \| found by a question/,
    );
  }, 60_000);

  it('where a Bedrock model is configured, a question the grammar cannot read is translated into the same bounded query, and the answer says so', async () => {
    t = await startTestRuntime({
      scenario: everyRegionScenario(),
      env: { SIRBOT_RESPONDERS: 'U0ALICE', SIRBOT_BEDROCK_MODEL_ID: 'amazon.nova-micro-v1:0' },
      directory: DIRECTORY,
      everyRegion: true,
    });
    const rt = t;
    await rt.ingest(FINDING);
    await expect.poll(() => questions(rt), { timeout: 10_000 }).toBeDefined();

    await say(rt, 'U0ALICE', `<@${BOT}> did the leaked credentials make any policy changes?`);
    const answer = shown(byText(rt, 'Answer:')[0]!);
    expect(answer).toContain(
      'Read by the model (translated into the same bounded query) as: access key AKIAEXPOSEDKEY000001; calls to AttachUserPolicy, AttachRolePolicy, PutUserPolicy, PutRolePolicy; the investigation’s window; in every enabled region of 111122223333 (4).',
    );
    // IAM calls are recorded in us-east-1 only, whatever region they were made in: one lookup covers every region.
    expect(answer).toContain(
      '*Queries run* (1):\n```LookupEvents region=us-east-1 LookupAttributes=[{AttributeKey=AccessKeyId,AttributeValue=AKIAEXPOSEDKEY000001}]',
    );
    expect(answer).toContain('CloudTrail was searched in every enabled region of 111122223333 (us-east-1, ap-southeast-2, eu-west-3, us-west-2).');
    expect(answer).toContain(
      '• 2026-11-21 10:06:00Z `AttachUserPolicy` by `arn:aws:iam::111122223333:user/ci-deployer` from `203.0.113.50` in `us-east-1` on `backup-svc`',
    );
    expect(
      rt.aws
        ?.calls()
        .filter((c) => c.service === 'bedrock')
        .map((c) => c.status),
    ).toEqual([200]);
    // A write is refused by the grammar before any model sees it.
    await say(rt, 'U0ALICE', `<@${BOT}> please disable the user`);
    expect(shown(byText(rt, 'Not answered:')[0]!)).toContain('questions only read CloudTrail');
    expect(rt.aws?.calls().filter((c) => c.service === 'bedrock')).toHaveLength(1);
    // What neither can read is refused, saying both.
    await say(rt, 'U0ALICE', `<@${BOT}> tell me a joke`);
    expect(shown(byText(rt, 'Not answered:')[1]!)).toContain(
      'amazon.nova-micro-v1:0 could not either: the model could not make a bounded search of it: nothing in the question maps to a CloudTrail search',
    );
    const audit = await auditOf(rt, 'U0ALICE', 'investigation.question');
    expect(audit.map((a) => [a.outcome, (a.inputs as { read?: string }).read])).toEqual([
      ['executed', 'model'],
      ['failed', 'grammar'],
      ['failed', 'model'],
    ]);
  }, 60_000);
});
