import { DOCUMENT_BOUNDS, boundInPlace } from './bounds.ts';
import { joinPath, type IngestError } from './errors.ts';
import { CREDENTIALS_EXPOSED, HEALTH_DETAIL_TYPE, HEALTH_SOURCE } from './health.ts';
import { SECURITY_IR_SOURCE } from './security-ir-events.ts';

/**
 * Unwraps whatever arrived (Lambda SNS records, SNS HTTP notifications, EventBridge
 * events, `{Findings: […]}`, arrays, bare findings) down to individual finding
 * documents. Every envelope becomes one `Finding[]` before anything else sees it; the
 * events of Security IR, which carry cases rather than findings, are set aside for their reader.
 */

export type SourceKind = 'asff' | 'ocsf' | 'guardduty' | 'health';

export interface FindingDocument {
  kind: SourceKind;
  doc: Record<string, unknown>;
  path: string;
  /** The region of the envelope, for findings that do not carry their own. */
  region: string | null;
  /** Set when a person sent the finding from the Security Hub console's custom action. */
  customAction: string | null;
}

/** Documents and failures in the order they appear in the input, so reports can keep that order. */
export type UnwrapItem = ({ ok: true } & FindingDocument) | ({ ok: false } & IngestError);

/** An EventBridge event of a source that sends no findings (Security IR's case events): read by its own reader. */
export interface ServiceEvent {
  source: 'aws.security-ir';
  doc: Record<string, unknown>;
  path: string;
}

export interface Unwrapped {
  items: UnwrapItem[];
  /** Events about things other than findings, in the order received. */
  events: ServiceEvent[];
  /** Events of a known source that concern nothing sirbot follows, by what they are. */
  ignored: string[];
}

const MAX_DEPTH = 6;

export const SECURITY_HUB_IMPORTED = 'Security Hub Findings - Imported';
export const SECURITY_HUB_CUSTOM_ACTION = 'Security Hub Findings - Custom Action';
export const SECURITY_HUB_V2_IMPORTED = 'Findings Imported V2';
export const GUARDDUTY_FINDING = 'GuardDuty Finding';

