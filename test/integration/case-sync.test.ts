import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { SirEvent } from '../../src/emulator/aws/security-ir.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { firstRoot, messageTexts, repliesUnder } from '../support/slack-text.ts';

/**
 * Security IR cases both ways: the fake Security IR sends its EventBridge events (as the
 * service's user guide shows them) to sirbot's /ingest, as an EventBridge rule would, and
 * people post to the case from the thread.
 */
const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, unknown>;
const ENV = { SIRBOT_RESPONDERS: 'U0ALICE', SIRBOT_CASE_WATCHERS: 'secops@example.com' };
const DIRECTORY = { users: { U0ALICE: { name: 'alice', email: 'alice@example.com' }, U0BOB: { name: 'bob' } }, groups: {} };

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const rootOf = (runtime: TestRuntime) => firstRoot(runtime.slack.state);
const thread = (runtime: TestRuntime) => repliesUnder(runtime.slack.state);
const threadTexts = (runtime: TestRuntime) => thread(runtime).map((m) => messageTexts(m).join('\n'));
const count = (runtime: TestRuntime, text: string) => threadTexts(runtime).filter((m) => m.includes(text)).length;

/** The finding delivered, a case opened on it by Alice, and every event the fake sends forwarded `copies` times, as EventBridge may. */
async function caseOpened(copies = 1): Promise<{ runtime: TestRuntime; caseId: string; forwarded: Promise<unknown>[] }> {
  const runtime = await startTestRuntime({ scenario: SCENARIO, env: ENV, directory: DIRECTORY });
  t = runtime;
  const forwarded: Promise<unknown>[] = [];
  runtime.aws!.securityIr.onEvent = (event: SirEvent) => {
    for (let i = 0; i < copies; i++) forwarded.push(runtime.ingest(event));
  };
  await runtime.ingest(FINDING);
  await expect.poll(() => runtime.slack.state.messages('#security-incidents').length).toBe(1);
  const alice = runtime.user('U0ALICE', 'alice');
  await alice.click(rootOf(runtime), 'case_open');
  await alice.waitForModal('case_modal');
  await alice.submit();
  await expect.poll(() => count(runtime, 'opened Security Incident Response'), { timeout: 10_000 }).toBe(1);
  const caseId = [...runtime.aws!.securityIr.cases.keys()][0]!;
  return { runtime, caseId, forwarded };
}

