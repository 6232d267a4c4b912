import type { AckPolicy } from '../domain/routing/rules.ts';
import type { Logger } from '../ports/logger.ts';
import type { EscalationNotices, EscalationThread, ProposalOutcome } from '../ports/notices/actions.ts';
import type { EscalationRecord } from '../ports/action-store.ts';
import type { Store } from '../ports/store.ts';
import type { AccessControl } from './access.ts';
import type { Auditor } from './audit.ts';
import type { CaseResult } from './cases.ts';
import type { OfferBook } from './offers.ts';

export interface EscalationServiceDeps {
  store: Store;
  access: AccessControl;
  audit: Auditor;
  notices: EscalationNotices;
  /** The proposal's buttons are offers, stored before it is posted. */
  offers: OfferBook;
  refreshRoot: (findingId: string) => Promise<void>;
  /** Opens the finding's case with the AWS CIRT engaged, when a rule says so. */
  openCirtCase: (findingId: string) => Promise<CaseResult>;
  logger: Logger;
  clock?: () => number;
}

export type AckResult = { ok: true; already: boolean } | { ok: false; kind: 'refused' | 'invalid'; reason: string };

const BOT = 'sirbot';

/** The escalation as its notices name it, speaking in `here` (its thread now) when given. */
function threadOf(e: EscalationRecord, here: { channel: string; threadTs: string } = e): EscalationThread {
  return { findingId: e.findingId, channel: here.channel, threadTs: here.threadTs, since: e.createdAt, notify: e.notify };
}

/**
 * On-call escalation for findings a rule wants acknowledged in time. Timers are rows
 * in the store, advanced by `tick()` with compare-and-set, so a restart (or a second
 * process) neither loses nor repeats a step.
 */
export class EscalationService {
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<number> | null = null;

  constructor(private readonly d: EscalationServiceDeps) {
    this.clock = d.clock ?? Date.now;
  }

  private at(offsetSeconds = 0): string {
    return new Date(this.clock() + offsetSeconds * 1000).toISOString();
  }

  /** Starts the clock for a finding whose root was just posted; once per finding. */
  async arm(findingId: string, channel: string, threadTs: string, policy: AckPolicy): Promise<boolean> {
    const armed = await this.d.store.actions.insertEscalation({
      findingId,
      channel,
      threadTs,
      stage: 'waiting',
      nextAt: this.at(policy.withinSeconds),
      notify: policy.notify,
      cirtAfterSeconds: policy.cirtAfterSeconds,
      autoOpenCase: policy.autoOpenCase,
      ackedBy: null,
      ackedAt: null,
      createdAt: this.at(),
      updatedAt: this.at(),
    });
    if (armed) await this.d.refreshRoot(findingId).catch(() => undefined);
    return armed;
  }

  async acknowledge(findingId: string, userId: string): Promise<AckResult> {
    const current = await this.d.store.actions.getEscalation(findingId);
    const auditBase = { actor: userId, action: 'acknowledge', target: findingId, inputs: {}, channel: current?.channel ?? null, ts: current?.threadTs ?? null };
    const allowed = await this.d.access.check(userId, 'responder');
    if (!allowed.allowed) {
      await this.d.audit.record({ ...auditBase, outcome: 'refused', result: { reason: allowed.reason } });
      return { ok: false, kind: 'refused', reason: allowed.reason };
    }
    if (!current) return { ok: false, kind: 'invalid', reason: 'this finding has no acknowledgement to take' };
    const taken = await this.d.store.actions.transitionEscalation(findingId, ['waiting', 'mentioned', 'proposed', 'opened'], {
      stage: 'acknowledged',
      nextAt: null,
      ackedBy: userId,
      ackedAt: this.at(),
      updatedAt: this.at(),
    });
    if (!taken) return { ok: true, already: true };
    await this.d.audit.record({ ...auditBase, outcome: 'executed', result: { previousStage: current.stage } });
    if (current.stage === 'proposed') await this.settleProposal(current, { acknowledgedBy: userId });
    await this.d.refreshRoot(findingId).catch(() => undefined);
    await this.d.notices.escalationAcknowledged({ escalation: threadOf(taken), by: userId }).catch(() => undefined);
    return { ok: true, already: false };
  }

  /**
   * The root redrawn with the step's stage, and the thread to speak in after it: a root
   * Slack no longer has is posted afresh by the redraw, which moves this escalation to it.
   */
  private async redrawnRoot(e: EscalationRecord): Promise<{ channel: string; threadTs: string }> {
    await this.d.refreshRoot(e.findingId).catch((err: unknown) => this.d.logger.warn({ err, findingId: e.findingId }, 'could not redraw the root message'));
    const now = await this.d.store.actions.getEscalation(e.findingId);
    return { channel: now?.channel ?? e.channel, threadTs: now?.threadTs ?? e.threadTs };
  }

  /** The finding's root was posted afresh (the old one is gone from Slack): later steps speak in the new thread. */
  async moveThread(findingId: string, channel: string, threadTs: string): Promise<void> {
    const e = await this.d.store.actions.getEscalation(findingId);
    if (!e || (e.channel === channel && e.threadTs === threadTs)) return;
    await this.d.store.actions.transitionEscalation(findingId, [e.stage], { channel, threadTs, updatedAt: this.at() });
  }

