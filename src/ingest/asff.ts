import * as z from 'zod';
import type { Finding, Resource, WorkflowStatus } from '../domain/finding.ts';
import { SEVERITY_LABELS } from '../domain/finding.ts';
import { labelForScore, scoreForLabel } from '../domain/severity.ts';
import { partitionOfArn, securityHubFindingUrl } from '../domain/console-links.ts';
import { isoDate, nonEmpty, regionOfArn, stringMap, toIso } from './fields.ts';

/**
 * AWS Security Finding Format. Only what sirbot relies on is required; every other
 * field it reads is optional but type-checked when present, so a broken producer is
 * caught by name while a finding missing a cosmetic field (e.g. GeneratorId) still
 * gets out. Fields sirbot does not read are left to the raw document.
 */
const asffResource = z.object({
  Type: nonEmpty,
  Id: nonEmpty,
  Partition: z.string().optional(),
  Region: z.string().optional(),
  Tags: stringMap.optional(),
});

export const asffSchema = z.object({
  SchemaVersion: z.string().optional(),
  Id: nonEmpty,
  ProductArn: nonEmpty,
  ProductName: z.string().optional(),
  CompanyName: z.string().optional(),
  GeneratorId: z.string().optional(),
  AwsAccountId: nonEmpty,
  Region: z.string().optional(),
  Types: z.array(z.string()).optional(),
  Title: z.string(),
  Description: z.string().optional(),
  Severity: z
    .object({
      Label: z.enum(SEVERITY_LABELS).optional(),
      Normalized: z.number().min(0).max(100).optional(),
      Original: z.union([z.string(), z.number()]).optional(),
    })
    .refine((s) => s.Label !== undefined || s.Normalized !== undefined, 'needs Label or Normalized'),
  CreatedAt: isoDate.optional(),
  UpdatedAt: isoDate.optional(),
  FirstObservedAt: isoDate.optional(),
  LastObservedAt: isoDate.optional(),
  Resources: z.array(asffResource).optional(),
  Compliance: z.object({ SecurityControlId: z.string().optional(), Status: z.string().optional() }).optional(),
  ProductFields: stringMap.optional(),
  Workflow: z.object({ Status: z.enum(['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED']) }).optional(),
  WorkflowState: z.string().optional(),
  RecordState: z.enum(['ACTIVE', 'ARCHIVED']).optional(),
  SourceUrl: z.string().optional(),
});

export type AsffFinding = z.infer<typeof asffSchema>;

/** The deprecated WorkflowState vocabulary, for findings that predate Workflow.Status. */
const LEGACY_WORKFLOW: Record<string, WorkflowStatus> = {
  NEW: 'NEW',
  ASSIGNED: 'NOTIFIED',
  IN_PROGRESS: 'NOTIFIED',
  DEFERRED: 'SUPPRESSED',
  RESOLVED: 'RESOLVED',
};

export function normalizeAsff(doc: AsffFinding, raw: unknown, fallbackRegion: string | null): Finding {
  const pf = doc.ProductFields ?? {};
  const label = doc.Severity.Label ?? labelForScore(doc.Severity.Normalized ?? 0);
  const region = doc.Region || regionOfArn(doc.ProductArn) || doc.Resources?.[0]?.Region || fallbackRegion || 'unknown';
  const resources: Resource[] = (doc.Resources ?? []).map((r) => ({
    type: r.Type,
    id: r.Id,
    region: r.Region ?? null,
    tags: r.Tags ?? {},
  }));
  const types = doc.Types ?? [];
  return {
    id: doc.Id,
    schema: 'asff',
    product: doc.ProductName || pf['aws/securityhub/ProductName'] || doc.ProductArn.slice(doc.ProductArn.lastIndexOf('/') + 1) || 'unknown',
    productArn: doc.ProductArn,
    type: types[0] ?? '',
    types,
    title: doc.Title,
    description: doc.Description ?? '',
    severity: {
      label,
      score: doc.Severity.Normalized ?? scoreForLabel(label),
      ...(doc.Severity.Original !== undefined ? { original: doc.Severity.Original } : {}),
    },
    accountId: doc.AwsAccountId,
    region,
    resources,
    controlId: doc.Compliance?.SecurityControlId || pf.ControlId || pf.RuleId || null,
    generatorId: doc.GeneratorId ?? null,
    createdAt: toIso(doc.CreatedAt),
    updatedAt: toIso(doc.UpdatedAt ?? doc.CreatedAt),
    firstSeenAt: toIso(doc.FirstObservedAt),
    lastSeenAt: toIso(doc.LastObservedAt),
    workflowStatus: doc.Workflow?.Status ?? LEGACY_WORKFLOW[doc.WorkflowState ?? ''] ?? 'NEW',
    recordState: doc.RecordState ?? 'ACTIVE',
    consoleUrl: securityHubFindingUrl(doc.Id, region, partitionOfArn(doc.ProductArn)),
    raw,
  };
}
