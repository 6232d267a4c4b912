import type { TimelineEntry } from '../domain/investigation/timeline.ts';
import { checkAnswer } from '../domain/investigation/answers.ts';
import { type ReplyContext, type ReplyReading, assumedZone, isConversation, readAnything, readReply } from '../domain/investigation/free-text-answers.ts';
import { type Answers, type Question, type QuestionId, openQuestions, playbookFor, prefill } from '../domain/investigation/playbooks.ts';
import { type AddedAnswers, type Disagreement, type StoredAnswers, addAnswers, disagreements, keptAnswers } from '../domain/investigation/answer-book.ts';
import type { AccessDecision, Role } from '../domain/actions/access.ts';
import type { AuditEntry } from '../actions/audit.ts';
import type { Finding } from '../domain/finding.ts';
import type { Collector, CollectorProgress } from '../ports/collector.ts';
import { KeyedLock } from '../lib/keyed-lock.ts';
import type { Logger } from '../ports/logger.ts';
import type { InvestigationNotices, InvestigationThread, OfferedRemediation } from '../ports/notices/investigation.ts';
import type { InvestigationRecord, Store } from '../ports/store.ts';
import { type InvestigationResult, investigate } from './investigate.ts';
import { type InvestigationTarget, adHocFinding } from '../domain/investigation/ad-hoc.ts';
import { adHocFindingId, adHocFindingRecord, adHocWindow } from './ad-hoc.ts';
import { GatheringProgress } from './progress.ts';
import { conclusionsOf, failureOf, laterThan } from './records.ts';
import { hashedId } from '../lib/hashed-id.ts';

/** How often a thread move re-reads a record that changed under it before giving up. */
const MOVE_ATTEMPTS = 8;

export interface InvestigationServiceOptions {
  store: Store;
  /** What the investigation tells people in its thread (Slack, in every runtime). */
  notices: InvestigationNotices;
  logger: Logger;
  /** The evidence sources of this runtime (real AWS, or the fake seeded with a scenario). */
  collectors: () => Collector[];
  /** "Now" as the AWS side sees it: the fake's scenario clock, or the wall clock. */
  awsNow: () => number;
  clock?: () => number;
  /** Least time between two edits of the progress message. */
  progressEveryMs?: number;
  /**
   * Where gathering runs. Unset: in this process, in the background. Lambda sends it
   * to the work queue instead, since a function stops when it has answered.
   */
  schedule?: (id: string, resuming: boolean) => Promise<void>;
  /** What people said about the finding outside the investigation ("Was this you?"), as timeline entries. */
  peopleSaid?: (findingId: string) => Promise<TimelineEntry[]>;
  /** What the summary offers next (remediations, stored as offers before the summary is posted), where the runtime can act. */
  nextSteps?: (finding: Finding, result: Pick<InvestigationResult, 'subjects' | 'timeline' | 'states'>) => Promise<OfferedRemediation[]>;
  /** Who may change an investigation's inputs (answers, Investigate now): responders. Absent: nobody may. */
  access?: { check(userId: string, needs: Role): Promise<AccessDecision> };
  /** Where every change of inputs, and every refusal, is recorded. */
  audit?: { record(entry: AuditEntry): Promise<void> };
}

/**
 * What became of an answer (or of Investigate now): taken, with the questions still open
 * and the disagreements it recorded; not taken because it is malformed or too late
 * (`invalid`), or because the person is not a responder (`refused`, audited).
 */
export type AnswerOutcome = { ok: true; open: QuestionId[]; disputed: Disagreement[] } | { ok: false; kind: 'invalid' | 'refused'; error: string };

type Refusal = Extract<AnswerOutcome, { ok: false }>;
const invalid = (error: string): Refusal => ({ ok: false, kind: 'invalid', error });

/** Questions not recorded as posted this long after the investigation began were lost with their process. */
const QUESTIONS_LEASE_MS = 120_000;

/** Where an investigation speaks. */
function threadOf(record: InvestigationRecord): InvestigationThread {
  return { investigationId: record.id, channel: record.channel, threadTs: record.threadTs, startedAt: record.createdAt };
}