describe('Security IR case events in the finding thread', () => {
  it("shows an AWS responder's comment and status change once each, though EventBridge delivers every event twice", async () => {
    const { runtime, caseId, forwarded } = await caseOpened(2);
    const sir = runtime.aws!.securityIr;
    sir.respond(caseId, {
      status: 'Containment, Eradication and Recovery',
      comment: 'Key AKIAEXAMPLE is **contained**. <!channel> see <https://evil.example|this> & ping <@U0BOSS>',
    });
    await expect.poll(() => count(runtime, 'an AWS responder commented'), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => count(runtime, 'an AWS responder changed status'), { timeout: 10_000 }).toBe(1);
    await Promise.all(forwarded);
    await runtime.runtime.idle();
    expect(count(runtime, 'an AWS responder commented')).toBe(1);
    expect(count(runtime, 'an AWS responder changed status')).toBe(1);
    const changed = threadTexts(runtime).find((m) => m.includes('changed status'))!;
    expect(changed).toContain('status *Submitted* → *Containment, Eradication and Recovery*');
    // The comment is the responder's text: nothing in it mentions anyone, links or formats.
    const comment = thread(runtime).find((m) => messageTexts(m).join('\n').includes('commented'))!;
    const shown = JSON.stringify(comment.blocks);
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).toContain('&lt;@U0BOSS&gt;');
    expect(shown).toContain('&lt;https://evil.example|this&gt; &amp; ping');
    expect(shown).not.toMatch(/<!channel>|<@U0BOSS>|<https:\/\/evil/);
    expect(count(runtime, 'commented on')).toBe(1);
    // The message that opened the case shows the status the service now gives, and the record keeps it.
    await expect
      .poll(() => threadTexts(runtime).find((m) => m.includes('opened Security Incident Response')))
      .toContain('Containment, Eradication and Recovery');
    expect((await runtime.runtime.core.store.actions.getCase(caseId))?.status).toBe('Containment, Eradication and Recovery');
  });

  it('a reply in the thread goes to the case once, signed, with "Post to case", and is not shown back', async () => {
    const { runtime, caseId, forwarded } = await caseOpened();
    const alice = runtime.user('U0ALICE', 'alice');
    const root = rootOf(runtime);
    const reply = await alice.say(root.channel, 'Rotated the key at 10:02 & checked <S3>', root.ts);
    await Promise.all([alice.shortcut(reply, 'post_to_case'), alice.shortcut(reply, 'post_to_case')]);
    await expect.poll(() => count(runtime, 'posted a message of this thread to'), { timeout: 10_000 }).toBe(1);
    await Promise.all(forwarded);
    await runtime.runtime.idle();
    const comments = runtime.aws!.securityIr.cases.get(caseId)!.comments.filter((c) => c.body.startsWith('Rotated'));
    expect(comments.map((c) => c.body)).toEqual(['Rotated the key at 10:02 & checked <S3>\n\n— alice (U0ALICE) in Slack, via sirbot']);
    expect(count(runtime, 'posted a message of this thread to')).toBe(1);
    expect(count(runtime, 'commented on')).toBe(0);
    const audit = (await runtime.runtime.core.store.actions.listAudit()).filter((a) => a.action === 'case.comment');
    // Both clicks were requests; one made the comment.
    expect(audit.map((a) => a.outcome).sort()).toEqual(['executed', 'requested', 'requested']);
    expect(audit.find((a) => a.outcome === 'executed')).toMatchObject({ actor: 'U0ALICE', target: caseId, result: { commentId: comments[0]!.commentId } });

    // A reply with files: they are read from Slack (files.info, the private URL with the bot token) and attached to the case.
    const log = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x41]);
    const withFiles = await alice.say(root.channel, 'CloudTrail extract attached', root.ts, [
      { name: 'trail-extract.json.gz', content: log },
      { name: '../../etc/passwd <x>.txt', content: Buffer.from('hostile name') },
    ]);
    await alice.shortcut(withFiles, 'post_to_case');
    await expect.poll(() => runtime.aws!.securityIr.cases.get(caseId)!.caseAttachments.length, { timeout: 10_000 }).toBe(2);
    const attachments = runtime.aws!.securityIr.cases.get(caseId)!.caseAttachments;
    expect(attachments.map((a) => a.fileName)).toEqual(['trail-extract.json.gz', '__.._etc_passwd__x_.txt']);
    expect(runtime.aws!.securityIr.attachmentBytes.get(attachments[0]!.attachmentId)).toEqual(log);
    await expect.poll(() => threadTexts(runtime).some((m) => m.includes('`trail-extract.json.gz`, `__.._etc_passwd__x_.txt` attached'))).toBe(true);

    // Bob is no responder: refused, audited, nothing put on the case.
    await runtime.user('U0BOB', 'bob').shortcut(reply, 'post_to_case');
    await expect
      .poll(async () => (await runtime.runtime.core.store.actions.listAudit()).filter((a) => a.actor === 'U0BOB').map((a) => a.outcome))
      .toEqual(['refused']);
    expect(runtime.aws!.securityIr.cases.get(caseId)!.comments.filter((c) => c.body.startsWith('Rotated'))).toHaveLength(1);

    // /sir names the case.
    await alice.command(`case ${caseId} comment "quoted" -- and dashes`, root.channel);
    await expect.poll(() => runtime.aws!.securityIr.cases.get(caseId)!.comments.some((c) => c.body.startsWith('"quoted" -- and dashes'))).toBe(true);
  });

  it("shows the investigative agent's settled results beside the timeline, and sends a responder's Useful to Security IR", async () => {
    const { runtime, caseId } = await caseOpened();
    const sir = runtime.aws!.securityIr;
    const resultId = sir.agentAct(caseId, {
      actionType: 'Summarization',
      title: 'Summary of the investigation',
      content: '## Summary\n\nThe key was used from 203.0.113.7 with user agent `<@U0BOSS> <!channel>`.\n\n- **Contain** the key',
      status: 'Completed',
    });
    sir.agentAct(caseId, { actionType: 'Evidence', title: 'Still collecting', content: 'collecting…', status: 'InProgress' });
    // Security IR sends no event for the agent's work: the runtime's poll finds it (here, asked at once).
    expect(await runtime.runtime.core.actions!.agentWork.poll()).toEqual({ shown: 1, failed: 0 });
    expect(await runtime.runtime.core.actions!.agentWork.poll()).toEqual({ shown: 0, failed: 0 });
    const shown = () => thread(runtime).find((m) => messageTexts(m).join('\n').includes('AWS investigative agent'));
    await expect.poll(shown, { timeout: 10_000 }).toBeDefined();
    const text = messageTexts(shown()!).join('\n');
    expect(text).toContain('*Summary of the investigation*');
    expect(text).toContain('*Summary*');
    expect(text).toContain('• *Contain* the key');
    expect(JSON.stringify(shown()!.blocks)).not.toMatch(/<@U0BOSS>|<!channel>/);
    expect(count(runtime, 'Still collecting')).toBe(0);

    // A result longer than its message can show (5,000 characters that escaping makes 20,000): the whole of it as a file, once.
    const long = `## Raw user agents\n\n${'<&>'.repeat(1666)}`;
    const longId = sir.agentAct(caseId, { actionType: 'Evidence', title: 'User agents seen', content: long, status: 'Completed' });
    await runtime.runtime.core.actions!.agentWork.poll();
    await runtime.runtime.core.actions!.agentWork.poll();
    await expect.poll(() => runtime.slack.state.files().filter((f) => f.name === `agent-evidence-${longId}.md`).length, { timeout: 10_000 }).toBe(1);
    expect(
      runtime.slack.state
        .files()
        .find((f) => f.name === `agent-evidence-${longId}.md`)
        ?.content?.toString('utf8'),
    ).toBe(long);

    await runtime.user('U0BOB', 'bob').click(shown()!, 'agent_feedback_useful');
    const alice = runtime.user('U0ALICE', 'alice');
    await Promise.all([alice.click(shown()!, 'agent_feedback_useful'), alice.click(shown()!, 'agent_feedback_useful')]);
    await expect.poll(() => count(runtime, 'found it useful'), { timeout: 10_000 }).toBe(1);
    expect(sir.cases.get(caseId)!.investigations.find((i) => i.investigationId === resultId)?.feedback).toMatchObject({ usefulness: 'USEFUL' });
    await runtime.runtime.idle();
    const audit = (await runtime.runtime.core.store.actions.listAudit()).filter((a) => a.action === 'case.agent-feedback');
    expect(audit.map((a) => `${a.actor} ${a.outcome}`).sort()).toEqual(['U0ALICE executed', 'U0ALICE requested', 'U0ALICE requested', 'U0BOB refused']);
    expect(count(runtime, 'found it useful')).toBe(1);
  });

  it('takes membership events and events of cases it did not open without a word; dead-letters malformed ones and those it could not show', async () => {
    const { runtime, caseId } = await caseOpened();
    const base = { version: '0', source: 'aws.security-ir', account: '111122223333', time: '2026-12-06T10:00:00Z', region: 'us-east-1' };
    const membership = { ...base, id: 'm-1', 'detail-type': 'Membership Updated', resources: [], detail: { membershipId: 'm-abcdefghij' } };
    const otherCase = { ...base, id: 'o-1', 'detail-type': 'Case Updated', resources: [], detail: { caseId: '9999999999', updatedBy: 'AWS Responder' } };
    const malformed = { ...base, id: 'x-1', 'detail-type': 'Case Updated', resources: [], detail: { caseId: '12<@U0BOSS>', updatedBy: 'AWS Responder' } };
    const answer = await runtime.ingest([membership, otherCase, malformed]);
    expect(answer.json).toMatchObject({ received: 3, accepted: 1, caseEvents: 1, ignored: 1, rejectedCount: 1 });
    expect(answer.json.rejected[0].error).toContain('detail.caseId');

    // The case cannot be read (it is gone from the service for a while): the event is dead-lettered as received, and replays.
    const kept = runtime.aws!.securityIr.cases.get(caseId)!;
    runtime.aws!.securityIr.cases.delete(caseId);
    kept.caseStatus = 'Post-incident Activities';
    const update = { ...base, id: 'u-1', 'detail-type': 'Case Updated', resources: [], detail: { caseId, updatedBy: 'AWS Responder' } };
    expect((await runtime.ingest(update)).status).toBe(200);
    const letters = await runtime.runtime.core.store.listDeadLetters();
    const letter = letters.find((l) => l.path === `case ${caseId}`)!;
    expect(letter.error).toContain('ResourceNotFoundException');
    runtime.aws!.securityIr.cases.set(caseId, kept);
    await runtime.ingest(JSON.parse(letter.payload));
    await expect.poll(() => count(runtime, 'an AWS responder changed status')).toBe(1);
    expect(threadTexts(runtime).join('\n')).not.toContain('9999999999');
  });
});
