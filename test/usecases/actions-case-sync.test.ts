import { describe, expect, it } from 'vitest';
import { CaseComments, caseCommentKey } from '../../src/actions/case-comments.ts';
import { CaseSync } from '../../src/actions/case-sync.ts';
import type { CaseEvent } from '../../src/domain/actions/case-event.ts';
import type { CaseRecord } from '../../src/ports/action-store.ts';
import type { ActionNotices } from '../../src/ports/notices/actions.ts';
import type { CaseComment, CaseDetails, SecurityIrCases } from '../../src/ports/security-ir.ts';
import { recordingPort } from '../support/recording-port.ts';
import { CASE_ID, FINDINGS_CHANNEL, OUTSIDER, RESPONDER, ROOT_TS, actionHarness, auditLines, keptCase } from '../support/action-harness.ts';

const THREAD = { channel: FINDINGS_CHANNEL, threadTs: ROOT_TS };

const kept = keptCase;

const event = (kind: CaseEvent['kind'], actor: string | null = 'AWS Responder'): CaseEvent => ({
  eventId: `e-${kind}`,
  kind,
  caseId: CASE_ID,
  actor,
  account: '111122223333',
  region: 'us-east-1',
  time: '2026-12-01T10:00:00Z',
});

const comment = (id: string, body: string, at: string, o: Partial<CaseComment> = {}): CaseComment => ({
  commentId: id,
  body,
  creator: 'AWS Responder',
  createdDate: new Date(at),
  lastUpdatedDate: new Date(at),
  ...o,
});

/** The case use cases over the in-memory store, a Security IR that answers as the test says, and a recording notifier. */
function setup(service: { case?: CaseDetails; comments?: CaseComment[]; commentId?: string } = {}) {
  const h = actionHarness();
  // Mutable: a test makes the service or Slack fail from some call on.
  const answers: { [K in keyof SecurityIrCases]?: SecurityIrCases[K] } = {
    getCase: async () => service.case ?? {},
    addComment: async () => ({ commentId: service.commentId ?? '000007' }),
    async *listComments() {
      yield* service.comments ?? [];
    },
  };
  const sir = recordingPort<SecurityIrCases>(answers);
  const slack = { down: false };
  const notices = recordingPort<ActionNotices>({
    caseChangedElsewhere: async () => (slack.down ? Promise.reject(new Error('Slack is down')) : undefined),
  });
  const comments = new CaseComments({ ...h, securityIr: sir.port, notices: notices.port, region: 'us-east-1' });
  const redrawn: CaseRecord[] = [];
  const sync = new CaseSync({
    ...h,
    securityIr: sir.port,
    notices: notices.port,
    comments,
    redrawOpened: async (c) => {
      redrawn.push(c);
    },
    region: 'us-east-1',
  });
  /** What the use cases told through `method`, each as it was told. */
  const told = <M extends keyof ActionNotices & string>(method: M) => notices.callsTo(method).map(([e]) => e as Parameters<ActionNotices[M]>[0]);
  return { h: { ...h, notices }, told, sir, answers, slack, comments, sync, redrawn };
}

describe('CaseSync', () => {
  it("shows what an AWS responder changed, keeps it, and redraws the case's message; the same event again shows nothing", async () => {
    const {
      h,
      told: toldBy,
      sync,
      redrawn,
    } = setup({ case: { caseStatus: 'Detection and Analysis', resolverType: 'AWS', engagementType: 'Security Incident' } });
    await h.store.actions.putCase(kept());

    const first = await sync.apply(event('updated'));
    const again = await sync.apply(event('updated'));

    expect(first).toEqual({
      outcome: 'changed',
      changes: [
        { field: 'status', from: 'Submitted', to: 'Detection and Analysis' },
        { field: 'resolver', from: 'Self-managed', to: 'AWS-supported (AWS CIRT engaged)' },
      ],
    });
    expect(again).toEqual({ outcome: 'unchanged' });
    const [told] = toldBy('caseChangedElsewhere');
    expect(told).toMatchObject({ thread: THREAD, by: 'an AWS responder', since: '2026-12-01T09:00:00.000Z' });
    expect(told?.key).toMatch(/^sir-case:8403556001:/);
    expect(h.notices.methods()).toEqual(['caseChangedElsewhere']);
    expect(await h.store.actions.getCase(CASE_ID)).toMatchObject({ status: 'Detection and Analysis', resolverType: 'AWS' });
    expect(redrawn.map((c) => c.status)).toEqual(['Detection and Analysis']);
  });

  it('keeps the change untold when telling fails, so the retried event tells it', async () => {
    const { h, sync, slack } = setup({ case: { caseStatus: 'Closed' } });
    await h.store.actions.putCase(kept());
    slack.down = true;

    await expect(sync.apply(event('closed', null))).rejects.toThrow('Slack is down');
    expect((await h.store.actions.getCase(CASE_ID))?.status).toBe('Submitted');
    slack.down = false;
    expect(await sync.apply(event('closed', null))).toMatchObject({ outcome: 'changed', changes: [{ field: 'status', to: 'Closed' }] });
  });

  it('leaves alone the events of cases not opened from a thread here', async () => {
    const { h, sync, sir } = setup();

    expect(await sync.apply(event('comment-added'))).toEqual({ outcome: 'unknown-case' });
    expect(sir.calls).toEqual([]);
    expect(h.notices.calls).toEqual([]);
  });

  it("shows comments once each, from the last one shown on, and never sirbot's own", async () => {
    const { h, told, sync } = setup({
      comments: [
        comment('000001', "Timeline highlights (1/1)\n…\n\n— the investigation's timeline, via sirbot", '2026-12-01T09:01:00Z', { creator: '111122223333' }),
        comment('000002', 'We are looking at the key.', '2026-12-01T09:30:00Z'),
        comment('000003', 'Contained. Please confirm.', '2026-12-01T09:40:00Z', { createdDate: new Date('2026-12-01T09:35:00Z') }),
      ],
    });
    await h.store.actions.putCase(kept({ commentsShownThrough: '2026-12-01T09:20:00.000Z' }));

    const result = await sync.apply(event('comment-added'));
    const shown = told('caseCommentShown');
    h.advance(600);
    const again = await sync.apply(event('comment-updated'));

    expect(result).toEqual({ outcome: 'comments', shown: 2 });
    expect(shown.map((e) => [e.commentId, e.author, e.edited, e.key])).toEqual([
      ['000002', 'an AWS responder', false, caseCommentKey(CASE_ID, '000002')],
      ['000003', 'an AWS responder', true, caseCommentKey(CASE_ID, '000003', '2026-12-01T09:40:00.000Z')],
    ]);
    // Shown through the newest: the next event looks only at that edge, which its keyed post (looked for first) keeps single.
    expect((await h.store.actions.getCase(CASE_ID))?.commentsShownThrough).toBe('2026-12-01T09:40:00.000Z');
    expect(again).toEqual({ outcome: 'comments', shown: 1 });
    expect(told('caseCommentShown')[2]?.key).toBe(shown[1]?.key);
  });
});

