import { type Answers, type QuestionId, QUESTIONS } from './playbooks.ts';

/**
 * An investigation's answers as they are kept: one value per question, and beside it
 * every differing answer people gave later. Answers add to what is known, they never
 * replace it silently: the first value of a question stays (the finding's own, or the
 * first person's), a different one is recorded as disputed with who gave it, shown in
 * the thread, and searched as well wherever a search can take both.
 *
 * Stored as one JSON object: the question ids at the top (as before), `answeredBy` and
 * `disputed` beside them (no question is named so).
 */
export interface DisputedAnswer {
  value: string;
  by: string;
  at: string;
}

export type StoredAnswers = Answers & {
  /** Who gave a kept value; questions absent here were answered by the finding (or the request). */
  answeredBy?: Partial<Record<QuestionId, string>>;
  disputed?: Partial<Record<QuestionId, DisputedAnswer[]>>;
};

/** Enough to show every disagreement; more differing answers to one question are not kept. */
export const MAX_DISPUTED_PER_QUESTION = 10;

const QUESTION_IDS = Object.keys(QUESTIONS) as QuestionId[];

/** The kept value of each question, without the bookkeeping. */
export function keptAnswers(stored: StoredAnswers): Answers {
  const out: Answers = {};
  for (const q of QUESTION_IDS) if (stored[q]) out[q] = stored[q];
  return out;
}

export interface AddedAnswers {
  next: StoredAnswers;
  /** Questions that had no value and now have this person's. */
  taken: QuestionId[];
  /** Questions whose kept value differs from this person's: recorded beside it. */
  disputed: QuestionId[];
  /** Questions answered with the value already kept, or with a differing value already recorded. */
  unchanged: QuestionId[];
  /** Differing answers not recorded because the question has too many already. */
  dropped: QuestionId[];
}

/** Adds a person's answers: open questions take them, answered ones keep theirs and record the difference. */
export function addAnswers(stored: StoredAnswers, given: Answers, by: string, at: string): AddedAnswers {
  const answeredBy: NonNullable<StoredAnswers['answeredBy']> = { ...stored.answeredBy };
  const disputed: NonNullable<StoredAnswers['disputed']> = { ...stored.disputed };
  const next: StoredAnswers = { ...stored, answeredBy, disputed };
  const out: AddedAnswers = { next, taken: [], disputed: [], unchanged: [], dropped: [] };
  for (const q of QUESTION_IDS) {
    const value = given[q];
    if (!value) continue;
    const kept = stored[q];
    if (!kept) {
      next[q] = value;
      answeredBy[q] = by;
      out.taken.push(q);
      continue;
    }
    const others = disputed[q] ?? [];
    if (kept === value || others.some((d) => d.value === value)) out.unchanged.push(q);
    else if (others.length >= MAX_DISPUTED_PER_QUESTION) out.dropped.push(q);
    else {
      disputed[q] = [...others, { value, by, at }];
      out.disputed.push(q);
    }
  }
  if (Object.keys(answeredBy).length === 0) delete next.answeredBy;
  if (Object.keys(disputed).length === 0) delete next.disputed;
  return out;
}

/** How a disagreement bears on the search: what a responder needs to know to trust the result. */
export type SearchEffect = 'all-searched' | 'earliest-used' | 'kept-only' | 'not-searched';

const EFFECT: Record<QuestionId, SearchEffect> = {
  accessKeyId: 'all-searched',
  principal: 'all-searched',
  instanceId: 'all-searched',
  exposedAt: 'earliest-used',
  // One investigation looks in one account: the other one needs its own investigation.
  accountId: 'kept-only',
  rotated: 'not-searched',
};

export interface Disagreement {
  question: QuestionId;
  kept: string;
  /** Who gave the kept value: a Slack user id, or null for the finding (or the request that started it). */
  keptBy: string | null;
  others: DisputedAnswer[];
  effect: SearchEffect;
}

/** Every question people disagreed on, in the playbooks' question order. */
export function disagreements(stored: StoredAnswers): Disagreement[] {
  return QUESTION_IDS.filter((q) => stored[q] && stored.disputed?.[q]?.length).map((q) => ({
    question: q,
    kept: stored[q] as string,
    keptBy: stored.answeredBy?.[q] ?? null,
    others: stored.disputed?.[q] ?? [],
    effect: EFFECT[q],
  }));
}

/** A known answer, with who gave it (null: the finding). */
export interface KnownAnswer {
  question: QuestionId;
  value: string;
  by: string | null;
}

export function knownAnswers(stored: StoredAnswers): KnownAnswer[] {
  return QUESTION_IDS.filter((q) => stored[q]).map((q) => ({ question: q, value: stored[q] as string, by: stored.answeredBy?.[q] ?? null }));
}

/** What gathering searches: the kept answers (the exposure moved to the earliest given) and the disputed identifiers too. */
export interface SearchedAnswers {
  answers: Answers;
  also: { accessKeyIds: string[]; principals: string[]; instanceIds: string[] };
}

export function searchedAnswers(stored: StoredAnswers): SearchedAnswers {
  const answers = keptAnswers(stored);
  const disputed = (q: QuestionId) => (stored.disputed?.[q] ?? []).map((d) => d.value);
  // A later exposure someone gives cannot shorten the window; an earlier one widens it.
  const exposures = [answers.exposedAt, ...disputed('exposedAt')].filter((v): v is string => !!v && !Number.isNaN(Date.parse(v)));
  const earliest = exposures.sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  if (earliest) answers.exposedAt = earliest;
  return { answers, also: { accessKeyIds: disputed('accessKeyId'), principals: disputed('principal'), instanceIds: disputed('instanceId') } };
}
