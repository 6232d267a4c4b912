import { AwsError } from './errors.ts';

/** The fake Security Incident Response's memory: cases and their comments, and its validation error. */

export interface SirComment {
  commentId: string;
  body: string;
  createdDate: number;
  lastUpdatedDate: number;
  creator: string;
  lastUpdatedBy: string;
}

export interface SirCase {
  caseId: string;
  caseArn: string;
  title: string;
  description: string;
  caseStatus: string;
  engagementType: string;
  resolverType: string;
  reportedIncidentStartDate: number;
  actualIncidentStartDate?: number;
  impactedAccounts: string[];
  watchers: Array<{ email: string; name?: string; jobTitle?: string }>;
  threatActorIpAddresses: Array<{ ipAddress: string; userAgent?: string }>;
  impactedServices: string[];
  impactedAwsRegions: Array<{ region: string }>;
  tags: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
  closedDate?: number;
  /** `PendingAction`: `Customer` or `None`. */
  pendingAction: string;
  comments: SirComment[];
}

export class ValidationFailure extends AwsError {
  constructor(readonly fieldList: Array<{ name: string; message: string }>) {
    super('ValidationException', fieldList.map((f) => `${f.name}: ${f.message}`).join('; '), 400);
  }
}

export class SirState {
  readonly cases = new Map<string, SirCase>();
  readonly tokens = new Map<string, string>();
  private seq = 0;

  nextCaseId(): string {
    return String(8403556000 + ++this.seq).padStart(10, '0');
  }
}
