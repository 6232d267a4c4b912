import { randomUUID } from 'node:crypto';
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

/** One step of the investigative agent's work on a case (`InvestigationAction`). */
export interface SirInvestigation {
  investigationId: string;
  actionType: 'Evidence' | 'Investigation' | 'Summarization';
  title: string;
  content: string;
  status: 'Pending' | 'InProgress' | 'Waiting' | 'Completed' | 'Failed' | 'Cancelled';
  /** Epoch seconds, as the wire has it. */
  lastUpdated: number;
  feedback?: { usefulness: 'USEFUL' | 'NOT_USEFUL'; comment?: string; submittedAt: number };
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
  /** The investigative agent's actions, in the order it took them. */
  investigations: SirInvestigation[];
  /** Files attached through GetCaseAttachmentUploadUrl and the upload that followed (`CaseAttachmentAttributes`). */
  caseAttachments: Array<{ attachmentId: string; fileName: string; attachmentStatus: 'Verified'; creator: string; createdDate: number }>;
}

export class ValidationFailure extends AwsError {
  constructor(readonly fieldList: Array<{ name: string; message: string }>) {
    super('ValidationException', fieldList.map((f) => `${f.name}: ${f.message}`).join('; '), 400);
  }
}

/** The EventBridge event the service sends (source `aws.security-ir`), as its user guide shows them. */
export interface SirEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: 'aws.security-ir';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: { caseId: string; createdBy?: string; updatedBy?: string };
}

/** Who acted, as the events name them: the service's responders, or the customer's account. */
export const AWS_RESPONDER = 'AWS Responder';

export class SirState {
  readonly cases = new Map<string, SirCase>();
  readonly tokens = new Map<string, string>();
  /** Uploads handed out by GetCaseAttachmentUploadUrl, by the id in their presigned URL. */
  readonly uploads = new Map<string, { caseId: string; fileName: string; contentLength: number; creator: string; attachmentId: string }>();
  /** What was uploaded, by attachment id. */
  readonly attachmentBytes = new Map<string, Buffer>();
  /** Every event the service sent, oldest first. */
  readonly events: SirEvent[] = [];
  /** Where events go as they are sent (EventBridge's rule and target: a test, the workbench). */
  onEvent: ((event: SirEvent) => void) | undefined;
  /**
   * The workbench's AWS CIRT: this long after a case becomes AWS-supported, an AWS responder
   * takes it up (a comment asking the customer a question). Off unless set.
   */
  responderDelayMs: number | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private seq = 0;

  nextCaseId(): string {
    return String(8403556000 + ++this.seq).padStart(10, '0');
  }

  /** Sends an event about a case: `Case Closed` names nobody, creations say `createdBy`, the rest `updatedBy`. */
  emit(c: SirCase, detailType: string, actor: string, now: number): SirEvent {
    const [, , , region = 'us-east-1', account = ''] = c.caseArn.split(':');
    const who =
      detailType === 'Case Closed' ? {} : detailType.endsWith('Created') || detailType.endsWith('Added') ? { createdBy: actor } : { updatedBy: actor };
    const event: SirEvent = {
      version: '0',
      id: randomUUID(),
      'detail-type': detailType,
      source: 'aws.security-ir',
      account,
      time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [c.caseArn],
      detail: { caseId: c.caseId, ...who },
    };
    this.events.push(event);
    this.onEvent?.(event);
    return event;
  }

