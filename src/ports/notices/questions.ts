import type { Finding } from '../../domain/finding.ts';
import type { RegionCoverage } from '../../domain/investigation/region-coverage.ts';
import type { EventSearchResult } from '../event-search.ts';
import type { InvestigationThread } from './investigation.ts';

/** A source that would not answer a question's query, and why (event history cannot search by IP…). */
export interface SourceRefusal {
  via: string;
  reason: string;
}

/** How a question was read: by the fixed grammar, or translated by a model into the same bounded query. */
export interface QuestionRead {
  by: 'grammar' | 'model';
  /** What each part was read as, in words. */
  understood: string[];
  /** `principals`: the answer lists who, not every event. */
  wants: 'events' | 'principals';
}

/**
 * What a responder's follow-up question in a finding's thread gets back. Each is said
 * once per question message (`key`), however often the message is delivered.
 */
export interface QuestionNotices {
  /** The result: the events (a bounded list; all of them in files), which source answered, which refused, and the exact queries run. */
  questionAnswered(e: {
    thread: InvestigationThread;
    key: string;
    by: string;
    question: string;
    read: QuestionRead;
    result: EventSearchResult;
    refusedBy: SourceRefusal[];
    /** For the files' names. */
    finding: Finding;
    /** Which regions were searched, against the account's enabled ones, and which failed. */
    coverage?: RegionCoverage;
  }): Promise<void>;
  /** Not answered: what could not be bounded or understood, or why no source could answer. */
  questionRefused(e: {
    thread: InvestigationThread;
    key: string;
    by: string;
    question: string;
    reason: string;
    read?: QuestionRead;
    refusedBy: SourceRefusal[];
  }): Promise<void>;
}
