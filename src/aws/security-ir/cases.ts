import type { ResolverType, SelfManagedCaseStatus } from '../../domain/actions/case-status.ts';
import type { AgentAction, AgentUsefulness, CaseComment, CaseDetails, CaseSummary, NewCase, SecurityIrCases } from '../../ports/security-ir.ts';
import type { SecurityIRClient } from './client.ts';
import {
  CloseCaseCommand,
  CreateCaseCommand,
  CreateCaseCommentCommand,
  GetCaseAttachmentUploadUrlCommand,
  GetCaseCommand,
  SendFeedbackCommand,
  UpdateCaseStatusCommand,
  UpdateResolverTypeCommand,
} from './commands.ts';
import { paginateListCases, paginateListComments, paginateListInvestigations } from './paginators.ts';

/**
 * The case use cases' Security IR port on the SDK-shaped client: each operation one
 * command, the port's plain values turned into the API's shapes (Dates, `{ ipAddress }`,
 * `{ region }`). The client is asked for at each call, so the runtime's factory decides
 * when it is made and with which credentials.
 */
export class SecurityIrCaseApi implements SecurityIrCases {
  constructor(private readonly client: () => SecurityIRClient) {}

  createCase(c: NewCase): Promise<{ caseId: string }> {
    return this.client().send(
      new CreateCaseCommand({
        clientToken: c.clientToken,
        resolverType: c.resolverType,
        title: c.title,
        description: c.description,
        engagementType: c.engagementType,
        reportedIncidentStartDate: new Date(c.reportedIncidentStartDate),
        impactedAccounts: c.impactedAccounts,
        watchers: c.watchers,
        // The service refuses empty lists: a member with nothing in it is left out.
        ...(c.threatActorIpAddresses.length ? { threatActorIpAddresses: c.threatActorIpAddresses.map((ipAddress) => ({ ipAddress })) } : {}),
        ...(c.impactedServices.length ? { impactedServices: c.impactedServices } : {}),
        ...(c.impactedAwsRegions.length ? { impactedAwsRegions: c.impactedAwsRegions.map((region) => ({ region })) } : {}),
        tags: c.tags,
      }),
    );
  }

  async addComment(caseId: string, body: string, clientToken: string): Promise<{ commentId: string }> {
    const out = await this.client().send(new CreateCaseCommentCommand({ caseId, body, clientToken }));
    return { commentId: out.commentId };
  }

  async attach(caseId: string, file: { fileName: string; bytes: Buffer }, clientToken: string): Promise<void> {
    const { attachmentPresignedUrl } = await this.client().send(
      new GetCaseAttachmentUploadUrlCommand({ caseId, fileName: file.fileName, contentLength: file.bytes.length, clientToken }),
    );
    // A presigned URL: the signature is in it, so the PUT carries none of its own.
    const res = await fetch(attachmentPresignedUrl, { method: 'PUT', body: file.bytes, signal: AbortSignal.timeout(120_000) });
    if (!res.ok) throw Object.assign(new Error(`the upload of ${file.fileName} was answered ${res.status}`), { name: 'AttachmentUploadFailed' });
  }

  async *listInvestigations(caseId: string): AsyncIterable<AgentAction> {
    for await (const page of paginateListInvestigations({ client: this.client() }, { caseId })) {
      for (const a of page.investigationActions) {
        yield {
          investigationId: a.investigationId,
          actionType: a.actionType,
          title: a.title,
          content: a.content,
          status: a.status,
          lastUpdated: a.lastUpdated,
          ...(a.feedback?.usefulness ? { feedback: { usefulness: a.feedback.usefulness } } : {}),
        };
      }
    }
  }

  async sendFeedback(caseId: string, resultId: string, usefulness: AgentUsefulness, comment?: string): Promise<void> {
    await this.client().send(new SendFeedbackCommand({ caseId, resultId, usefulness, ...(comment ? { comment } : {}) }));
  }

  async *listComments(caseId: string): AsyncIterable<CaseComment> {
    for await (const page of paginateListComments({ client: this.client() }, { caseId })) {
      for (const c of page.items ?? []) {
        yield {
          commentId: c.commentId,
          body: c.body ?? '',
          ...(c.creator ? { creator: c.creator } : {}),
          ...(c.lastUpdatedBy ? { lastUpdatedBy: c.lastUpdatedBy } : {}),
          ...(c.createdDate ? { createdDate: c.createdDate } : {}),
          ...(c.lastUpdatedDate ? { lastUpdatedDate: c.lastUpdatedDate } : {}),
        };
      }
    }
  }

  async setResolver(caseId: string, resolverType: ResolverType) {
    const out = await this.client().send(new UpdateResolverTypeCommand({ caseId, resolverType }));
    return out.caseStatus ? { caseStatus: out.caseStatus } : {};
  }

  async setStatus(caseId: string, status: SelfManagedCaseStatus) {
    const out = await this.client().send(new UpdateCaseStatusCommand({ caseId, caseStatus: status }));
    return out.caseStatus ? { caseStatus: out.caseStatus } : {};
  }

  async close(caseId: string) {
    const out = await this.client().send(new CloseCaseCommand({ caseId }));
    return out.caseStatus ? { caseStatus: out.caseStatus } : {};
  }

  async getCase(caseId: string): Promise<CaseDetails> {
    const c = await this.client().send(new GetCaseCommand({ caseId }));
    return {
      title: c.title,
      ...(c.pendingAction ? { pendingAction: c.pendingAction } : {}),
      description: c.description,
      caseStatus: c.caseStatus,
      resolverType: c.resolverType,
      engagementType: c.engagementType,
      impactedAccounts: c.impactedAccounts,
      createdDate: c.createdDate,
      closedDate: c.closedDate,
    };
  }

  async *listCases(): AsyncIterable<CaseSummary> {
    for await (const page of paginateListCases({ client: this.client() })) {
      for (const c of page.items ?? []) {
        yield { caseId: c.caseId, title: c.title, caseStatus: c.caseStatus, resolverType: c.resolverType, createdDate: c.createdDate };
      }
    }
  }
}
