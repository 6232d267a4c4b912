import { furthest, PAGER_LABELS, pageCallFor, type PageCall, type PagerName, type PageProgress } from '../domain/actions/paging.ts';
import { closedAs } from '../domain/finding.ts';
import type { AckPolicy } from '../domain/routing/rules.ts';
import type { Logger } from '../ports/logger.ts';
import { PagerError, type Pagers } from '../ports/pager.ts';
import { deliveredFinding } from './finding-snapshot.ts';
import { OfferBook } from './offers.ts';
import type { EscalationNotices, EscalationThread, ProposalOutcome } from '../ports/notices/actions.ts';
import type { EscalationRecord, EscalationStage, PageState } from '../ports/action-store.ts';
import type { Store } from '../ports/store.ts';
import type { AccessControl } from './access.ts';
import type { Auditor } from './audit.ts';
import type { CaseResult } from './cases.ts';

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
  /** PagerDuty and Opsgenie, as configured; a rule's page to one that is not is audited as failed. */
  pagers?: Pagers;
  /** A link to the finding's thread, sent with a page. */
  permalink?: (channel: string, ts: string) => Promise<string | null>;
}

/** An acknowledgement (or resolution) made in PagerDuty or Opsgenie, as its verified webhook says. */
export interface PagerAck {
  pager: PagerName;
  /** The page's key (dedup key, alias) the webhook names. */
  key: string;
  /** Who did it there, as that service names them (display text, never a Slack id). */
  by: string;
  how: 'acknowledged' | 'resolved';
  /** The incident or alert id there, for the audit log. */
  incident: string;
}

export type PagerAckResult = { ok: true; findingId: string; already: boolean } | { ok: false; kind: 'unknown'; reason: string };

