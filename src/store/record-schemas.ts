import * as z from 'zod';
import type { AwsCall } from '../domain/actions/aws-call.ts';
import { RESOLVER_TYPES } from '../domain/actions/case-status.ts';
import { OFFER_KINDS, type OfferPayload } from '../domain/actions/offers.ts';
import { PRINCIPAL_ANSWERS, type Principal, type SeenActivity } from '../domain/actions/principal-check.ts';
import { PAGE_PROGRESS, PAGE_STEPS, PAGERS } from '../domain/actions/paging.ts';
import { SNOOZE_STATES } from '../domain/actions/snooze.ts';
import { type Finding, RECORD_STATES, SEVERITY_LABELS, WORKFLOW_STATUSES } from '../domain/finding.ts';
import type { StoredAnswers } from '../domain/investigation/answer-book.ts';
import type { InvestigationSummary } from '../domain/investigation/summary.ts';
import type { TimelineEntry } from '../domain/investigation/timeline.ts';
import type { Plan, RemediationTarget } from '../domain/remediation/remediation.ts';
import { exactly } from '../lib/exact-schema.ts';

import type {
  PrincipalCheckInput,
  PrincipalCheckOutcome,
  ActionFailure,
  AuditRecord,
  CaseOpened,
  CaseRecord,
  EscalationRecord,
  PageState,
  RemediationRequest,
  RemediationRun,
  RemediationRunResult,
  SnoozeRecord,
  StatusActionInput,
  StatusActionOutcome,
} from '../ports/action-store.ts';
import type { CallOutcome } from '../ports/aws-calls.ts';
import type { InvestigationConclusions, InvestigationFailure } from '../ports/store.ts';

/**
 * The schemas the stores check what they read back against (record-codecs.ts), each
 * checked against the type it stands for (`exactly`). They check what the code reading a
 * record relies on, the identity and the structure, and stop where a value is passed on
 * whole: a finding's raw document, an investigation summary's sections.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nullableString = z.string().nullable();

export const findingSchema = exactly<Finding>()(
  z.object({
    id: z.string(),
    schema: z.enum(['asff', 'ocsf', 'guardduty']),
    product: z.string(),
    productArn: nullableString,
    type: z.string(),
    types: z.array(z.string()),
    title: z.string(),
    description: z.string(),
    severity: z.object({ label: z.enum(SEVERITY_LABELS), score: z.number(), original: z.union([z.string(), z.number()]).optional() }),
    accountId: z.string(),
    region: z.string(),
    resources: z.array(z.object({ type: z.string(), id: z.string(), region: nullableString, tags: z.record(z.string(), z.string()) })),
    controlId: nullableString,
    generatorId: nullableString,
    createdAt: nullableString,
    updatedAt: nullableString,
    firstSeenAt: nullableString,
    lastSeenAt: nullableString,
    workflowStatus: z.enum(WORKFLOW_STATUSES),
    recordState: z.enum(RECORD_STATES),
    consoleUrl: nullableString,
    // The source document as received: passed on whole, never read as a record field.
    raw: z.unknown(),
  }),
);

/** The question ids at the top, who gave each and the differing answers beside them (answer-book.ts); ids the playbooks no longer ask are kept. */
export const answersSchema = z
  .looseObject({
    answeredBy: z.record(z.string(), z.string()).optional(),
    disputed: z.record(z.string(), z.array(z.object({ value: z.string(), by: z.string(), at: z.string() }))).optional(),
  })
  .check((ctx) => {
    for (const [key, value] of Object.entries(ctx.value)) {
      if (key !== 'answeredBy' && key !== 'disputed' && typeof value !== 'string') {
        ctx.issues.push({ code: 'custom', message: 'an answer is text', path: [key], input: value });
      }
    }
  }) satisfies z.ZodType<StoredAnswers>;

export const conclusionsSchema = exactly<InvestigationConclusions>()(
  z.object({
    summary: z.custom<InvestigationSummary>((v) => isObject(v) && typeof v.text === 'string', 'not an investigation summary'),
    window: z.object({ start: z.string(), end: z.string() }),
    events: z.number(),
    // Results kept before highlights were have none.
    highlights: z
      .array(z.custom<TimelineEntry>((v) => isObject(v) && typeof v.time === 'string' && typeof v.action === 'string', 'not a timeline entry'))
      .default([]),
    timelineIds: z
      .string()
      .regex(/^(?:[0-9a-f]{12}(?: [0-9a-f]{12})*)?$/)
      .optional(),
    followUps: z
      .array(
        z.object({
          at: z.string(),
          question: z.string().optional(),
          by: z.string().optional(),
          via: z.string(),
          window: z.object({ start: z.string(), end: z.string() }),
          events: z.number(),
          added: z.number().optional(),
          notKept: z.number().optional(),
          regions: z.object({ searched: z.array(z.string()), failed: z.array(z.string()) }).optional(),
          queries: z.array(z.string()),
        }),
      )
      .optional(),
  }),
);

const failureSchema = z.object({ error: z.string() }) satisfies z.ZodType<InvestigationFailure & ActionFailure>;

export const investigationResultSchema = z.union([conclusionsSchema, failureSchema]);

