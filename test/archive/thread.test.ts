import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { blockActionPayload, eventCallbackBody, interactionBody, postSignedToSlackReceiver } from '../support/slack-signer.ts';
import { SIGNING_SECRET, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';
import { DORMANT } from './support.ts';

/**
 * The dormant-key scenario in the local runtime, with no account: the finding's thread asks
 * when the key was exposed, a responder answers four months back, and the summary and the
 * timeline files show the intrusion the fake's CloudTrail Lake holds and event history does not.
 */
const FINDING = JSON.parse(readFileSync(`${DORMANT}/finding.json`, 'utf8')) as Record<string, unknown>;
let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function signed(runtime: TestRuntime, body: string, contentType: string) {
  const res = await postSignedToSlackReceiver(`${runtime.runtime.url}/slack/events`, { body, contentType, signingSecret: SIGNING_SECRET });
  expect(res.status).toBe(200);
}

describe('a finding about a key first used 120 days ago, in its thread', () => {
  it('reaches past event history through the trail store once the exposure is answered, and says where each event came from', async () => {
    t = await startTestRuntime({ scenario: DORMANT, env: { SIRBOT_RESPONDERS: 'U0RESPONDER' } });
    await t.ingest(FINDING);
    const thread = () => {
      const [root] = t!.slack.state.messages('#security-incidents');
      if (!root) throw new Error('no root message');
      return { root, messages: t!.slack.state.thread(root.channel, root.ts) };
    };
    await expect.poll(() => thread().messages.length, { timeout: 5000 }).toBe(2);
    const { root, messages } = thread();
    const questions = messages[1]!;
    await signed(
      t,
      interactionBody(
        blockActionPayload({
          actionId: 'investigation_answer_rotated',
          channel: root.channel,
          messageTs: questions.ts,
          threadTs: root.ts,
          selectedOption: 'no',
        }),
      ),
      'application/x-www-form-urlencoded',
    );
    const reply = {
      type: 'message',
      channel: root.channel,
      user: 'U0RESPONDER',
      text: 'exposed at: 2026-08-01',
      ts: `${Math.floor(Date.now() / 1000)}.000500`,
      thread_ts: root.ts,
    };
    await signed(t, eventCallbackBody(reply), 'application/json');
    await t.runtime.idle();

    const summary = thread().messages.find((m) => m.text?.startsWith('Investigation summary'));
    expect(summary).toBeDefined();
    const text = messageTexts(summary!).join('\n');
    expect(text).toContain('svc-telemetry');
    expect(text).toContain('AKIATELEMETRYKEY0001');
    expect(text).toContain('Searched CloudTrail Lake for activity older than event history');
    expect(text).not.toMatch(/earlier activity needs the trail's S3 logs/);
    const files = t.slack.state.files();
    const json = JSON.parse(files.find((f) => f.name.endsWith('.json'))!.content!.toString('utf8')) as Array<{ action: string; time: string; via?: string }>;
    expect(json.filter((e) => e.time < '2026-09-01').every((e) => e.via === 'cloudtrail-lake')).toBe(true);
    expect(json.filter((e) => e.via === 'cloudtrail-lake').map((e) => e.action)).toEqual(
      expect.arrayContaining(['CreateUser', 'AttachUserPolicy', 'GetObject']),
    );

    // A follow-up question by address: event history cannot search by IP, so the trail's store answers it, with its SQL.
    const question = {
      type: 'message',
      channel: root.channel,
      user: 'U0RESPONDER',
      text: 'anything from 198.51.100.77 in the last 150 days?',
      ts: `${Math.floor(Date.now() / 1000)}.000900`,
      thread_ts: root.ts,
    };
    await signed(t, eventCallbackBody(question), 'application/json');
    await t.runtime.idle();
    const answer = thread().messages.find((m) => messageTexts(m).join('\n').includes(':mag: *Answer*'));
    expect(answer).toBeDefined();
    const answered = messageTexts(answer!).join('\n');
    expect(answered).toContain('CloudTrail Lake');
    expect(answered).toMatch(/source IP/);
    expect(answered).toContain('ListSecrets');
    expect(answered).toMatch(/SELECT[\s\S]*'198\.51\.100\.77'/);
  }, 60_000);
});
