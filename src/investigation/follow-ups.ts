import type { AccessDecision, Role } from '../domain/actions/access.ts';
import type { AuditEntry } from '../actions/audit.ts';
import type { EventQuery } from '../domain/investigation/event-query.ts';
import { type QuestionContext, type QuestionReading, readQuestion } from '../domain/investigation/follow-up-questions.ts';
import { isQuestionForSirbot, questionWords } from '../domain/investigation/question-words.ts';
import { openQuestions, playbookFor } from '../domain/investigation/playbooks.ts';
import { investigationWindow } from '../domain/investigation/window.ts';
import type { EventSearch, EventSearchResult } from '../ports/event-search.ts';
import type { Logger } from '../ports/logger.ts';
import type { InvestigationThread } from '../ports/notices/investigation.ts';
import type { QuestionNotices, QuestionRead, SourceRefusal } from '../ports/notices/questions.ts';
import type { QuestionTranslator } from '../ports/question-translator.ts';
import type { InvestigationConclusions, InvestigationRecord, Store } from '../ports/store.ts';
import { subjectsFor } from './investigate.ts';

/** How long a question message is remembered as being answered: beyond Slack's retries and an SQS redelivery. */
const QUESTION_MEMORY_SECONDS = 24 * 3600;

export interface FollowUpQuestionsOptions {
  store: Store;
  notices: QuestionNotices;
  logger: Logger;
  /** The runtime's sources of CloudTrail records, in order of preference: the first that does not refuse answers. */
  searches: () => EventSearch[];
  /** "Now" as the AWS side sees it (what event history still holds is counted from here). */
  awsNow: () => number;
  clock?: () => number;
  access?: { check(userId: string, needs: Role): Promise<AccessDecision> };
  audit?: { record(entry: AuditEntry): Promise<void> };
  /** A model for what the grammar cannot read, where one is configured (SIRBOT_BEDROCK_MODEL_ID). */
  translator?: QuestionTranslator;
}

export interface AskedQuestion {
  channel: string;
  threadTs: string;
  /** The question message's own `ts`: its key, and the time "the last 30 days" counts back from. */
  ts: string;
  text: string;
  userId: string;
  /** The message mentions sirbot. */
  mentionsBot: boolean;
  /** The asker's time zone (Slack's profile), asked only when the question names a time. */
  zone?: () => Promise<string | null>;
}

/** What became of a question: answered or refused in the thread, or refused to its asker (not a responder). */
export type QuestionOutcome = { ok: true; answered: boolean } | { ok: false; kind: 'refused'; error: string };

function threadOf(record: InvestigationRecord): InvestigationThread {
  return { investigationId: record.id, channel: record.channel, threadTs: record.threadTs, startedAt: record.createdAt };
}

const isConclusions = (r: InvestigationRecord['result']): r is InvestigationConclusions => !!r && 'summary' in r;

/** A question names a time when it says "after 14:00", "since yesterday", "between…": only then is the asker's zone needed. */
const NAMES_A_TIME = /\b(?:after|since|before|until|between|from|on|today|yesterday)\b|\d{1,2}:\d{2}|\d\s*[ap]m\b/i;

/**
 * A responder's plain question in a finding's thread ("what did this key do after
 * 14:00?"), answered there: read into one bounded `EventQuery` by the grammar (or a
 * model's translation, checked the same way), run by the first configured `EventSearch`
 * that does not refuse it, and answered with the events, the source, why the others
 * refused and the exact queries. Read-only: a question never writes to AWS. Only
 * responders may ask; each question is audited; a message is answered once however
 * often it is delivered.
 */
export class FollowUpQuestions {
  private readonly clock: () => number;

  constructor(private readonly o: FollowUpQuestionsOptions) {
    this.clock = o.clock ?? Date.now;
  }

