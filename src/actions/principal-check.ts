import { type Principal, type PrincipalAnswer, principalAnswerEntry, principalToAsk, seenActivity } from '../domain/actions/principal-check.ts';
import type { TimelineEntry } from '../domain/investigation/timeline.ts';
import { hashedId } from '../lib/hashed-id.ts';
import type { PrincipalCheckAction } from '../ports/action-store.ts';
import type { Logger } from '../ports/logger.ts';
import type { PrincipalNotices } from '../ports/notices/actions.ts';
import type { PrincipalPeople } from '../ports/people.ts';
import type { Store } from '../ports/store.ts';
import type { Auditor } from './audit.ts';
import { deliveredFinding } from './finding-snapshot.ts';

export interface PrincipalCheckDeps {
  store: Store;
  people: PrincipalPeople;
  audit: Auditor;
  notices: PrincipalNotices;
  /**
   * Hurries the finding's escalation ("No", or no answer in time): the on-call mention,
   * then the CIRT step, as its rule says. False when no rule escalates the finding.
   */
  escalate: (findingId: string) => Promise<boolean>;
  /** How long the person has to answer. */
  waitSeconds: number;
  logger: Logger;
  clock?: () => number;
}

export type AnswerResult = { ok: true; already: boolean } | { ok: false; kind: 'refused' | 'invalid'; reason: string };

/** What the audit log names when sirbot acts on its own. */
const SIRBOT = 'sirbot';

/**
 * "Was this you?": for a finding about a person's credentials, the person behind the IAM
 * principal (PrincipalPeople) is asked in a direct message what was seen, once per
 * finding. Their answer goes to the finding's thread and the audit log; "No", or no
 * answer within the wait, hurries the finding's escalation. The record of the question is
 * an action (kind `principal-check`), moved by compare-and-set: answering twice, a late
 * answer after the timeout, or two processes ticking take effect once.
 */
