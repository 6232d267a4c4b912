import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { blockActionPayload, eventCallbackBody, interactionBody, postSignedToSlackReceiver } from '../support/slack-signer.ts';
import { SIGNING_SECRET, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, unknown>;
// The signed payloads below come from U0RESPONDER (test/support/slack-signer.ts): only responders' answers are taken.
const RESPONDER = { SIRBOT_RESPONDERS: 'U0RESPONDER' };

let t: TestRuntime | undefined;
let dirs: string[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

async function signed(runtime: TestRuntime, body: string, contentType: string) {
  const res = await postSignedToSlackReceiver(`${runtime.runtime.url}/slack/events`, { body, contentType, signingSecret: SIGNING_SECRET });
  expect(res.status).toBe(200);
}

const thread = (runtime: TestRuntime) => {
  const [root] = runtime.slack.state.messages('#security-incidents');
  if (!root) throw new Error('no root message');
  return { root, messages: runtime.slack.state.thread(root.channel, root.ts) };
};

describe('investigation in the finding thread', () => {
  it('asks only what the finding does not say, takes answers from a select and a reply, then posts the summary', async () => {
    t = await startTestRuntime({ scenario: SCENARIO, env: RESPONDER });
    await t.ingest(FINDING);
    await expect.poll(() => thread(t!).messages.length, { timeout: 5000 }).toBe(2);
    const { root, messages } = thread(t);
    const questions = messages[1]!;
    // Key, user and account come from the finding; exposure time and rotation are asked.
    const asked = JSON.stringify(questions.blocks);
    expect(asked).toContain('investigation_answer_exposedAt');
    expect(asked).toContain('investigation_answer_rotated');
    expect(asked).not.toContain('investigation_answer_accessKeyId');
    expect(messageTexts(questions).join('\n')).toContain('`AKIAEXPOSEDKEY000001`');

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
    await expect.poll(() => JSON.stringify(thread(t!).messages[1]!.blocks).includes('investigation_answer_rotated'), { timeout: 5000 }).toBe(false);

    const reply = {
      type: 'message',
      channel: root.channel,
      user: 'U0RESPONDER',
      text: 'exposed at: 2026-11-19',
      ts: `${Math.floor(Date.now() / 1000)}.000500`,
      thread_ts: root.ts,
    };
    await signed(t, eventCallbackBody(reply), 'application/json');
    await t.runtime.idle();

    const all = thread(t).messages;
    const summary = all.find((m) => m.text?.startsWith('Investigation summary'));
    expect(summary).toBeDefined();
    const text = messageTexts(summary!).join('\n');
    expect(text).toContain('backup-svc');
    expect(text).toContain('AKIABACKUPSVCKEY0001');
    expect(text).toContain('i-0a1b2c3d4e5f00001');
    expect(text).not.toMatch(/<!channel>|<https:\/\/evil/);
    // The hostile user agent, escaped, once for its actor (not on every timeline line).
    const agent = '`&lt;!channel&gt; *urgent* &lt;https://evil.example|click&gt; &amp; boto3/1.34`';
    expect(text).toContain(agent);
    expect(text.split(agent)).toHaveLength(2);
    const progress = all.find((m) => m.text === 'Gathering evidence…');
    expect(messageTexts(progress!).join('\n')).toMatch(/:white_check_mark: cloudtrail: \d+ events/);
    // The full timeline arrives as CSV and JSON files in the thread, named for people: the finding in a few words, its account and day.
    const files = t.slack.state.files();
    const base = 'timeline-api-listusers-was-invoked-from-an-ip-address-111122223333-2026-11-21';
    expect(files.map((f) => f.name).sort()).toEqual([`${base}.csv`, `${base}.json`]);
    expect(files.every((f) => f.threadTs === root.ts)).toBe(true);
    const json = JSON.parse(files.find((f) => f.name.endsWith('.json'))!.content!.toString('utf8')) as Array<{ action: string }>;
    expect(json.map((e) => e.action)).toContain('AttachUserPolicy');
    const csv = files.find((f) => f.name.endsWith('.csv'))!.content!.toString('utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'time,source,action,service,actor,actorType,accessKeyId,sourceIp,userAgent,resources,errorCode,accountId,region,tactics,highlights,via',
    );
    expect(csv.trim().split('\r\n')).toHaveLength(json.length + 1);
    const [record] = await t.runtime.core.store.listInvestigations();
    expect(record?.state).toBe('summarized');
    expect(record!.answers).toMatchObject({ rotated: 'no', exposedAt: '2026-11-19', accessKeyId: 'AKIAEXPOSEDKEY000001' });
  }, 60_000);

  it('an Investigate button starts one investigation however often it is clicked; Investigate now skips the rest', async () => {
    t = await startTestRuntime({ scenario: SCENARIO, env: RESPONDER });
    // Same finding at MEDIUM: no rule asks to investigate it, so its root offers the button.
    await t.ingest({ ...FINDING, severity: 5 });
    const [root] = t.slack.state.messages('#security-findings');
    expect(JSON.stringify(root!.blocks)).toContain('investigation_start');
    const click = interactionBody(
      blockActionPayload({ actionId: 'investigation_start', channel: root!.channel, messageTs: root!.ts, value: String(FINDING.id) }),
    );
    await Promise.all([signed(t, click, 'application/x-www-form-urlencoded'), signed(t, click, 'application/x-www-form-urlencoded')]);
    await expect.poll(() => t!.slack.state.thread(root!.channel, root!.ts).length, { timeout: 5000 }).toBe(2);
    const [record] = await t.runtime.core.store.listInvestigations();
    const now = interactionBody(
      blockActionPayload({
        actionId: 'investigation_start_now',
        channel: root!.channel,
        messageTs: record!.questionsTs!,
        threadTs: root!.ts,
        value: record!.id,
      }),
    );
    await Promise.all([signed(t, now, 'application/x-www-form-urlencoded'), signed(t, now, 'application/x-www-form-urlencoded')]);
    await t.runtime.idle();
    const messages = t.slack.state.thread(root!.channel, root!.ts);
    expect(messages.filter((m) => m.text?.startsWith('Investigation summary'))).toHaveLength(1);
    expect((await t.runtime.core.store.listInvestigations()).map((i) => i.state)).toEqual(['summarized']);
  }, 60_000);

  it('keeps its state across a restart', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-restart-'));
    dirs.push(dir);
    const dbFile = path.join(dir, 'sirbot.db');
    t = await startTestRuntime({ scenario: SCENARIO, dbFile, env: RESPONDER });
    await t.ingest(FINDING);
    await expect.poll(() => thread(t!).messages.length, { timeout: 5000 }).toBe(2);
    const before = await t.runtime.core.store.listInvestigations();
    expect(before.map((i) => i.state)).toEqual(['asked']);
    const root = thread(t).root;
    await t.close();

    // A new process on the same store; Slack's thread is the same (here: recreated in the new emulator).
    t = await startTestRuntime({ scenario: SCENARIO, dbFile, env: RESPONDER });
    const after = await t.runtime.core.store.getInvestigation(before[0]!.id);
    expect(after).toMatchObject({ state: 'asked', threadTs: root.ts });
    const outcome = await t.runtime.core.investigations!.answer(before[0]!.id, 'rotated', 'deactivated', 'U0RESPONDER');
    expect(outcome).toEqual({ ok: true, open: ['exposedAt'], disputed: [] });
  }, 60_000);
});
