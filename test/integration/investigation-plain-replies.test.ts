import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredAnswers } from '../../src/domain/investigation/answer-book.ts';
import { eventCallbackBody, postSignedToSlackReceiver } from '../support/slack-signer.ts';
import { SIGNING_SECRET, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

/**
 * Responders answer the investigation's questions in plain sentences, sent as Slack
 * sends them: signed `message` events to the real Bolt app. Each reply carries its own
 * `ts` — the morning after the exposed key's finding (21 Nov 2026 12:00 UTC) — so
 * "yesterday at 3pm" has one meaning whenever the test runs.
 */
const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, any>;
const KEY = 'AKIAEXPOSEDKEY000001';
const WRITTEN_AT = Date.parse('2026-11-21T12:00:00Z') / 1000;

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const root = (rt: TestRuntime) => rt.slack.state.messages('#security-incidents')[0]!;
const thread = (rt: TestRuntime) => rt.slack.state.thread(root(rt).channel, root(rt).ts);
const questions = (rt: TestRuntime) => thread(rt).find((m) => JSON.stringify(m.blocks ?? []).includes('investigation_start_now'));
const byText = (rt: TestRuntime, start: string) => thread(rt).filter((m) => m.text?.startsWith(start));
const stored = async (rt: TestRuntime): Promise<StoredAnswers> => (await rt.runtime.core.store.listInvestigations())[0]!.answers;
const ephemeralsOf = (rt: TestRuntime, user: string) =>
  rt.slack.state
    .ephemerals()
    .filter((e) => e.user === user)
    .map((e) => e.text);
const auditOf = async (rt: TestRuntime, actor: string) => (await rt.runtime.core.store.actions.listAudit()).filter((a) => a.actor === actor);

let seq = 0;
/** A thread reply as Slack delivers it: a signed `message` event, written `WRITTEN_AT` (plus a few seconds per reply). */
async function reply(rt: TestRuntime, user: string, text: string): Promise<void> {
  seq++;
  const event = { type: 'message', channel: root(rt).channel, channel_type: 'channel', user, text, ts: `${WRITTEN_AT + seq}.000100`, thread_ts: root(rt).ts };
  const res = await postSignedToSlackReceiver(`${rt.runtime.url}/slack/events`, {
    body: eventCallbackBody(event),
    contentType: 'application/json',
    signingSecret: SIGNING_SECRET,
  });
  expect(res.status).toBe(200);
  await rt.runtime.idle();
}

describe('plain thread replies to open questions', () => {
  it('a responder’s sentences answer questions (what was understood is said), an unreadable reply gets the expected forms once, a non-responder changes nothing, a differing answer is kept beside', async () => {
    t = await startTestRuntime({ scenario: SCENARIO, env: { SIRBOT_RESPONDERS: 'U0ALICE' } });
    const rt = t;
    await rt.ingest(FINDING);
    await expect.poll(() => questions(rt), { timeout: 10_000 }).toBeDefined();
    const before = await stored(rt);
    const threadLength = thread(rt).length;

    // Someone without the responder role: an answer in words is refused privately and audited; chat is ignored.
    await reply(rt, 'U0EVE', 'It leaked yesterday at 3pm and the key was deactivated this morning');
    await reply(rt, 'U0EVE', 'anyone around to look at this?');
    expect(await stored(rt)).toEqual(before);
    expect(thread(rt)).toHaveLength(threadLength);
    expect(ephemeralsOf(rt, 'U0EVE')).toEqual(['Not allowed: this needs the responder role, which you do not have.']);
    const refused = await auditOf(rt, 'U0EVE');
    expect(refused.map((a) => [a.action, a.outcome, a.inputs])).toEqual([
      [
        'investigation.answer',
        'refused',
        { investigation: expect.any(String), via: 'reply', answers: { exposedAt: '2026-11-20T15:00Z', rotated: 'deactivated' } },
      ],
    ]);

    // A responder's reply that answers nothing: what is expected, once for these open questions.
    await reply(rt, 'U0ALICE', 'looking into it now');
    await reply(rt, 'U0ALICE', 'still digging through the CloudTrail logs');
    const help = byText(rt, 'sirbot could not read an answer');
    expect(help).toHaveLength(1);
    const helpText = messageTexts({ blocks: help[0]!.blocks }).join('\n');
    expect(helpText).toContain('• _When were the credentials first exposed (or when could they have been)?_ — e.g. “it leaked yesterday at 3pm”');
    expect(helpText).toContain('• _Have the credentials already been rotated or deactivated?_ — e.g. “it was deactivated this morning”');
    expect(await stored(rt)).toEqual(before);

    // A key other than the finding's: kept beside it, as with block answers, and said so.
    await reply(rt, 'U0ALICE', 'hmm, I think the key was AKIAOTHERKEY00000001 actually');
    expect((await stored(rt)).disputed).toEqual({ accessKeyId: [{ value: 'AKIAOTHERKEY00000001', by: 'U0ALICE', at: expect.any(String) }] });
    expect((await stored(rt)).accessKeyId).toBe(KEY);
    const [disputed] = byText(rt, 'Understood');
    expect(messageTexts({ blocks: disputed!.blocks })[0]).toContain(
      `access key \`AKIAOTHERKEY00000001\` (differs from the kept \`${KEY}\`: recorded beside it).`,
    );
    expect(messageTexts(questions(rt)!).join('\n')).toContain(`*accessKeyId*: the finding names \`${KEY}\`; <@U0ALICE> answered \`AKIAOTHERKEY00000001\`.`);
    expect(ephemeralsOf(rt, 'U0ALICE')).toEqual([expect.stringContaining('Your answer differs from what is known, so it was added, not put in its place.')]);
    // The same open questions: no second note of what is expected.
    await reply(rt, 'U0ALICE', 'brb');
    expect(byText(rt, 'sirbot could not read an answer')).toHaveLength(1);

    // One sentence, two answers: the investigation starts, after saying what it understood.
    await reply(rt, 'U0ALICE', 'It leaked yesterday at 3pm and the key was deactivated this morning.');
    const answers = await stored(rt);
    expect(answers).toMatchObject({ exposedAt: '2026-11-20T15:00Z', rotated: 'deactivated', answeredBy: { exposedAt: 'U0ALICE', rotated: 'U0ALICE' } });
    const understood = byText(rt, 'Understood');
    expect(understood).toHaveLength(2);
    expect(messageTexts({ blocks: understood[1]!.blocks })[0]).toBe(
      [
        ':white_check_mark: *Understood* (<@U0ALICE>): exposed at 20 Nov 2026 15:00 UTC (assumed UTC); rotated: yes (deactivated), at 21 Nov 2026 06:00 UTC (assumed UTC) — morning taken as from 06:00.',
        'Nothing is left open: gathering evidence now.',
        '_Your Slack time zone is not known to me, so times without a zone were read as UTC; add one (`15:00 CET`, `+01:00`) to say otherwise._',
      ].join('\n'),
    );
    const audit = (await auditOf(rt, 'U0ALICE')).filter((a) => a.action === 'investigation.answer');
    expect(audit.map((a) => [a.outcome, a.inputs, a.result])).toEqual([
      [
        'executed',
        expect.objectContaining({ via: 'reply', answers: { accessKeyId: 'AKIAOTHERKEY00000001' } }),
        expect.objectContaining({ disputed: ['accessKeyId'], open: ['exposedAt', 'rotated'] }),
      ],
      [
        'executed',
        expect.objectContaining({
          via: 'reply',
          answers: { exposedAt: '2026-11-20T15:00Z', rotated: 'deactivated' },
          read: { rotatedAt: '2026-11-21T06:00Z', zone: 'UTC' },
        }),
        expect.objectContaining({ taken: ['exposedAt', 'rotated'], open: [] }),
      ],
    ]);
    await expect.poll(async () => (await rt.runtime.core.store.listInvestigations())[0]!.state, { timeout: 20_000 }).toBe('summarized');
    const order = thread(rt).map((m) => m.text ?? '');
    expect(order.findIndex((x) => x.startsWith('Understood: exposed'))).toBeLessThan(order.indexOf('Gathering evidence…'));
    expect(order.some((x) => x.startsWith('Investigation summary'))).toBe(true);

    // Once gathering has begun, replies are conversation again.
    const settled = thread(rt).length;
    await reply(rt, 'U0ALICE', 'leaked on Nov 18 actually');
    expect(thread(rt)).toHaveLength(settled);
    expect((await stored(rt)).exposedAt).toBe('2026-11-20T15:00Z');
  }, 60_000);
});