interface Context {
  region: string | null;
  customAction: string | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function unwrap(input: unknown, path = ''): Unwrapped {
  const out: Unwrapped = { items: [], events: [], ignored: [] };
  visit(input, path, { region: null, customAction: null }, 0, out);
  return out;
}

function fail(out: Unwrapped, path: string, message: string, input: unknown): void {
  out.items.push({ ok: false, path: path || '(root)', message, input });
}

/** A finding document, with its deep and huge fields cut before anything reads or stores it. */
function found(out: Unwrapped, kind: SourceKind, doc: Record<string, unknown>, path: string, ctx: Context): void {
  boundInPlace(doc, DOCUMENT_BOUNDS);
  out.items.push({ ok: true, kind, doc, path, region: ctx.region, customAction: ctx.customAction });
}

function visit(node: unknown, path: string, ctx: Context, depth: number, out: Unwrapped): void {
  if (depth > MAX_DEPTH) return fail(out, path, `nested more than ${MAX_DEPTH} envelopes deep`, node);
  if (Array.isArray(node)) {
    if (node.length === 0) return fail(out, path, 'empty array: no findings', node);
    for (const [i, item] of node.entries()) visit(item, joinPath(path, i), ctx, depth + 1, out);
    return;
  }
  if (!isRecord(node)) return fail(out, path, `expected an object, got ${node === null ? 'null' : typeof node}`, node);

  // Lambda SNS event.
  if (Array.isArray(node.Records)) {
    for (const [i, rec] of node.Records.entries()) {
      const recPath = joinPath(joinPath(path, 'Records'), i);
      if (!isRecord(rec) || !isRecord(rec.Sns)) fail(out, recPath, 'Records[] item is not an SNS record (no Sns)', rec);
      else visitSnsMessage(rec.Sns.Message, joinPath(recPath, 'Sns.Message'), ctx, depth, out);
    }
    return;
  }
  // SNS HTTP(S) subscription body.
  if (node.Type === 'Notification' && 'Message' in node && 'TopicArn' in node) {
    return visitSnsMessage(node.Message, joinPath(path, 'Message'), ctx, depth, out);
  }
  if (node.Type === 'SubscriptionConfirmation' || node.Type === 'UnsubscribeConfirmation') {
    return fail(out, path, `SNS ${node.Type} carries no findings; confirm the subscription from its SubscribeURL`, node);
  }
  // EventBridge event.
  // AWS Health: its exposed-credentials events are findings; its other events concern no finding.
  if (node.source === HEALTH_SOURCE && node['detail-type'] === HEALTH_DETAIL_TYPE) {
    const code = isRecord(node.detail) ? node.detail.eventTypeCode : undefined;
    if (code === CREDENTIALS_EXPOSED) return found(out, 'health', node, path || '(root)', ctx);
    out.ignored.push(`AWS Health ${typeof code === 'string' ? code.slice(0, 100) : 'event'}`);
    return;
  }
  if (node.source === SECURITY_IR_SOURCE && 'detail-type' in node) {
    out.events.push({ source: SECURITY_IR_SOURCE, doc: node, path: path || '(root)' });
    return;
  }
  if ('detail-type' in node && 'detail' in node) return visitEventBridge(node, path, ctx, depth, out);
  // get-findings output (Security Hub or GuardDuty).
  if (Array.isArray(node.Findings)) {
    if (node.Findings.length === 0) return fail(out, joinPath(path, 'Findings'), 'empty Findings array', node);
    for (const [i, f] of node.Findings.entries()) visit(f, joinPath(joinPath(path, 'Findings'), i), ctx, depth + 1, out);
    return;
  }
  const kind = detectKind(node);
  if (!kind) {
    return fail(out, path, 'not a recognised finding or envelope (expected ASFF, OCSF, GuardDuty, EventBridge or SNS)', node);
  }
  found(out, kind.kind, kind.doc, path || '(root)', ctx);
}

function visitSnsMessage(message: unknown, path: string, ctx: Context, depth: number, out: Unwrapped): void {
  if (typeof message !== 'string') return fail(out, path, 'SNS Message must be a JSON string', message);
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch (err) {
    return fail(out, path, `SNS Message is not valid JSON: ${(err as Error).message}`, message);
  }
  visit(parsed, path, ctx, depth + 1, out);
}

function visitEventBridge(node: Record<string, unknown>, path: string, ctx: Context, _depth: number, out: Unwrapped): void {
  const detailType = node['detail-type'];
  const detail = node.detail;
  const detailPath = joinPath(path, 'detail');
  const region = typeof node.region === 'string' ? node.region : ctx.region;
  switch (detailType) {
    case SECURITY_HUB_IMPORTED:
    case SECURITY_HUB_CUSTOM_ACTION:
    case SECURITY_HUB_V2_IMPORTED: {
      if (!isRecord(detail) || !Array.isArray(detail.findings)) {
        return fail(out, joinPath(detailPath, 'findings'), `${detailType} event needs detail.findings to be an array`, node);
      }
      const customAction = detailType === SECURITY_HUB_CUSTOM_ACTION && typeof detail.actionName === 'string' ? detail.actionName : null;
      const kind: SourceKind = detailType === SECURITY_HUB_V2_IMPORTED ? 'ocsf' : 'asff';
      const findingsPath = joinPath(detailPath, 'findings');
      if (detail.findings.length === 0) return fail(out, findingsPath, 'empty findings array', node);
      const findingCtx = { region, customAction };
      for (let i = 0; i < detail.findings.length; i++) {
        const f: unknown = detail.findings[i];
        const fPath = joinPath(findingsPath, i);
        if (!isRecord(f)) fail(out, fPath, `expected a finding object, got ${f === null ? 'null' : typeof f}`, f);
        else found(out, kind, f, fPath, findingCtx);
      }
      return;
    }
    case GUARDDUTY_FINDING:
      if (!isRecord(detail)) return fail(out, detailPath, 'GuardDuty Finding event needs detail to be an object', node);
      found(out, 'guardduty', detail, detailPath, { region, customAction: null });
      return;
    default:
      return fail(out, joinPath(path, 'detail-type'), `unsupported EventBridge detail-type ${JSON.stringify(detailType)}`, node);
  }
}

/** Recognises a bare finding by the fields only its format has. */
export function detectKind(doc: Record<string, unknown>): { kind: SourceKind; doc: Record<string, unknown> } | null {
  if ('ProductArn' in doc || ('SchemaVersion' in doc && 'AwsAccountId' in doc)) return { kind: 'asff', doc };
  if ('finding_info' in doc || ('class_uid' in doc && 'metadata' in doc)) return { kind: 'ocsf', doc };
  if (typeof doc.type === 'string' && 'accountId' in doc && 'severity' in doc) return { kind: 'guardduty', doc };
  if (typeof doc.Type === 'string' && 'AccountId' in doc && 'Severity' in doc) return { kind: 'guardduty', doc };
  return null;
}
