import { SNOOZE_ENTITIES, SNOOZE_MAX_SECONDS, SNOOZE_REASON_MAX, SNOOZE_VALUE_MAX, type SnoozeCriteria, hasCriteria } from '../domain/actions/snooze.ts';
import { hashedId } from '../lib/hashed-id.ts';
import type { SnoozeRecord } from '../ports/action-store.ts';
import type { Logger } from '../ports/logger.ts';
import type { SnoozeNotices, SnoozePlace } from '../ports/notices/actions.ts';
import { NoticeFailed } from '../ports/notices/delivery.ts';
import type { Store } from '../ports/store.ts';
import type { AccessControl } from './access.ts';
import type { Auditor } from './audit.ts';

export interface SnoozeServiceDeps {
  store: Store;
  access: Pick<AccessControl, 'check'>;
  audit: Pick<Auditor, 'record'>;
  notices: SnoozeNotices;
  logger: Logger;
  clock?: () => number;
}

export interface SnoozeRequest {
  /** What makes a request one (the modal's view id, the command's trigger id): a double submit makes one snooze. */
  requestKey: string;
  userId: string;
  criteria: SnoozeCriteria;
  seconds: number;
  reason: string;
  /** The finding it was made from (Snooze similar); null from `/sir snooze`. */
  findingId: string | null;
  /** Where it is told, and its end announced. */
  place: SnoozePlace | null;
}

export type SnoozeResult = { ok: true; snooze: SnoozeRecord; already: boolean } | { ok: false; kind: 'refused' | 'invalid'; reason: string };

/** An active snooze, with how many findings it held back so far. */
export type ActiveSnooze = SnoozeRecord & { held: number };

const BOT = 'sirbot';
/** Announcing an expiry that keeps failing in a way that may pass is retried this many times in a process, then given up (logged). */
const MAX_ANNOUNCE_TRIES = 5;

/** Why a request cannot be a snooze; null when it can. */
function invalid(r: Pick<SnoozeRequest, 'criteria' | 'seconds' | 'reason'>): string | null {
  if (!hasCriteria(r.criteria)) return 'choose at least one of the resource, the principal, the type or the account';
  if (SNOOZE_ENTITIES.some((e) => (r.criteria[e]?.length ?? 0) > SNOOZE_VALUE_MAX)) return `an entity is longer than ${SNOOZE_VALUE_MAX} characters`;
  if (!Number.isInteger(r.seconds) || r.seconds < 60 || r.seconds > SNOOZE_MAX_SECONDS) return 'a snooze lasts from a minute to 30 days';
  if (!r.reason.trim()) return 'say why (the reason is shown to everyone)';
  if (r.reason.length > SNOOZE_REASON_MAX) return `the reason has ${r.reason.length} characters; at most ${SNOOZE_REASON_MAX} are allowed`;
  return null;
}

/**
 * Snooze by entity: a responder holds back findings about the same things for a while
 * (delivery asks `SnoozeGate`); each snooze is told where it was made, listed while
 * active, and its end announced there with how many findings it held back. Creating is
 * idempotent by request, cancelling and expiring are compare-and-sets, everything is
 * audited. Expiries are found by `tick()`, as escalation steps are.
 */
export class SnoozeService {
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<number> | null = null;
  private readonly announceTries = new Map<string, number>();

  constructor(private readonly d: SnoozeServiceDeps) {
    this.clock = d.clock ?? Date.now;
  }

  private at(offsetSeconds = 0): string {
    return new Date(this.clock() + offsetSeconds * 1000).toISOString();
  }

  /** The id a request gets: the same request (its key, its person) always the same one. */
  static idOf(requestKey: string, userId: string): string {
    return hashedId('snooze', [requestKey, userId], 24);
  }

  async create(r: SnoozeRequest): Promise<SnoozeResult> {
    const id = SnoozeService.idOf(r.requestKey, r.userId);
    const inputs = { criteria: r.criteria, seconds: r.seconds, reason: r.reason, findingId: r.findingId };
    const audit = (outcome: 'refused' | 'executed', result: unknown) =>
      this.d.audit.record({ actor: r.userId, action: 'snooze.create', target: id, inputs, outcome, result, channel: r.place?.channel, ts: r.place?.threadTs });
    const allowed = await this.d.access.check(r.userId, 'responder');
    if (!allowed.allowed) {
      await audit('refused', { reason: allowed.reason });
      return { ok: false, kind: 'refused', reason: allowed.reason };
    }
    const problem = invalid(r);
    if (problem) {
      await audit('refused', { reason: problem });
      return { ok: false, kind: 'invalid', reason: problem };
    }
    const record: SnoozeRecord = {
      id,
      criteria: r.criteria,
      expiresAt: this.at(r.seconds),
      reason: r.reason.trim(),
      createdBy: r.userId,
      createdAt: this.at(),
      state: 'active',
      findingId: r.findingId,
      channel: r.place?.channel ?? null,
      threadTs: r.place?.threadTs ?? null,
      endedBy: null,
      endedAt: null,
      updatedAt: this.at(),
    };
    if (!(await this.d.store.actions.insertSnooze(record))) {
      const existing = await this.d.store.actions.getSnooze(id);
      if (existing) return { ok: true, snooze: existing, already: true };
    }
    await audit('executed', { expiresAt: record.expiresAt });
    if (r.place) {
      await this.d.notices
        .snoozeCreated({ place: r.place, snooze: record })
        .catch((err: unknown) => this.d.logger.warn({ err, snoozeId: id }, 'could not tell where the snooze was made'));
    }
    return { ok: true, snooze: record, already: false };
  }

