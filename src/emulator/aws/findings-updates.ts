import { AwsError } from './errors.ts';
import { checkDetector, guardDutyFindingsSeenBy, type ScenarioFindings } from './findings.ts';

/**
 * The workflow writes on findings: Security Hub BatchUpdateFindings (ASFF) and
 * BatchUpdateFindingsV2 (OCSF), GuardDuty ArchiveFindings / UnarchiveFindings. Each
 * changes the scenario's stored finding, so a later GetFindings shows it, and is logged.
 */
export interface FindingUpdate {
  operation: 'BatchUpdateFindings' | 'BatchUpdateFindingsV2' | 'ArchiveFindings' | 'UnarchiveFindings';
  account: string;
  region: string;
  /** ASFF `Id`, OCSF `metadata.uid`, or GuardDuty finding id. */
  findingId: string;
  /** The fields as the request set them. */
  changes: Record<string, unknown>;
  at: string;
}

type Route = { status: number; body: unknown } | null;

/** Where a request acts: the caller's account and region, at the scenario's time. */
interface Ctx {
  findings: ScenarioFindings;
  log: FindingUpdate[];
  account: string;
  region: string;
  key: string;
  at: string;
}

const WORKFLOW_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'];
const OCSF_STATUS: Record<number, string> = { 0: 'Unknown', 1: 'New', 2: 'In Progress', 3: 'Suppressed', 4: 'Resolved', 5: 'Archived', 99: 'Other' };
const OCSF_SEVERITY: Record<number, string> = { 0: 'Unknown', 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical', 6: 'Fatal', 99: 'Other' };
/** Fields of BatchUpdateFindings that land on the finding as given. */
const ASFF_PASSTHROUGH = ['Severity', 'VerificationState', 'Confidence', 'Criticality', 'Types', 'UserDefinedFields', 'RelatedFindings'];

const invalid = (message: string) => new AwsError('InvalidInputException', message, 400);
const invalidV2 = (message: string) => new AwsError('ValidationException', message, 400);

function dig(obj: unknown, ...path: string[]): unknown {
  let current = obj;
  for (const key of path) current = current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

function batchUpdateFindings(ctx: Ctx, input: Record<string, unknown>): Route {
  const { findings, key, at } = ctx;
  const ids = input.FindingIdentifiers;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100) throw invalid('FindingIdentifiers must list between 1 and 100 findings.');
  const changes = Object.fromEntries(['Workflow', 'Note', ...ASFF_PASSTHROUGH].filter((k) => input[k] !== undefined).map((k) => [k, input[k]]));
  if (Object.keys(changes).length === 0) throw invalid(`At least one of ${['Note', 'Workflow', ...ASFF_PASSTHROUGH].join(', ')} must be specified.`);
  const status = dig(input, 'Workflow', 'Status');
  if (input.Workflow !== undefined && !WORKFLOW_STATUSES.includes(String(status))) {
    throw invalid(`Workflow.Status must be one of ${WORKFLOW_STATUSES.join(', ')}.`);
  }
  const note = input.Note as { Text?: unknown; UpdatedBy?: unknown } | undefined;
  if (note !== undefined) {
    if (typeof note.Text !== 'string' || typeof note.UpdatedBy !== 'string' || !note.Text || !note.UpdatedBy)
      throw invalid('Note requires Text and UpdatedBy.');
    if (note.Text.length > 512 || note.UpdatedBy.length > 512) throw invalid('Note.Text and Note.UpdatedBy are at most 512 characters.');
  }
  const processed: unknown[] = [];
  const unprocessed: unknown[] = [];
  const seen = new Set<string>();
  for (const id of ids as Array<{ Id?: unknown; ProductArn?: unknown }>) {
    const identity = `${String(id.Id)}\n${String(id.ProductArn)}`;
    const duplicate = seen.has(identity);
    seen.add(identity);
    const finding = (findings.securityhub.get(key) ?? []).find((f) => f.Id === id.Id && f.ProductArn === id.ProductArn);
    if (duplicate || !finding) {
      const [ErrorCode, ErrorMessage] = duplicate
        ? ['DuplicatedFindingIdentifier', 'Finding Identifier is duplicated']
        : ['FindingNotFound', 'Finding Not Found'];
      unprocessed.push({ FindingIdentifier: id, ErrorCode, ErrorMessage });
      continue;
    }
    for (const k of ASFF_PASSTHROUGH) if (changes[k] !== undefined) finding[k] = changes[k];
    if (changes.Workflow) finding.Workflow = { ...(finding.Workflow as object | undefined), Status: status };
    if (note) finding.Note = { Text: note.Text, UpdatedBy: note.UpdatedBy, UpdatedAt: at };
    finding.UpdatedAt = at;
    processed.push({ Id: id.Id, ProductArn: id.ProductArn });
    ctx.log.push({ operation: 'BatchUpdateFindings', account: ctx.account, region: ctx.region, findingId: String(id.Id), changes, at });
  }
  return { status: 200, body: { ProcessedFindings: processed, UnprocessedFindings: unprocessed } };
}

function batchUpdateFindingsV2(ctx: Ctx, input: Record<string, unknown>): Route {
  const { findings, key, at } = ctx;
  const uids = input.MetadataUids as unknown[] | undefined;
  const identifiers = input.FindingIdentifiers as Array<Record<string, unknown>> | undefined;
  if ((uids === undefined) === (identifiers === undefined)) throw invalidV2('Specify either MetadataUids or FindingIdentifiers, not both.');
  const targets: Array<{ uid?: unknown; identifier?: Record<string, unknown> }> = uids
    ? uids.map((uid) => ({ uid }))
    : (identifiers ?? []).map((identifier) => ({ identifier }));
  if (targets.length === 0 || targets.length > 100) throw invalidV2('Between 1 and 100 findings can be updated at a time.');
  const { Comment, StatusId, SeverityId } = input as { Comment?: unknown; StatusId?: unknown; SeverityId?: unknown };
  if (Comment === undefined && StatusId === undefined && SeverityId === undefined)
    throw invalidV2('At least one of Comment, SeverityId or StatusId must be specified.');
  if (Comment !== undefined && (typeof Comment !== 'string' || Comment.length < 1 || Comment.length > 512))
    throw invalidV2('Comment must be between 1 and 512 characters.');
  if (StatusId !== undefined && !(Number(StatusId) in OCSF_STATUS)) throw invalidV2(`StatusId must be one of ${Object.keys(OCSF_STATUS).join(', ')}.`);
  if (SeverityId !== undefined && !(Number(SeverityId) in OCSF_SEVERITY))
    throw invalidV2(`SeverityId must be one of ${Object.keys(OCSF_SEVERITY).join(', ')}.`);
  const changes = Object.fromEntries(Object.entries({ Comment, StatusId, SeverityId }).filter(([, v]) => v !== undefined));
  const processed: unknown[] = [];
  const unprocessed: unknown[] = [];
  for (const t of targets) {
    const finding = (findings.ocsf?.get(key) ?? []).find((f) =>
      t.identifier
        ? dig(f, 'cloud', 'account', 'uid') === t.identifier.CloudAccountUid &&
          dig(f, 'finding_info', 'uid') === t.identifier.FindingInfoUid &&
          dig(f, 'metadata', 'product', 'uid') === t.identifier.MetadataProductUid
        : dig(f, 'metadata', 'uid') === t.uid,
    );
    const named = t.identifier ? { FindingIdentifier: t.identifier } : { MetadataUid: t.uid };
    if (!finding) {
      unprocessed.push({ ...named, ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'The finding was not found.' });
      continue;
    }
    if (StatusId !== undefined) Object.assign(finding, { status_id: Number(StatusId), status: OCSF_STATUS[Number(StatusId)] });
    if (SeverityId !== undefined) Object.assign(finding, { severity_id: Number(SeverityId), severity: OCSF_SEVERITY[Number(SeverityId)] });
    if (Comment !== undefined) finding.comment = Comment;
    finding.finding_info = { ...(finding.finding_info as object | undefined), modified_time_dt: at, modified_time: Date.parse(at) };
    processed.push(named);
    ctx.log.push({
      operation: 'BatchUpdateFindingsV2',
      account: ctx.account,
      region: ctx.region,
      findingId: String(dig(finding, 'metadata', 'uid') ?? dig(finding, 'finding_info', 'uid')),
      changes,
      at,
    });
  }
  return { status: 200, body: { ProcessedFindings: processed, UnprocessedFindings: unprocessed } };
}

/**
 * The GuardDuty API reference (ArchiveFindings): "Only the administrator account can archive
 * findings. Member accounts don't have permission to archive findings from their accounts."
 * Answered as the service's BadRequestException (HTTP 400) with that wording.
 */
export const MEMBER_CANNOT_ARCHIVE =
  "Only the administrator account can archive findings. Member accounts don't have permission to archive findings from their accounts.";

function archive(ctx: Ctx, detectorId: string, input: Record<string, unknown>, archived: boolean): Route {
  const { findings, key, at } = ctx;
  checkDetector(findings, key, detectorId);
  const administrator = findings.guardDutyAdministrator;
  if (archived && administrator && ctx.account !== administrator) throw new AwsError('BadRequestException', MEMBER_CANNOT_ARCHIVE, 400);
  const ids = input.findingIds;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > 50) {
    throw new AwsError('BadRequestException', 'The request is rejected because findingIds must list between 1 and 50 findings.', 400);
  }
  // The administrator's detector reaches its members' findings too.
  const all = guardDutyFindingsSeenBy(findings, ctx.account, ctx.region);
  const missing = ids.filter((id) => !all.some((f) => f.id === id));
  if (missing.length > 0)
    throw new AwsError('BadRequestException', `The request is rejected because these findingIds are not found: ${missing.join(', ')}.`, 400);
  for (const f of all.filter((x) => ids.includes(x.id))) {
    f.service = { ...(f.service as object | undefined), archived };
    ctx.log.push({
      operation: archived ? 'ArchiveFindings' : 'UnarchiveFindings',
      account: ctx.account,
      region: ctx.region,
      findingId: String(f.id),
      changes: { archived, findingAccount: f.accountId },
      at,
    });
  }
  return { status: 200, body: {} };
}

/** The write routes; null for any other request, which the read routes then answer. */
export function findingsUpdateRoute(
  findings: ScenarioFindings,
  log: FindingUpdate[],
  account: string,
  region: string,
  method: string,
  path: string,
  input: Record<string, unknown>,
  at: string,
): Route {
  const ctx: Ctx = { findings, log, account, region, key: `${account}|${region}`, at };
  if (method === 'PATCH' && path === '/findings/batchupdate') return batchUpdateFindings(ctx, input);
  if (method === 'PATCH' && path === '/findingsv2/batchupdatev2') return batchUpdateFindingsV2(ctx, input);
  const gd = /^\/detector\/([^/]+)\/findings\/(archive|unarchive)$/.exec(path);
  if (method === 'POST' && gd) return archive(ctx, decodeURIComponent(gd[1] as string), input, gd[2] === 'archive');
  return null;
}