/** One note of what answers are expected per investigation and set of open questions. */
function helpKey(investigationId: string, open: Question[]): string {
  return `${investigationId}:${open
    .map((q) => q.id)
    .sort()
    .join(',')}`;
}

/** Deterministic per finding, so two starts of the same finding meet on one record. */
export function investigationIdFor(findingId: string): string {
  return hashedId('inv', findingId, 20);
}

/**
 * The investigation of one finding, in its thread: ask what the finding does not say,
 * take answers from blocks or replies, then gather, show progress and post the summary.
 * State lives in the store, so a restart picks up where it was.
 */
export class InvestigationService {
  private readonly lock = new KeyedLock();
  private readonly running = new Set<Promise<unknown>>();
  private readonly clock: () => number;
  /** Notes of what answers are expected already given (helpKey): spares the notifier a look for each further unreadable reply. */
  private readonly helped = new Set<string>();

  constructor(private readonly o: InvestigationServiceOptions) {
    this.clock = o.clock ?? Date.now;
  }

  private async finding(findingId: string): Promise<Finding | null> {
    return (await this.o.store.getFinding(findingId))?.snapshot ?? null;
  }

  private nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  /** Starts (or returns) the investigation of a delivered finding, in the thread given. */
  start(findingId: string, channel: string, threadTs: string, given: Answers = {}): Promise<InvestigationRecord | null> {
    const id = investigationIdFor(findingId);
    return this.lock.run(id, async () => {
      const existing = await this.o.store.getInvestigation(id);
      if (existing) return this.askedAgainIfLost(existing);
      const finding = await this.finding(findingId);
      if (!finding) return null;
      const answers = { ...prefill(finding), ...given };
      const record: InvestigationRecord = {
        id,
        findingId,
        channel,
        threadTs,
        state: 'asked',
        answers,
        questionsTs: null,
        progressTs: null,
        result: null,
        createdAt: this.nowIso(),
        updatedAt: this.nowIso(),
      };
      if (!(await this.o.store.insertInvestigation(record))) return this.o.store.getInvestigation(id);
      const open = openQuestions(playbookFor(finding), answers);
      if (open.length === 0) {
        this.launch(id);
        return record;
      }
      return this.ask(record, open, answers, false);
    });
  }

  /**
   * The finding's root was posted afresh (the old thread is gone from Slack): the
   * investigation speaks in the new thread from now on, and questions still open are
   * asked there again.
   */
  async moveThread(findingId: string, channel: string, threadTs: string): Promise<void> {
    const id = investigationIdFor(findingId);
    await this.lock.run(id, async () => {
      // Compare-and-set: a follow-up question's events merged meanwhile (another process, no lock shared) are kept.
      for (let attempt = 0; attempt < MOVE_ATTEMPTS; attempt++) {
        const record = await this.o.store.getInvestigation(id);
        if (!record || (record.channel === channel && record.threadTs === threadTs)) return;
        const moved: InvestigationRecord = {
          ...record,
          channel,
          threadTs,
          questionsTs: null,
          progressTs: null,
          updatedAt: laterThan(record.updatedAt, this.nowIso()),
        };
        if (!(await this.o.store.transitionInvestigation(record, moved))) continue;
        // Then the thread itself (and its hint), at the same update time; a crash in between moves it again on the next refresh.
        await this.o.store.moveInvestigationThread(id, channel, threadTs, moved.updatedAt);
        if (moved.state === 'asked') await this.askedAgainIfLost(moved, true);
        return;
      }
      throw new Error(`the investigation changed ${MOVE_ATTEMPTS} times while its thread was being moved`);
    });
  }

  /** Asks the questions once (`again`: an earlier ask may have been lost with its process). */
  private async ask(record: InvestigationRecord, open: Question[], answers: StoredAnswers, again: boolean): Promise<InvestigationRecord> {
    const posted = await this.o.notices.questionsAsked({ thread: threadOf(record), open, answers, again });
    const asked = { ...record, questionsTs: posted.ts, updatedAt: this.nowIso() };
    await this.o.store.updateInvestigation(asked);
    return asked;
  }

