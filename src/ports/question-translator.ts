import type { QuestionContext, QuestionReading } from '../domain/investigation/follow-up-questions.ts';

/**
 * Translates a follow-up question the grammar could not read into the same bounded,
 * read-only query (a model, where one is configured). Whatever the model says, the result
 * is a `QuestionReading`: a query checked like the grammar's, or a refusal.
 */
export interface QuestionTranslator {
  /** The model, for the answer and the audit to name. */
  readonly model: string;
  translate(question: string, ctx: QuestionContext): Promise<QuestionReading>;
}
