import type { EngagementType } from '../domain/actions/case-draft.ts';
import type { CaseStatus, ResolverType, SelfManagedCaseStatus } from '../domain/actions/case-status.ts';

/**
 * AWS Security Incident Response's cases, as the case use cases need them. A port, so
 * CaseService depends on these operations and not on the client that signs and sends
 * them (src/aws/security-ir implements it; tests pass a fake). Errors are thrown with the
 * service's `name` and `message`, which the use cases audit as they are.
 */

/** Someone the service keeps informed about a case. */
export interface Watcher {
  email: string;
  name?: string;
  jobTitle?: string;
}

/** A case to create, with values as the case draft holds them. */
export interface NewCase {
  /** The same token meets the same case: a retried or doubled request creates one. */
  clientToken: string;
  resolverType: ResolverType;
  title: string;
  description: string;
  engagementType: EngagementType;
  /** ISO date or time of the first suspicious event. */
  reportedIncidentStartDate: string;
  impactedAccounts: string[];
  watchers: Watcher[];
  /** Left out of the request when empty, as the service wants. */
  threatActorIpAddresses: string[];
  impactedServices: string[];
  impactedAwsRegions: string[];
  tags: Record<string, string>;
}

/** A case as the service describes it (`/sir case ID`, and cases opened elsewhere). */
export interface CaseDetails {
  title?: string;
  /** Whose move the case waits on: `Customer` when AWS responders wait for the customer. */
  pendingAction?: string;
  description?: string;
  caseStatus?: CaseStatus;
  resolverType?: ResolverType;
  engagementType?: EngagementType;
  impactedAccounts?: string[];
  createdDate?: Date;
  closedDate?: Date;
}

/** One case in the service's listing. */
export interface CaseSummary {
  caseId: string;
  title?: string;
  caseStatus?: CaseStatus;
  resolverType?: ResolverType;
  createdDate?: Date;
}

/** One comment on a case, as ListComments gives it. */
export interface CaseComment {
  /** Six digits, numbered from 000001 in the order the case got them. */
  commentId: string;
  body: string;
  /** A principal: an account id, `AWS Responder`, an IAM ARN, or the service's. */
  creator?: string;
  lastUpdatedBy?: string;
  createdDate?: Date;
  lastUpdatedDate?: Date;
}

/** One step of the AWS investigative agent's work on a case, as ListInvestigations gives it. */
export interface AgentAction {
  investigationId: string;
  actionType: 'Evidence' | 'Investigation' | 'Summarization';
  title: string;
  /** Markdown, up to 5,000 characters: the agent read attacker-controlled logs to write it. */
  content: string;
  status: 'Pending' | 'InProgress' | 'Waiting' | 'Completed' | 'Failed' | 'Cancelled';
  lastUpdated: Date;
  feedback?: { usefulness?: AgentUsefulness };
}

export type AgentUsefulness = 'USEFUL' | 'NOT_USEFUL';

export interface SecurityIrCases {
  createCase(c: NewCase): Promise<{ caseId: string }>;
  /** A comment on the case; `clientToken` makes a repeated one a no-op (the service answers the same comment id). */
  addComment(caseId: string, body: string, clientToken: string): Promise<{ commentId: string }>;
  /** Every comment of the case, page after page. */
  listComments(caseId: string): AsyncIterable<CaseComment>;
  /**
   * Attaches a file to the case: an upload URL (GetCaseAttachmentUploadUrl; `clientToken`
   * makes a repeated request the same upload), then the file PUT to it.
   */
  attach(caseId: string, file: { fileName: string; bytes: Buffer }, clientToken: string): Promise<void>;
  /** The investigative agent's actions on the case, page after page. */
  listInvestigations(caseId: string): AsyncIterable<AgentAction>;
  /** Tells the service whether one of the agent's results was useful. */
  sendFeedback(caseId: string, resultId: string, usefulness: AgentUsefulness, comment?: string): Promise<void>;
  /** Hands the case to a resolver; the service may move its status as it does (answered when it says). */
  setResolver(caseId: string, resolverType: ResolverType): Promise<{ caseStatus?: CaseStatus }>;
  setStatus(caseId: string, status: SelfManagedCaseStatus): Promise<{ caseStatus?: SelfManagedCaseStatus }>;
  close(caseId: string): Promise<{ caseStatus?: CaseStatus }>;
  getCase(caseId: string): Promise<CaseDetails>;
  /** Every case the caller can see, page after page as the service gives them. */
  listCases(): AsyncIterable<CaseSummary>;
}