  /** An AWS-supported case: the workbench's responder answers it after `responderDelayMs`. */
  handedToAws(caseId: string): void {
    if (this.responderDelayMs === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const c = this.cases.get(caseId);
      if (!c || c.caseStatus === 'Closed') return;
      this.respond(caseId, {
        pendingAction: 'Customer',
        comment:
          'AWS CIRT here: we have started on this case. Please confirm whether the exposed access key has been deactivated, and tell us of any activity you expected from the addresses named.',
      });
    }, this.responderDelayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /**
   * The workbench's investigative agent: this long after a case is created, and again after
   * each step, it completes its evidence, investigation and summary of the case. Off unless set.
   */
  agentDelayMs: number | undefined;

  /** A case was created: the workbench's agent starts on it. */
  caseCreated(caseId: string): void {
    if (this.agentDelayMs === undefined) return;
    const steps = agentSteps(this.cases.get(caseId) as SirCase);
    const next = (i: number) => {
      const step = steps[i];
      if (!step) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.cases.has(caseId)) return;
        this.agentAct(caseId, step);
        next(i + 1);
      }, this.agentDelayMs);
      timer.unref();
      this.timers.add(timer);
    };
    next(0);
  }

  /** The agent records (or, by title, updates) one action on the case. The service sends no event for these. */
  agentAct(caseId: string, act: Omit<SirInvestigation, 'investigationId' | 'lastUpdated'>, now = Date.now()): string {
    const c = this.cases.get(caseId);
    if (!c) throw new AwsError('ResourceNotFoundException', `Case ${caseId} does not exist.`, 404);
    const same = c.investigations.find((i) => i.title === act.title && i.actionType === act.actionType);
    if (same) {
      Object.assign(same, act, { lastUpdated: now / 1000 });
      return same.investigationId;
    }
    const investigationId = `inv-${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    c.investigations.push({ investigationId, ...act, lastUpdated: now / 1000 });
    return investigationId;
  }

  /**
   * The presigned PUT of an upload: its bytes must be as long as announced; the attachment
   * then shows on the case (again: the same upload replaces its bytes).
   */
  receiveUpload(uploadId: string, bytes: Buffer, now = Date.now()): { status: number; error?: string } {
    const up = this.uploads.get(uploadId);
    if (!up) return { status: 403, error: 'no such upload (or its URL expired)' };
    if (bytes.length !== up.contentLength) return { status: 400, error: `the body has ${bytes.length} bytes; the URL was signed for ${up.contentLength}` };
    const c = this.cases.get(up.caseId);
    if (!c) return { status: 404, error: 'the case is gone' };
    if (!this.attachmentBytes.has(up.attachmentId))
      c.caseAttachments.push({
        attachmentId: up.attachmentId,
        fileName: up.fileName,
        attachmentStatus: 'Verified',
        creator: up.creator,
        createdDate: now / 1000,
      });
    this.attachmentBytes.set(up.attachmentId, bytes);
    return { status: 200 };
  }

  /** Stops what is scheduled (the server closing). */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /**
   * What an AWS responder does on an AWS-supported case: comments, moves its status,
   * waits on the customer. Each change sends its event, as the service does.
   */
  respond(caseId: string, act: { comment?: string; status?: string; pendingAction?: 'Customer' | 'None' }, now = Date.now()): { commentId?: string } {
    const c = this.cases.get(caseId);
    if (!c) throw new AwsError('ResourceNotFoundException', `Case ${caseId} does not exist.`, 404);
    const out: { commentId?: string } = {};
    if (act.status !== undefined || act.pendingAction !== undefined) {
      if (act.status !== undefined) c.caseStatus = act.status;
      if (act.pendingAction !== undefined) c.pendingAction = act.pendingAction;
      c.lastUpdatedDate = now / 1000;
      this.emit(c, 'Case Updated', AWS_RESPONDER, now);
    }
    if (act.comment !== undefined) {
      const commentId = String(c.comments.length + 1).padStart(6, '0');
      c.comments.push({
        commentId,
        body: act.comment,
        createdDate: now / 1000,
        lastUpdatedDate: now / 1000,
        creator: AWS_RESPONDER,
        lastUpdatedBy: AWS_RESPONDER,
      });
      c.lastUpdatedDate = now / 1000;
      this.emit(c, 'Case Comment Added', AWS_RESPONDER, now);
      out.commentId = commentId;
    }
    return out;
  }
}

/** What the workbench's agent finds: drawn from the case as the customer described it. */
function agentSteps(c: SirCase): Array<Omit<SirInvestigation, 'investigationId' | 'lastUpdated'>> {
  const accounts = c.impactedAccounts.join(', ') || 'the impacted account';
  const ips = c.threatActorIpAddresses.map((t) => t.ipAddress).join(', ') || 'no address named yet';
  return [
    {
      actionType: 'Evidence',
      title: 'Collected CloudTrail activity for the case',
      content: `## Evidence collected\n\nCloudTrail management events in ${accounts} around the reported start:\n\n- API calls from ${ips}\n- Access keys used outside their usual pattern\n\n*Data sources:* CloudTrail, IAM credential reports.`,
      status: 'Completed',
    },
    {
      actionType: 'Investigation',
      title: 'Analysed the principal and its sessions',
      content: `## Analysis\n\nThe activity from ${ips} is **consistent with credential misuse**: enumeration (\`ListUsers\`, \`GetCallerIdentity\`) followed by persistence attempts.\n\n1. Deactivate the exposed key\n2. Review IAM changes made in the window`,
      status: 'Completed',
    },
    {
      actionType: 'Summarization',
      title: 'Summary of the investigation',
      content: `### Summary\n\n${c.title}\n\nLikely unauthorized use of credentials in ${accounts}. Contain the key, then review what it created.`,
      status: 'Completed',
    },
  ];
}
