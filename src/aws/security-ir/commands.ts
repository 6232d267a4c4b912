import type { SecurityIRCommand } from './client.ts';
import type { HttpCall } from './transport.ts';
import type { CaseStatus, ResolverType, SelfManagedCaseStatus } from '../../domain/actions/case-status.ts';
import type { EngagementType } from '../../domain/actions/case-draft.ts';
import type { Watcher } from '../../ports/security-ir.ts';

/**
 * Commands named, shaped and sent as the official SDK's are (restJson1, from the API
 * model). Inputs take Dates; outputs give Dates.
 */

// The case statuses, resolvers and engagement types are the domain's one list (domain/actions/).
export type { EngagementType } from '../../domain/actions/case-draft.ts';
export { SELF_MANAGED_CASE_STATUSES, type CaseStatus, type ResolverType, type SelfManagedCaseStatus } from '../../domain/actions/case-status.ts';

/** Whose move a case waits on (`PendingAction`). */
export type PendingAction = 'Customer' | 'None';

/** Watchers are the port's (what the case use cases hand over), sent as they are. */
export type { Watcher } from '../../ports/security-ir.ts';

export interface ThreatActorIp {
  ipAddress: string;
  userAgent?: string;
}

const label = (id: string) => encodeURIComponent(id);
const date = (v: unknown) => (typeof v === 'number' ? new Date(v * 1000) : typeof v === 'string' ? new Date(v) : undefined);
/** A copy of `o` with the named timestamp members as Dates. */
function withDates(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = { ...o };
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) out[k] = date(o[k]);
  return out;
}

abstract class Command<Input, Output> implements SecurityIRCommand<Output> {
  constructor(readonly input: Input) {}
  abstract request(): HttpCall;
  parse(json: unknown): Output {
    return json as Output;
  }
}

export interface CreateCaseInput {
  clientToken?: string;
  resolverType: ResolverType;
  title: string;
  description: string;
  engagementType: EngagementType;
  reportedIncidentStartDate: Date;
  impactedAccounts: string[];
  watchers: Watcher[];
  threatActorIpAddresses?: ThreatActorIp[];
  impactedServices?: string[];
  impactedAwsRegions?: Array<{ region: string }>;
  tags?: Record<string, string>;
}
export class CreateCaseCommand extends Command<CreateCaseInput, { caseId: string }> {
  request(): HttpCall {
    return { method: 'POST', path: '/v1/create-case', body: this.input };
  }
}

export interface GetCaseOutput {
  title?: string;
  caseArn?: string;
  description?: string;
  caseStatus?: CaseStatus;
  engagementType?: EngagementType;
  reportedIncidentStartDate?: Date;
  actualIncidentStartDate?: Date;
  impactedAwsRegions?: Array<{ region: string }>;
  threatActorIpAddresses?: ThreatActorIp[];
  pendingAction?: PendingAction;
  impactedAccounts?: string[];
  watchers?: Watcher[];
  createdDate?: Date;
  lastUpdatedDate?: Date;
  closureCode?: string;
  resolverType?: ResolverType;
  impactedServices?: string[];
  caseAttachments?: CaseAttachment[];
  closedDate?: Date;
}
export interface CaseAttachment {
  attachmentId: string;
  fileName: string;
  attachmentStatus: 'Verified' | 'Failed' | 'Pending';
  creator: string;
  createdDate: Date;
}
export class GetCaseCommand extends Command<{ caseId: string }, GetCaseOutput> {
  request(): HttpCall {
    return { method: 'GET', path: `/v1/cases/${label(this.input.caseId)}/get-case` };
  }
  override parse(json: unknown): GetCaseOutput {
    const o = json as Record<string, unknown>;
    const out = { ...o } as GetCaseOutput & Record<string, unknown>;
    for (const k of ['reportedIncidentStartDate', 'actualIncidentStartDate', 'createdDate', 'lastUpdatedDate', 'closedDate'] as const) {
      if (o[k] !== undefined) out[k] = date(o[k]);
    }
    if (Array.isArray(o.caseAttachments))
      out.caseAttachments = (o.caseAttachments as Array<Record<string, unknown>>).map((a) => withDates(a, ['createdDate']) as unknown as CaseAttachment);
    return out;
  }
}

