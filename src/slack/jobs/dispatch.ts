import type { WebClient } from '@slack/web-api';
import type { AnswerOutcome } from '../../investigation/service.ts';
import type { SlackAppDeps } from '../app.ts';
import { tellPrivately } from '../actions/reply.ts';
import { runSirCommand } from '../commands/sir.ts';
import { disputeNote } from '../views/investigation.ts';
import { errorModal, remediationModal } from '../views/remediation.ts';
import type { Job, ReplyTo } from './job.ts';

export interface JobDeps extends SlackAppDeps {
  /** The bot's Web API client: private answers and modal updates. */
  client: WebClient;
}

const place = (r: ReplyTo) => ({ channel: r.channel, threadTs: r.threadTs, user: r.user });

/** A person's time zone as their Slack profile gives it (users.info `tz`, users:read), or null. */
async function timeZoneOf(client: WebClient, user: string): Promise<string | null> {
  const res = await client.users.info({ user }).catch(() => null);
  const tz = (res?.user as { tz?: unknown } | undefined)?.tz;
  return typeof tz === 'string' && tz.length <= 64 ? tz : null;
}

/**
 * Runs one job with the runtime's services. What the person must hear about (a
 * refusal, a failure) is told to them privately where they acted.
 */
export async function dispatchJob(job: Job, deps: JobDeps): Promise<void> {
  const { actions, investigations, client, logger } = deps;
  const tell = (r: ReplyTo, text: string) => tellPrivately(client, place(r), text, logger);
  // What the person who answered must know: why it was not taken, or that it was added beside a differing value.
  const tellAnswer = async (r: ReplyTo, outcome: AnswerOutcome) => {
    if (!outcome.ok) await tell(r, outcome.kind === 'refused' ? `Not allowed: ${outcome.error}.` : `Not taken: ${outcome.error}`);
    else if (outcome.disputed.length > 0) await tell(r, disputeNote(outcome.disputed));
  };
  switch (job.kind) {
    case 'investigation.start':
      await investigations?.start(job.findingId, job.channel, job.threadTs);
      return;
    case 'investigation.now': {
      const outcome = await investigations?.investigateNow(job.id, job.userId);
      if (outcome) await tellAnswer(job.replyTo, outcome);
      return;
    }
    case 'investigation.answer': {
      const outcome = await investigations?.answer(job.id, job.question, job.value, job.replyTo.user);
      if (outcome) await tellAnswer(job.replyTo, outcome);
      return;
    }
    case 'investigation.reply': {
      // Null: chat, not an answer; nobody is told anything.
      const zone = () => timeZoneOf(client, job.replyTo.user);
      const outcome = await investigations?.reply(job.channel, job.threadTs, job.text, job.replyTo.user, { ...(job.ts ? { ts: job.ts } : {}), zone });
      if (outcome) await tellAnswer(job.replyTo, outcome);
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
      await runSirCommand(job, deps);
      return;
  }
  if (!actions) return;
  switch (job.kind) {
    case 'status.set': {
      const result = await actions.status.set({
        findingId: job.findingId,
        status: job.status,
        note: job.note,
        userId: job.userId,
        ...(job.userName ? { userName: job.userName } : {}),
      });
      if (!result.ok) await tell(job.replyTo, `Status not set: ${result.reason}`);
      return;
    }
    case 'case.open': {
      const result = await actions.cases.open(job.findingId, job.userId, job.form);
      if (!result.ok) await tell(job.replyTo, `Case not opened: ${result.reason}`);
      return;
    }
    case 'case.escalate': {
      const result = await actions.cases.escalate(job.caseId, job.userId);
      if (!result.ok) await tell(job.replyTo, `Not escalated: ${result.reason}`);
      return;
    }
    case 'case.status': {
      const result = await actions.cases.setStatus(job.caseId, job.userId, job.status);
      if (!result.ok) await tell(job.replyTo, `Case status not changed: ${result.reason}`);
      return;
    }
    case 'case.close': {
      const result = await actions.cases.close(job.caseId, job.userId);
      if (!result.ok) await tell(job.replyTo, `Case not closed: ${result.reason}`);
      return;
    }
    case 'remediation.preview': {
      const preview = await actions.remediations.preview(job.target);
      const view = 'error' in preview ? errorModal(`This remediation cannot run: ${preview.error}`) : remediationModal(preview, job.offerId);
      // The hash is the placeholder's: a modal the person closed or that changed meanwhile is left alone.
      await client.views
        .update({ view_id: job.viewId, ...(job.hash ? { hash: job.hash } : {}), view })
        .catch((err: unknown) => logger.warn({ err, view: job.viewId }, 'could not fill in the remediation preview'));
      return;
    }
    case 'remediation.request': {
      const result = await actions.remediations.request(job.target, job.userId, job.planHash, job.note);
      if (!result.ok) await tell(job.replyTo, `Remediation not run: ${result.reason}`);
      else if (result.already) await tell(job.replyTo, `This remediation was already requested (${result.state.replace('_', ' ')}).`);
      return;
    }
    case 'remediation.approve':
    case 'remediation.reject':
    case 'remediation.undo': {
      const verb = job.kind.slice('remediation.'.length) as 'approve' | 'reject' | 'undo';
      const result = await actions.remediations[verb](job.actionId, job.userId);
      if (!result.ok) await tell(job.replyTo, `Not done: ${result.reason}.`);
      return;
    }
    case 'acknowledge': {
      const result = await actions.escalations.acknowledge(job.findingId, job.userId);
      if (!result.ok) await tell(job.replyTo, `Not acknowledged: ${result.reason}.`);
      return;
    }
  }
}
