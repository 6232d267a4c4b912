import type { Finding } from '../../domain/finding.ts';
import type { InvestigationTarget } from '../../domain/investigation/ad-hoc.ts';
import type { AddedAnswers, Disagreement, StoredAnswers } from '../../domain/investigation/answer-book.ts';
import type { ReplyReading } from '../../domain/investigation/free-text-answers.ts';
import type { Answers, Question } from '../../domain/investigation/playbooks.ts';
import type { InvestigationSummary } from '../../domain/investigation/summary.ts';
import type { TimelineEntry } from '../../domain/investigation/timeline.ts';
import type { MessagePlace } from './place.ts';

export type { MessagePlace };

/** Where an investigation speaks: its finding's thread. */
export interface InvestigationThread {
  investigationId: string;
  channel: string;
  threadTs: string;
  /** When the investigation began: nothing it said in the thread is older. */
  startedAt: string;
}

/** How far one evidence source has got. */
export interface SourceProgress {
  source: string;
  pages: number;
  items: number;
  done: boolean;
}

/** A suggested remediation, stored as an offer: whoever takes it up names the offer, nothing else. */
export interface OfferedRemediation {
  offerId: string;
  remediationId: string;
  label: string;
}

/**
 * What the investigation use case tells people, as events; wording, rendering and the
 * files' names and formats are the adapter's. Methods that create a message the use case
 * edits later return its place.
 */
export interface InvestigationNotices {
  /**
   * The open questions, with what is already known, asked once in the thread. `again`: an
   * earlier ask may have reached the thread before its process stopped, so the adapter
   * looks for it before asking.
   */
  questionsAsked(e: { thread: InvestigationThread; open: Question[]; answers: StoredAnswers; again: boolean }): Promise<MessagePlace>;
  /**
   * A responder's answers were recorded (`disputed`: those that differ from a value
   * already kept, recorded beside it): the questions message, when there is one, shows
   * what is known and still open.
   */
  answersRecorded(e: {
    thread: InvestigationThread;
    questions: MessagePlace | null;
    by: string;
    open: Question[];
    answers: StoredAnswers;
    disputed: Disagreement[];
  }): Promise<void>;
  /** What a plain reply was understood as, before anything it starts is said. */
  replyUnderstood(e: {
    thread: InvestigationThread;
    by: string;
    reading: ReplyReading;
    added: Pick<AddedAnswers, 'taken' | 'disputed' | 'unchanged' | 'dropped'>;
    /** The value kept for each question. */
    kept: Answers;
    open: Question[];
  }): Promise<void>;
  /**
   * A responder's reply answered none of the open questions: what each expects. Said at
   * most once per investigation and set of open questions, whichever process says it.
   */
  answersExpected(e: { thread: InvestigationThread; open: Question[] }): Promise<void>;
  /** Gathering began, with every source at nothing yet. */
  gatheringStarted(e: { thread: InvestigationThread; sources: SourceProgress[] }): Promise<MessagePlace>;
  /** Sources have got further (or are all done). */
  gatheringProgressed(e: { thread: InvestigationThread; progress: MessagePlace; sources: SourceProgress[] }): Promise<void>;
  /** The investigation's result: its summary, the timeline behind it, and the remediations offered next. */
  investigationSummarized(e: {
    thread: InvestigationThread;
    summary: InvestigationSummary;
    timeline: TimelineEntry[];
    nextSteps: OfferedRemediation[];
  }): Promise<void>;
  /** The whole timeline, for people to download and keep. */
  timelineShared(e: { thread: InvestigationThread; finding: Finding; timeline: TimelineEntry[] }): Promise<void>;
  /**
   * Someone asked for an investigation nobody's finding started: said in the channel (a
   * new root), or in the thread given. Its place is where the investigation goes on.
   */
  adHocRequested(e: { channel: string; threadTs?: string; finding: Finding; target: InvestigationTarget; requestedBy: string }): Promise<MessagePlace>;
}
