import type { WebClient } from '@slack/web-api';
import type { Logger } from '../ports/logger.ts';
import type { Notice, RemediationPreviewReply, Replies, ReplyTo } from '../ports/replies.ts';
import { tellPrivately } from './actions/reply.ts';
import { noticeText } from './views/notices.ts';
import { errorModal, remediationModal } from './views/remediation.ts';

/** The command bus's answers in Slack: ephemeral messages where the person acted, and views.update for the modal a click opened. */
export class SlackReplies implements Replies {
  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
  ) {}

  async tellPrivately(replyTo: ReplyTo, notice: Notice): Promise<void> {
    await tellPrivately(this.client, { channel: replyTo.channel, threadTs: replyTo.threadTs, user: replyTo.user }, noticeText(notice), this.logger);
  }

  async showRemediationPreview({ viewId, hash, offerId, preview }: RemediationPreviewReply): Promise<void> {
    const view = 'error' in preview ? errorModal(`This remediation cannot run: ${preview.error}`) : remediationModal(preview, offerId);
    // The hash is the placeholder's: a modal the person closed or that changed meanwhile is left alone.
    await this.client.views
      .update({ view_id: viewId, ...(hash ? { hash } : {}), view })
      .catch((err: unknown) => this.logger.warn({ err, view: viewId }, 'could not fill in the remediation preview'));
  }
}