  /**
   * An investigation whose questions were never recorded as posted (the process stopped
   * between creating it and posting them) asks them now, once its creator is surely gone.
   */
  private async askedAgainIfLost(record: InvestigationRecord, creatorGone = false): Promise<InvestigationRecord> {
    const age = this.clock() - Date.parse(record.createdAt);
    if (record.state !== 'asked' || record.questionsTs || (!creatorGone && age < QUESTIONS_LEASE_MS)) return record;
    const finding = await this.finding(record.findingId);
    if (!finding) return record;
    const answers = record.answers;
    const open = openQuestions(playbookFor(finding), answers);
    if (open.length === 0) {
      this.launch(record.id);
      return record;
    }
    return this.ask(record, open, answers, true);
  }

  /**
   * An investigation nobody's finding asked for (`/sir investigate`, the message
   * shortcut): a root message in the channel (or a reply in the thread given), then the
   * usual questions and evidence. The same request id is the same investigation.
   */
  async startAdHoc(o: {
    requestId: string;
    target: InvestigationTarget;
    account: string;
    region: string;
    since: string | null;
    /** `--since 7d` as hours before the AWS side's now (the fake's scenario clock, or the wall clock). */
    sinceHours?: number;
    channel: string;
    threadTs?: string;
    requestedBy: string;
  }): Promise<InvestigationRecord | null> {
    const id = adHocFindingId(o.requestId);
    const existing = await this.o.store.getInvestigation(investigationIdFor(id));
    if (existing) return existing;
    const awsNow = this.o.awsNow();
    const window = await adHocWindow(o, awsNow, this.o.collectors(), this.o.logger);
    const { finding, answers } = adHocFinding({ ...o, id, window, now: new Date(awsNow).toISOString() });
    const record = adHocFindingRecord(finding, o.channel, this.nowIso());
    if (!(await this.o.store.insertFinding(record))) return null;
    const posted = await this.o.notices.adHocRequested({
      channel: o.channel,
      ...(o.threadTs ? { threadTs: o.threadTs } : {}),
      finding,
      target: o.target,
      requestedBy: o.requestedBy,
    });
    await this.o.store.updateFinding({ ...record, channel: posted.channel, ts: o.threadTs ?? posted.ts });
    return this.start(id, posted.channel, o.threadTs ?? posted.ts, answers);
  }

  /**
   * Only responders change what an investigation looks for; anyone else is refused, and
   * the attempt is audited with what they tried to give.
   */
  private async mayChange(record: InvestigationRecord, userId: string, action: string, inputs: Record<string, unknown>): Promise<Refusal | null> {
    const decision = this.o.access
      ? await this.o.access.check(userId, 'responder')
      : ({ allowed: false, reason: 'this runtime has no access policy' } as const);
    if (decision.allowed) return null;
    await this.o.audit?.record({
      actor: userId,
      action,
      target: record.findingId,
      inputs: { investigation: record.id, ...inputs },
      outcome: 'refused',
      result: { reason: decision.reason },
      channel: record.channel,
      ts: record.threadTs,
    });
    return { ok: false, kind: 'refused', error: decision.reason };
  }

  /** One answer from a block (date picker, select, text input), by `userId`. */
  async answer(id: string, question: QuestionId, raw: string, userId: string): Promise<AnswerOutcome> {
    const record = await this.o.store.getInvestigation(id);
    if (!record) return invalid('no such investigation');
    const refused = await this.mayChange(record, userId, 'investigation.answer', { via: 'block', answers: { [question]: raw.slice(0, 200) } });
    if (refused) return refused;
    const checked = checkAnswer(question, raw);
    if (!checked.ok) return invalid(checked.error);
    return this.applyAnswers(id, { [question]: checked.value }, userId, 'block');
  }