export interface UpdateCaseInput {
  caseId: string;
  title?: string;
  description?: string;
  reportedIncidentStartDate?: Date;
  actualIncidentStartDate?: Date;
  engagementType?: EngagementType;
  watchersToAdd?: Watcher[];
  watchersToDelete?: Watcher[];
  threatActorIpAddressesToAdd?: ThreatActorIp[];
  threatActorIpAddressesToDelete?: ThreatActorIp[];
  impactedServicesToAdd?: string[];
  impactedServicesToDelete?: string[];
  impactedAwsRegionsToAdd?: Array<{ region: string }>;
  impactedAwsRegionsToDelete?: Array<{ region: string }>;
  impactedAccountsToAdd?: string[];
  impactedAccountsToDelete?: string[];
}
export class UpdateCaseCommand extends Command<UpdateCaseInput, Record<string, never>> {
  request(): HttpCall {
    const { caseId, ...body } = this.input;
    return { method: 'POST', path: `/v1/cases/${label(caseId)}/update-case`, body };
  }
}

export class UpdateCaseStatusCommand extends Command<{ caseId: string; caseStatus: SelfManagedCaseStatus }, { caseStatus?: SelfManagedCaseStatus }> {
  request(): HttpCall {
    return { method: 'POST', path: `/v1/cases/${label(this.input.caseId)}/update-case-status`, body: { caseStatus: this.input.caseStatus } };
  }
}

export class UpdateResolverTypeCommand extends Command<
  { caseId: string; resolverType: ResolverType },
  { caseId: string; caseStatus?: CaseStatus; resolverType?: ResolverType }
> {
  request(): HttpCall {
    return { method: 'POST', path: `/v1/cases/${label(this.input.caseId)}/update-resolver-type`, body: { resolverType: this.input.resolverType } };
  }
}

export class CloseCaseCommand extends Command<{ caseId: string }, { caseStatus?: CaseStatus; closedDate?: Date }> {
  request(): HttpCall {
    return { method: 'POST', path: `/v1/cases/${label(this.input.caseId)}/close-case` };
  }
  override parse(json: unknown) {
    const o = json as { caseStatus?: CaseStatus; closedDate?: unknown };
    return { ...(o.caseStatus ? { caseStatus: o.caseStatus } : {}), ...(o.closedDate !== undefined ? { closedDate: date(o.closedDate) as Date } : {}) };
  }
}

export class CreateCaseCommentCommand extends Command<{ caseId: string; body: string; clientToken?: string }, { commentId: string }> {
  request(): HttpCall {
    const { caseId, ...body } = this.input;
    return { method: 'POST', path: `/v1/cases/${label(caseId)}/create-comment`, body };
  }
}

/**
 * Paginated listings (`smithy.api#paginated`: `nextToken` in and out, `maxResults` as
 * the page size, `items`). `maxResults` is 1 to 25 (default 25); `nextToken` is opaque,
 * at most 2,000 characters, and only good for the operation (and case) that returned it.
 */

export interface ListCasesInput {
  nextToken?: string;
  maxResults?: number;
}
export interface ListCasesItem {
  caseId: string;
  lastUpdatedDate?: Date;
  title?: string;
  caseArn?: string;
  engagementType?: EngagementType;
  caseStatus?: CaseStatus;
  createdDate?: Date;
  closedDate?: Date;
  resolverType?: ResolverType;
  pendingAction?: PendingAction;
}
export interface ListCasesOutput {
  nextToken?: string;
  items?: ListCasesItem[];
  /** How many cases there are in all, across pages. */
  total?: number;
}
/** `POST /v1/list-cases`: the cases the caller has access to, a page at a time. */
export class ListCasesCommand extends Command<ListCasesInput, ListCasesOutput> {
  request(): HttpCall {
    return { method: 'POST', path: '/v1/list-cases', body: { nextToken: this.input.nextToken, maxResults: this.input.maxResults } };
  }
  override parse(json: unknown): ListCasesOutput {
    const o = json as { nextToken?: string; items?: Array<Record<string, unknown>>; total?: number };
    return {
      ...(o.nextToken ? { nextToken: o.nextToken } : {}),
      items: (o.items ?? []).map((i) => withDates(i, ['lastUpdatedDate', 'createdDate', 'closedDate']) as unknown as ListCasesItem),
      ...(typeof o.total === 'number' ? { total: o.total } : {}),
    };
  }
}