export class PrincipalCheck {
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: PrincipalCheckDeps) {
    this.clock = d.clock ?? Date.now;
  }

  private at(offsetSeconds = 0): string {
    return new Date(this.clock() + offsetSeconds * 1000).toISOString();
  }

  static checkId(findingId: string): string {
    return hashedId('principal-check', findingId, 32);
  }

  /** Asks the person behind the finding's principal, if the finding is about one and they are found; false otherwise. */
  async ask(findingId: string): Promise<boolean> {
    const delivered = await deliveredFinding(this.d.store, findingId);
    if (!delivered?.record.channel || !delivered.record.ts) return false;
    const principal = principalToAsk(delivered.finding);
    if (!principal) return false;
    const id = PrincipalCheck.checkId(findingId);
    // Asked already (a redelivered root, a retried follow-up): nothing to look up again.
    if (await this.d.store.actions.getAction(id)) return false;
    const person = await this.d.people.personFor(principal).catch((err: unknown) => {
      this.d.logger.warn({ err, findingId }, 'could not look for the person behind the principal');
      return null;
    });
    if (!person) {
      this.d.logger.info({ findingId, principal }, 'nobody found behind the principal: not asked');
      return false;
    }
    const thread = { channel: delivered.record.channel, threadTs: delivered.record.ts };
    const activity = seenActivity(delivered.finding);
    const record: PrincipalCheckAction = {
      id,
      kind: 'principal-check',
      findingId,
      channel: thread.channel,
      threadTs: thread.threadTs,
      requestedBy: SIRBOT,
      approvedBy: null,
      state: 'awaiting_approval',
      input: { principal, slackUserId: person.slackUserId, via: person.via, activity, dueAt: this.at(this.d.waitSeconds), dm: null },
      result: null,
      messageTs: null,
      createdAt: this.at(),
      updatedAt: this.at(),
    };
    // Once per finding: a redelivery or a second process finds it asked.
    if (!(await this.d.store.actions.insertAction(record))) return false;
    const dm = await this.d.notices.principalAsked({
      checkId: id,
      user: person.slackUserId,
      finding: { title: delivered.finding.title, account: delivered.finding.accountId },
      principal,
      activity,
      thread,
      waitSeconds: this.d.waitSeconds,
    });
    await this.d.store.actions.transitionAction(id, ['awaiting_approval'], { input: { ...record.input, dm }, updatedAt: this.at() });
    await this.d.audit.record({
      actor: SIRBOT,
      action: 'principal.ask',
      target: findingId,
      inputs: { principal: describe(principal), asked: person.slackUserId, via: person.via },
      outcome: 'executed',
      channel: thread.channel,
      ts: thread.threadTs,
    });
    return true;
  }

  /** The asked person's answer; anyone else's click is refused. */
  async answer(checkId: string, userId: string, answer: PrincipalAnswer): Promise<AnswerResult> {
    const check = await this.d.store.actions.getAction(checkId);
    if (check?.kind !== 'principal-check' || !check.findingId) return { ok: false, kind: 'invalid', reason: 'this question is no longer known' };
    const findingId = check.findingId;
    const where = { channel: check.channel, ts: check.threadTs };
    if (userId !== check.input.slackUserId) {
      const reason = 'only the person asked can answer';
      await this.d.audit.record({
        actor: userId,
        action: 'principal.answer',
        target: findingId,
        inputs: { answer },
        outcome: 'refused',
        result: { reason },
        ...where,
      });
      return { ok: false, kind: 'refused', reason };
    }
    const answered = await this.d.store.actions.transitionAction(checkId, ['awaiting_approval'], {
      state: 'succeeded',
      result: { answer, by: userId, at: this.at() },
      updatedAt: this.at(),
    });
    if (!answered) return { ok: true, already: true };
    await this.d.audit.record({ actor: userId, action: 'principal.answer', target: findingId, inputs: { answer }, outcome: 'executed', ...where });
    const escalated = answer === 'no' ? await this.d.escalate(findingId) : false;
    await this.tell(check, { answer, by: userId, escalated });
    return { ok: true, already: false };
  }

  /** Questions nobody answered in time: each is closed once and its finding's escalation hurried. */
  async tick(): Promise<number> {
    let closed = 0;
    const now = this.at();
    for (const a of await this.d.store.actions.listActions({ kind: 'principal-check', state: 'awaiting_approval' })) {
      if (a.kind !== 'principal-check' || !a.findingId || a.input.dueAt > now) continue;
      const findingId = a.findingId;
      const timedOut = await this.d.store.actions.transitionAction(a.id, ['awaiting_approval'], {
        state: 'failed',
        result: { timedOut: true, at: now },
        updatedAt: now,
      });
      if (!timedOut) continue;
      closed++;
      await this.d.audit.record({
        actor: SIRBOT,
        action: 'principal.silent',
        target: findingId,
        inputs: { asked: a.input.slackUserId },
        outcome: 'executed',
        channel: a.channel,
        ts: a.threadTs,
      });
      const escalated = await this.d.escalate(findingId).catch((err: unknown) => {
        this.d.logger.error({ err, findingId }, 'could not hurry the escalation');
        return false;
      });
      await this.tell(a, { answer: null, by: a.input.slackUserId, escalated });
    }
    return closed;
  }

  /** What the person said about the finding (or that they said nothing), as the investigation's timeline has it; none while they may still answer. */
  async said(findingId: string): Promise<TimelineEntry[]> {
    const check = await this.d.store.actions.getAction(PrincipalCheck.checkId(findingId));
    if (check?.kind !== 'principal-check' || !check.result) return [];
    const r = check.result;
    return [
      principalAnswerEntry({
        checkId: check.id,
        principal: check.input.principal,
        person: check.input.slackUserId,
        answer: 'answer' in r ? r.answer : null,
        at: r.at,
      }),
    ];
  }

  /** The local runtime's clock for unanswered questions (Lambda: the worker's schedule calls tick). */
  start(everyMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.tick().catch((err: unknown) => this.d.logger.error({ err }, 'principal question tick failed')), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The thread hears the answer (or the silence); the question in the DM shows it was taken. Never fails the caller. */
  private async tell(check: PrincipalCheckAction, e: { answer: PrincipalAnswer | null; by: string; escalated: boolean }): Promise<void> {
    if (check.channel && check.threadTs) {
      await this.d.notices
        .principalAnswered({
          thread: { channel: check.channel, threadTs: check.threadTs },
          principal: check.input.principal,
          user: e.by,
          answer: e.answer,
          escalated: e.escalated,
        })
        .catch((err: unknown) => this.d.logger.warn({ err, findingId: check.findingId }, 'could not tell the thread the answer'));
    }
    if (check.input.dm) {
      await this.d.notices
        .principalQuestionClosed({ dm: check.input.dm, answer: e.answer })
        .catch((err: unknown) => this.d.logger.warn({ err, findingId: check.findingId }, 'could not close the question in the DM'));
    }
  }
}

const describe = (p: Principal) => (p.kind === 'root' ? `root of ${p.account}` : `${p.kind === 'iamUser' ? 'IAM user' : 'session'} ${p.name} in ${p.account}`);
