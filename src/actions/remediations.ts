import type { AwsCall } from '../domain/actions/aws-call.ts';
import { type Plan, type Remediation, type RemediationInputs, type RemediationTarget, checkInputs, remediationById } from '../domain/remediation/catalog.ts';
import type { AwsCalls } from '../ports/aws-calls.ts';
import type { Logger } from '../ports/logger.ts';
import type { RemediationNotices } from '../ports/notices/actions.ts';
import {
  type ActionRecord,
  type ActionState,
  type RemediationAction,
  type RemediationRequest,
  type RemediationRun,
  isRemediationAction,
} from '../ports/action-store.ts';
import type { Store } from '../ports/store.ts';
import type { AccessControl } from './access.ts';
import type { Auditor } from './audit.ts';
import { hashedId, shortHash } from '../lib/hashed-id.ts';

/** What a confirmation modal shows: the plan, and a hash that proves the submission is for that plan. */
export interface Preview {
  remediation: Remediation;
  plan: Plan;
  planHash: string;
}

export type RemediationResult =
  | { ok: true; state: ActionState; actionId: string; already?: boolean }
  | { ok: false; kind: 'refused' | 'invalid' | 'busy' | 'stale'; reason: string };

export interface RemediationServiceDeps {
  store: Store;
  access: AccessControl;
  audit: Auditor;
  executor: AwsCalls;
  notices: RemediationNotices;
  logger: Logger;
  /** Configured extras some remediations take (the runbook's S3 backup bucket and role). */
  extraInputs?: RemediationInputs;
  clock?: () => number;
}

/** Proves a confirmation is for the plan previewed: the same calls give the same hash. */
export const planHashOf = (calls: readonly AwsCall[]) => shortHash(JSON.stringify(calls), 32);

/** The request id of a remediation of a target, before its attempt number (a new request once an earlier one ended). */
export const remediationRequestBase = (r: Remediation, inputs: RemediationInputs) => hashedId('rem', JSON.stringify(r.idempotencyKey(inputs)), 24);

/** Requests that ended without a lasting effect: the same remediation may be asked again. */
const ENDED: ActionState[] = ['undone', 'failed', 'rejected'];

/**
 * Remediations from Slack: preview the exact calls, confirm, (for destructive ones)
 * a second person approves, execute against AWS, report, and undo. Every step is a
 * compare-and-set on the request's record, so clicks and retries never run it twice.
 */
export class RemediationService {
  private readonly clock: () => number;

  constructor(private readonly d: RemediationServiceDeps) {
    this.clock = d.clock ?? Date.now;
  }

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  private withExtras(r: Remediation, inputs: RemediationInputs): RemediationInputs {
    if (r.id !== 'contain-instance-runbook') return inputs;
    return { ...inputs, ...this.d.extraInputs };
  }

  /** Who may even ask: refusals are audited here, before anything is shown. */
  async authorize(userId: string, target: RemediationTarget): Promise<{ allowed: true } | { allowed: false; reason: string }> {
    const r = remediationById(target.remediationId);
    const decision = r ? await this.d.access.check(userId, r.role) : ({ allowed: false, reason: `unknown remediation ${target.remediationId}` } as const);
    if (!decision.allowed) {
      await this.d.audit.record({
        actor: userId,
        action: `remediation:${target.remediationId}`,
        target: this.targetOf(target),
        inputs: target.inputs,
        outcome: 'refused',
        result: { reason: decision.reason },
        channel: target.channel,
        ts: target.threadTs,
      });
    }
    return decision;
  }

  private targetOf(t: RemediationTarget): string {
    return t.inputs.accessKeyId ?? t.inputs.instanceId ?? t.inputs.bucket ?? t.inputs.policyArn ?? t.inputs.roleName ?? t.findingId ?? '?';
  }

  async preview(target: RemediationTarget): Promise<Preview | { error: string }> {
    const r = remediationById(target.remediationId);
    if (!r) return { error: `unknown remediation ${target.remediationId}` };
    const problem = checkInputs(r, target.inputs);
    if (problem) return { error: problem };
    const inputs = this.withExtras(r, target.inputs);
    const answers = await this.d.executor.read(r.reads(inputs));
    const plan = r.plan(inputs, answers);
    if ('error' in plan) return { error: plan.error };
    return { remediation: r, plan, planHash: planHashOf(plan.calls) };
  }

  private async actionIdFor(r: Remediation, inputs: RemediationInputs): Promise<{ id: string; active: ActionRecord | null }> {
    const base = remediationRequestBase(r, inputs);
    const earlier = await this.d.store.actions.listActions({ kind: `remediation:${r.id}` });
    const same = earlier.filter((a) => a.id.startsWith(`${base}-`));
    const active = same.find((a) => !ENDED.includes(a.state)) ?? null;
    return { id: `${base}-${same.length + 1}`, active };
  }