  /** A case was opened on the finding (from the proposal or otherwise): the proposal, if one is out, no longer applies. */
  async caseOpened(findingId: string, caseId: string, userId: string): Promise<void> {
    const taken = await this.d.store.actions.transitionEscalation(findingId, ['proposed'], { stage: 'opened', nextAt: null, updatedAt: this.at() });
    if (taken) await this.settleProposal(taken, { caseId, openedBy: userId });
  }

  /** Redraws the CIRT proposal without its buttons, saying what happened instead; a proposal Slack no longer has is left alone. */
  private async settleProposal(e: EscalationRecord, outcome: ProposalOutcome): Promise<void> {
    try {
      await this.d.notices.escalationProposalSettled({ escalation: threadOf(e), outcome });
    } catch (err) {
      this.d.logger.warn({ err, findingId: e.findingId }, 'could not take the buttons off the CIRT proposal');
    }
  }

  /** Takes every step that is due; returns how many were taken. */
  /**
   * Something says the finding is worse than it looked (the person behind the credentials
   * said it was not them, or said nothing): the next step (the mention, or after it the
   * CIRT step) is due now, and taken. True when the finding has an escalation still running.
   */
  async hurry(findingId: string): Promise<boolean> {
    const hurried = await this.d.store.actions.transitionEscalation(findingId, ['waiting', 'mentioned'], { nextAt: this.at(), updatedAt: this.at() });
    if (hurried) {
      await this.tick();
      return true;
    }
    const e = await this.d.store.actions.getEscalation(findingId);
    return !!e && e.nextAt !== null;
  }

  tick(): Promise<number> {
    // One tick at a time in this process; the store's compare-and-set guards against others.
    this.ticking ??= this.advance().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async advance(): Promise<number> {
    let steps = 0;
    for (const e of await this.d.store.actions.dueEscalations(this.at())) {
      try {
        if (await this.step(e)) steps++;
      } catch (err) {
        this.d.logger.error({ err, findingId: e.findingId }, 'escalation step failed');
      }
    }
    return steps;
  }

  /**
   * Takes one step: claims it by moving the stage (so no other tick takes it), then
   * tells the thread. If telling fails, the claim is given back and retried in a
   * minute: a step is never lost to a Slack outage.
   */
  private async step(e: EscalationRecord): Promise<boolean> {
    try {
      return await this.stepOnce(e);
    } catch (err) {
      const next = e.stage === 'waiting' ? 'mentioned' : e.autoOpenCase ? 'opened' : 'proposed';
      await this.d.store.actions.transitionEscalation(e.findingId, [next], { stage: e.stage, nextAt: this.at(60), updatedAt: this.at() });
      throw err;
    }
  }

  private async stepOnce(e: EscalationRecord): Promise<boolean> {
    const audit = (action: string, result: unknown) =>
      this.d.audit.record({
        actor: BOT,
        action,
        target: e.findingId,
        inputs: { notify: e.notify },
        outcome: 'executed',
        result,
        channel: e.channel,
        ts: e.threadTs,
      });
    if (e.stage === 'waiting') {
      const moved = await this.d.store.actions.transitionEscalation(e.findingId, ['waiting'], {
        stage: 'mentioned',
        nextAt: this.at(e.cirtAfterSeconds),
        updatedAt: this.at(),
      });
      if (!moved) return false;
      const here = await this.redrawnRoot(e);
      await this.d.notices.escalationMentioned({ escalation: threadOf(e, here), nextSeconds: e.cirtAfterSeconds, autoOpenCase: e.autoOpenCase });
      await audit('escalation.mention', { notified: e.notify });
      return true;
    }
    if (e.stage === 'mentioned') {
      const next = e.autoOpenCase ? 'opened' : 'proposed';
      const moved = await this.d.store.actions.transitionEscalation(e.findingId, ['mentioned'], { stage: next, nextAt: null, updatedAt: this.at() });
      if (!moved) return false;
      const here = await this.redrawnRoot(e);
      if (e.autoOpenCase) {
        const opened = await this.d.openCirtCase(e.findingId);
        await audit('escalation.case', opened);
        if (!opened.ok) await this.d.notices.escalationCaseNotOpened({ escalation: threadOf(e, here), reason: opened.reason });
      } else {
        const offered = { caseCirt: await this.d.offers.offer(e.findingId, 'case-cirt'), acknowledge: await this.d.offers.offer(e.findingId, 'acknowledge') };
        // Told once even when this step is retried after a lost answer, so it can be settled later.
        await this.d.notices.escalationCirtProposed({ escalation: threadOf(e, here), offers: offered });
        await audit('escalation.propose-cirt', { proposed: true });
      }
      return true;
    }
    return false;
  }

  /** Checks for due steps every `everyMs` until stopped. */
  start(everyMs = 15_000): void {
    this.stop();
    this.timer = setInterval(() => void this.tick().catch((err: unknown) => this.d.logger.error({ err }, 'escalation tick failed')), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