  /**
   * A plain reply in a thread that has an investigation waiting for answers, read against
   * its questions (domain/investigation/free-text-answers.ts): relative times count from
   * the reply's own `ts`, in the writer's time zone when `zone` can tell it (asked only
   * when a time needs it), else in UTC, which is said. What was understood is said in the
   * thread; the answers then go the way block answers go (answer book, audit, gathering
   * once nothing is left open).
   *
   * A reply that reads as nothing is chat, no business of the investigation's (null) —
   * except a responder's, while questions are open: that one gets, once for each set of
   * open questions, a short note of what is expected. Once, because a thread is also
   * where responders talk to each other: repeating the note on every message would bury
   * the conversation, while saying it once tells whoever tried to answer how to. Replies
   * addressed to someone (starting with a mention) or made only of emoji get nothing.
   */
  async reply(
    channel: string,
    threadTs: string,
    text: string,
    userId: string,
    o: { ts?: string; zone?: () => Promise<string | null> } = {},
  ): Promise<AnswerOutcome | null> {
    const record = await this.o.store.findInvestigationByThread(channel, threadTs);
    if (record?.state !== 'asked') return null;
    const finding = await this.finding(record.findingId);
    if (!finding) return null;
    const playbook = playbookFor(finding);
    const stored = record.answers;
    const open = openQuestions(playbook, stored);
    const writtenAt = o.ts && /^\d{1,12}(\.\d{1,6})?$/.test(o.ts) ? Math.round(Number(o.ts) * 1000) : this.clock();
    const ctx: ReplyContext = { at: writtenAt, asked: playbook.questions, open: open.map((q) => q.id), accountId: stored.accountId ?? finding.accountId };
    let reading = readReply(text, ctx);
    if (!readAnything(reading)) {
      if (open.length > 0 && !isConversation(text) && (await this.isResponder(userId))) await this.helpOnce(record, open);
      return null;
    }
    const refused = await this.mayChange(record, userId, 'investigation.answer', {
      via: 'reply',
      answers: reading.answers,
      ...(reading.errors.length ? { errors: reading.errors } : {}),
    });
    if (refused) return refused;
    if (assumedZone(reading) && o.zone) {
      // Asked only now: only a responder's local time needs it (Slack's users.info `tz`).
      const zone = await o.zone().catch(() => null);
      if (zone) reading = readReply(text, { ...ctx, zone });
    }
    if (Object.keys(reading.answers).length === 0) return invalid(reading.errors.join('; '));
    const { answers } = reading;
    const read = {
      ...(reading.rotatedAt ? { rotatedAt: reading.rotatedAt } : {}),
      ...(reading.zones.exposedAt || reading.zones.rotatedAt ? { zone: (reading.zones.exposedAt ?? reading.zones.rotatedAt)?.name } : {}),
    };
    return this.applyAnswers(record.id, answers, userId, 'reply', {
      ...(Object.keys(read).length ? { read } : {}),
      told: (added, stillOpen) => this.sayUnderstood(record, userId, reading, added, stillOpen),
    });
  }

  private async isResponder(userId: string): Promise<boolean> {
    const decision = await this.o.access?.check(userId, 'responder').catch(() => null);
    return decision?.allowed === true;
  }

  /** The note of what is expected, once per set of open questions (the notifier keeps that across processes). */
  private async helpOnce(record: InvestigationRecord, open: Question[]): Promise<void> {
    const key = helpKey(record.id, open);
    if (this.helped.has(key)) return;
    await this.lock
      .run(record.id, async () => {
        if (this.helped.has(key)) return;
        await this.o.notices.answersExpected({ thread: threadOf(record), open });
        if (this.helped.size > 10_000) this.helped.clear();
        this.helped.add(key);
      })
      .catch((err: unknown) => this.o.logger.warn({ err, investigation: record.id }, 'could not say what answers are expected'));
  }