export interface ListCommentsInput {
  caseId: string;
  nextToken?: string;
  maxResults?: number;
}
export interface ListCommentsItem {
  commentId: string;
  createdDate?: Date;
  lastUpdatedDate?: Date;
  /** A principal: an account id, `AWS Responder`, an IAM ARN or `security-ir.amazonaws.com`. */
  creator?: string;
  lastUpdatedBy?: string;
  body?: string;
}
export interface ListCommentsOutput {
  nextToken?: string;
  items?: ListCommentsItem[];
  /** How many comments the case has in all, across pages. */
  total?: number;
}
/** `POST /v1/cases/{caseId}/list-comments`: a case's comments, a page at a time. */
export class ListCommentsCommand extends Command<ListCommentsInput, ListCommentsOutput> {
  request(): HttpCall {
    const { caseId, nextToken, maxResults } = this.input;
    return { method: 'POST', path: `/v1/cases/${label(caseId)}/list-comments`, body: { nextToken, maxResults } };
  }
  override parse(json: unknown): ListCommentsOutput {
    const o = json as { nextToken?: string; items?: Array<Record<string, unknown>>; total?: number };
    return {
      ...(o.nextToken ? { nextToken: o.nextToken } : {}),
      items: (o.items ?? []).map((i) => withDates(i, ['createdDate', 'lastUpdatedDate']) as unknown as ListCommentsItem),
      ...(typeof o.total === 'number' ? { total: o.total } : {}),
    };
  }
}

/** What kind of work of the investigative agent an action is. */
export type AgentActionType = 'Evidence' | 'Investigation' | 'Summarization';
export type AgentActionStatus = 'Pending' | 'InProgress' | 'Waiting' | 'Completed' | 'Failed' | 'Cancelled';
export type Usefulness = 'USEFUL' | 'NOT_USEFUL';

/** One step of the AWS investigative agent's work on a case (`InvestigationAction`); `content` is markdown. */
export interface InvestigationAction {
  investigationId: string;
  actionType: AgentActionType;
  title: string;
  content: string;
  status: AgentActionStatus;
  lastUpdated: Date;
  feedback?: { usefulness?: Usefulness; comment?: string; submittedAt?: Date };
}
export interface ListInvestigationsInput {
  caseId: string;
  nextToken?: string;
  maxResults?: number;
}
export interface ListInvestigationsOutput {
  nextToken?: string;
  investigationActions: InvestigationAction[];
}
/** `GET /v1/cases/{caseId}/list-investigations`: the agent's actions on the case; paging in the query string. */
export class ListInvestigationsCommand extends Command<ListInvestigationsInput, ListInvestigationsOutput> {
  request(): HttpCall {
    const { caseId, nextToken, maxResults } = this.input;
    const query: Record<string, string> = {};
    if (nextToken) query.nextToken = nextToken;
    if (maxResults !== undefined) query.maxResults = String(maxResults);
    return { method: 'GET', path: `/v1/cases/${label(caseId)}/list-investigations`, query };
  }
  override parse(json: unknown): ListInvestigationsOutput {
    const o = json as { nextToken?: string; investigationActions?: Array<Record<string, unknown>> };
    return {
      ...(o.nextToken ? { nextToken: o.nextToken } : {}),
      investigationActions: (o.investigationActions ?? []).map((a) => {
        const action = withDates(a, ['lastUpdated']) as unknown as InvestigationAction;
        const feedback = a.feedback as Record<string, unknown> | undefined;
        return feedback ? { ...action, feedback: withDates(feedback, ['submittedAt']) as InvestigationAction['feedback'] } : action;
      }),
    };
  }
}

/** `POST /v1/cases/{caseId}/feedback/{resultId}/send-feedback`: whether an agent's result was useful (answers nothing). */
export class SendFeedbackCommand extends Command<{ caseId: string; resultId: string; usefulness: Usefulness; comment?: string }, Record<string, never>> {
  request(): HttpCall {
    const { caseId, resultId, ...body } = this.input;
    return { method: 'POST', path: `/v1/cases/${label(caseId)}/feedback/${label(resultId)}/send-feedback`, body };
  }
}

/** `POST /v1/cases/{caseId}/get-presigned-url` (GetCaseAttachmentUploadUrl): where to PUT a file for the case. */
export class GetCaseAttachmentUploadUrlCommand extends Command<
  { caseId: string; fileName: string; contentLength: number; clientToken?: string },
  { attachmentPresignedUrl: string }
> {
  request(): HttpCall {
    const { caseId, ...body } = this.input;
    return { method: 'POST', path: `/v1/cases/${label(caseId)}/get-presigned-url`, body };
  }
}
