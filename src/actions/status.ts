import type { WorkflowStatus } from '../domain/finding.ts';
import { NOTE_MAX, statusPlan, unprocessedOf, type GuardDutySetup } from '../domain/actions/workflow-status.ts';
import type { AwsCalls } from '../ports/aws-calls.ts';
import type { Logger } from '../ports/logger.ts';
import type { StatusNotices } from '../ports/notices/actions.ts';
import type { StatusActionOutcome } from '../ports/action-store.ts';
import type { Store } from '../ports/store.ts';
import type { AccessControl } from './access.ts';
import type { Auditor } from './audit.ts';
import { deliveredFinding } from './finding-snapshot.ts';
import { hashedId } from '../lib/hashed-id.ts';

export interface StatusRequest {
  findingId: string;
  status: WorkflowStatus;
  note: string;
  userId: string;
  /** Shown on the finding in AWS as who set it. */
  userName?: string;
}

/** One request per (finding, status, previous change): a double click or a retried submission meets the same record. */
export function statusActionId(findingId: string, status: WorkflowStatus, previousId: string | null): string {
  return hashedId('status', [findingId, status, previousId ?? '-'], 24);
}

export type StatusResult =
  | { ok: true; already: boolean }
  | { ok: false; kind: 'refused' | 'invalid' | 'busy' | 'failed'; reason: string; unprocessed?: Array<{ id: string; reason: string }> };

export interface StatusServiceDeps {
  store: Store;
  access: AccessControl;
  audit: Auditor;
  executor: AwsCalls;
  notices: StatusNotices;
  refreshRoot: (findingId: string) => Promise<void>;
  logger: Logger;
  clock?: () => number;
  /** GuardDuty organization: findings are archived through its administrator account. */
  guardDuty?: GuardDutySetup;
  /** The finding was set RESOLVED or SUPPRESSED where it lives, by `userId`: its escalation stops, its page is resolved. */
  onClosed?: (findingId: string, status: string, userId: string) => Promise<void>;
}

/**
 * Sets a finding's workflow status where the finding lives (Security Hub CSPM, the
 * OCSF Security Hub, or GuardDuty), then shows it on the root message and in the
 * thread. One request per (finding, status, previous change): double clicks and
 * retried submissions meet the same record.
 */
export class StatusService {
  private readonly clock: () => number;

  constructor(private readonly d: StatusServiceDeps) {
    this.clock = d.clock ?? Date.now;
  }

  async set(req: StatusRequest): Promise<StatusResult> {
    const { store, access, audit } = this.d;
    const now = () => new Date(this.clock()).toISOString();
    const delivered = await deliveredFinding(store, req.findingId);
    const where = { channel: delivered?.record.channel ?? null, ts: delivered?.record.ts ?? null };
    const auditBase = { actor: req.userId, action: 'status', target: req.findingId, inputs: { status: req.status, note: req.note }, ...where };
    const allowed = await access.check(req.userId, 'responder');
    if (!allowed.allowed) {
      await audit.record({ ...auditBase, outcome: 'refused', result: { reason: allowed.reason } });
      return { ok: false, kind: 'refused', reason: allowed.reason };
    }
    if (!delivered) {
      const reason = `sirbot has not delivered a finding with id ${req.findingId}`;
      await audit.record({ ...auditBase, outcome: 'refused', result: { reason } });
      return { ok: false, kind: 'refused', reason };
    }
    if (req.note.length > NOTE_MAX - 60) return { ok: false, kind: 'invalid', reason: `the note is longer than ${NOTE_MAX - 60} characters` };

    const history = await store.actions.listActions({ findingId: req.findingId, kind: 'status' });
    const last = history.at(-1);
    if (last && (last.state === 'running' || last.state === 'awaiting_approval')) {
      return { ok: false, kind: 'busy', reason: 'another status change of this finding is under way' };
    }
    if (last?.kind === 'status' && last.state === 'succeeded' && last.input.status === req.status) return { ok: true, already: true };
    const id = statusActionId(req.findingId, req.status, last?.id ?? null);
    const plan = statusPlan(
      { finding: delivered.finding, status: req.status, note: req.note, by: req.userName ? `${req.userName} (${req.userId})` : req.userId },
      this.d.guardDuty,
    );
    if ('error' in plan) return { ok: false, kind: 'invalid', reason: plan.error };
    const call = plan.main;
    const inserted = await store.actions.insertAction({
      id,
      kind: 'status',
      findingId: req.findingId,
      channel: where.channel,
      threadTs: where.ts,
      requestedBy: req.userId,
      approvedBy: null,
      state: 'running',
      input: { status: req.status, note: req.note, call, ...(plan.calls.length > 1 ? { calls: plan.calls } : {}) },
      result: null,
      messageTs: null,
      createdAt: now(),
      updatedAt: now(),
    });
    if (!inserted) return { ok: true, already: true };
    await audit.record({ ...auditBase, outcome: 'requested', inputs: { ...auditBase.inputs, call, ...(plan.calls.length > 1 ? { calls: plan.calls } : {}) } });

    const run = await this.d.executor.run(plan.calls);
    // The status call's outcome, or the lookup's that stopped the run before it.
    const outcome = run.outcomes.at(-1);
    const shown = outcome?.call ?? call;
    const unprocessed = outcome?.ok ? unprocessedOf(shown, outcome.answer) : [];
    const failed = run.status !== 'succeeded' || unprocessed.length > 0;
    const result: StatusActionOutcome = { error: outcome?.error ?? null, unprocessed };
    await store.actions.transitionAction(id, ['running'], { state: failed ? 'failed' : 'succeeded', result, updatedAt: now() });
    await audit.record({ ...auditBase, outcome: failed ? 'failed' : 'executed', result });
    if (!failed) {
      await store.updateFinding({ ...delivered.record, workflowStatus: req.status });
      await this.d
        .refreshRoot(req.findingId)
        .catch((err: unknown) => this.d.logger.warn({ err, findingId: req.findingId }, 'could not redraw the root message'));
      if (req.status === 'RESOLVED' || req.status === 'SUPPRESSED') {
        await this.d
          .onClosed?.(req.findingId, req.status, req.userId)
          .catch((err: unknown) => this.d.logger.warn({ err, findingId: req.findingId }, 'could not stop the escalation'));
      }
    }
    if (where.channel && where.ts) {
      await this.d.notices
        .statusSet({
          thread: { channel: where.channel, threadTs: where.ts },
          findingId: req.findingId,
          status: req.status,
          note: req.note,
          by: req.userId,
          calls: run.outcomes.length > 0 ? run.outcomes.map((o) => o.call) : [shown],
          error: outcome?.error ?? null,
          unprocessed,
        })
        .catch((err: unknown) => this.d.logger.warn({ err, findingId: req.findingId }, 'could not post the status result'));
    }
    if (!failed) return { ok: true, already: false };
    const reason = outcome?.error ? `${outcome.error.name}: ${outcome.error.message}` : unprocessed.map((u) => `${u.id}: ${u.reason}`).join('; ');
    return { ok: false, kind: 'failed', reason, unprocessed };
  }
}
