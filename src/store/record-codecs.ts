import * as z from 'zod';
import { canonicalJson } from '../domain/actions/offers.ts';
import type { ActionFields, ActionPatch, ActionRecord, OfferRecord, RemediationKind } from '../ports/action-store.ts';
import type { FindingRecord, InvestigationRecord } from '../ports/store.ts';
import { exactly } from '../lib/exact-schema.ts';
import {
  actionStateSchema,
  answersSchema,
  caseOutcomeSchema,
  findingSchema,
  investigationResultSchema,
  offerKindSchema,
  offerPayloadSchema,
  principalCheckInputSchema,
  principalCheckOutcomeSchema,
  remediationInputSchema,
  remediationOutcomeSchema,
  statusInputSchema,
  statusOutcomeSchema,
} from './record-schemas.ts';
import { caseFormSchema } from '../ports/case-form-schema.ts';

/**
 * The one place the stores turn typed records into what they keep and back. The three
 * stores keep the same representation as ever (a finding's snapshot, an investigation's
 * answers and result, an action's input and result, an offer's payload: JSON text in a
 * column or an attribute), write it with `encode…` and read it with `decode…`, which
 * parses it once and checks it against its schema (record-schemas.ts). A stored document
 * that does not match is a StoredRecordError naming the record, never a silent cast.
 */

export class StoredRecordError extends Error {
  override readonly name = 'StoredRecordError';
  constructor(
    readonly record: string,
    readonly id: string,
    problem: string,
  ) {
    super(`stored ${record} ${id} cannot be read: ${problem}`);
  }
}

/** What a store does with a record it cannot read while listing (the composition root logs it). */
export type UnreadableRecord = (err: StoredRecordError) => void;

/** Without a logger: a process warning, on stderr. */
export const warnUnreadable: UnreadableRecord = (err) => process.emitWarning(err.message, 'StoredRecordError');

/**
 * A list reads each record on its own: one record that cannot be read is reported and
 * left out, so it does not stop the resume sweeps and tickers from reaching the others
 * (read alone, by its id, it is still refused with its error).
 */
export function readableOnly<S, T>(stored: readonly S[], decode: (s: S) => T, report: UnreadableRecord): T[] {
  const out: T[] = [];
  for (const s of stored) {
    try {
      out.push(decode(s));
    } catch (err) {
      if (!(err instanceof StoredRecordError)) throw err;
      report(err);
    }
  }
  return out;
}

/** For a list that reads records one by one: a record that cannot be read is reported and becomes null. */
export const reportedAsNull =
  (report: UnreadableRecord) =>
  (err: unknown): null => {
    if (!(err instanceof StoredRecordError)) throw err;
    report(err);
    return null;
  };

/** The record as kept: its JSON-bearing fields as text. */
export type StoredFinding = Omit<FindingRecord, 'snapshot' | 'pendingSnapshot'> & { snapshot: string | null; pendingSnapshot: string | null };
export type StoredInvestigation = Omit<InvestigationRecord, 'answers' | 'result'> & { answers: string; result: string | null };
export type StoredAction = ActionFields & { kind: string; input: string; result: string | null };
export type StoredOffer = Omit<OfferRecord, 'kind' | 'payload'> & { kind: string; payload: string };

/** Where a stored value sits, for the error that names it (`field`: empty for a whole document). */
interface Place {
  record: string;
  id: string;
  field: string;
}

const nullableString = z.string().nullable();
const storedActionSchema = exactly<StoredAction>()(
  z.object({
    id: z.string(),
    kind: z.string(),
    findingId: nullableString,
    channel: nullableString,
    threadTs: nullableString,
    requestedBy: z.string(),
    approvedBy: nullableString,
    state: actionStateSchema,
    input: z.string(),
    result: nullableString,
    messageTs: nullableString,
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);
const storedOfferSchema = exactly<StoredOffer>()(
  z.object({ id: z.string(), findingId: z.string(), kind: z.string(), payload: z.string(), createdAt: z.string() }),
);

function parsed<T>(schema: z.ZodType<T>, value: unknown, at: Place): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 3)
    .map((i) => `${[at.field, ...i.path.map(String)].filter((p) => p !== '').join('.') || 'the record'}: ${i.message}`);
  throw new StoredRecordError(at.record, at.id, `it does not match its schema (${issues.join('; ')})`);
}

function json(text: string, at: Place): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new StoredRecordError(at.record, at.id, `${at.field || 'its document'} is not JSON (${(err as Error).message})`);
  }
}

/** The id a stored document says it has, to name it before it is known to be readable. */
const idOf = (stored: unknown): string => {
  const id = typeof stored === 'object' && stored !== null && 'id' in stored ? stored.id : undefined;
  return typeof id === 'string' ? id : '(no id)';
};

const fromJson = <T>(schema: z.ZodType<T>, text: string, at: Place): T => parsed(schema, json(text, at), at);
const orNull = <T>(text: string | null, read: (text: string) => T): T | null => (text === null ? null : read(text));

