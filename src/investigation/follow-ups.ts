import type { AccessDecision, Role } from '../domain/actions/access.ts';
import type { AuditEntry } from '../actions/audit.ts';
import type { EventQuery } from '../domain/investigation/event-query.ts';
import { type QuestionContext, type QuestionReading, readQuestion } from '../domain/investigation/follow-up-questions.ts';
import { isQuestionForSirbot, questionWords } from '../domain/investigation/question-words.ts';
import { searchRegions } from '../domain/investigation/lookup-plan.ts';
import { openQuestions, playbookFor } from '../domain/investigation/playbooks.ts';
import { type RegionCoverage, coverageFactors } from '../domain/investigation/region-coverage.ts';
import { investigationWindow } from '../domain/investigation/window.ts';
import type { EnabledRegions, EnabledRegionsAnswer } from '../ports/enabled-regions.ts';
import type { EventSearch, EventSearchResult } from '../ports/event-search.ts';
import type { Logger } from '../ports/logger.ts';
import type { InvestigationThread } from '../ports/notices/investigation.ts';
import type { QuestionNotices, QuestionRead, SourceRefusal } from '../ports/notices/questions.ts';
import type { QuestionTranslator } from '../ports/question-translator.ts';
import type { InvestigationConclusions, InvestigationFollowUp, InvestigationRecord, Store } from '../ports/store.ts';
import { subjectsFor } from './investigate.ts';
import { laterThan, withQuestionEvents } from './records.ts';

/** How long a question message is remembered as being answered: beyond Slack's retries and an SQS redelivery. */
const QUESTION_MEMORY_SECONDS = 24 * 3600;
/** Compare-and-set attempts to add a question's events to the investigation before giving up (each loses only to another writer). */
const MERGE_ATTEMPTS = 8;

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
  /** The account's enabled regions (shared with the CloudTrail collector, and its cache): where a question naming no region searches. */
  regions?: EnabledRegions;
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

/** Where a question naming no region searches, and what the account's enabled regions were. */
interface Where {
  searchIn: { regions: string[]; words: string };
  enabled: string[] | null;
  via: string;
}

const sameRegions = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((r) => b.includes(r));

/** Which regions the answer read, against the account's enabled ones (a source that does not tell them apart read all or none). */
function coverageOf(query: EventQuery, result: EventSearchResult, where: Where): RegionCoverage {
  const regions = result.regions ?? { searched: query.regions, failed: [] };
  return { accountId: query.accountId, enabled: where.enabled, via: where.via, searched: regions.searched, failed: regions.failed };
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
    const accountId = answers.accountId ?? finding.accountId;
    const where = await this.regionsOf(accountId, finding.region);
    const ctx: QuestionContext = {
      at,
      zone: zone ?? 'UTC',
      zoneKnown: zone !== null,
      accountId,
      region: finding.region,
      searchIn: where.searchIn,
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
    const coverage = coverageOf(reading.query, result, where);
    // Asked everywhere and some enabled region was not read, or the regions could not be listed: said beside the events.
    const defaulted = sameRegions(reading.query.regions, where.searchIn.regions);
    if (defaulted) result = { ...result, limitingFactors: [...coverageFactors(coverage), ...result.limitingFactors] };
    await this.o.notices.questionAnswered({ thread, key, by: q.userId, question, read, result, refusedBy, finding, coverage });
    await this.audit(
      record,
      q,
      'executed',
      { question, read: by, query: reading.query },
      {
        via: result.via,
        queries: result.queries,
        events: result.entries.length,
        refusedBy,
        regions: { searched: coverage.searched, failed: coverage.failed.map((f) => f.region) },
      },
    );
    const asked: Omit<InvestigationFollowUp, 'added' | 'events'> = {
      at: new Date(this.clock()).toISOString(),
      question: question.slice(0, 300),
      by: q.userId,
      via: result.via,
      window: reading.query.window,
      regions: { searched: coverage.searched, failed: coverage.failed.map((f) => f.region) },
      queries: result.queries.slice(0, 20),
    };
    await this.extend(record.id, asked, result).catch((err: unknown) =>
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

  /**
   * Where a question naming no region searches: every region the account has enabled (the
   * finding's first, then us-east-1), learned through the same port and cache as the
   * CloudTrail collector; when they cannot be listed, the finding's region and us-east-1.
   */
  private async regionsOf(accountId: string, home: string): Promise<Where> {
    const answer: EnabledRegionsAnswer = this.o.regions
      ? await this.o.regions
          .of(accountId)
          .catch((err: unknown): EnabledRegionsAnswer => ({ regions: null, via: `could not be asked: ${String((err as Error).message ?? err).slice(0, 200)}` }))
      : { regions: null, via: 'no source of enabled regions is configured' };
    const regions = searchRegions(home, answer.regions ?? undefined);
    const words = answer.regions
      ? `every enabled region of ${accountId} (${regions.length})`
      : `${regions.join(', ')} (the finding’s region and us-east-1: the account’s enabled regions could not be listed)`;
    return { searchIn: { regions, words }, enabled: answer.regions, via: answer.via };
  }

  /**
   * The events a question found, merged into the investigation's stored timeline
   * (`withQuestionEvents`) by compare-and-set on the record's update time: two questions
   * answered at once each re-read and merge again when the other wrote first, so neither
   * loses the other's events. Only a summarized investigation has a timeline to extend.
   */
  private async extend(id: string, asked: Omit<InvestigationFollowUp, 'added' | 'events'>, result: EventSearchResult): Promise<void> {
    for (let attempt = 0; attempt < MERGE_ATTEMPTS; attempt++) {
      const record = await this.o.store.getInvestigation(id);
      if (!record || !isConclusions(record.result)) return;
      const next: InvestigationRecord = {
        ...record,
        result: withQuestionEvents(record.result, asked, result.entries),
        updatedAt: laterThan(record.updatedAt, new Date(this.clock()).toISOString()),
      };
      if (await this.o.store.transitionInvestigation(record, next)) return;
    }
    throw new Error(`the investigation changed ${MERGE_ATTEMPTS} times while the answer was being added`);
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
