import type { SecurityIRCommand } from './client.ts';
import type { HttpCall } from './transport.ts';

/**
 * Commands named, shaped and sent as the official SDK's are (restJson1, from the API
 * model). Inputs take Dates; outputs give Dates.
 */

export type ResolverType = 'AWS' | 'Self';
export type EngagementType = 'Security Incident' | 'Investigation';
export type CaseStatus =
  | 'Submitted'
  | 'Acknowledged'
  | 'Detection and Analysis'
  | 'Containment, Eradication and Recovery'
  | 'Post-incident Activities'
  | 'Ready to Close'
  | 'Closed';
/** The statuses a self-managed case can be set to; closing goes through CloseCase. */
export type SelfManagedCaseStatus = 'Submitted' | 'Detection and Analysis' | 'Containment, Eradication and Recovery' | 'Post-incident Activities';
export const SELF_MANAGED_CASE_STATUSES: readonly SelfManagedCaseStatus[] = [
  'Submitted',
  'Detection and Analysis',
  'Containment, Eradication and Recovery',
  'Post-incident Activities',
];

export interface Watcher {
  email: string;
  name?: string;
  jobTitle?: string;
}
export interface ThreatActorIp {
  ipAddress: string;
  userAgent?: string;
}

const label = (id: string) => encodeURIComponent(id);
const date = (v: unknown) => (typeof v === 'number' ? new Date(v * 1000) : typeof v === 'string' ? new Date(v) : undefined);

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
  pendingAction?: string;
  impactedAccounts?: string[];
  watchers?: Watcher[];
  createdDate?: Date;
  lastUpdatedDate?: Date;
  closureCode?: string;
  resolverType?: ResolverType;
  impactedServices?: string[];
  closedDate?: Date;
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

/** Comment bodies may be up to 12,000 characters. */
export const MAX_COMMENT_LENGTH = 12_000;

export class CreateCaseCommentCommand extends Command<{ caseId: string; body: string; clientToken?: string }, { commentId: string }> {
  request(): HttpCall {
    const { caseId, ...body } = this.input;
    return { method: 'POST', path: `/v1/cases/${label(caseId)}/create-comment`, body };
  }
}
