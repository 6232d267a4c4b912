import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { detectKind, type SourceKind } from '../../ingest/envelopes.ts';

type Json = Record<string, unknown>;

/** A finding the findings panel offers to send: one document from the scenario folder. */
export interface OfferedFinding {
  id: string;
  /** `finding.json` or `findings/<file>`. */
  file: string;
  kind: FindingKind;
  title: string;
  severity: string;
  account: string;
  doc: Json;
}

export type FindingKind = SourceKind | 'unknown';

/** How the panel sends a document to POST /ingest. */
export type Wrapping = 'none' | 'eventbridge' | 'sns';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** The finding's format, as ingest recognises a bare finding. */
export function kindOf(doc: Json): FindingKind {
  return detectKind(doc)?.kind ?? 'unknown';
}

/** The findings in one document as exported: a bare finding, an array, or `{Findings: […]}`. */
function findingsIn(doc: unknown): Json[] {
  if (Array.isArray(doc)) return doc.filter(isObject);
  if (isObject(doc) && Array.isArray(doc.Findings)) return doc.Findings.filter(isObject);
  return isObject(doc) ? [doc] : [];
}

function describe(doc: Json): Pick<OfferedFinding, 'kind' | 'title' | 'severity' | 'account'> {
  const kind = kindOf(doc);
  const severity = isObject(doc.Severity) ? text(doc.Severity.Label) : text(doc.severity);
  if (kind === 'asff') return { kind, title: text(doc.Title) || text(doc.Id), severity, account: text(doc.AwsAccountId) };
  if (kind === 'guardduty')
    return { kind, title: text(doc.title) || text(doc.type), severity: severity ? `severity ${severity}` : '', account: text(doc.accountId) };
  const cloud = isObject(doc.cloud) && isObject(doc.cloud.account) ? text(doc.cloud.account.uid) : '';
  const title = isObject(doc.finding_info) ? text(doc.finding_info.title) : '';
  return { kind, title: title || 'finding', severity, account: cloud };
}

/** A finding's own id in its format, to recognise the same finding in two files. */
function identity(doc: Json): string | undefined {
  const id =
    text(doc.Id) || text(doc.id) || (isObject(doc.finding_info) ? text(doc.finding_info.uid) : '') || (isObject(doc.metadata) ? text(doc.metadata.uid) : '');
  return id ? `${kindOf(doc)}:${id}` : undefined;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The scenario's headline finding first, then every finding under `findings/`. */
export function scenarioFindings(dir: string): OfferedFinding[] {
  const files = [
    ...(existsSync(path.join(dir, 'finding.json')) ? ['finding.json'] : []),
    ...(existsSync(path.join(dir, 'findings'))
      ? readdirSync(path.join(dir, 'findings'))
          .filter((f) => f.endsWith('.json'))
          .sort()
          .map((f) => `findings/${f}`)
      : []),
  ];
  const out: OfferedFinding[] = [];
  // The headline finding is usually also among the others: offer it once.
  const seen = new Set<string>();
  for (const file of files) {
    findingsIn(readJson(path.join(dir, file))).forEach((doc, i) => {
      const key = identity(doc);
      if (key && seen.has(key)) return;
      if (key) seen.add(key);
      out.push({ id: `${file}#${i}`, file, doc, ...describe(doc) });
    });
  }
  return out;
}

// An AWS Health finding is a whole event already: it goes as it is.
const DETAIL_TYPES: Record<Exclude<FindingKind, 'unknown' | 'health'>, { source: string; detailType: string; detail: (doc: Json) => Json }> = {
  guardduty: { source: 'aws.guardduty', detailType: 'GuardDuty Finding', detail: (doc) => doc },
  asff: { source: 'aws.securityhub', detailType: 'Security Hub Findings - Imported', detail: (doc) => ({ findings: [doc] }) },
  ocsf: { source: 'aws.securityhub', detailType: 'Findings Imported V2', detail: (doc) => ({ findings: [doc] }) },
};

/** The EventBridge event AWS would deliver for this finding; unknown shapes go as they are. */
export function asEventBridge(doc: Json, now: Date): Json {
  const kind = kindOf(doc);
  if (kind === 'unknown' || kind === 'health') return doc;
  const t = DETAIL_TYPES[kind];
  const { account } = describe(doc);
  const region = text(doc.region) || text(doc.Region) || 'us-east-1';
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': t.detailType,
    source: t.source,
    account: account || '000000000000',
    time: now.toISOString(),
    region,
    resources: [],
    detail: t.detail(doc),
  };
}

/** An SNS HTTP(S) notification, as a topic subscription delivers whatever was published to it. */
export function asSnsNotification(message: unknown, now: Date): Json {
  const event = isObject(message) ? message : {};
  const account = /^\d{12}$/.test(text(event.account)) ? text(event.account) : '000000000000';
  return {
    Type: 'Notification',
    MessageId: crypto.randomUUID(),
    TopicArn: `arn:aws:sns:${text(event.region) || 'us-east-1'}:${account}:sirbot-findings`,
    Message: JSON.stringify(message),
    Timestamp: now.toISOString(),
    SignatureVersion: '1',
  };
}

/**
 * `eventbridge`: the event AWS would deliver for a finding; `sns`: that event published to an
 * SNS topic (EventBridge rule → topic → subscription). Pasted documents that are not one
 * finding (already an event, an array) are sent as they are, or published as they are.
 */
export function wrap(doc: unknown, how: Wrapping, now = new Date()): unknown {
  const event = isObject(doc) ? asEventBridge(doc, now) : doc;
  if (how === 'eventbridge') return event;
  if (how === 'sns') return asSnsNotification(event, now);
  return doc;
}