const ALL_STAGES: EscalationStage[] = ['waiting', 'mentioned', 'proposed', 'opened', 'acknowledged', 'closed'];
/** Stages with no step left to take: only a page's follow-up may still be due. */
const SETTLED: ReadonlySet<EscalationStage> = new Set(['acknowledged', 'proposed', 'opened', 'closed']);
const PAGE_AUDIT: Record<PageCall, string> = { trigger: 'page.trigger', acknowledge: 'page.acknowledge', resolve: 'page.resolve' };

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
      page: policy.page ? { ...policy.page, key: OfferBook.idOf(findingId, 'page'), want: 'none', sent: 'none' } : null,
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
    await this.pageFollowUp(findingId, 'acknowledged');
    return { ok: true, already: false };
  }

  /**
   * Someone acknowledged (or resolved) the finding's page in PagerDuty or Opsgenie: the
   * escalation stops as if acknowledged in Slack, and the thread says where and by whom.
   * The webhook was verified by its caller; what it may act on is only the finding its key
   * was issued for (the key is a stored `page` offer). A replay changes nothing.
   */
  async acknowledgedInPager(ack: PagerAck): Promise<PagerAckResult> {
    const offer = await this.d.store.actions.getOffer(ack.key);
    if (offer?.kind !== 'page') return { ok: false, kind: 'unknown', reason: 'no finding was paged under this key' };
    const findingId = offer.findingId;
    const actor = `${ack.pager}:${ack.by}`;
    const current = await this.d.store.actions.getEscalation(findingId);
    if (!current) return { ok: false, kind: 'unknown', reason: 'the finding has no escalation' };
    // What the service now knows needs no call back to it.
    const page = current.page ? { ...current.page, want: furthest(current.page.want, ack.how), sent: furthest(current.page.sent, ack.how) } : null;
    const taken = await this.d.store.actions.transitionEscalation(findingId, ['waiting', 'mentioned', 'proposed', 'opened'], {
      stage: 'acknowledged',
      nextAt: null,
      ackedBy: actor,
      ackedAt: this.at(),
      page,
      updatedAt: this.at(),
    });
    if (!taken) {
      if (page) await this.d.store.actions.transitionEscalation(findingId, ['acknowledged'], { page, updatedAt: this.at() });
      return { ok: true, findingId, already: true };
    }
    await this.d.audit.record({
      actor,
      action: 'acknowledge',
      target: findingId,
      inputs: { via: ack.pager, incident: ack.incident, how: ack.how },
      outcome: 'executed',
      result: { previousStage: current.stage },
      channel: taken.channel,
      ts: taken.threadTs,
    });
    if (current.stage === 'proposed') await this.settleProposal(current, { acknowledgedBy: actor });
    await this.d.refreshRoot(findingId).catch(() => undefined);
    await this.d.notices
      .escalationAcknowledged({ escalation: threadOf(taken), by: actor, elsewhere: { service: PAGER_LABELS[ack.pager], name: ack.by, how: ack.how } })
      .catch((err: unknown) => this.d.logger.warn({ err, findingId }, 'could not show the acknowledgement in the thread'));
    return { ok: true, findingId, already: false };
  }

  /**
   * The finding was resolved, suppressed or archived — from Slack (`by` a user id) or at
   * its source (`by` null, a newer version said so): nobody is chased about it any more.
   * An escalation still running stops where it is (a CIRT proposal out loses its buttons),
   * and its page, if one went out, is resolved. Repeats change nothing.
   */
  async findingClosed(findingId: string, closedAs: string, by: string | null): Promise<void> {
    const current = await this.d.store.actions.getEscalation(findingId);
    if (!current) return;
    const stopped = await this.d.store.actions.transitionEscalation(findingId, ['waiting', 'mentioned', 'proposed'], {
      stage: 'closed',
      nextAt: null,
      updatedAt: this.at(),
    });
    if (stopped) {
      await this.d.audit.record({
        actor: by ?? BOT,
        action: 'escalation.stop',
        target: findingId,
        inputs: { closedAs },
        outcome: 'executed',
        result: { previousStage: current.stage, closedAtSource: by === null },
        channel: current.channel,
        ts: current.threadTs,
      });
      if (current.stage === 'proposed') await this.settleProposal(current, { closedAs, closedBy: by });
      await this.d.refreshRoot(findingId).catch(() => undefined);
    }
    await this.pageFollowUp(findingId, 'resolved');
  }

  /**
   * Moves the page on to `want` now; a failure is audited and retried by the tick in a
   * minute (a page's follow-up is never dropped), or with the next step while one is due.
   */
  private async pageFollowUp(findingId: string, want: PageProgress, attempts = 3): Promise<void> {
    const e = await this.d.store.actions.getEscalation(findingId);
    if (!e?.page || attempts === 0) return;
    const page: PageState = { ...e.page, want: furthest(e.page.want, want) };
    const moved = await this.d.store.actions.transitionEscalation(findingId, [e.stage], { page, updatedAt: this.at() });
    // The stage moved meanwhile (a step, an acknowledgement): read it again.
    if (!moved) return this.pageFollowUp(findingId, want, attempts - 1);
    try {
      await this.syncPage(moved);
    } catch (err) {
      this.d.logger.warn({ err, findingId }, 'could not update the page; retried in a minute');
      if (moved.nextAt === null) await this.d.store.actions.transitionEscalation(findingId, [moved.stage], { nextAt: this.at(60), updatedAt: this.at() });
    }
  }

  /**
   * Makes the call that brings the paging service to what the escalation wants, once:
   * `sent` is written after the service accepted it, and the key makes a repeated call
   * (a crash in between) change nothing there. Throws a transient failure so the caller
   * retries; a permanent one (no such pager configured, a refused request) is audited and
   * given up, since retrying cannot help.
   */
  private async syncPage(e: EscalationRecord): Promise<void> {
    const page = e.page;
    if (!page) return;
    const call = pageCallFor(page.sent, page.want);
    if (call === null) return;
    const audit = (outcome: 'executed' | 'failed', result: unknown) =>
      this.d.audit.record({
        actor: BOT,
        action: PAGE_AUDIT[call],
        target: e.findingId,
        inputs: { pager: page.pager, key: page.key },
        outcome,
        result,
        channel: e.channel,
        ts: e.threadTs,
      });
    const pager = this.d.pagers?.[page.pager];
    const giveUp = async (reason: string) => {
      await audit('failed', { reason, retried: false });
      // Nothing more is asked of the service: a trigger given up leaves no incident to follow up.
      const settled: PageState = call === 'trigger' ? { ...page, want: 'none', sent: 'none' } : { ...page, sent: page.want };
      await this.d.store.actions.transitionEscalation(e.findingId, ALL_STAGES, { page: settled, updatedAt: this.at() });
    };
    if (!pager) return giveUp(`${PAGER_LABELS[page.pager]} is not configured in this runtime (README "Paging on-call")`);
    try {
      if (call === 'trigger') {
        const delivered = await deliveredFinding(this.d.store, e.findingId);
        if (!delivered) return giveUp('the finding is no longer known');
        // The key is a stored offer: an acknowledgement coming back names it, and only this finding.
        await this.d.offers.offer(e.findingId, 'page');
        const threadLink = (await this.d.permalink?.(e.channel, e.threadTs).catch(() => null)) ?? null;
        await pager.trigger({ key: page.key, finding: delivered.finding, threadLink });
      } else if (call === 'acknowledge') await pager.acknowledge(page.key);
      else await pager.resolve(page.key);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (err instanceof PagerError && !err.transient) return giveUp(reason);
      await audit('failed', { reason, retried: true });
      throw err;
    }
    const now = await this.d.store.actions.getEscalation(e.findingId);
    const sent = furthest(now?.page?.sent ?? page.sent, call === 'trigger' ? 'triggered' : call === 'acknowledge' ? 'acknowledged' : 'resolved');
    await this.d.store.actions.transitionEscalation(e.findingId, ALL_STAGES, { page: { ...(now?.page ?? page), sent }, updatedAt: this.at() });
    await audit('executed', { pager: page.pager });
    // Acknowledged or resolved while this call was out: catch up now.
    if (now?.page && pageCallFor(sent, now.page.want) !== null) await this.syncPage({ ...now, page: { ...now.page, sent } });
  }

  /** Wants the page triggered when this step is the one its rule pages at, then sends it. */
  private async pageAtStep(e: EscalationRecord, step: 'mention' | 'cirt'): Promise<void> {
    if (e.page?.at !== step) return;
    const now = await this.d.store.actions.getEscalation(e.findingId);
    // Acknowledged meanwhile (the instant between the step and the page): nobody is paged.
    if (!now?.page || now.stage === 'acknowledged') return;
    const page = { ...now.page, want: furthest(now.page.want, 'triggered') };
    const moved = await this.d.store.actions.transitionEscalation(e.findingId, [now.stage], { page, updatedAt: this.at() });
    // Changed by someone else since it was read (an acknowledgement): their state decides, at the next step or sync.
    if (!moved) return;
    await this.syncPage(moved);
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
      if (SETTLED.has(e.stage)) {
        // Only the page's follow-up was due: try it again in a minute.
        await this.d.store.actions.transitionEscalation(e.findingId, [e.stage], { nextAt: this.at(60), updatedAt: this.at() });
        throw err;
      }
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
    // A page follow-up that failed earlier goes first (it is all that is due once the steps are over).
    if (e.page && pageCallFor(e.page.sent, e.page.want) !== null) await this.syncPage(e);
    if (SETTLED.has(e.stage)) {
      await this.d.store.actions.transitionEscalation(e.findingId, [e.stage], { nextAt: null, updatedAt: this.at() });
      return false;
    }
    // Closed meanwhile (from Slack or at its source, and the stop was lost to a crash): stop now instead of chasing anyone.
    const record = await this.d.store.getFinding(e.findingId);
    const closed = record ? closedAs(record) : null;
    if (closed && (e.stage === 'waiting' || e.stage === 'mentioned')) {
      await this.findingClosed(e.findingId, closed, null);
      return false;
    }
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
      await this.pageAtStep(e, 'mention');
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
      await this.pageAtStep(e, 'cirt');
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
