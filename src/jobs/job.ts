import * as z from 'zod';
import { WORKFLOW_STATUSES } from '../domain/finding.ts';
import { QUESTIONS, type QuestionId } from '../domain/investigation/playbooks.ts';
import { SELF_MANAGED_CASE_STATUSES } from '../domain/actions/case-status.ts';
import type { RemediationTarget } from '../domain/remediation/remediation.ts';
import { SNOOZE_MAX_SECONDS, SNOOZE_REASON_MAX, SNOOZE_VALUE_MAX, type SnoozeCriteria } from '../domain/actions/snooze.ts';
import { exactly } from '../lib/exact-schema.ts';
import { CASE_EVENT_KINDS, type CaseEvent } from '../domain/actions/case-event.ts';
import { PRINCIPAL_ANSWERS } from '../domain/actions/principal-check.ts';
import { caseFormSchema } from '../ports/case-form-schema.ts';

const caseEventSchema = exactly<CaseEvent>()(
  z.object({
    eventId: z.string().max(128),
    kind: z.enum(CASE_EVENT_KINDS),
    caseId: z.string().max(32),
    actor: z.string().max(256).nullable(),
    account: z.string().max(12),
    region: z.string().max(30),
    time: z.string().max(40),
  }),
);

const QUESTION_IDS = Object.keys(QUESTIONS) as [QuestionId, ...QuestionId[]];

/**
 * The command bus's commands: slow work a Slack interaction (or ingest) asks for, as
 * data, run by the dispatcher (./dispatch.ts) in the background of the local process, or
 * sent to the work queue and run by the worker in Lambda (where the Slack function must
 * answer before it does anything slow). The schema is the worker's boundary: a message
 * that does not match is a poisoned message.
 */
const replyTo = z.object({ channel: z.string().max(100).optional(), threadTs: z.string().max(40).optional(), user: z.string().max(40) });
const inputs = z.record(z.string(), z.string().max(600));
// The domain's types, with the bounds a queued message keeps to.
const target = exactly<RemediationTarget>()(
  z.object({
    remediationId: z.string().max(60),
    inputs,
    findingId: z.string().max(1024).nullable(),
    channel: z.string().max(100).nullable(),
    threadTs: z.string().max(40).nullable(),
  }),
);
const investigationTarget = z.object({ type: z.enum(['accessKey', 'iamUser', 'roleArn', 'userArn', 'instance', 'ip']), value: z.string().max(600) });

/** Findings per delivery job: SQS takes 256 KB a message, finding ids run to 2 KB. */
export const DELIVERY_BATCH = 50;

