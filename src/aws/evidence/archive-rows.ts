import type { CloudTrailRecord } from '../../domain/investigation/cloudtrail-record.ts';
import { recordSchema } from './cloudtrail.ts';

/**
 * A row the archive SQL (domain/investigation/archive-query.ts) selects, back into the
 * CloudTrail record it came from, through the same schema event history's records pass.
 * Every value is text (Lake's and Athena's result sets are strings); null for SQL NULL.
 */
export type ArchiveRow = Record<string, string | null>;

function json(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * Lake keeps request and response parameters as maps of strings: a nested object is its
 * JSON text. Opened again (one level) so what a call named inside them is found as in the record.
 */
function openNested(value: unknown): Record<string, unknown> | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = typeof v === 'string' && /^[[{]/.test(v) ? (json(v) ?? v) : v;
  return out;
}

/** Lake prints timestamps `2026-08-03 10:00:00.000`; Athena's table keeps CloudTrail's ISO text. */
function isoTime(text: string): string {
  const t = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? text : new Date(ms).toISOString();
}

export type ArchivedRecord = CloudTrailRecord & { eventCategory?: string | undefined };

export function recordOfRow(row: ArchiveRow): ArchivedRecord | null {
  const v = (k: string) => row[k] ?? row[k.toLowerCase()] ?? null;
  const resources = json(v('resources'));
  const candidate = {
    eventID: v('eventID'),
    eventName: v('eventName'),
    eventSource: v('eventSource'),
    eventTime: v('eventTime') ? isoTime(v('eventTime') as string) : null,
    awsRegion: v('awsRegion'),
    recipientAccountId: v('recipientAccountId'),
    sourceIPAddress: v('sourceIPAddress'),
    userAgent: v('userAgent'),
    errorCode: v('errorCode'),
    errorMessage: v('errorMessage'),
    readOnly: v('readOnly') === null ? null : v('readOnly') === 'true',
    userIdentity: {
      type: v('identityType'),
      arn: v('identityArn'),
      userName: v('identityUserName'),
      principalId: v('identityPrincipalId'),
      accountId: v('identityAccountId'),
      accessKeyId: v('identityAccessKeyId'),
    },
    requestParameters: openNested(json(v('requestParameters'))),
    responseElements: openNested(json(v('responseElements'))),
    // The SQL renders resources with their lower-case JSON field names (`arn`, `type`).
    resources: Array.isArray(resources)
      ? resources.map((r: { arn?: unknown; ARN?: unknown; type?: unknown }) => ({ ARN: r?.ARN ?? r?.arn ?? null, type: r?.type ?? null }))
      : null,
  };
  const parsed = recordSchema.safeParse(candidate);
  if (!parsed.success) return null;
  const category = v('eventCategory');
  return { ...(parsed.data as CloudTrailRecord), ...(category ? { eventCategory: category } : {}) };
}
