import { createHash } from 'node:crypto';
import { checkAnswer } from '../domain/investigation/answers.ts';
import { type ReplyContext, type ReplyReading, assumedZone, isConversation, readAnything, readReply } from '../domain/investigation/free-text-answers.ts';
import { timelineCsv, timelineJson } from '../domain/investigation/export.ts';
import { type Answers, type Question, type QuestionId, openQuestions, playbookFor, prefill } from '../domain/investigation/playbooks.ts';
import { type AddedAnswers, type Disagreement, type StoredAnswers, addAnswers, disagreements, keptAnswers } from '../domain/investigation/answer-book.ts';
import type { AccessDecision, Role } from '../domain/actions/access.ts';
import type { AuditEntry } from '../actions/audit.ts';
import type { Finding } from '../domain/finding.ts';
import type { Block } from '../slack/views/blocks.ts';
import type { Collector, CollectorProgress } from '../ports/collector.ts';
import { KeyedLock } from '../lib/keyed-lock.ts';
import type { Logger } from '../ports/logger.ts';
import type { SlackPoster } from '../slack/poster.ts';
import { adHocMessage, progressMessage, questionsMessage, replyHelpMessage, summaryMessage, understoodMessage } from '../slack/views/investigation.ts';
import { timelineFileBase } from '../slack/views/file-names.ts';
import type { FindingRecord, InvestigationRecord, Store } from '../ports/store.ts';
import { questionsPostKey } from '../delivery/post-keys.ts';
import { UNATTEMPTED } from '../delivery/finding-records.ts';
import { type InvestigationResult, investigate } from './investigate.ts';
import { type AdHocWindow, type InvestigationTarget, adHocFinding, subjectOfTarget } from '../domain/investigation/ad-hoc.ts';

export interface InvestigationServiceOptions {
  store: Store;
  poster: SlackPoster;
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
  /** What the summary offers next (remediations, stored as offers before the summary is posted), where the runtime can act. */
  nextSteps?: (finding: Finding, result: Pick<InvestigationResult, 'subjects' | 'timeline' | 'states'>) => Promise<Block[]>;
  /** Who may change an investigation's inputs (answers, Investigate now): responders. Absent: nobody may. */
  access?: { check(userId: string, needs: Role): Promise<AccessDecision> };
  /** Where every change of inputs, and every refusal, is recorded. */
  audit?: { record(entry: AuditEntry): Promise<void> };
}

/** Highlighted entries kept with the result, for case comments; the full timeline is in the files. */
const KEPT_HIGHLIGHTS = 500;

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

/** A time after `previous`, so a compare-and-set on the update time tells every claim apart. */
function laterThan(previous: string, now: string): string {
  return now > previous ? now : new Date(Date.parse(previous) + 1).toISOString();
}

/** The key of the note of what answers are expected, one per investigation and set of open questions. */
function replyHelpPostKey(investigationId: string, open: QuestionId[]): string {
  return `answer-help:${investigationId}:${[...open].sort().join(',')}`;
}

