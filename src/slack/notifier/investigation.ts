import { questionsPostKey } from '../../delivery/post-keys.ts';
import { timelineCsv, timelineJson } from '../../domain/investigation/export.ts';
import type { QuestionId } from '../../domain/investigation/playbooks.ts';
import type { InvestigationNotices } from '../../ports/notices/investigation.ts';
import type { SlackPoster } from '../poster.ts';
import { timelineFileBase } from '../views/file-names.ts';
import { adHocMessage, progressMessage, questionsMessage, replyHelpMessage, summaryMessage, understoodMessage } from '../views/investigation.ts';
import { remediationBlocks } from '../views/remediation.ts';

/** The key of the note of what answers are expected, one per investigation and set of open questions. */
function replyHelpPostKey(investigationId: string, open: QuestionId[]): string {
  return `answer-help:${investigationId}:${[...open].sort().join(',')}`;
}

/** The investigation's notices as messages in its Slack thread, through the paced poster. */
export class SlackInvestigationNotices implements InvestigationNotices {
  constructor(private readonly poster: SlackPoster) {}

  questionsAsked: InvestigationNotices['questionsAsked'] = ({ thread, open, answers, again }) =>
    // A keyed post: a retry after a lost answer finds the first one.
    this.poster.postOnce(thread.channel, questionsMessage(thread.investigationId, open, answers), {
      key: questionsPostKey(thread.investigationId),
      threadTs: thread.threadTs,
      mayExist: again,
      since: thread.startedAt,
    });

  answersRecorded: InvestigationNotices['answersRecorded'] = async ({ thread, questions, open, answers }) => {
    if (questions) await this.poster.update(questions.channel, questions.ts, questionsMessage(thread.investigationId, open, answers));
  };

  replyUnderstood: InvestigationNotices['replyUnderstood'] = async ({ thread, by, reading, added, kept, open }) => {
    await this.poster.post(thread.channel, understoodMessage({ by, reading, added, kept, open }), thread.threadTs);
  };

  answersExpected: InvestigationNotices['answersExpected'] = async ({ thread, open }) => {
    // Slack keeps the record of it (a keyed post), whichever process posted it.
    const key = replyHelpPostKey(
      thread.investigationId,
      open.map((q) => q.id),
    );
    await this.poster.postOnce(thread.channel, replyHelpMessage(open), { key, threadTs: thread.threadTs, mayExist: true, since: thread.startedAt });
  };

  gatheringStarted: InvestigationNotices['gatheringStarted'] = ({ thread, sources }) =>
    this.poster.post(thread.channel, progressMessage(sources), thread.threadTs);

  gatheringProgressed: InvestigationNotices['gatheringProgressed'] = ({ progress, sources }) =>
    this.poster.update(progress.channel, progress.ts, progressMessage(sources));

  investigationSummarized: InvestigationNotices['investigationSummarized'] = async ({ thread, summary, timeline, nextSteps }) => {
    await this.poster.post(thread.channel, summaryMessage(summary, timeline, remediationBlocks(nextSteps)), thread.threadTs);
  };

  timelineShared: InvestigationNotices['timelineShared'] = ({ thread, finding, timeline }) => {
    const base = timelineFileBase(finding);
    return this.poster.upload(
      thread.channel,
      thread.threadTs,
      [
        { filename: `${base}.csv`, content: timelineCsv(timeline) },
        { filename: `${base}.json`, content: timelineJson(timeline) },
      ],
      `Full timeline: ${timeline.length} events`,
    );
  };

  adHocRequested: InvestigationNotices['adHocRequested'] = ({ channel, threadTs, finding, target, requestedBy }) =>
    this.poster.post(channel, adHocMessage(finding, target, requestedBy), threadTs);
}
