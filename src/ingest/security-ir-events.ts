import * as z from 'zod';
import { CASE_EVENT_DETAIL_TYPES, type CaseEvent, IGNORED_SECURITY_IR_DETAIL_TYPES } from '../domain/actions/case-event.ts';
import { describeZodError, type IngestError, joinPath } from './errors.ts';

export const SECURITY_IR_SOURCE = 'aws.security-ir';

/** The case id as the API model has it (CaseId: 10–32 digits). */
const caseId = z.string().regex(/^\d{10,32}$/, 'expected a Security IR case id (10 to 32 digits)');
const account = z.string().regex(/^\d{12}$/, 'expected a 12-digit account id');
/** Who acted: "AWS Responder", the service's principal, or an account id; bounded, as any field sent to Slack. */
const actor = z.string().min(1).max(256);

const caseEventSchema = z.object({
  id: z.string().min(1).max(128),
  'detail-type': z.string(),
  source: z.literal(SECURITY_IR_SOURCE),
  account,
  time: z.iso.datetime({ offset: true }),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region'),
  detail: z.object({ caseId, createdBy: actor.optional(), updatedBy: actor.optional() }),
});

/** A Security IR event read: a case event, or one this source sends that concerns no case. */
export type SecurityIrEventRead = { event: CaseEvent } | { ignored: string } | IngestError;

/** Reads one EventBridge event from `aws.security-ir`; anything not shaped as the service sends it is an error naming the field. */
export function readSecurityIrEvent(doc: Record<string, unknown>, path: string): SecurityIrEventRead {
  const detailType = doc['detail-type'];
  if (typeof detailType === 'string' && (IGNORED_SECURITY_IR_DETAIL_TYPES as readonly string[]).includes(detailType)) return { ignored: detailType };
  const kind = typeof detailType === 'string' && Object.hasOwn(CASE_EVENT_DETAIL_TYPES, detailType) ? CASE_EVENT_DETAIL_TYPES[detailType] : undefined;
  if (!kind) return { path: joinPath(path, 'detail-type'), message: `unsupported Security IR detail-type ${JSON.stringify(detailType)}`, input: doc };
  const parsed = caseEventSchema.safeParse(doc);
  if (!parsed.success) return { path: path || '(root)', message: describeZodError(parsed.error, path), input: doc };
  const e = parsed.data;
  return {
    event: {
      eventId: e.id,
      kind,
      caseId: e.detail.caseId,
      actor: e.detail.updatedBy ?? e.detail.createdBy ?? null,
      account: e.account,
      region: e.region,
      time: e.time,
    },
  };
}

/** The event as EventBridge sent it, from what was read of it: what a dead letter keeps, to be replayed through ingest. */
export function caseEventDocument(e: CaseEvent): Record<string, unknown> {
  const detailType = Object.keys(CASE_EVENT_DETAIL_TYPES).find((t) => CASE_EVENT_DETAIL_TYPES[t] === e.kind);
  const actorKey = e.kind === 'created' || e.kind === 'comment-added' ? 'createdBy' : 'updatedBy';
  return {
    version: '0',
    id: e.eventId,
    'detail-type': detailType,
    source: SECURITY_IR_SOURCE,
    account: e.account,
    time: e.time,
    region: e.region,
    resources: [`arn:aws:security-ir:${e.region}:${e.account}:case/${e.caseId}`],
    detail: { caseId: e.caseId, ...(e.actor ? { [actorKey]: e.actor } : {}) },
  };
}