  /** Ends a snooze before its time; a snooze already ended is left as it is. */
  async cancel(id: string, userId: string): Promise<SnoozeResult> {
    const current = await this.d.store.actions.getSnooze(id);
    const audit = (outcome: 'refused' | 'executed', result: unknown) =>
      this.d.audit.record({
        actor: userId,
        action: 'snooze.cancel',
        target: id,
        inputs: {},
        outcome,
        result,
        channel: current?.channel,
        ts: current?.threadTs,
      });
    const allowed = await this.d.access.check(userId, 'responder');
    if (!allowed.allowed) {
      await audit('refused', { reason: allowed.reason });
      return { ok: false, kind: 'refused', reason: allowed.reason };
    }
    if (!current) return { ok: false, kind: 'invalid', reason: 'there is no such snooze' };
    const ended = await this.d.store.actions.transitionSnooze(id, ['active'], {
      state: 'cancelled',
      endedBy: userId,
      endedAt: this.at(),
      updatedAt: this.at(),
    });
    if (!ended) return { ok: true, snooze: current, already: true };
    const held = await this.d.store.actions.heldCount(id);
    await audit('executed', { held });
    const place = placeOf(ended);
    if (place) {
      await this.d.notices
        .snoozeEnded({ place, snooze: ended, held, how: 'cancelled', by: userId })
        .catch((err: unknown) => this.d.logger.warn({ err, snoozeId: id }, 'could not tell that the snooze was cancelled'));
    }
    return { ok: true, snooze: ended, already: false };
  }

  /** Active snoozes, soonest expiry first, with what each held back. */
  async listActive(): Promise<ActiveSnooze[]> {
    const now = this.at();
    const active = (await this.d.store.actions.listSnoozes('active')).filter((s) => s.expiresAt > now);
    return Promise.all(active.map(async (s) => ({ ...s, held: await this.d.store.actions.heldCount(s.id) })));
  }

  /** Announces every expiry that is due; returns how many were announced. */
  tick(): Promise<number> {
    this.ticking ??= this.expireDue().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async expireDue(): Promise<number> {
    let done = 0;
    for (const s of await this.d.store.actions.dueSnoozes(this.at())) {
      try {
        if (await this.expire(s)) done++;
      } catch (err) {
        this.d.logger.error({ err, snoozeId: s.id }, 'could not announce the end of a snooze');
      }
    }
    return done;
  }

  /**
   * Claims the expiry (so no other tick takes it), then announces it. If announcing
   * fails in a way that may pass, the claim is given back and the next tick tries again.
   */
  private async expire(s: SnoozeRecord): Promise<boolean> {
    const ended = await this.d.store.actions.transitionSnooze(s.id, ['active'], { state: 'expired', endedBy: BOT, endedAt: this.at(), updatedAt: this.at() });
    if (!ended) return false;
    const held = await this.d.store.actions.heldCount(s.id);
    const place = placeOf(ended);
    if (place) {
      try {
        await this.d.notices.snoozeEnded({ place, snooze: ended, held, how: 'expired', by: BOT });
      } catch (err) {
        const tries = (this.announceTries.get(s.id) ?? 0) + 1;
        const giveUp = (err instanceof NoticeFailed && err.permanent) || tries >= MAX_ANNOUNCE_TRIES;
        if (!giveUp) {
          this.announceTries.set(s.id, tries);
          await this.d.store.actions.transitionSnooze(s.id, ['expired'], { state: 'active', endedBy: null, endedAt: null, updatedAt: this.at() });
          throw err;
        }
        this.d.logger.error({ err, snoozeId: s.id }, 'the end of a snooze could not be announced; given up');
      }
    }
    this.announceTries.delete(s.id);
    await this.d.audit.record({
      actor: BOT,
      action: 'snooze.expire',
      target: s.id,
      inputs: { criteria: s.criteria, expiresAt: s.expiresAt },
      outcome: 'executed',
      result: { held },
      channel: s.channel,
      ts: s.threadTs,
    });
    return true;
  }

  /** Looks for due expiries every `everyMs` until stopped. */
  start(everyMs = 15_000): void {
    this.stop();
    this.timer = setInterval(() => void this.tick().catch((err: unknown) => this.d.logger.error({ err }, 'snooze tick failed')), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

function placeOf(s: SnoozeRecord): SnoozePlace | null {
  return s.channel ? { channel: s.channel, threadTs: s.threadTs } : null;
}
