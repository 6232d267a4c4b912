import type { StatsNotices } from '../../ports/notices/stats.ts';
import type { SlackPoster } from '../poster.ts';
import { SlackPostError } from '../slack-errors.ts';
import { statsMessage } from '../views/stats.ts';
import { noticeFailure } from './delivery.ts';

/**
 * The weekly numbers in Slack: looked for by key first (another tick or worker may have
 * posted them), else posted once with the key, the chart uploaded in the post's thread.
 */
export class SlackStatsNotices implements StatsNotices {
  constructor(private readonly poster: SlackPoster) {}

  async weeklyStatsPosted(e: Parameters<StatsNotices['weeklyStatsPosted']>[0]): Promise<'posted' | 'already'> {
    try {
      const found = await this.poster.findPost(e.channel, { key: e.once.key, ...(e.once.since ? { since: e.once.since } : {}) });
      if (found) return 'already';
      const posted = await this.poster.postOnce(e.channel, statsMessage(e.stats, 'The week in findings'), {
        key: e.once.key,
        mayExist: e.once.mayExist,
        ...(e.once.since ? { since: e.once.since } : {}),
      });
      if (e.chart) {
        await this.poster.upload(
          posted.channel,
          posted.ts,
          [{ filename: `findings-${e.stats.window.to.slice(0, 10)}.png`, content: e.chart }],
          'Findings per day',
        );
      }
      return 'posted';
    } catch (err) {
      if (err instanceof SlackPostError) throw noticeFailure(err.failure);
      throw err;
    }
  }
}