describe('CaseComments', () => {
  it("puts a responder's thread message on the case once: signed, with a token from the message, audited and told under the comment's key", async () => {
    const { h, told, sir, comments } = setup({ commentId: '000004' });
    await h.store.actions.putCase(kept());
    const request = {
      userId: RESPONDER,
      userName: 'alice',
      text: '  Rotated the key.  ',
      thread: THREAD,
      source: { channel: FINDINGS_CHANNEL, ts: '1700000100.000200' },
    };

    const first = await comments.post(request);
    const twice = await comments.post(request);

    expect(first).toEqual({ ok: true, caseId: CASE_ID, commentId: '000004', already: false });
    expect(twice).toEqual({ ok: true, caseId: CASE_ID, commentId: '000004', already: true });
    const calls = sir.callsTo('addComment');
    expect(calls[0]?.[1]).toBe('Rotated the key.\n\n— alice (U0RESPONDER) in Slack, via sirbot');
    expect(calls[1]?.[2]).toBe(calls[0]?.[2]);
    expect(told('caseCommentPosted').map((e) => e.key)).toEqual([caseCommentKey(CASE_ID, '000004')]);
    expect(auditLines(await h.auditTrail())).toEqual([
      `${RESPONDER} case.comment requested`,
      `${RESPONDER} case.comment executed`,
      `${RESPONDER} case.comment requested`,
    ]);
  });

  it("a message's files that cannot be read are named in the result; the comment is made all the same", async () => {
    const { h, comments, told } = setup({ commentId: '000005' });
    await h.store.actions.putCase(kept());
    const result = await comments.post({
      userId: RESPONDER,
      text: '',
      thread: THREAD,
      source: { channel: FINDINGS_CHANNEL, ts: '1700000100.000400' },
      files: [{ id: 'F0LOG', name: 'trail log.gz' }],
    });
    expect(result).toMatchObject({ ok: true, commentId: '000005', files: { attached: [], failed: [{ name: 'trail_log.gz' }] } });
    expect(told('caseCommentPosted')[0]?.attached.failed[0]?.reason).toContain('does not read Slack files');
  });

  it('refuses people without the responder role and threads with no case, and reports what the service said', async () => {
    const { h, comments, answers } = setup();
    const source = { channel: FINDINGS_CHANNEL, ts: '1700000100.000300' };

    expect(await comments.post({ userId: OUTSIDER, text: 'hi', thread: THREAD, source })).toMatchObject({ ok: false, kind: 'refused' });
    expect(await comments.post({ userId: RESPONDER, text: 'hi', thread: THREAD, source })).toMatchObject({ ok: false, kind: 'invalid' });
    await h.store.actions.putCase(kept());
    answers.addComment = async () => Promise.reject(Object.assign(new Error('Case is closed'), { name: 'ConflictException' }));
    expect(await comments.post({ userId: RESPONDER, text: 'hi', thread: THREAD, source })).toEqual({
      ok: false,
      kind: 'failed',
      reason: 'ConflictException: Case is closed',
    });
    expect(auditLines(await h.auditTrail())).toEqual([
      `${OUTSIDER} case.comment refused`,
      `${RESPONDER} case.comment requested`,
      `${RESPONDER} case.comment failed`,
    ]);
  });
});
