import { describe, expect, it } from 'vitest';
import { AgentWork } from '../../src/actions/agent-work.ts';
import type { CaseRecord } from '../../src/ports/action-store.ts';
import type { ActionNotices } from '../../src/ports/notices/actions.ts';
import type { AgentAction, SecurityIrCases } from '../../src/ports/security-ir.ts';
import { recordingPort } from '../support/recording-port.ts';
import { CASE_ID, FINDINGS_CHANNEL, OUTSIDER, RESPONDER, ROOT_TS, actionHarness, auditLines, keptCase } from '../support/action-harness.ts';

const THREAD = { channel: FINDINGS_CHANNEL, threadTs: ROOT_TS };
const kept = keptCase;
const action = (id: string, status: AgentAction['status'], at = '2026-12-01T09:30:00Z'): AgentAction => ({
  investigationId: id,
  actionType: 'Evidence',
  title: `Evidence ${id}`,
  content: '## Found\n- a thing',
  status,
  lastUpdated: new Date(at),
});

function setup(actions: AgentAction[] = []) {
  const h = actionHarness();
  const service: { [K in keyof SecurityIrCases]?: SecurityIrCases[K] } = {
    async *listInvestigations() {
      yield* actions;
    },
  };
  const sir = recordingPort<SecurityIrCases>(service);
  const notices = recordingPort<ActionNotices>();
  const agent = new AgentWork({ ...h, securityIr: sir.port, notices: notices.port, region: 'us-east-1' });
  const told = <M extends keyof ActionNotices & string>(m: M) => notices.callsTo(m).map(([e]) => e as Parameters<ActionNotices[M]>[0]);
  return { h, sir, service, notices, told, agent, actions };
}

describe('AgentWork', () => {
  it('shows each settled action once per state it settles in; work still running waits', async () => {
    const { h, agent, told, actions } = setup([action('inv-aaaaaaaaaa', 'Completed'), action('inv-bbbbbbbbbb', 'InProgress')]);
    await h.store.actions.putCase(kept());

    expect(await agent.show(kept())).toEqual({ shown: 1 });
    expect(await agent.show(kept())).toEqual({ shown: 0 });
    actions[1] = action('inv-bbbbbbbbbb', 'Failed', '2026-12-01T09:40:00Z');
    expect(await agent.show(kept())).toEqual({ shown: 1 });

    expect(told('agentActionShown').map((e) => [e.action.investigationId, e.action.status, e.key])).toEqual([
      ['inv-aaaaaaaaaa', 'Completed', `sir-agent:${CASE_ID}:inv-aaaaaaaaaa:Completed:2026-12-01T09:30:00.000Z`],
      ['inv-bbbbbbbbbb', 'Failed', `sir-agent:${CASE_ID}:inv-bbbbbbbbbb:Failed:2026-12-01T09:40:00.000Z`],
    ]);
    expect(told('agentActionShown')[0]?.thread).toEqual(THREAD);
  });

  it('polls open cases opened from threads; a closed case or one with no thread is left alone, and one failing does not stop the rest', async () => {
    const { h, agent, service, sir } = setup([action('inv-aaaaaaaaaa', 'Completed')]);
    await h.store.actions.putCase(kept());
    await h.store.actions.putCase(kept({ caseId: '8403556002', status: 'Closed', createdAt: '2026-12-01T09:01:00.000Z' }));
    await h.store.actions.putCase(kept({ caseId: '8403556003', channel: null, threadTs: null, createdAt: '2026-12-01T09:02:00.000Z' }));
    await h.store.actions.putCase(kept({ caseId: '8403556004', threadTs: '1700000000.000900', createdAt: '2026-12-01T09:03:00.000Z' }));
    const list = service.listInvestigations!;
    // The service throttles one case's listing: an iterable that fails when read.
    const throttled: AsyncIterable<AgentAction> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('ThrottlingException')) }),
    };
    service.listInvestigations = (caseId) => (caseId === '8403556004' ? throttled : list(caseId));

    expect(await agent.poll()).toEqual({ shown: 1, failed: 1 });
    expect(
      sir
        .callsTo('listInvestigations')
        .map(([id]) => id)
        .sort(),
    ).toEqual([CASE_ID, '8403556004']);
  });

  it("sends a responder's verdict from the case's own thread, audits it, and says it once however often it is clicked", async () => {
    const { h, agent, sir, told } = setup();
    await h.store.actions.putCase(kept());
    const verdict = { userId: RESPONDER, caseId: CASE_ID, resultId: 'inv-aaaaaaaaaa', usefulness: 'USEFUL' as const, clickedIn: THREAD };

    expect(await agent.feedback(verdict)).toEqual({ ok: true, already: false });
    expect(await agent.feedback(verdict)).toEqual({ ok: true, already: true });

    expect(sir.callsTo('sendFeedback')).toEqual([
      [CASE_ID, 'inv-aaaaaaaaaa', 'USEFUL'],
      [CASE_ID, 'inv-aaaaaaaaaa', 'USEFUL'],
    ]);
    expect(told('agentFeedbackGiven')).toEqual([{ thread: THREAD, caseId: CASE_ID, resultId: 'inv-aaaaaaaaaa', usefulness: 'USEFUL', by: RESPONDER }]);
    expect(auditLines(await h.auditTrail())).toEqual([
      `${RESPONDER} case.agent-feedback requested`,
      `${RESPONDER} case.agent-feedback executed`,
      `${RESPONDER} case.agent-feedback requested`,
    ]);
  });

  it('refuses people without the role, and a button clicked in another thread than its case’s; reports what the service said', async () => {
    const { h, agent, service, sir } = setup();
    await h.store.actions.putCase(kept());
    const verdict = { userId: RESPONDER, caseId: CASE_ID, resultId: 'inv-aaaaaaaaaa', usefulness: 'NOT_USEFUL' as const, clickedIn: THREAD };

    expect(await agent.feedback({ ...verdict, userId: OUTSIDER })).toMatchObject({ ok: false, kind: 'refused' });
    expect(await agent.feedback({ ...verdict, clickedIn: { channel: FINDINGS_CHANNEL, threadTs: '1.1' } })).toMatchObject({ ok: false, kind: 'invalid' });
    service.sendFeedback = async () => Promise.reject(Object.assign(new Error('no such result'), { name: 'ResourceNotFoundException' }));
    expect(await agent.feedback(verdict)).toEqual({ ok: false, kind: 'failed', reason: 'ResourceNotFoundException: no such result' });
    expect(sir.callsTo('sendFeedback')).toHaveLength(1);
    expect(auditLines(await h.auditTrail()).map((l) => l.split(' ').pop())).toEqual(['refused', 'refused', 'requested', 'failed']);
  });
});
