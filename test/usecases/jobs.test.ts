import { describe, expect, it } from 'vitest';
import type { AgentWork } from '../../src/actions/agent-work.ts';
import type { CaseComments } from '../../src/actions/case-comments.ts';
import type { CaseSync } from '../../src/actions/case-sync.ts';
import type { CaseService } from '../../src/actions/cases.ts';
import type { EscalationService } from '../../src/actions/escalations.ts';
import type { Preview, RemediationService } from '../../src/actions/remediations.ts';
import type { SnoozeService } from '../../src/actions/snoozes.ts';
import type { StatusService } from '../../src/actions/status.ts';
import type { Disagreement } from '../../src/domain/investigation/answer-book.ts';
import type { FollowUpQuestions } from '../../src/investigation/follow-ups.ts';
import type { InvestigationService } from '../../src/investigation/service.ts';
import { JobDispatcher, type JobDispatcherDeps } from '../../src/jobs/dispatch.ts';
import type { Job } from '../../src/jobs/job.ts';
import type { Replies } from '../../src/ports/replies.ts';
import type { TimeZones } from '../../src/ports/time-zones.ts';
import { recordingPort } from '../support/recording-port.ts';

const REPLY_TO = { channel: 'C0SEC', threadTs: '1795780800.000100', user: 'U0ALICE' };
const TARGET = {
  remediationId: 'deactivate-access-key',
  inputs: { accessKeyId: 'AKIAEXAMPLE' },
  findingId: 'f-1',
  channel: 'C0SEC',
  threadTs: REPLY_TO.threadTs,
};

/** A dispatcher whose use cases answer as the test says, and whose Replies and TimeZones record what they were told. */
function dispatcher(answers: {
  status?: Partial<StatusService>;
  cases?: Partial<CaseService>;
  remediations?: Partial<RemediationService>;
  escalations?: Partial<EscalationService>;
  caseSync?: Partial<CaseSync>;
  snoozes?: Partial<SnoozeService>;
  investigations?: Partial<InvestigationService>;
  questions?: Partial<FollowUpQuestions>;
  sir?: JobDispatcherDeps['sir'];
  withoutActions?: boolean;
}) {
  const replies = recordingPort<Replies>();
  const timeZones = recordingPort<TimeZones>({ timeZoneOf: async () => 'Europe/Paris' });
  const status = recordingPort<StatusService>(answers.status);
  const remediations = recordingPort<RemediationService>(answers.remediations);
  const investigations = recordingPort<InvestigationService>(answers.investigations);
  const caseSync = recordingPort<CaseSync>(answers.caseSync);
  const questions = recordingPort<FollowUpQuestions>(answers.questions ?? { ask: async () => null });
  const bus = new JobDispatcher({
    investigations: investigations.port,
    questions: questions.port,
    ...(answers.withoutActions
      ? {}
      : {
          actions: {
            status: status.port,
            cases: recordingPort<CaseService>(answers.cases).port,
            remediations: remediations.port,
            escalations: recordingPort<EscalationService>(answers.escalations).port,
            caseSync: caseSync.port,
            caseComments: recordingPort<CaseComments>().port,
            agentWork: recordingPort<AgentWork>().port,
            snoozes: recordingPort<SnoozeService>(answers.snoozes).port,
          },
        }),
    replies: replies.port,
    timeZones: timeZones.port,
    sir: answers.sir,
  });
  return { bus, replies, timeZones, status, remediations, investigations, caseSync, questions };
}

const statusJob: Job = { kind: 'status.set', findingId: 'f-1', status: 'RESOLVED', note: 'rotated', userId: 'U0ALICE', replyTo: REPLY_TO };