export const jobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('investigation.start'), findingId: z.string(), channel: z.string(), threadTs: z.string() }),
  z.object({ kind: z.literal('investigation.now'), id: z.string(), userId: z.string(), replyTo }),
  z.object({ kind: z.literal('investigation.answer'), id: z.string(), question: z.enum(QUESTION_IDS), value: z.string().max(3000), replyTo }),
  // `ts`: the reply's own, so "2 hours ago" counts from when it was written, not from when the job runs.
  // `mentionsBot`: the reply names sirbot, so it is a question for it even while its own questions are open.
  z.object({
    kind: z.literal('investigation.reply'),
    channel: z.string(),
    threadTs: z.string(),
    ts: z.string().max(40).optional(),
    text: z.string(),
    mentionsBot: z.boolean().optional(),
    replyTo,
  }),
  z.object({ kind: z.literal('investigation.gather'), id: z.string(), resuming: z.boolean() }),
  z.object({
    kind: z.literal('investigation.adhoc'),
    requestId: z.string(),
    target: investigationTarget,
    account: z.string(),
    region: z.string(),
    since: z.string().nullable(),
    channel: z.string(),
    threadTs: z.string().optional(),
    requestedBy: z.string(),
  }),
  z.object({
    kind: z.literal('status.set'),
    findingId: z.string(),
    status: z.enum(WORKFLOW_STATUSES),
    note: z.string(),
    userId: z.string(),
    userName: z.string().optional(),
    replyTo,
  }),
  z.object({ kind: z.literal('case.open'), findingId: z.string(), userId: z.string(), form: caseFormSchema, replyTo }),
  z.object({ kind: z.literal('case.escalate'), caseId: z.string(), userId: z.string(), replyTo }),
  z.object({ kind: z.literal('case.status'), caseId: z.string(), status: z.enum(SELF_MANAGED_CASE_STATUSES), userId: z.string(), replyTo }),
  z.object({ kind: z.literal('case.close'), caseId: z.string(), userId: z.string(), replyTo }),
  // A thread message for its case ("Post to case"): `source` names the message, and so the comment.
  z.object({
    kind: z.literal('case.comment'),
    userId: z.string(),
    userName: z.string().max(200).optional(),
    text: z.string().max(40_000),
    thread: z.object({ channel: z.string().max(100), threadTs: z.string().max(40) }),
    source: z.object({ channel: z.string().max(100), ts: z.string().max(40) }),
    // The message's files, by Slack id: read from Slack, not from the click.
    files: z
      .array(z.object({ id: z.string().regex(/^F[A-Z0-9]{2,}$/), name: z.string().max(1000) }))
      .max(20)
      .optional(),
    replyTo,
  }),
  // The target is the stored offer's; the modal opened at the click is filled in by view id (and hash).
  z.object({ kind: z.literal('remediation.preview'), viewId: z.string(), hash: z.string().optional(), offerId: z.string(), target, replyTo }),
  z.object({ kind: z.literal('remediation.request'), target, userId: z.string(), planHash: z.string(), note: z.string(), replyTo }),
  z.object({ kind: z.enum(['remediation.approve', 'remediation.reject', 'remediation.undo']), actionId: z.string(), userId: z.string(), replyTo }),
  z.object({ kind: z.literal('acknowledge'), findingId: z.string(), userId: z.string(), replyTo }),
  // Snooze similar: the entities are the offer's finding's (read again when the modal was submitted), the request key the modal's view id.
  z.object({
    kind: z.literal('snooze.create'),
    requestKey: z.string().max(100),
    findingId: z.string().max(2048).nullable(),
    criteria: z.object({
      resource: z.string().max(SNOOZE_VALUE_MAX).nullable(),
      principal: z.string().max(SNOOZE_VALUE_MAX).nullable(),
      type: z.string().max(SNOOZE_VALUE_MAX).nullable(),
      accountId: z.string().max(SNOOZE_VALUE_MAX).nullable(),
    }) satisfies z.ZodType<SnoozeCriteria>,
    seconds: z.number().int().min(60).max(SNOOZE_MAX_SECONDS),
    reason: z.string().max(SNOOZE_REASON_MAX),
    userId: z.string(),
    place: z.object({ channel: z.string().max(100), threadTs: z.string().max(40).nullable() }).nullable(),
    replyTo,
  }),
  z.object({ kind: z.literal('snooze.cancel'), snoozeId: z.string().max(100), userId: z.string(), replyTo }),
  z.object({ kind: z.literal('sir'), text: z.string(), user: z.string(), channel: z.string(), triggerId: z.string() }),
  // "Was this you?" answered in a direct message.
  z.object({ kind: z.literal('principal.answer'), checkId: z.string().max(80), userId: z.string(), answer: z.enum(PRINCIPAL_ANSWERS), replyTo }),
  z.object({
    kind: z.literal('case.agentFeedback'),
    caseId: z.string().regex(/^\d{10,32}$/),
    resultId: z.string().regex(/^inv-[a-z0-9]{10,32}$/),
    usefulness: z.enum(['USEFUL', 'NOT_USEFUL']),
    userId: z.string(),
    clickedIn: z.object({ channel: z.string().max(100), threadTs: z.string().max(40) }),
    replyTo,
  }),
  // What a finding asks beyond its delivery (a custom action, AWS Health's investigation at once), run after it (retried until then).
  z.object({
    kind: z.literal('finding.followUp'),
    findingId: z.string().max(2048),
    request: z.union([z.strictObject({ actionName: z.string().max(64) }), z.strictObject({ investigateBecause: z.string().max(200) })]),
  }),
  // A Security IR case event the ingest function received, for the worker to show in the case's thread.
  z.object({ kind: z.literal('case.sync'), event: caseEventSchema }),
  // Findings the ingest function stored, for the worker to deliver (not a Slack interaction: the worker runs it).
  z.object({ kind: z.literal('delivery.complete'), findingIds: z.array(z.string().max(2048)).min(1).max(DELIVERY_BATCH) }),
]);

export type Job = z.infer<typeof jobSchema>;
/** A `/sir` command, run by the Slack adapter's handler (its answers are Slack messages). */
export type SirJob = Extract<Job, { kind: 'sir' }>;
export type ReplyTo = z.infer<typeof replyTo>;

/** Where slow work goes: this process's background, or the work queue. */
export interface JobRunner {
  run(job: Job): Promise<void>;
  /** Resolves when every job started here has finished (local runtime and tests). */
  idle(): Promise<void>;
}