const awsCall = exactly<AwsCall>()(
  z.object({
    service: z.enum(['iam', 'ec2', 'ssm', 's3', 'securityhub', 'guardduty']),
    operation: z.string(),
    account: z.string(),
    region: z.string(),
    input: z.record(z.string(), z.unknown()),
    saveAs: z.string().optional(),
  }),
);
const callError = z.object({ name: z.string(), message: z.string() });
const callOutcome = exactly<CallOutcome>()(z.object({ call: awsCall, ok: z.boolean(), answer: z.unknown().optional(), error: callError.optional() }));

export const statusInputSchema = exactly<StatusActionInput>()(
  z.object({ status: z.enum(WORKFLOW_STATUSES), note: z.string(), call: awsCall, calls: z.array(awsCall).optional() }),
);
export const statusOutcomeSchema = exactly<StatusActionOutcome>()(
  z.object({ error: callError.nullable(), unprocessed: z.array(z.object({ id: z.string(), reason: z.string() })) }),
);

export const caseOutcomeSchema = z.union([exactly<CaseOpened>()(z.object({ caseId: z.string(), comments: z.number() })), failureSchema]);

const remediationInputs = z.record(z.string(), z.string());
const remediationTarget = exactly<RemediationTarget>()(
  z.object({ remediationId: z.string(), inputs: remediationInputs, findingId: nullableString, channel: nullableString, threadTs: nullableString }),
);
const plan = exactly<Plan>()(z.object({ calls: z.array(awsCall), undo: z.array(awsCall).nullable(), notes: z.array(z.string()) }));
export const remediationInputSchema = exactly<RemediationRequest>()(remediationTarget.extend({ plan, note: z.string() }));
const run = exactly<RemediationRun>()(z.object({ status: z.enum(['succeeded', 'partial', 'failed']), outcomes: z.array(callOutcome) }));
export const remediationOutcomeSchema = exactly<RemediationRunResult>()(run.partial().extend({ undo: run.optional(), undoneBy: z.string().optional() }));

const principal = exactly<Principal>()(
  z.object({ account: z.string(), kind: z.enum(['iamUser', 'roleSession', 'root']), name: z.string(), role: z.string().optional() }),
);
const seen = exactly<SeenActivity>()(
  z.object({
    action: nullableString,
    service: nullableString,
    at: nullableString,
    sourceIp: nullableString,
    location: nullableString,
    userAgent: nullableString,
  }),
);
export const principalCheckInputSchema = exactly<PrincipalCheckInput>()(
  z.object({
    principal,
    slackUserId: z.string(),
    via: z.string(),
    activity: seen,
    dueAt: z.string(),
    dm: z.object({ channel: z.string(), ts: z.string() }).nullable(),
  }),
);
export const principalCheckOutcomeSchema = exactly<PrincipalCheckOutcome>()(
  z.union([z.object({ answer: z.enum(PRINCIPAL_ANSWERS), by: z.string(), at: z.string() }), z.object({ timedOut: z.literal(true), at: z.string() })]),
);

/** A remediation offer's choice, or nothing beyond the finding. */
export const offerPayloadSchema = z.union([
  z.object({ remediationId: z.string(), inputs: remediationInputs }),
  z.strictObject({}).transform((): Record<string, never> => ({})),
]) satisfies z.ZodType<OfferPayload>;
export const offerKindSchema = z.enum(OFFER_KINDS);

export const actionStateSchema = z.enum(['awaiting_approval', 'running', 'succeeded', 'partial', 'failed', 'rejected', 'undoing', 'undone', 'undo_failed']);

export const caseRecordSchema = exactly<CaseRecord>()(
  z.object({
    caseId: z.string(),
    findingId: nullableString,
    channel: nullableString,
    threadTs: nullableString,
    title: z.string(),
    status: z.string(),
    resolverType: z.enum(RESOLVER_TYPES),
    // Cases stored before these were kept have neither.
    engagementType: z.enum(['Security Incident', 'Investigation']).nullable().default(null),
    commentsShownThrough: nullableString.default(null),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);

export const auditRecordSchema = exactly<AuditRecord>()(
  z.object({
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    target: z.string(),
    inputs: z.unknown(),
    outcome: z.enum(['requested', 'approved', 'rejected', 'refused', 'executed', 'failed']),
    result: z.unknown(),
    permalink: nullableString,
  }),
);

export const escalationRecordSchema = exactly<EscalationRecord>()(
  z.object({
    findingId: z.string(),
    channel: z.string(),
    threadTs: z.string(),
    stage: z.enum(['waiting', 'mentioned', 'proposed', 'opened', 'acknowledged', 'closed']),
    nextAt: nullableString,
    notify: z.array(z.string()),
    cirtAfterSeconds: z.number(),
    autoOpenCase: z.boolean(),
    ackedBy: nullableString,
    ackedAt: nullableString,
    page: exactly<PageState>()(
      z.object({ pager: z.enum(PAGERS), at: z.enum(PAGE_STEPS), key: z.string(), want: z.enum(PAGE_PROGRESS), sent: z.enum(PAGE_PROGRESS) }),
    )
      .nullable()
      .optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);

export const snoozeRecordSchema = exactly<SnoozeRecord>()(
  z.object({
    id: z.string(),
    criteria: z.object({ resource: nullableString, principal: nullableString, type: nullableString, accountId: nullableString }),
    expiresAt: z.string(),
    reason: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    state: z.enum(SNOOZE_STATES),
    findingId: nullableString,
    channel: nullableString,
    threadTs: nullableString,
    endedBy: nullableString,
    endedAt: nullableString,
    updatedAt: z.string(),
  }),
);
