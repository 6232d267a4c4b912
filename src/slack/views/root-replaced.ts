import { type SlackMessage, mrkdwn } from './blocks.ts';
import { slackDate } from './text.ts';

/**
 * The first reply in a finding's new thread when its earlier root message was gone from
 * Slack (deleted, or a workspace that no longer has it): what happened to the old thread
 * and that this one carries on.
 */
export function rootReplacedReply(postedAt: string | null): SlackMessage {
  const when = postedAt ? ` (posted ${slackDate(postedAt)})` : '';
  return {
    text: 'This finding had a thread that is gone from Slack; this one replaces it.',
    blocks: [
      {
        type: 'context',
        elements: [
          mrkdwn(
            `:leftwards_arrow_with_hook: This finding's earlier thread${when} is gone from Slack (deleted, or its channel is no longer there): this one replaces it. What was said in the old thread is not carried over.`,
          ),
        ],
      },
    ],
  };
}