describe('the command bus', () => {
  it('tells the person privately why a status was not set', async () => {
    const { bus, replies, status } = dispatcher({ status: { set: async () => ({ ok: false, kind: 'refused', reason: 'not allowed' }) as never } });

    await bus.dispatch(statusJob);

    expect(status.callsTo('set')).toEqual([[{ findingId: 'f-1', status: 'RESOLVED', note: 'rotated', userId: 'U0ALICE' }]]);
    expect(replies.calls).toEqual([{ method: 'tellPrivately', args: [REPLY_TO, { kind: 'not-done', command: 'status.set', reason: 'not allowed' }] }]);
  });

  it('tells nobody anything when the command was carried out', async () => {
    const { bus, replies } = dispatcher({ status: { set: async () => ({ ok: true }) as never } });

    await bus.dispatch(statusJob);

    expect(replies.calls).toEqual([]);
  });

  it('names the command that failed: a case, an acknowledgement, a settled remediation', async () => {
    const failed = async () => ({ ok: false, kind: 'invalid', reason: 'gone' }) as never;
    const { bus, replies } = dispatcher({ cases: { close: failed }, escalations: { acknowledge: failed }, remediations: { undo: failed } });

    await bus.dispatch({ kind: 'case.close', caseId: '123', userId: 'U0ALICE', replyTo: REPLY_TO });
    await bus.dispatch({ kind: 'acknowledge', findingId: 'f-1', userId: 'U0ALICE', replyTo: REPLY_TO });
    await bus.dispatch({ kind: 'remediation.undo', actionId: 'a-1', userId: 'U0ALICE', replyTo: REPLY_TO });

    expect(replies.callsTo('tellPrivately').map(([, notice]) => notice)).toEqual([
      { kind: 'not-done', command: 'case.close', reason: 'gone' },
      { kind: 'not-done', command: 'acknowledge', reason: 'gone' },
      { kind: 'not-done', command: 'remediation.undo', reason: 'gone' },
    ]);
  });

  it('shows a queued Security IR event in its thread, and throws its failure so the queue delivers it again', async () => {
    const event = {
      eventId: 'e-1',
      kind: 'comment-added',
      caseId: '1234567890',
      actor: 'AWS Responder',
      account: '111122223333',
      region: 'us-east-1',
      time: '2026-12-06T10:00:00Z',
    } as const;
    const { bus, caseSync } = dispatcher({ caseSync: { apply: async () => ({ outcome: 'comments', shown: 1 }) } });

    await bus.dispatch({ kind: 'case.sync', event });

    expect(caseSync.callsTo('apply')).toEqual([[event]]);
    const failing = dispatcher({ caseSync: { apply: async () => Promise.reject(new Error('ThrottlingException')) } });
    await expect(failing.bus.dispatch({ kind: 'case.sync', event })).rejects.toThrow('ThrottlingException');
  });

  it('fills the modal the click opened with the remediation preview, by view id and hash', async () => {
    const preview = { planHash: 'abc' } as Preview;
    const { bus, replies, remediations } = dispatcher({ remediations: { preview: async () => preview } });

    await bus.dispatch({ kind: 'remediation.preview', viewId: 'V1', hash: 'h1', offerId: 'o-1', target: TARGET, replyTo: REPLY_TO });

    expect(remediations.callsTo('preview')).toEqual([[TARGET]]);
    expect(replies.calls).toEqual([{ method: 'showRemediationPreview', args: [{ viewId: 'V1', hash: 'h1', offerId: 'o-1', preview }] }]);
  });

  it('shows why a remediation cannot run in the same modal', async () => {
    const { bus, replies } = dispatcher({ remediations: { preview: async () => ({ error: 'missing input' }) } });

    await bus.dispatch({ kind: 'remediation.preview', viewId: 'V1', offerId: 'o-1', target: TARGET, replyTo: REPLY_TO });

    expect(replies.callsTo('showRemediationPreview')).toEqual([[{ viewId: 'V1', hash: undefined, offerId: 'o-1', preview: { error: 'missing input' } }]]);
  });

  it('says a remediation asked for again was already requested', async () => {
    const { bus, replies } = dispatcher({ remediations: { request: async () => ({ ok: true, state: 'awaiting_approval', actionId: 'a-1', already: true }) } });

    await bus.dispatch({ kind: 'remediation.request', target: TARGET, userId: 'U0ALICE', planHash: 'abc', note: '', replyTo: REPLY_TO });

    expect(replies.callsTo('tellPrivately')).toEqual([[REPLY_TO, { kind: 'already-requested', state: 'awaiting_approval' }]]);
  });

  it('tells whoever answered that their answer was refused, or kept beside another', async () => {
    const disputed = [{ question: 'exposedAt', kept: '2026-01-01', keptBy: null, others: [], effect: 'earliest-used' }] as unknown as Disagreement[];
    const { bus, replies } = dispatcher({
      investigations: {
        answer: async () => ({ ok: false, kind: 'refused', error: 'this needs the responder role' }),
        investigateNow: async () => ({ ok: true, open: [], disputed }),
      },
    });

    await bus.dispatch({ kind: 'investigation.answer', id: 'i-1', question: 'exposedAt', value: 'yesterday', replyTo: REPLY_TO });
    await bus.dispatch({ kind: 'investigation.now', id: 'i-1', userId: 'U0ALICE', replyTo: REPLY_TO });

    expect(replies.callsTo('tellPrivately')).toEqual([
      [REPLY_TO, { kind: 'answer-refused', reason: 'this needs the responder role' }],
      [REPLY_TO, { kind: 'answer-disputed', disputed }],
    ]);
  });

  it('asks for the time zone of whoever replied only when the investigation needs it', async () => {
    const { bus, timeZones, investigations } = dispatcher({
      investigations: {
        reply: async (_c, _t, _text, _u, o) => {
          await o?.zone?.();
          return null;
        },
      },
    });

    await bus.dispatch({
      kind: 'investigation.reply',
      channel: 'C0SEC',
      threadTs: REPLY_TO.threadTs,
      ts: '1795784400.000200',
      text: 'at 3pm',
      replyTo: REPLY_TO,
    });

    expect(timeZones.callsTo('timeZoneOf')).toEqual([['U0ALICE']]);
    expect(investigations.callsTo('reply')[0]?.slice(0, 4)).toEqual(['C0SEC', REPLY_TO.threadTs, 'at 3pm', 'U0ALICE']);
  });

  it('a thread reply goes to follow-up questions first: one taken there is not read as an answer; a refused asker is told privately', async () => {
    const reply: Job = {
      kind: 'investigation.reply',
      channel: 'C0SEC',
      threadTs: REPLY_TO.threadTs,
      ts: '1795784400.000200',
      text: '<@U0SIRBOT> what did this key do?',
      mentionsBot: true,
      replyTo: REPLY_TO,
    };
    const answered = dispatcher({ questions: { ask: async () => ({ ok: true, answered: true }) } });
    await answered.bus.dispatch(reply);
    expect(answered.questions.callsTo('ask')[0]?.[0]).toMatchObject({ channel: 'C0SEC', ts: '1795784400.000200', userId: 'U0ALICE', mentionsBot: true });
    expect(answered.investigations.callsTo('reply')).toEqual([]);

    const refused = dispatcher({ questions: { ask: async () => ({ ok: false, kind: 'refused', error: 'this needs the responder role' }) } });
    await refused.bus.dispatch(reply);
    expect(refused.replies.callsTo('tellPrivately')).toEqual([[REPLY_TO, { kind: 'answer-refused', reason: 'this needs the responder role' }]]);
    expect(refused.investigations.callsTo('reply')).toEqual([]);

    const chat = dispatcher({ investigations: { reply: async () => null } });
    await chat.bus.dispatch({ ...reply, text: 'it leaked at 3pm', mentionsBot: false });
    expect(chat.questions.callsTo('ask')).toHaveLength(1);
    expect(chat.investigations.callsTo('reply')).toHaveLength(1);
  });

  it('hands /sir to the handler it was given', async () => {
    const handled: Job[] = [];
    const { bus, replies } = dispatcher({ sir: async (job) => void handled.push(job) });
    const sir: Job = { kind: 'sir', text: 'cases', user: 'U0ALICE', channel: 'C0SEC', triggerId: 't-1' };

    await bus.dispatch(sir);

    expect(handled).toEqual([sir]);
    expect(replies.calls).toEqual([]);
  });

  it('does nothing with an action command where the runtime cannot act', async () => {
    const { bus, replies, status } = dispatcher({ withoutActions: true });

    await bus.dispatch(statusJob);

    expect(status.calls).toEqual([]);
    expect(replies.calls).toEqual([]);
  });
});