/** Deterministic per finding, so two starts of the same finding meet on one record. */
export function investigationIdFor(findingId: string): string {
  return `inv-${createHash('sha256').update(findingId).digest('hex').slice(0, 20)}`;
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
  /** Notes of what answers are expected already given, by post key: spares a look in Slack for each further unreadable reply. */
  private readonly helped = new Set<string>();

  constructor(private readonly o: InvestigationServiceOptions) {
    this.clock = o.clock ?? Date.now;
  }

  private async finding(findingId: string): Promise<Finding | null> {
    const record = await this.o.store.getFinding(findingId);
    return record?.snapshot ? (JSON.parse(record.snapshot) as Finding) : null;
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
        answers: JSON.stringify(answers),
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
      const record = await this.o.store.getInvestigation(id);
      if (!record || (record.channel === channel && record.threadTs === threadTs)) return;
      const moved: InvestigationRecord = { ...record, channel, threadTs, questionsTs: null, progressTs: null, updatedAt: this.nowIso() };
      await this.o.store.moveInvestigationThread(id, channel, threadTs, moved.updatedAt);
      await this.o.store.updateInvestigation(moved);
      if (moved.state === 'asked') await this.askedAgainIfLost(moved, true);
    });
  }

  /** Posts the questions once (a keyed post: a retry after a lost answer finds the first one). */
  private async ask(record: InvestigationRecord, open: ReturnType<typeof openQuestions>, answers: Answers, mayExist: boolean): Promise<InvestigationRecord> {
    const posted = await this.o.poster.postOnce(record.channel, questionsMessage(record.id, open, answers), {
      key: questionsPostKey(record.id),
      threadTs: record.threadTs,
      mayExist,
      since: record.createdAt,
    });
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
    const answers = JSON.parse(record.answers) as Answers;
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
    const id = `sirbot-adhoc-${createHash('sha256').update(o.requestId).digest('hex').slice(0, 24)}`;
    const existing = await this.o.store.getInvestigation(investigationIdFor(id));
    if (existing) return existing;
    const awsNow = this.o.awsNow();
    const window = await this.adHocWindow(o, awsNow);
    const { finding, answers } = adHocFinding({ ...o, id, window, now: new Date(awsNow).toISOString() });
    // Not a delivery sirbot resumes: the record is `posted` from the start and only gains its thread.
    const record: FindingRecord = {
      findingId: id,
      fingerprint: 'ad-hoc',
      updatedAt: finding.updatedAt,
      channel: o.channel,
      ts: null,
      digestId: null,
      suppressed: false,
      severity: finding.severity.label,
      workflowStatus: finding.workflowStatus,
      recordState: finding.recordState,
      deliveredAt: this.nowIso(),
      snapshot: JSON.stringify(finding),
      state: 'posted',
      ...UNATTEMPTED,
    };
    if (!(await this.o.store.insertFinding(record))) return null;
    const posted = await this.o.poster.post(o.channel, adHocMessage(finding, o.target, o.requestedBy), o.threadTs);
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

  /**
   * Where an ad-hoc investigation looks: where the person said, else around the newest
   * event CloudTrail holds for the target — the data is where it last acted, not in the
   * last hours of the clock — else the last day (saying there was nothing, or that an IP
   * cannot be looked up in event history).
   */
  private async adHocWindow(
    o: { target: InvestigationTarget; account: string; region: string; since: string | null; sinceHours?: number },
    awsNow: number,
  ): Promise<AdHocWindow> {
    if (o.since) return { how: 'asked', start: o.since };
    if (o.sinceHours) return { how: 'asked', start: new Date(awsNow - o.sinceHours * 3_600_000).toISOString() };
    const subject = subjectOfTarget(o.target);
    if (!subject || subject.kind === 'ip') return { how: 'not-searchable' };
    for (const c of this.o.collectors()) {
      if (!c.lastActivity) continue;
      const last = await c.lastActivity(subject, o.account, o.region, awsNow).catch((err: unknown) => {
        this.o.logger.warn({ err, target: o.target }, 'could not look for the last activity of an ad-hoc target');
        return null;
      });
      if (last) return { how: 'last-activity', lastActivity: last };
    }
    return { how: 'no-activity' };
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
    const stored = JSON.parse(record.answers) as StoredAnswers;
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

  /** The note of what is expected, once per set of open questions (a keyed post: Slack keeps the record, whichever process posted it). */
  private async helpOnce(record: InvestigationRecord, open: Question[]): Promise<void> {
    const key = replyHelpPostKey(
      record.id,
      open.map((q) => q.id),
    );
    if (this.helped.has(key)) return;
    await this.lock
      .run(record.id, async () => {
        if (this.helped.has(key)) return;
        await this.o.poster.postOnce(record.channel, replyHelpMessage(open), { key, threadTs: record.threadTs, mayExist: true, since: record.createdAt });
        if (this.helped.size > 10_000) this.helped.clear();
        this.helped.add(key);
      })
      .catch((err: unknown) => this.o.logger.warn({ err, investigation: record.id }, 'could not say what answers are expected'));
  }

  /** What a plain reply was understood as, in the thread, before anything it starts is posted. */
  private async sayUnderstood(record: InvestigationRecord, userId: string, reading: ReplyReading, added: AddedAnswers, open: Question[]): Promise<void> {
    const message = understoodMessage({ by: userId, reading, added, kept: keptAnswers(added.next), open });
    await this.o.poster
      .post(record.channel, message, record.threadTs)
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
      const added = addAnswers(JSON.parse(record.answers) as StoredAnswers, given, userId, this.nowIso());
      const open = openQuestions(playbookFor(finding), added.next);
      await this.o.store.updateInvestigation({ ...record, answers: JSON.stringify(added.next), updatedAt: this.nowIso() });
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
      if (record.questionsTs) {
        // The answer is kept even if the message cannot be edited (deleted, or Slack is down).
        await this.o.poster
          .update(record.channel, record.questionsTs, questionsMessage(id, open, added.next))
          .catch((err: unknown) => this.o.logger.warn({ err, investigation: id }, 'could not update the questions message'));
      }
      await o.told?.(added, open);
      if (open.length === 0) this.launch(id);
      const disputed = disagreements(added.next).filter((d) => added.disputed.includes(d.question));
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
    const open = finding ? openQuestions(playbookFor(finding), JSON.parse(record.answers) as StoredAnswers).map((q) => q.id) : [];
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
    const progress = new Map<string, { source: string; pages: number; items: number; done: boolean }>();
    const collectors = this.o.collectors();
    for (const c of collectors) progress.set(c.id, { source: c.id, pages: 0, items: 0, done: false });
    const post = await this.o.poster.post(claimed.channel, progressMessage([...progress.values()]), claimed.threadTs);
    await this.o.store.updateInvestigation({ ...claimed, progressTs: post.ts, updatedAt: this.nowIso() });
    let lastEdit = 0;
    const onProgress = (p: CollectorProgress) => {
      progress.set(p.collector, { source: p.collector, pages: p.pages, items: p.items, done: false });
      const t = this.clock();
      if (t - lastEdit < (this.o.progressEveryMs ?? 1000)) return;
      lastEdit = t;
      void this.o.poster.update(claimed.channel, post.ts, progressMessage([...progress.values()])).catch(() => undefined);
    };
    try {
      const result = await investigate(finding, JSON.parse(claimed.answers) as Answers, collectors, this.o.awsNow(), onProgress);
      for (const v of progress.values()) v.done = true;
      await this.o.poster.update(claimed.channel, post.ts, progressMessage([...progress.values()]));
      await this.o.poster.post(
        claimed.channel,
        summaryMessage(result.summary, result.timeline, (await this.o.nextSteps?.(finding, result)) ?? []),
        claimed.threadTs,
      );
      if (result.timeline.length > 0) {
        const base = timelineFileBase(finding);
        await this.o.poster
          .upload(
            claimed.channel,
            claimed.threadTs,
            [
              { filename: `${base}.csv`, content: timelineCsv(result.timeline) },
              { filename: `${base}.json`, content: timelineJson(result.timeline) },
            ],
            `Full timeline: ${result.timeline.length} events`,
          )
          .catch((err: unknown) => this.o.logger.warn({ err, investigation: id }, 'could not upload the timeline files'));
      }
      await this.o.store.updateInvestigation({
        ...claimed,
        progressTs: post.ts,
        state: 'summarized',
        result: JSON.stringify({
          summary: result.summary,
          window: result.window,
          events: result.timeline.length,
          highlights: result.timeline.filter((e) => e.highlights.length > 0).slice(0, KEPT_HIGHLIGHTS),
        }),
        updatedAt: this.nowIso(),
      });
    } catch (err) {
      await this.o.store.updateInvestigation({
        ...claimed,
        progressTs: post.ts,
        state: 'failed',
        result: JSON.stringify({ error: String(err) }),
        updatedAt: this.nowIso(),
      });
      throw err;
    }
  }
}
