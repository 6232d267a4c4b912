import type { Finding, FindingSchema } from '../finding.ts';
import { maps, numbers, readPath, strings } from './raw-path.ts';

/**
 * Criterion fields, named by their Security Hub CSPM automation-rule names, with the
 * OCSF counterpart from the ASFF↔OCSF map AWS published for migrating automation
 * rules to the new Security Hub (null where there is none). A field with no OCSF
 * counterpart is never read from OCSF findings, even where sirbot could guess it:
 * the map, not sirbot, decides what a rule means across schemas. Fields that the
 * normalized Finding carries are read from it; the rest from the source document.
 * GuardDuty-native findings are read wherever their own document has the field.
 */

export type FieldKind = 'string' | 'number' | 'date' | 'map';
type Values = string[] | number[] | Record<string, string>[];
type Reader = (f: Finding) => Values;

export interface FieldDef {
  asff: string;
  ocsf: string | null;
  kind: FieldKind;
  /** Schemas that can supply the field. */
  read: Partial<Record<FindingSchema, Reader>>;
  /** For enumerated fields: accepted spellings (lower-cased) → the normalized value. */
  vocabulary?: Record<string, string>;
}

const one = (v: string | null | undefined): string[] => (v ? [v] : []);
const raw = (f: Finding) => f.raw;
const fromRaw =
  (path: string, kind: FieldKind): Reader =>
  (f) => {
    const values = readPath(raw(f), path);
    if (kind === 'number') return numbers(values);
    if (kind === 'map') return maps(values);
    return strings(values);
  };

const all = (reader: Reader): Partial<Record<FindingSchema, Reader>> => ({ asff: reader, ocsf: reader, guardduty: reader });

const SEVERITY_WORDS: Record<string, string> = {
  informational: 'INFORMATIONAL',
  info: 'INFORMATIONAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
  fatal: 'CRITICAL',
};
const WORKFLOW_WORDS: Record<string, string> = {
  new: 'NEW',
  notified: 'NOTIFIED',
  'in progress': 'NOTIFIED',
  in_progress: 'NOTIFIED',
  suppressed: 'SUPPRESSED',
  resolved: 'RESOLVED',
};
const RECORD_WORDS: Record<string, string> = { active: 'ACTIVE', archived: 'ARCHIVED' };

function field(asff: string, ocsf: string | null, kind: FieldKind, read: FieldDef['read'], vocabulary?: FieldDef['vocabulary']): FieldDef {
  return vocabulary ? { asff, ocsf, kind, read, vocabulary } : { asff, ocsf, kind, read };
}