  /** The confirmed request: runs now, or waits for an approver when the remediation needs one. */
  async request(target: RemediationTarget, userId: string, planHash: string, note: string): Promise<RemediationResult> {
    const preview = await this.preview(target);
    if ('error' in preview) return { ok: false, kind: 'invalid', reason: preview.error };
    if (preview.planHash !== planHash) {
      // Not what the person confirmed: refused like any other mismatch, and recorded.
      const reason = 'what this remediation would do has changed since the preview; open it again to see the new plan';
      await this.d.audit.record({
        actor: userId,
        action: `remediation:${preview.remediation.id}`,
        target: this.targetOf(target),
        inputs: { ...target.inputs, planHash, current: preview.planHash },
        outcome: 'refused',
        result: { reason },
        channel: target.channel,
        ts: target.threadTs,
      });
      return { ok: false, kind: 'stale', reason };
    }
    const r = preview.remediation;
    const allowed = await this.authorize(userId, target);
    if (!allowed.allowed) return { ok: false, kind: 'refused', reason: allowed.reason };
    const { id, active } = await this.actionIdFor(r, target.inputs);
    if (active) return { ok: true, state: active.state, actionId: active.id, already: true };
    const input: RemediationRequest = { ...target, plan: preview.plan, note };
    const state: ActionState = r.secondApprover ? 'awaiting_approval' : 'running';
    const inserted = await this.d.store.actions.insertAction({
      id,
      kind: `remediation:${r.id}`,
      findingId: target.findingId,
      channel: target.channel,
      threadTs: target.threadTs,
      requestedBy: userId,
      approvedBy: null,
      state,
      input,
      result: null,
      messageTs: null,
      createdAt: this.now(),
      updatedAt: this.now(),
    });
    // Two confirmations at once: the other one made the request.
    if (!inserted) return { ok: true, state: 'running', actionId: id, already: true };
    await this.d.audit.record({
      actor: userId,
      action: `remediation:${r.id}`,
      target: this.targetOf(target),
      inputs: { ...target.inputs, note, calls: preview.plan.calls },
      outcome: 'requested',
      channel: target.channel,
      ts: target.threadTs,
    });
    if (r.secondApprover) {
      if (target.channel && target.threadTs) {
        const posted = await this.d.notices
          .remediationAwaitingApproval({
            thread: { channel: target.channel, threadTs: target.threadTs },
            actionId: id,
            remediation: r,
            requestedBy: userId,
            plan: input.plan,
            note: input.note,
          })
          .catch(() => null);
        if (posted) await this.d.store.actions.transitionAction(id, ['awaiting_approval'], { messageTs: posted.ts });
      }
      return { ok: true, state: 'awaiting_approval', actionId: id };
    }
    const done = await this.execute(id);
    return { ok: true, state: done?.state ?? 'running', actionId: id };
  }

  /**
   * A decision on a waiting request: whoever decides must be allowed to (`allowed`),
   * and only the first decision counts. Refusals are audited like decisions.
   */
  private async decide(
    actionId: string,
    userId: string,
    allowed: (action: ActionRecord) => Promise<{ allowed: true } | { allowed: false; reason: string }>,
    verdict: 'approved' | 'rejected',
  ): Promise<RemediationResult> {
    const action = await this.remediationAction(actionId);
    if (!action) return { ok: false, kind: 'invalid', reason: 'no such remediation request' };
    const { input } = action;
    const auditBase = {
      actor: userId,
      action: action.kind,
      target: this.targetOf(input),
      inputs: { actionId },
      channel: action.channel,
      ts: action.messageTs ?? action.threadTs,
    };
    const decision = await allowed(action);
    if (!decision.allowed) {
      await this.d.audit.record({ ...auditBase, outcome: 'refused', result: { reason: decision.reason } });
      return { ok: false, kind: 'refused', reason: decision.reason };
    }
    const next = verdict === 'approved' ? ('running' as const) : ('rejected' as const);
    const decided = await this.d.store.actions.transitionAction(actionId, ['awaiting_approval'], { state: next, approvedBy: userId, updatedAt: this.now() });
    if (!decided) return { ok: true, state: action.state, actionId, already: true };
    await this.d.audit.record({ ...auditBase, outcome: verdict });
    if (verdict === 'rejected') {
      if (isRemediationAction(decided)) await this.show(decided, 'remediationRejected');
      return { ok: true, state: 'rejected', actionId };
    }
    const done = await this.execute(actionId);
    return { ok: true, state: done?.state ?? 'running', actionId };
  }

  approve(actionId: string, approverId: string): Promise<RemediationResult> {
    return this.decide(actionId, approverId, (a) => this.d.access.checkApproval(approverId, a.requestedBy), 'approved');
  }

