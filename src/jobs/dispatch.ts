import type { CustomActions } from '../actions/custom-actions.ts';
import type { ActionServices } from '../actions/services.ts';
import type { FollowUpQuestions } from '../investigation/follow-ups.ts';
import type { AnswerOutcome, InvestigationService } from '../investigation/service.ts';
import type { NotDoneCommand, Replies, ReplyTo } from '../ports/replies.ts';
import type { TimeZones } from '../ports/time-zones.ts';
import type { Job, SirJob } from './job.ts';

/** What the bus runs commands with; the use cases are absent where the runtime cannot do that work. */
export interface JobDispatcherDeps {
  investigations?: Pick<InvestigationService, 'start' | 'investigateNow' | 'answer' | 'reply' | 'gatherNow' | 'startAdHoc'> | undefined;
  actions?:
    | Pick<ActionServices, 'status' | 'cases' | 'caseComments' | 'caseSync' | 'agentWork' | 'principalCheck' | 'remediations' | 'escalations' | 'snoozes'>
    | undefined;
  customActions?: Pick<CustomActions, 'apply'> | undefined;
  /** Follow-up questions in a finding's thread, answered from CloudTrail; absent where the runtime cannot search. */
  questions?: Pick<FollowUpQuestions, 'ask'> | undefined;
  replies: Replies;
  timeZones: TimeZones;
  /** The `/sir` command's work: its answers are Slack messages, so the Slack adapter does it. */
  sir?: ((job: SirJob) => Promise<void>) | undefined;
}

/**
 * The command bus's consumer: runs one command with the runtime's use cases, in the
 * local process's background or in the Lambda worker. What the person must hear (a
 * refusal, a failure, an answer kept beside another) goes to the Replies port.
 */
export class JobDispatcher {
  constructor(private readonly d: JobDispatcherDeps) {}