  /** Null: not a question for sirbot (an answer to its own questions, or chat): the caller reads it as before. */
  async ask(q: AskedQuestion): Promise<QuestionOutcome | null> {
    const record = await this.o.store.findInvestigationByThread(q.channel, q.threadTs);
    if (!record) return null;
    const finding = (await this.o.store.getFinding(record.findingId))?.snapshot;
    if (!finding) return null;
    const questionsOpen = record.state === 'asked' && openQuestions(playbookFor(finding), record.answers).length > 0;
    if (!isQuestionForSirbot(q.text, { mentionsBot: q.mentionsBot, questionsOpen })) return null;

    const question = questionWords(q.text);
    const decision = this.o.access
      ? await this.o.access.check(q.userId, 'responder')
      : ({ allowed: false, reason: 'this runtime has no access policy' } as const);
    if (!decision.allowed) {
      await this.audit(record, q, 'refused', { question }, { reason: decision.reason });
      return { ok: false, kind: 'refused', error: decision.reason };
    }
    // One answer per question message: a Slack retry or a redelivered job finds it claimed.
    const key = `question:${q.channel}:${q.ts}`;
    if (!(await this.o.store.claimKey(key, QUESTION_MEMORY_SECONDS, new Date(this.clock()).toISOString()))) return { ok: true, answered: false };

    const thread = threadOf(record);
    const at = /^\d{1,12}(\.\d{1,6})?$/.test(q.ts) ? Math.round(Number(q.ts) * 1000) : this.clock();
    const zone = NAMES_A_TIME.test(question) && q.zone ? await q.zone().catch(() => null) : null;
    const awsNow = this.o.awsNow();
    const answers = record.answers;
    const ctx: QuestionContext = {
      at,
      zone: zone ?? 'UTC',
      zoneKnown: zone !== null,
      accountId: answers.accountId ?? finding.accountId,
      region: finding.region,
      window: isConclusions(record.result) ? record.result.window : investigationWindow(finding, answers, playbookFor(finding), awsNow).window,
      subjects: subjectsFor(finding, answers),
    };
    const { reading, by } = await this.read(q.text, ctx);
    if (!reading.ok) {
      await this.o.notices.questionRefused({ thread, key, by: q.userId, question, reason: reading.reason, refusedBy: [] });
      await this.audit(record, q, 'failed', { question, read: by }, { reason: reading.reason });
      return { ok: true, answered: false };
    }
    const read: QuestionRead = { by, understood: reading.understood, wants: reading.wants };
    const searches = this.o.searches();
    const refusedBy: SourceRefusal[] = [];
    const chosen = searches.find((s) => {
      const reason = s.refuses(reading.query, awsNow);
      if (reason) refusedBy.push({ via: s.via, reason });
      return !reason;
    });
    if (!chosen) {
      // Event history is always there; what it cannot answer needs a long-term store (Lake, Athena, the trail's S3 logs).
      const longTerm = searches.some((s) => s.via !== 'event-history');
      const reason =
        searches.length === 0
          ? 'no source of CloudTrail records is configured'
          : longTerm
            ? 'no configured source can answer this query'
            : 'no long-term store of CloudTrail records (CloudTrail Lake, Athena over the trail’s logs, the trail’s S3 logs) is configured to answer it';
      await this.o.notices.questionRefused({ thread, key, by: q.userId, question, reason, read, refusedBy });
      await this.audit(record, q, 'failed', { question, read: by, query: reading.query }, { reason, refusedBy });
      return { ok: true, answered: false };
    }
    let result: EventSearchResult;
    try {
      result = await chosen.search(reading.query);
    } catch (err) {
      const reason = `${chosen.via} failed: ${String((err as Error).message ?? err).slice(0, 300)}`;
      await this.o.notices.questionRefused({ thread, key, by: q.userId, question, reason, read, refusedBy });
      await this.audit(record, q, 'failed', { question, read: by, query: reading.query }, { reason });
      return { ok: true, answered: false };
    }
    await this.o.notices.questionAnswered({ thread, key, by: q.userId, question, read, result, refusedBy, finding });
    await this.audit(
      record,
      q,
      'executed',
      { question, read: by, query: reading.query },
      { via: result.via, queries: result.queries, events: result.entries.length, refusedBy },
    );
    await this.extend(record.id, reading.query, result).catch((err: unknown) =>
      this.o.logger.warn({ err, investigation: record.id }, 'could not add the answer to the investigation'),
    );
    return { ok: true, answered: true };
  }

  /** The grammar first; a model only for what the grammar could not understand (never for a write it refused). */
  private async read(text: string, ctx: QuestionContext): Promise<{ reading: QuestionReading; by: QuestionRead['by'] }> {
    const reading = readQuestion(text, ctx);
    if (reading.ok || !this.o.translator || !reading.reason.startsWith('nothing in the question names')) return { reading, by: 'grammar' };
    const translated = await this.o.translator
      .translate(questionWords(text), ctx)
      .catch((err: unknown): QuestionReading => ({ ok: false, reason: `the model could not be asked (${String((err as Error).name ?? err).slice(0, 100)})` }));
    if (translated.ok) return { reading: translated, by: 'model' };
    return { reading: { ok: false, reason: `${reading.reason}; ${this.o.translator.model} could not either: ${translated.reason}` }, by: 'model' };
  }

  /** The investigation's record counts what its questions found, beside what gathering found (the events themselves are in the thread's files). */
  private async extend(id: string, query: EventQuery, result: EventSearchResult): Promise<void> {
    const record = await this.o.store.getInvestigation(id);
    if (!record || !isConclusions(record.result)) return;
    const followUps = [
      ...(record.result.followUps ?? []),
      { at: new Date(this.clock()).toISOString(), via: result.via, window: query.window, events: result.entries.length, queries: result.queries.slice(0, 20) },
    ].slice(-50);
    await this.o.store.updateInvestigation({ ...record, result: { ...record.result, followUps }, updatedAt: new Date(this.clock()).toISOString() });
  }

  private audit(
    record: InvestigationRecord,
    q: AskedQuestion,
    outcome: AuditEntry['outcome'],
    inputs: Record<string, unknown>,
    result: unknown,
  ): Promise<void> {
    return (
      this.o.audit?.record({
        actor: q.userId,
        action: 'investigation.question',
        target: record.findingId,
        inputs: { investigation: record.id, ...inputs },
        outcome,
        result,
        channel: q.channel,
        ts: q.ts,
      }) ?? Promise.resolve()
    );
  }
}