export function encodeFinding(r: FindingRecord): StoredFinding {
  return {
    ...r,
    snapshot: r.snapshot === null ? null : JSON.stringify(r.snapshot),
    pendingSnapshot: r.pendingSnapshot === null ? null : JSON.stringify(r.pendingSnapshot),
  };
}

export function decodeFinding(s: StoredFinding): FindingRecord {
  const at = (field: string): Place => ({ record: 'finding record', id: s.findingId, field });
  return {
    ...s,
    snapshot: orNull(s.snapshot, (t) => fromJson(findingSchema, t, at('snapshot'))),
    pendingSnapshot: orNull(s.pendingSnapshot, (t) => fromJson(findingSchema, t, at('pendingSnapshot'))),
  };
}

export function encodeInvestigation(r: InvestigationRecord): StoredInvestigation {
  return { ...r, answers: JSON.stringify(r.answers), result: r.result === null ? null : JSON.stringify(r.result) };
}

export function decodeInvestigation(s: StoredInvestigation): InvestigationRecord {
  const at = (field: string): Place => ({ record: 'investigation', id: s.id, field });
  return {
    ...s,
    answers: fromJson(answersSchema, s.answers, at('answers')),
    result: orNull(s.result, (t) => fromJson(investigationResultSchema, t, at('result'))),
  };
}

export function encodeAction(r: ActionRecord): StoredAction {
  return { ...r, input: JSON.stringify(r.input), result: r.result === null ? null : JSON.stringify(r.result) };
}

/** The stored fields a transition sets (those given). */
export function encodeActionPatch(p: ActionPatch): Partial<StoredAction> {
  const { input, result, ...fields } = p;
  return {
    ...fields,
    ...(input === undefined ? {} : { input: JSON.stringify(input) }),
    ...(result === undefined ? {} : { result: result === null ? null : JSON.stringify(result) }),
  };
}

const isRemediationKind = (kind: string): kind is RemediationKind => kind.startsWith('remediation:');

/** An action as stored (a SQLite document, a DynamoDB item), its input and outcome read by what its kind keeps. */
export function decodeAction(stored: unknown): ActionRecord {
  const id = idOf(stored);
  const at = (field: string): Place => ({ record: 'action', id, field });
  const s = parsed(storedActionSchema, stored, at(''));
  const { kind, input, result, ...fields } = s;
  if (kind === 'status') {
    return {
      ...fields,
      kind,
      input: fromJson(statusInputSchema, input, at('input')),
      result: orNull(result, (t) => fromJson(statusOutcomeSchema, t, at('result'))),
    };
  }
  if (kind === 'case') {
    return {
      ...fields,
      kind,
      input: fromJson(caseFormSchema, input, at('input')),
      result: orNull(result, (t) => fromJson(caseOutcomeSchema, t, at('result'))),
    };
  }
  if (kind === 'principal-check') {
    return {
      ...fields,
      kind,
      input: fromJson(principalCheckInputSchema, input, at('input')),
      result: orNull(result, (t) => fromJson(principalCheckOutcomeSchema, t, at('result'))),
    };
  }
  if (isRemediationKind(kind)) {
    return {
      ...fields,
      kind,
      input: fromJson(remediationInputSchema, input, at('input')),
      result: orNull(result, (t) => fromJson(remediationOutcomeSchema, t, at('result'))),
    };
  }
  throw new StoredRecordError('action', id, `its kind ${JSON.stringify(kind)} is not one sirbot records`);
}

export function encodeOffer(r: OfferRecord): StoredOffer {
  // Canonical, as offer ids are derived from it: equal offers are equal text.
  return { ...r, payload: canonicalJson(r.payload) };
}

/** An offer as stored (a SQLite document, a DynamoDB item). */
export function decodeOffer(stored: unknown): OfferRecord {
  const at = (field: string): Place => ({ record: 'offer', id: idOf(stored), field });
  const s = parsed(storedOfferSchema, stored, at(''));
  return { ...s, kind: parsed(offerKindSchema, s.kind, at('kind')), payload: fromJson(offerPayloadSchema, s.payload, at('payload')) };
}

/** The JSON document a record is kept as (SQLite's action tables, DynamoDB's audit items), to be decoded. */
export function documentOf(doc: string, record: string, id: string): unknown {
  return json(doc, { record, id, field: '' });
}

/** A record read as fields (a DynamoDB item's attributes), checked against its schema. */
export function decodeFields<T>(schema: z.ZodType<T>, fields: unknown, record: string, id: string): T {
  return parsed(schema, fields, { record, id, field: '' });
}

/** A record kept whole as one JSON document, checked against its schema. */
export function decodeDocument<T>(schema: z.ZodType<T>, doc: string, record: string, id: string): T {
  const at: Place = { record, id, field: '' };
  return parsed(schema, json(doc, at), at);
}