  async dispatch(job: Job): Promise<void> {
    const { investigations, actions, replies } = this.d;
    const notDone = (replyTo: ReplyTo, command: NotDoneCommand, reason: string) => replies.tellPrivately(replyTo, { kind: 'not-done', command, reason });
    switch (job.kind) {
      case 'investigation.start':
        await investigations?.start(job.findingId, job.channel, job.threadTs);
        return;
      case 'investigation.now': {
        const outcome = await investigations?.investigateNow(job.id, job.userId);
        if (outcome) await this.tellAnswer(job.replyTo, outcome);
        return;
      }
      case 'investigation.answer': {
        const outcome = await investigations?.answer(job.id, job.question, job.value, job.replyTo.user);
        if (outcome) await this.tellAnswer(job.replyTo, outcome);
        return;
      }
      case 'investigation.reply': {
        // Null: chat, not an answer; nobody is told anything. The zone is asked for only if the reply names a time.
        const zone = () => this.d.timeZones.timeZoneOf(job.replyTo.user);
        // A question for sirbot is answered (or refused) in the thread; anything else is read as an answer, as before.
        const asked = job.ts
          ? await this.d.questions?.ask({
              channel: job.channel,
              threadTs: job.threadTs,
              ts: job.ts,
              text: job.text,
              userId: job.replyTo.user,
              mentionsBot: job.mentionsBot === true,
              zone,
            })
          : null;
        if (asked) {
          if (!asked.ok) await replies.tellPrivately(job.replyTo, { kind: 'answer-refused', reason: asked.error });
          return;
        }
        const outcome = await investigations?.reply(job.channel, job.threadTs, job.text, job.replyTo.user, { ...(job.ts ? { ts: job.ts } : {}), zone });
        if (outcome) await this.tellAnswer(job.replyTo, outcome);
        return;
      }
      case 'investigation.gather':
        await investigations?.gatherNow(job.id, job.resuming);
        return;
      case 'investigation.adhoc': {
        const { kind: _kind, threadTs, ...request } = job;
        await investigations?.startAdHoc({ ...request, ...(threadTs ? { threadTs } : {}) });
        return;
      }
      case 'sir':
        await this.d.sir?.(job);
        return;
      case 'finding.followUp':
        // Thrown while its finding is not in Slack yet: the queue brings it back after the delivery.
        await this.d.customActions?.apply(job.findingId, job.request);
        return;
      case 'delivery.complete':
        // The worker runs deliveries on the deliverer itself (src/runtime/lambda/worker.ts).
        return;
    }
    if (!actions) return;
    switch (job.kind) {
      case 'status.set': {
        const { kind, replyTo, ...change } = job;
        const result = await actions.status.set(change);
        if (!result.ok) await notDone(replyTo, kind, result.reason);
        return;
      }
      case 'case.open': {
        const result = await actions.cases.open(job.findingId, job.userId, job.form);
        if (!result.ok) await notDone(job.replyTo, job.kind, result.reason);
        return;
      }
      case 'case.escalate': {
        const result = await actions.cases.escalate(job.caseId, job.userId);
        if (!result.ok) await notDone(job.replyTo, job.kind, result.reason);
        return;
      }
      case 'case.status': {
        const result = await actions.cases.setStatus(job.caseId, job.userId, job.status);
        if (!result.ok) await notDone(job.replyTo, job.kind, result.reason);
        return;
      }
      case 'case.comment': {
        const { kind, replyTo, ...request } = job;
        const result = await actions.caseComments.post(request);
        if (!result.ok) await notDone(replyTo, kind, result.reason);
        return;
      }
      case 'principal.answer': {
        if (!actions.principalCheck) return notDone(job.replyTo, job.kind, 'this sirbot does not ask about credentials');
        const result = await actions.principalCheck.answer(job.checkId, job.userId, job.answer);
        if (!result.ok) await notDone(job.replyTo, job.kind, result.reason);
        return;
      }
      case 'case.agentFeedback': {
        const { kind, replyTo, ...request } = job;
        const result = await actions.agentWork.feedback(request);
        if (!result.ok) await notDone(replyTo, kind, result.reason);
        return;
      }
      case 'case.sync':
        // A failure is thrown: the queue delivers the event again (then dead-letters it).
        await actions.caseSync.apply(job.event);
        return;
      case 'case.close': {
        const result = await actions.cases.close(job.caseId, job.userId);
        if (!result.ok) await notDone(job.replyTo, job.kind, result.reason);
        return;
      }
      case 'remediation.preview': {
        const preview = await actions.remediations.preview(job.target);
        await replies.showRemediationPreview({ viewId: job.viewId, hash: job.hash, offerId: job.offerId, preview });
        return;
      }
      case 'remediation.request': {
        const result = await actions.remediations.request(job.target, job.userId, job.planHash, job.note);
        if (!result.ok) await notDone(job.replyTo, job.kind, result.reason);
        else if (result.already) await replies.tellPrivately(job.replyTo, { kind: 'already-requested', state: result.state });
        return;
      }
      case 'remediation.approve':
      case 'remediation.reject':
      case 'remediation.undo': {
        const verb = job.kind.slice('remediation.'.length) as 'approve' | 'reject' | 'undo';
        const result = await actions.remediations[verb](job.actionId, job.userId);
        if (!result.ok) await notDone(job.replyTo, job.kind, result.reason);
        return;
      }
      case 'acknowledge': {
        const result = await actions.escalations.acknowledge(job.findingId, job.userId);
        if (!result.ok) await notDone(job.replyTo, job.kind, result.reason);
        return;
      }
      case 'snooze.create': {
        const { kind, replyTo, ...request } = job;
        const result = await actions.snoozes.create(request);
        if (!result.ok) await notDone(replyTo, kind, result.reason);
        return;
      }
      case 'snooze.cancel': {
        const result = await actions.snoozes.cancel(job.snoozeId, job.userId);
        if (!result.ok) await notDone(job.replyTo, job.kind, result.reason);
        else await replies.tellPrivately(job.replyTo, { kind: 'snooze-cancelled', snoozeId: job.snoozeId, already: result.already });
        return;
      }
    }
  }

  /** What the person who answered must know: why it was not taken, or that it was added beside a differing value. */
  private async tellAnswer(replyTo: ReplyTo, outcome: AnswerOutcome): Promise<void> {
    if (!outcome.ok) {
      await this.d.replies.tellPrivately(replyTo, { kind: outcome.kind === 'refused' ? 'answer-refused' : 'answer-invalid', reason: outcome.error });
    } else if (outcome.disputed.length > 0) await this.d.replies.tellPrivately(replyTo, { kind: 'answer-disputed', disputed: outcome.disputed });
  }
}
