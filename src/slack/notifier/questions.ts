import { timelineCsv, timelineJson } from '../../domain/investigation/export.ts';
import type { QuestionNotices } from '../../ports/notices/questions.ts';
import type { SlackPoster } from '../poster.ts';
import { timelineFileBase } from '../views/file-names.ts';
import { questionAnswerMessage, questionRefusedMessage } from '../views/follow-up.ts';

/** A question's files are named after the investigation's timeline, and the question message. */
function questionFileBase(base: string, key: string): string {
  const ts =
    key
      .split(':')
      .at(-1)
      ?.replace(/[^0-9]/g, '') ?? '';
  return `${base}-question-${ts}`;
}

/**
 * Answers to follow-up questions, in the finding's thread: one keyed post per question
 * message (a second delivery finds the first answer in Slack), and files for what does
 * not fit: every event found (CSV and JSON, as the investigation's timeline) and the
 * queries.
 */
export class SlackQuestionNotices implements QuestionNotices {
  constructor(private readonly poster: SlackPoster) {}

  questionAnswered: QuestionNotices['questionAnswered'] = async ({ thread, key, by, question, read, result, refusedBy, finding, coverage }) => {
    const { message, needsFiles } = questionAnswerMessage({ by, question, read, result, refusedBy, ...(coverage ? { coverage } : {}) });
    await this.poster.postOnce(thread.channel, message, { key, threadTs: thread.threadTs, mayExist: true, since: thread.startedAt });
    const base = questionFileBase(timelineFileBase(finding), key);
    const files = [
      ...(needsFiles.events
        ? [
            { filename: `${base}.csv`, content: timelineCsv(result.entries) },
            { filename: `${base}.json`, content: timelineJson(result.entries) },
          ]
        : []),
      ...(needsFiles.queries ? [{ filename: `${base}-queries.txt`, content: `${result.queries.join('\n')}\n` }] : []),
    ];
    if (files.length > 0) await this.poster.upload(thread.channel, thread.threadTs, files, `Question's events: ${result.entries.length}`);
  };

  questionRefused: QuestionNotices['questionRefused'] = async ({ thread, key, by, question, reason, read, refusedBy }) => {
    await this.poster.postOnce(thread.channel, questionRefusedMessage({ by, question, reason, ...(read ? { read } : {}), refusedBy }), {
      key,
      threadTs: thread.threadTs,
      mayExist: true,
      since: thread.startedAt,
    });
  };
}