  /** The requester may withdraw their own request; anyone else needs to be an approver. */
  reject(actionId: string, userId: string): Promise<RemediationResult> {
    return this.decide(actionId, userId, async (a) => (userId === a.requestedBy ? { allowed: true } : this.d.access.check(userId, 'approver')), 'rejected');
  }

  private async execute(actionId: string): Promise<ActionRecord | null> {
    const action = await this.remediationAction(actionId);
    if (action?.state !== 'running') return action;
    const { input } = action;
    const run = await this.d.executor.run(input.plan.calls);
    const done = await this.d.store.actions.transitionAction(actionId, ['running'], {
      state: run.status,
      result: run satisfies RemediationRun,
      updatedAt: this.now(),
    });
    await this.d.audit.record({
      actor: action.approvedBy ?? action.requestedBy,
      action: action.kind,
      target: this.targetOf(input),
      inputs: { actionId, requestedBy: action.requestedBy, approvedBy: action.approvedBy },
      outcome: run.status === 'failed' ? 'failed' : 'executed',
      result: { status: run.status, outcomes: run.outcomes },
      channel: action.channel,
      ts: action.messageTs ?? action.threadTs,
    });
    if (done && isRemediationAction(done)) await this.show(done, 'remediationExecuted');
    return done;
  }

  /** Puts things back as they were before the remediation, with the calls its plan recorded. */
  async undo(actionId: string, userId: string): Promise<RemediationResult> {
    const action = await this.remediationAction(actionId);
    if (!action) return { ok: false, kind: 'invalid', reason: 'no such remediation request' };
    const { input } = action;
    const r = remediationById(input.remediationId);
    const auditBase = {
      actor: userId,
      action: `undo:${input.remediationId}`,
      target: this.targetOf(input),
      inputs: { actionId, calls: input.plan.undo },
      channel: action.channel,
      ts: action.messageTs ?? action.threadTs,
    };
    const decision = await this.d.access.check(userId, r?.undoRole ?? r?.role ?? 'responder');
    if (!decision.allowed) {
      await this.d.audit.record({ ...auditBase, outcome: 'refused', result: { reason: decision.reason } });
      return { ok: false, kind: 'refused', reason: decision.reason };
    }
    if (!input.plan.undo) return { ok: false, kind: 'invalid', reason: 'this remediation cannot be undone' };
    const claimed = await this.d.store.actions.transitionAction(actionId, ['succeeded', 'partial'], { state: 'undoing', updatedAt: this.now() });
    if (!claimed) return { ok: true, state: action.state, actionId, already: true };
    await this.d.audit.record({ ...auditBase, outcome: 'requested' });
    const run = await this.d.executor.run(input.plan.undo);
    const previous = action.result ?? {};
    const done = await this.d.store.actions.transitionAction(actionId, ['undoing'], {
      state: run.status === 'succeeded' ? 'undone' : 'undo_failed',
      result: { ...previous, undo: run, undoneBy: userId },
      updatedAt: this.now(),
    });
    await this.d.audit.record({ ...auditBase, outcome: run.status === 'succeeded' ? 'executed' : 'failed', result: run });
    if (done && isRemediationAction(done)) await this.show(done, 'remediationUndone');
    return { ok: true, state: done?.state ?? 'undoing', actionId };
  }

  /** The request's message in the thread shows where it stands: edited in place when there is one, posted (and kept) when not. */
  /** The remediation request with this id, or null when there is none (or the id is another kind of action's). */
  private async remediationAction(actionId: string): Promise<RemediationAction | null> {
    const action = await this.d.store.actions.getAction(actionId);
    return action && isRemediationAction(action) ? action : null;
  }

  private async show(action: RemediationAction, event: 'remediationRejected' | 'remediationExecuted' | 'remediationUndone'): Promise<void> {
    if (!action.channel || !action.threadTs) return;
    const { input, result } = action;
    const remediation = remediationById(input.remediationId);
    if (!remediation) return;
    try {
      const shown = await this.d.notices[event]({
        thread: { channel: action.channel, threadTs: action.threadTs },
        message: action.messageTs ? { channel: action.channel, ts: action.messageTs } : null,
        actionId: action.id,
        remediation,
        state: action.state,
        requestedBy: action.requestedBy,
        decidedBy: action.approvedBy,
        plan: input.plan,
        note: input.note,
        outcomes: result?.outcomes ?? [],
        undoOutcomes: result?.undo?.outcomes ?? [],
        undoneBy: result?.undoneBy ?? null,
      });
      if (!action.messageTs) await this.d.store.actions.transitionAction(action.id, [action.state], { messageTs: shown.ts });
    } catch (err) {
      this.d.logger.warn({ err, action: action.id }, 'could not show the remediation in its thread');
    }
  }
}