  /** What a plain reply was understood as, in the thread, before anything it starts is posted. */
  private async sayUnderstood(record: InvestigationRecord, userId: string, reading: ReplyReading, added: AddedAnswers, open: Question[]): Promise<void> {
    await this.o.notices
      .replyUnderstood({ thread: threadOf(record), by: userId, reading, added, kept: keptAnswers(added.next), open })
      .catch((err: unknown) => this.o.logger.warn({ err, investigation: record.id }, 'could not say what a reply was understood as'));
  }

  /**
   * Adds a responder's answers: open questions take them; a value that differs from one
   * already known is recorded beside it and shown, never put in its place
   * (domain/investigation/answer-book.ts). Audited whatever it changed. `told` says what
   * was understood before gathering (and its messages) starts.
   */
  private applyAnswers(
    id: string,
    given: Answers,
    userId: string,
    via: 'block' | 'reply',
    o: { read?: Record<string, string | undefined>; told?: (added: AddedAnswers, open: Question[]) => Promise<void> } = {},
  ): Promise<AnswerOutcome> {
    return this.lock.run(id, async () => {
      const record = await this.o.store.getInvestigation(id);
      if (!record) return invalid('no such investigation');
      if (record.state !== 'asked') return invalid(`the investigation is already ${record.state}`);
      const finding = await this.finding(record.findingId);
      if (!finding) return invalid('the finding is no longer known');
      const added = addAnswers(record.answers, given, userId, this.nowIso());
      const open = openQuestions(playbookFor(finding), added.next);
      await this.o.store.updateInvestigation({ ...record, answers: added.next, updatedAt: this.nowIso() });
      const { next: _next, ...changes } = added;
      await this.o.audit?.record({
        actor: userId,
        action: 'investigation.answer',
        target: record.findingId,
        inputs: { investigation: id, via, answers: given, ...(o.read ? { read: o.read } : {}) },
        outcome: 'executed',
        result: { ...changes, open: open.map((q) => q.id) },
        channel: record.channel,
        ts: record.threadTs,
      });
      const disputed = disagreements(added.next).filter((d) => added.disputed.includes(d.question));
      // The answer is kept even if it cannot be shown (the questions message deleted, or Slack down).
      await this.o.notices
        .answersRecorded({
          thread: threadOf(record),
          questions: record.questionsTs ? { channel: record.channel, ts: record.questionsTs } : null,
          by: userId,
          open,
          answers: added.next,
          disputed,
        })
        .catch((err: unknown) => this.o.logger.warn({ err, investigation: id }, 'could not update the questions message'));
      await o.told?.(added, open);
      if (open.length === 0) this.launch(id);
      return { ok: true, open: open.map((q) => q.id), disputed } as const;
    });
  }

  /** "Investigate now": go with what is known, leaving the open questions unanswered. A responder's call, audited. */
  async investigateNow(id: string, userId: string): Promise<AnswerOutcome> {
    const record = await this.o.store.getInvestigation(id);
    if (!record) return invalid('no such investigation');
    const refused = await this.mayChange(record, userId, 'investigation.now', {});
    if (refused) return refused;
    // Already gathering or done: a second click changes nothing (gathering is claimed once).
    if (record.state !== 'asked') return { ok: true, open: [], disputed: [] };
    const finding = await this.finding(record.findingId);
    const open = finding ? openQuestions(playbookFor(finding), record.answers).map((q) => q.id) : [];
    await this.o.audit?.record({
      actor: userId,
      action: 'investigation.now',
      target: record.findingId,
      inputs: { investigation: id, unanswered: open },
      outcome: 'executed',
      channel: record.channel,
      ts: record.threadTs,
    });
    this.launch(id);
    return { ok: true, open, disputed: [] };
  }

  /**
   * After a restart (nothing else runs): investigations that were gathering are gathered
   * again, and questions the stopped process never got to post are asked.
   */
  async resume(): Promise<number> {
    const stuck = await this.o.store.listInvestigations('gathering');
    for (const r of stuck) this.launch(r.id, true);
    for (const r of await this.o.store.listInvestigations('asked')) {
      if (!r.questionsTs)
        await this.lock
          .run(r.id, () => this.askedAgainIfLost(r, true))
          .catch((err: unknown) => this.o.logger.warn({ err, investigation: r.id }, 'could not ask the questions again'));
    }
    return stuck.length;
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    await this.lock.idle();
  }