export const FIELDS: readonly FieldDef[] = [
  field(
    'AwsAccountId',
    'cloud.account.uid',
    'string',
    all((f) => one(f.accountId)),
  ),
  field('AwsAccountName', 'cloud.account.name', 'string', {
    asff: fromRaw('AwsAccountName', 'string'),
    ocsf: fromRaw('cloud.account.name', 'string'),
  }),
  field('CompanyName', 'metadata.product.vendor_name', 'string', {
    asff: (f) => strings([...readPath(raw(f), 'CompanyName'), ...readPath(raw(f), 'ProductFields.aws/securityhub/CompanyName')]).slice(0, 1),
    ocsf: fromRaw('metadata.product.vendor_name', 'string'),
    guardduty: () => ['Amazon'],
  }),
  field('ComplianceAssociatedStandardsId', 'compliance.standards', 'string', {
    asff: fromRaw('Compliance.AssociatedStandards[].StandardsId', 'string'),
    ocsf: fromRaw('compliance.standards', 'string'),
  }),
  field('ComplianceSecurityControlId', 'compliance.control', 'string', {
    asff: (f) => one(f.controlId),
    ocsf: (f) => one(f.controlId),
  }),
  field('ComplianceStatus', 'compliance.status', 'string', {
    asff: fromRaw('Compliance.Status', 'string'),
    ocsf: fromRaw('compliance.status', 'string'),
  }),
  field('Confidence', 'confidence_score', 'number', {
    asff: fromRaw('Confidence', 'number'),
    ocsf: fromRaw('confidence_score', 'number'),
  }),
  field(
    'CreatedAt',
    'finding_info.created_time_dt',
    'date',
    all((f) => one(f.createdAt)),
  ),
  field('Criticality', null, 'number', { asff: fromRaw('Criticality', 'number') }),
  field(
    'Description',
    'finding_info.desc',
    'string',
    all((f) => one(f.description)),
  ),
  field(
    'FirstObservedAt',
    'finding_info.first_seen_time_dt',
    'date',
    all((f) => one(f.firstSeenAt)),
  ),
  field('GeneratorId', null, 'string', { asff: (f) => one(f.generatorId) }),
  field(
    'Id',
    'finding_info.uid',
    'string',
    all((f) => [f.id]),
  ),
  field(
    'LastObservedAt',
    'finding_info.last_seen_time_dt',
    'date',
    all((f) => one(f.lastSeenAt)),
  ),
  field('NoteText', 'comment', 'string', { asff: fromRaw('Note.Text', 'string'), ocsf: fromRaw('comment', 'string') }),
  field('NoteUpdatedAt', null, 'date', { asff: fromRaw('Note.UpdatedAt', 'date') }),
  field('NoteUpdatedBy', null, 'string', { asff: fromRaw('Note.UpdatedBy', 'string') }),
  field('ProductArn', 'metadata.product.uid', 'string', { asff: (f) => one(f.productArn), ocsf: (f) => one(f.productArn) }),
  field(
    'ProductName',
    'metadata.product.name',
    'string',
    all((f) => [f.product]),
  ),
  field('RecordState', null, 'string', { asff: (f) => [f.recordState], guardduty: (f) => [f.recordState] }, RECORD_WORDS),
  field('RelatedFindingsId', null, 'string', { asff: fromRaw('RelatedFindings[].Id', 'string') }),
  field('RelatedFindingsProductArn', null, 'string', { asff: fromRaw('RelatedFindings[].ProductArn', 'string') }),
  field('ResourceApplicationArn', null, 'string', { asff: fromRaw('Resources[].ApplicationArn', 'string') }),
  field('ResourceApplicationName', null, 'string', { asff: fromRaw('Resources[].ApplicationName', 'string') }),
  field('ResourceDetailsOther', null, 'map', { asff: fromRaw('Resources[].Details.Other', 'map') }),
  field(
    'ResourceId',
    'resources.uid',
    'string',
    all((f) => f.resources.map((r) => r.id)),
  ),
  field('ResourcePartition', 'resources.cloud_partition', 'string', {
    asff: fromRaw('Resources[].Partition', 'string'),
    ocsf: fromRaw('resources.cloud_partition', 'string'),
    guardduty: fromRaw('partition', 'string'),
  }),
  field(
    'ResourceRegion',
    'resources.region',
    'string',
    all((f) => f.resources.map((r) => r.region ?? f.region)),
  ),
  field(
    'ResourceTags',
    'resources.tags',
    'map',
    all((f) => f.resources.map((r) => r.tags)),
  ),
  field(
    'ResourceType',
    'resources.type',
    'string',
    all((f) => f.resources.map((r) => r.type)),
  ),
  field(
    'SeverityLabel',
    'vendor_attributes.severity',
    'string',
    all((f) => [f.severity.label]),
    SEVERITY_WORDS,
  ),
  field('SourceUrl', 'finding_info.src_url', 'string', { asff: fromRaw('SourceUrl', 'string'), ocsf: fromRaw('finding_info.src_url', 'string') }),
  field(
    'Title',
    'finding_info.title',
    'string',
    all((f) => [f.title]),
  ),
  field(
    'Type',
    'finding_info.types',
    'string',
    all((f) => f.types),
  ),
  field(
    'UpdatedAt',
    'finding_info.modified_time_dt',
    'date',
    all((f) => one(f.updatedAt)),
  ),
  field('UserDefinedFields', null, 'map', { asff: fromRaw('UserDefinedFields', 'map') }),
  field('VerificationState', null, 'string', { asff: fromRaw('VerificationState', 'string') }),
  field(
    'WorkflowStatus',
    'status',
    'string',
    all((f) => [f.workflowStatus]),
    WORKFLOW_WORDS,
  ),
];

const BY_ASFF = new Map(FIELDS.map((f) => [f.asff, f]));
const BY_OCSF = new Map(FIELDS.filter((f) => f.ocsf).map((f) => [f.ocsf as string, f]));

export function fieldByAsffName(name: string): FieldDef | undefined {
  return BY_ASFF.get(name);
}

export function fieldByOcsfPath(canonical: string): FieldDef | undefined {
  return BY_OCSF.get(canonical);
}

export const SCHEMAS: readonly FindingSchema[] = ['asff', 'ocsf', 'guardduty'];
