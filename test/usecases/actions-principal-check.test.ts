import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PrincipalCheck } from '../../src/actions/principal-check.ts';
import type { Principal } from '../../src/domain/actions/principal-check.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import type { ActionNotices } from '../../src/ports/notices/actions.ts';
import { recordingPort } from '../support/recording-port.ts';
import { FINDINGS_CHANNEL, OUTSIDER, ROOT_TS, actionHarness, auditLines } from '../support/action-harness.ts';

const EXPOSED = normalizeInput(JSON.parse(readFileSync('src/scenarios/exposed-access-key/finding.json', 'utf8'))).findings[0]!;
const DANA = 'U0DANA';
const DM = { channel: 'D0DANA0001', ts: '1700000500.000100' };

function setup(o: { found?: boolean; escalates?: boolean } = {}) {
  const h = actionHarness();
  const asked: Principal[] = [];
  const escalated: string[] = [];
  const notices = recordingPort<ActionNotices>({ principalAsked: async () => DM });
  const check = new PrincipalCheck({
    ...h,
    people: {
      personFor: async (p) => {
        asked.push(p);
        return o.found === false ? null : { slackUserId: DANA, via: 'the email tag of IAM user ci-deployer' };
      },
    },
    notices: notices.port,
    escalate: async (findingId) => {
      escalated.push(findingId);
      return o.escalates ?? true;
    },
    waitSeconds: 1800,
  });
  const told = <M extends keyof ActionNotices & string>(m: M) => notices.callsTo(m).map(([e]) => e as Parameters<ActionNotices[M]>[0]);
  return { h, check, asked, escalated, notices, told };
}

describe('PrincipalCheck', () => {
  it('asks the person behind the credentials once, in a direct message, about what the finding saw', async () => {
    const { h, check, told, asked } = setup();
    await h.deliver(EXPOSED);

    expect(await check.ask(EXPOSED.id)).toBe(true);
    expect(await check.ask(EXPOSED.id)).toBe(false);

    expect(asked).toEqual([{ account: '111122223333', kind: 'iamUser', name: 'ci-deployer' }]);
    const [question] = told('principalAsked');
    expect(question).toMatchObject({ user: DANA, waitSeconds: 1800, thread: { channel: FINDINGS_CHANNEL, threadTs: ROOT_TS } });
    expect(question?.activity).toMatchObject({ action: 'ListUsers', sourceIp: '203.0.113.50' });
    expect(auditLines(await h.auditTrail())).toEqual(['sirbot principal.ask executed']);
  });

  it('"No": the thread hears it, the question closes, the escalation is hurried; a second click and anyone else change nothing', async () => {
    const { h, check, told, escalated } = setup();
    await h.deliver(EXPOSED);
    await check.ask(EXPOSED.id);
    const id = PrincipalCheck.checkId(EXPOSED.id);

    expect(await check.said(EXPOSED.id)).toEqual([]);
    expect(await check.answer(id, OUTSIDER, 'yes')).toMatchObject({ ok: false, kind: 'refused' });
    expect(await check.answer(id, DANA, 'no')).toEqual({ ok: true, already: false });
    expect(await check.answer(id, DANA, 'yes')).toEqual({ ok: true, already: true });

    // The investigation's timeline has her answer, as an entry of its own.
    expect(await check.said(EXPOSED.id)).toEqual([
      expect.objectContaining({
        source: 'answer',
        actor: DANA,
        resources: ['ci-deployer'],
        highlights: ['the person behind the credentials answered “Was this you?”: no, it was not them'],
      }),
    ]);
    expect(escalated).toEqual([EXPOSED.id]);
    expect(told('principalAnswered')).toEqual([
      {
        thread: { channel: FINDINGS_CHANNEL, threadTs: ROOT_TS },
        principal: expect.objectContaining({ name: 'ci-deployer' }),
        user: DANA,
        answer: 'no',
        escalated: true,
      },
    ]);
    expect(told('principalQuestionClosed')).toEqual([{ dm: DM, answer: 'no' }]);
    expect(auditLines(await h.auditTrail())).toEqual([
      'sirbot principal.ask executed',
      `${OUTSIDER} principal.answer refused`,
      `${DANA} principal.answer executed`,
    ]);
  });

  it('silence past the wait escalates once, however many ticks; a late answer is not taken', async () => {
    const { h, check, told, escalated } = setup({ escalates: false });
    await h.deliver(EXPOSED);
    await check.ask(EXPOSED.id);

    expect(await check.tick()).toBe(0);
    h.advance(1801);
    expect(await Promise.all([check.tick(), check.tick()])).toEqual(expect.arrayContaining([1, 0]));
    expect(await check.answer(PrincipalCheck.checkId(EXPOSED.id), DANA, 'yes')).toEqual({ ok: true, already: true });

    expect(escalated).toEqual([EXPOSED.id]);
    expect(told('principalAnswered')).toEqual([expect.objectContaining({ user: DANA, answer: null, escalated: false })]);
    expect(told('principalQuestionClosed')).toEqual([{ dm: DM, answer: null }]);
  });

  it('asks nobody when nobody is found behind the principal, or the finding is not about a person’s credentials', async () => {
    const { h, check, notices } = setup({ found: false });
    await h.deliver(EXPOSED);
    expect(await check.ask(EXPOSED.id)).toBe(false);
    expect(await check.ask('not-delivered')).toBe(false);
    expect(notices.calls).toEqual([]);
  });
});
