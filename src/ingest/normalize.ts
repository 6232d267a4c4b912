import type * as z from 'zod';
import type { Finding } from '../domain/finding.ts';
import { asffSchema, normalizeAsff } from './asff.ts';
import { describeZodError, type IngestError } from './errors.ts';
import { unwrap, type FindingDocument } from './envelopes.ts';
import { camelizeKeys, guardDutySchema, isGuardDutyApiForm, normalizeGuardDuty } from './guardduty.ts';
import { normalizeOcsf, ocsfSchema } from './ocsf.ts';
import { readSecurityIrEvent } from './security-ir-events.ts';
import { healthEventSchema, normalizeHealth } from './health.ts';
import type { CaseEvent } from '../domain/actions/case-event.ts';

export type NormalizeItem =
  | {
      ok: true;
      finding: Finding;
      path: string;
      customAction: string | null;
      /** Why the finding is investigated at once, whatever the rules say (AWS Health's exposed key). */
      investigateAtOnce?: string;
    }
  | ({ ok: false } & IngestError);

export interface NormalizeResult {
  /** Findings and failures in input order. */
  items: NormalizeItem[];
  findings: Finding[];
  /** Security IR's case events. */
  caseEvents: CaseEvent[];
  /** Events of a known source that concern nothing sirbot follows (a membership's), by detail-type. */
  ignored: string[];
  /** Security IR events received, whatever came of them (items counts the findings'). */
  events: number;
  /** Every failure: findings' and events'. */
  errors: IngestError[];
}

function parseWith<S extends z.ZodType>(schema: S, doc: unknown, path: string): z.output<S> | IngestError {
  const parsed = schema.safeParse(doc);
  if (parsed.success) return parsed.data;
  return { path, message: describeZodError(parsed.error, path), input: doc };
}

function isError(v: unknown): v is IngestError {
  return typeof v === 'object' && v !== null && 'message' in v && 'input' in v && 'path' in v;
}

function normalizeHealthDocument(d: FindingDocument): Finding[] | IngestError {
  const event = parseWith(healthEventSchema, d.doc, d.path);
  return isError(event) ? event : normalizeHealth(event, d.doc);
}

export function normalizeDocument(d: FindingDocument): Finding | IngestError {
  switch (d.kind) {
    case 'health': {
      // One finding per exposed key: the first here; normalizeInput takes them all.
      const all = normalizeHealthDocument(d);
      return Array.isArray(all) ? (all[0] as Finding) : all;
    }
    case 'asff': {
      const doc = parseWith(asffSchema, d.doc, d.path);
      return isError(doc) ? doc : normalizeAsff(doc, d.doc, d.region);
    }
    case 'ocsf': {
      const doc = parseWith(ocsfSchema, d.doc, d.path);
      return isError(doc) ? doc : normalizeOcsf(doc, d.doc, d.region);
    }
    case 'guardduty': {
      const source = isGuardDutyApiForm(d.doc) ? camelizeKeys(d.doc) : d.doc;
      const doc = parseWith(guardDutySchema, source, d.path);
      return isError(doc) ? doc : normalizeGuardDuty(doc, d.doc);
    }
  }
}

/** Normalizes any accepted shape; one bad finding never takes the rest of its batch down. */
export function normalizeInput(input: unknown, path = ''): NormalizeResult {
  const unwrapped = unwrap(input, path);
  const items: NormalizeItem[] = unwrapped.items.flatMap((item): NormalizeItem[] => {
    if (!item.ok) return [item];
    if (item.kind === 'health') {
      const all = normalizeHealthDocument(item);
      if (isError(all)) return [{ ok: false, ...all }];
      return all.map((finding) => ({ ok: true, finding, path: item.path, customAction: null, investigateAtOnce: 'AWS Health found the key exposed' }));
    }
    const result = normalizeDocument(item);
    if (isError(result)) return [{ ok: false, ...result }];
    return [{ ok: true, finding: result, path: item.path, customAction: item.customAction }];
  });
  const findings: Finding[] = [];
  const errors: IngestError[] = [];
  for (const item of items) {
    if (item.ok) findings.push(item.finding);
    else errors.push({ path: item.path, message: item.message, input: item.input });
  }
  const caseEvents: CaseEvent[] = [];
  const ignored: string[] = [...unwrapped.ignored];
  for (const e of unwrapped.events) {
    const read = readSecurityIrEvent(e.doc, e.path);
    if ('event' in read) caseEvents.push(read.event);
    else if ('ignored' in read) ignored.push(read.ignored);
    else errors.push(read);
  }
  return { items, findings, caseEvents, ignored, events: unwrapped.events.length, errors };
}

/**
 * Parses a request body or file: one JSON document, or JSON lines (one document per
 * line) as exports and log pipelines often produce.
 */
export function normalizeText(text: string, path = ''): NormalizeResult {
  try {
    return normalizeInput(JSON.parse(text), path);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    if (lines.length < 2) {
      const error: IngestError = { path: path || '(root)', message: `invalid JSON: ${err.message}`, input: text.slice(0, 4096) };
      return { items: [{ ok: false, ...error }], findings: [], caseEvents: [], ignored: [], events: 0, errors: [error] };
    }
    const parts = lines.map((line, i) => {
      const linePath = `${path || 'line'}:${i + 1}`;
      try {
        return normalizeInput(JSON.parse(line), linePath);
      } catch (lineErr) {
        const error: IngestError = { path: linePath, message: `invalid JSON: ${(lineErr as Error).message}`, input: line.slice(0, 4096) };
        return { items: [{ ok: false as const, ...error }], findings: [], caseEvents: [], ignored: [], events: 0, errors: [error] };
      }
    });
    return {
      items: parts.flatMap((p) => p.items),
      findings: parts.flatMap((p) => p.findings),
      caseEvents: parts.flatMap((p) => p.caseEvents),
      ignored: parts.flatMap((p) => p.ignored),
      events: parts.reduce((n, p) => n + p.events, 0),
      errors: parts.flatMap((p) => p.errors),
    };
  }
}
