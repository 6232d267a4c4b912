import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredAnswers } from '../../src/domain/investigation/answer-book.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

/**
 * Only responders change what an investigation looks for, and what they say is added to
 * what the finding says, never silently put in its place. People act through the
 * emulated workspace: selects in the questions message, replies in the thread, buttons.
 */
const SCENARIO = 'src/scenarios/exposed-access-key';
const FINDING = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, any>;
const KEY = 'AKIAEXPOSEDKEY000001';

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function started(): Promise<TestRuntime> {
  t = await startTestRuntime({ scenario: SCENARIO, env: { SIRBOT_RESPONDERS: 'U0ALICE' } });
  await t.ingest(FINDING);
  await expect.poll(() => questions(t!), { timeout: 10_000 }).toBeDefined();
  return t;
}

const root = (rt: TestRuntime) => rt.slack.state.messages('#security-incidents')[0]!;
const questions = (rt: TestRuntime) =>
  rt.slack.state.thread(root(rt).channel, root(rt).ts).find((m) => JSON.stringify(m.blocks ?? []).includes('investigation_start_now'));
const stored = async (rt: TestRuntime): Promise<StoredAnswers> => (await rt.runtime.core.store.listInvestigations())[0]!.answers;
const ephemeralsOf = (rt: TestRuntime, user: string) =>
  rt.slack.state
    .ephemerals()
    .filter((e) => e.user === user)
    .map((e) => e.text);
const auditOf = async (rt: TestRuntime, actor: string) => (await rt.runtime.core.store.actions.listAudit()).filter((a) => a.actor === actor);

describe('who may answer an investigation', () => {
  it('someone without the responder role changes nothing: answers, thread replies that answer and Investigate now are refused privately and audited; chat is ignored', async () => {
    const rt = await started();
    const eve = rt.user('U0EVE', 'eve');
    const before = await stored(rt);

    await eve.click(questions(rt)!, 'investigation_answer_rotated', { option: 'no' });
    await eve.say(root(rt).channel, 'exposedAt: 2026-11-01', root(rt).ts);
    await eve.say(root(rt).channel, 'anyone looking at this one?', root(rt).ts);
    await eve.click(questions(rt)!, 'investigation_start_now');
    await rt.runtime.idle();

    const refusal = 'Not allowed: this needs the responder role, which you do not have.';
    expect(ephemeralsOf(rt, 'U0EVE')).toEqual([refusal, refusal, refusal]);
    expect(await stored(rt)).toEqual(before);
    expect((await rt.runtime.core.store.listInvestigations())[0]!.state).toBe('asked');
    expect(questions(rt)!.edited).toBeUndefined();
    const audit = await auditOf(rt, 'U0EVE');
    expect(audit.map((a) => [a.action, a.target, a.outcome])).toEqual([
      ['investigation.answer', FINDING.id, 'refused'],
      ['investigation.answer', FINDING.id, 'refused'],
      ['investigation.now', FINDING.id, 'refused'],
    ]);
    expect(audit[0]?.inputs).toMatchObject({ via: 'block', answers: { rotated: 'no' } });
    expect(audit[1]?.inputs).toMatchObject({ via: 'reply', answers: { exposedAt: '2026-11-01' } });
    expect(audit[0]?.permalink).toMatch(/\/archives\/C[A-Z0-9]+\/p\d+/);
  });

  it('a responder answer is taken and audited; a value that differs from the finding is added beside it, shown in the thread, and the finding’s stays', async () => {
    const rt = await started();
    const alice = rt.user('U0ALICE', 'alice');
    await alice.say(root(rt).channel, 'key: AKIAOTHERKEY00000001\nexposedAt: 2026-11-19', root(rt).ts);
    await rt.runtime.idle();

    const answers = await stored(rt);
    expect(answers).toMatchObject({ accessKeyId: KEY, exposedAt: '2026-11-19', answeredBy: { exposedAt: 'U0ALICE' } });
    expect(answers.disputed).toEqual({ accessKeyId: [{ value: 'AKIAOTHERKEY00000001', by: 'U0ALICE', at: expect.any(String) }] });
    const shown = messageTexts(questions(rt)!).join('\n');
    expect(shown).toContain(`accessKeyId: \`${KEY}\` (from the finding)`);
    expect(shown).toContain('exposedAt: `2026-11-19` (<@U0ALICE>)');
    expect(shown).toContain(
      `*accessKeyId*: the finding names \`${KEY}\`; <@U0ALICE> answered \`AKIAOTHERKEY00000001\`. The finding's value is kept; both are searched.`,
    );
    expect(ephemeralsOf(rt, 'U0ALICE')).toEqual([
      `Your answer differs from what is known, so it was added, not put in its place. accessKeyId: the finding names ${KEY}; your answer AKIAOTHERKEY00000001 is recorded beside it (both are searched).`,
    ]);
    expect((await auditOf(rt, 'U0ALICE')).map((a) => [a.action, a.outcome, a.result])).toEqual([
      ['investigation.answer', 'executed', { taken: ['exposedAt'], disputed: ['accessKeyId'], unchanged: [], dropped: [], open: ['rotated'] }],
    ]);

    // The same differing value again changes nothing; the last open question starts the gathering.
    await alice.say(root(rt).channel, `key: AKIAOTHERKEY00000001`, root(rt).ts);
    await alice.click(questions(rt)!, 'investigation_answer_rotated', { option: 'deactivated' });
    await rt.runtime.idle();
    const [record] = await rt.runtime.core.store.listInvestigations();
    expect(record?.state).toBe('summarized');
    expect(record!.answers).toMatchObject({
      accessKeyId: KEY,
      rotated: 'deactivated',
      disputed: { accessKeyId: [{ value: 'AKIAOTHERKEY00000001' }] },
    });
    expect((await auditOf(rt, 'U0ALICE')).map((a) => (a.result as { unchanged?: string[] }).unchanged)).toEqual([[], ['accessKeyId'], []]);
  }, 60_000);
});