  /** Gathers now and resolves when done (the worker's side of `schedule`). */
  gatherNow(id: string, resuming = false): Promise<void> {
    return this.gather(id, resuming);
  }

  private launch(id: string, resuming = false): void {
    // Scheduling elsewhere is tracked like gathering here: idle() waits until the job is queued.
    const task = (this.o.schedule ? this.o.schedule(id, resuming) : this.gather(id, resuming)).catch((err: unknown) =>
      this.o.logger.error({ err, investigation: id }, 'investigation failed'),
    );
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /**
   * Claims the investigation by compare-and-set, so of two workers (two Lambda
   * invocations, a double click) one gathers. `resuming` takes over a gathering whose
   * worker is gone (a restart, or an SQS redelivery, which comes only after the first
   * worker's timeout).
   */
  private async gather(id: string, resuming: boolean): Promise<void> {
    const claimed = await this.lock.run(id, async () => {
      const record = await this.o.store.getInvestigation(id);
      // A double click, a retried action or a second launch finds it already under way.
      if (!record || record.state === 'summarized' || (record.state === 'gathering' && !resuming)) return null;
      const next = { ...record, state: 'gathering' as const, updatedAt: laterThan(record.updatedAt, this.nowIso()) };
      return (await this.o.store.transitionInvestigation(record, next)) ? next : null;
    });
    if (!claimed) return;
    const finding = await this.finding(claimed.findingId);
    if (!finding) return;
    const collectors = this.o.collectors();
    const thread = threadOf(claimed);
    const progress = new GatheringProgress(
      collectors.map((c) => c.id),
      this.clock,
      this.o.progressEveryMs ?? 1000,
    );
    const posted = await this.o.notices.gatheringStarted({ thread, sources: progress.sources() });
    // Edited where the investigation lives (the channel as the record names it).
    const place = { channel: claimed.channel, ts: posted.ts };
    await this.o.store.updateInvestigation({ ...claimed, progressTs: place.ts, updatedAt: this.nowIso() });
    const onProgress = (p: CollectorProgress) => {
      if (progress.advanced(p)) void this.o.notices.gatheringProgressed({ thread, progress: place, sources: progress.sources() }).catch(() => undefined);
    };
    try {
      const gathered = await investigate(finding, claimed.answers, collectors, this.o.awsNow(), onProgress);
      // The person behind the credentials' answer stands in the timeline beside the events.
      const said = (await this.o.peopleSaid?.(finding.id).catch(() => [])) ?? [];
      const result = said.length > 0 ? { ...gathered, timeline: [...gathered.timeline, ...said].sort((a, b) => a.time.localeCompare(b.time)) } : gathered;
      progress.finished();
      await this.o.notices.gatheringProgressed({ thread, progress: place, sources: progress.sources() });
      const nextSteps = (await this.o.nextSteps?.(finding, result)) ?? [];
      await this.o.notices.investigationSummarized({ thread, summary: result.summary, timeline: result.timeline, nextSteps });
      // Stored as soon as the summary is out, before the (slow) files: a case opened from
      // the summary's buttons meanwhile is drafted from these conclusions.
      await this.o.store.updateInvestigation({
        ...claimed,
        progressTs: place.ts,
        state: 'summarized',
        result: conclusionsOf(result),
        updatedAt: this.nowIso(),
      });
      if (result.timeline.length > 0) {
        await this.o.notices
          .timelineShared({ thread, finding, timeline: result.timeline })
          .catch((err: unknown) => this.o.logger.warn({ err, investigation: id }, 'could not upload the timeline files'));
      }
    } catch (err) {
      await this.o.store.updateInvestigation({
        ...claimed,
        progressTs: place.ts,
        state: 'failed',
        result: failureOf(err),
        updatedAt: this.nowIso(),
      });
      throw err;
    }
  }
}
