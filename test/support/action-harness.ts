import { AccessControl } from '../../src/actions/access.ts';
import { Auditor } from '../../src/actions/audit.ts';
import type { AwsCall } from '../../src/domain/actions/aws-call.ts';
import type { Finding } from '../../src/domain/finding.ts';
import type { AuditRecord, CaseRecord } from '../../src/ports/action-store.ts';
import type { AwsCalls, CallError, CallOutcome, RunStatus } from '../../src/ports/aws-calls.ts';
import type { Logger } from '../../src/ports/logger.ts';
import type { ActionNotices, MessagePlace } from '../../src/ports/notices/actions.ts';
import type { FindingRecord } from '../../src/ports/store.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { makeFinding } from './findings.ts';
import { type RecordingPort, recordingPort } from './recording-port.ts';

/**
 * What the action use-case tests share: the in-memory store, an access policy with one
 * person of each kind, the real auditor, a recording notifier and a fake AWS whose calls
 * are counted. Each service is built by its test from these, as compose.ts builds it.
 */

export const RESPONDER = 'U0RESPONDER';
export const APPROVER = 'U0APPROVER';
export const OUTSIDER = 'U0OUTSIDER';

/** The thread a delivered finding's root opened. */
export const FINDINGS_CHANNEL = 'C0FINDINGS';
export const ROOT_TS = '1700000000.000100';

const quiet = () => {};
export const quietLogger: Logger = {
  error: quiet,
  warn: quiet,
  info: quiet,
  debug: quiet,
  child: () => quietLogger,
  isLevelEnabled: () => false,
};

/** An AWS that answers every call (or fails the ones a test names), recording each run and read. */
export class FakeAwsCalls implements AwsCalls {
  readonly runs: AwsCall[][] = [];
  readonly reads: AwsCall[][] = [];
  /** Operations that fail, with the error AWS would give. */
  readonly failing = new Map<string, CallError>();

  async read(calls: AwsCall[]): Promise<unknown[]> {
    this.reads.push(calls);
    return calls.map(() => ({}));
  }

  async run(calls: AwsCall[]): Promise<{ status: RunStatus; outcomes: CallOutcome[] }> {
    this.runs.push(calls);
    const outcomes: CallOutcome[] = [];
    for (const call of calls) {
      const error = this.failing.get(call.operation);
      outcomes.push(error ? { call, ok: false, error } : { call, ok: true, answer: {} });
      if (error) break;
    }
    const done = outcomes.filter((o) => o.ok).length;
    return { status: done === calls.length ? 'succeeded' : done === 0 ? 'failed' : 'partial', outcomes };
  }

  /** Every call made, across runs. */
  calls(): AwsCall[] {
    return this.runs.flat();
  }
}

/** The message the recording notifier says it posted, for each method that posts one. */
let posted = 0;
const place = async (): Promise<MessagePlace> => ({ channel: FINDINGS_CHANNEL, ts: `1700000001.${String(++posted).padStart(6, '0')}` });

export interface ActionHarness {
  store: MemoryStore;
  access: AccessControl;
  audit: Auditor;
  notices: RecordingPort<ActionNotices>;
  aws: FakeAwsCalls;
  logger: Logger;
  /** Moves with `advance`. */
  clock: () => number;
  advance(seconds: number): void;
  /** The root messages redrawn, by finding id, in order. */
  redrawn: string[];
  refreshRoot: (findingId: string) => Promise<void>;
  /** Stores a finding as delivered to the findings channel, its root at ROOT_TS. */
  deliver(finding?: Finding): Promise<Finding>;
  auditTrail(): Promise<AuditRecord[]>;
}

export function actionHarness(): ActionHarness {
  let now = Date.parse('2026-12-01T10:00:00Z');
  const clock = () => now;
  const store = new MemoryStore();
  const access = new AccessControl({ responders: { users: [RESPONDER], groups: [] }, approvers: { users: [APPROVER], groups: [] } }, null, undefined, clock);
  const audit = new Auditor(store.actions, quietLogger, undefined, clock);
  const notices = recordingPort<ActionNotices>({
    caseOpened: place,
    remediationAwaitingApproval: place,
    remediationRejected: async (e) => e.message ?? place(),
    remediationExecuted: async (e) => e.message ?? place(),
    remediationUndone: async (e) => e.message ?? place(),
  });
  const redrawn: string[] = [];
  return {
    store,
    access,
    audit,
    notices,
    aws: new FakeAwsCalls(),
    logger: quietLogger,
    clock,
    advance: (seconds) => {
      now += seconds * 1000;
    },
    redrawn,
    refreshRoot: async (findingId) => {
      redrawn.push(findingId);
    },
    async deliver(finding = makeFinding()) {
      await store.insertFinding(deliveredRecord(finding, new Date(now).toISOString()));
      return finding;
    },
    auditTrail: () => store.actions.listAudit(),
  };
}

/** A finding's record once its root is in Slack. */
function deliveredRecord(finding: Finding, at: string): FindingRecord {
  return {
    findingId: finding.id,
    fingerprint: 'delivered',
    updatedAt: finding.updatedAt,
    channel: FINDINGS_CHANNEL,
    ts: ROOT_TS,
    digestId: null,
    suppressed: false,
    severity: finding.severity.label,
    workflowStatus: finding.workflowStatus,
    recordState: finding.recordState,
    deliveredAt: at,
    snapshot: finding,
    state: 'posted',
    version: 1,
    sentAt: at,
    attemptAt: null,
    attempts: 1,
    followUpPending: false,
    pendingSnapshot: null,
  };
}

/** Audit records as `action outcome` lines, for asserting what was recorded in order. */
export function auditLines(trail: AuditRecord[]): string[] {
  return trail.map((a) => `${a.actor} ${a.action} ${a.outcome}`);
}

export const CASE_ID = '8403556001';

/** A Security IR case as the case service keeps it once opened from the finding's thread (ROOT_TS). */
export function keptCase(o: Partial<CaseRecord> = {}): CaseRecord {
  return {
    caseId: CASE_ID,
    findingId: 'f-1',
    channel: FINDINGS_CHANNEL,
    threadTs: ROOT_TS,
    title: 'Leaked key',
    status: 'Submitted',
    resolverType: 'Self',
    engagementType: 'Security Incident',
    commentsShownThrough: null,
    createdBy: RESPONDER,
    createdAt: '2026-12-01T09:00:00.000Z',
    updatedAt: '2026-12-01T09:00:00.000Z',
    ...o,
  };
}
