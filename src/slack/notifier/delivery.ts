import type { Change } from '../../domain/delivery/versions.ts';
import type { Finding } from '../../domain/finding.ts';
import { type DeliveryNotices, type DigestBreakdown, type FindingRoot, NoticeFailed, type MessagePlace, type SendOnce } from '../../ports/notices/delivery.ts';
import type { DigestMember, DigestRecord } from '../../ports/store.ts';
import type { SlackPoster } from '../poster.ts';
import { SlackPostError, type SlackFailure, classifySlackError, rootIsGone } from '../slack-errors.ts';
import { digestLine, digestListingMessage, digestRootMessage } from '../views/digest-message.ts';
import { findingMessage } from '../views/finding-message.ts';
import { rootReplacedReply } from '../views/root-replaced.ts';
import { digestMemberUpdateReply, updateReply } from '../views/update-reply.ts';

/** A Slack failure as the delivery use cases weigh it. */
export function noticeFailure(failure: SlackFailure): NoticeFailed {
  if (rootIsGone(failure)) return new NoticeFailed('gone', failure.reason);
  return new NoticeFailed(failure.kind === 'permanent' ? 'permanent' : 'transient', failure.reason);
}

/** A call that failed in Slack, as a NoticeFailed. */
async function plainCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw noticeFailure(classifySlackError(err));
  }
}

/** A keyed post: the poster's own failure becomes a NoticeFailed; what `beforeSend` threw passes through. */
async function keyedCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof SlackPostError) throw noticeFailure(err.failure);
    throw err;
  }
}

/** Delivery's notices, drawn by the Slack views and sent by the poster (paced, keyed posts looked for before a second send). */
export class SlackDeliveryNotices implements DeliveryNotices {
  constructor(private readonly poster: SlackPoster) {}

  postRoot(channel: string, root: FindingRoot, once: SendOnce): Promise<MessagePlace> {
    const message = findingMessage(root.finding, root.decision, root.features, root.marks, root.offers);
    return keyedCall(() => this.poster.postOnce(channel, message, once));
  }

  redrawRoot(at: MessagePlace, root: FindingRoot): Promise<void> {
    const message = findingMessage(root.finding, root.decision, root.features, root.marks, root.offers);
    return plainCall(() => this.poster.update(at.channel, at.ts, message));
  }

  async findingUpdated(root: MessagePlace, finding: Finding, changes: Change[]): Promise<void> {
    await plainCall(() => this.poster.post(root.channel, updateReply(finding, changes), root.ts));
  }

  async rootReplaced(root: MessagePlace, earlierPostedAt: string | null): Promise<void> {
    await plainCall(() => this.poster.post(root.channel, rootReplacedReply(earlierPostedAt), root.ts));
  }

  async digestLine(finding: Finding): Promise<string> {
    return digestLine(finding);
  }

  postDigestRoot(channel: string, digest: DigestRecord, breakdown: DigestBreakdown, once: SendOnce): Promise<MessagePlace> {
    return keyedCall(() => this.poster.postOnce(channel, digestRootMessage(digest, breakdown), once));
  }

  async postDigestListing(root: MessagePlace, members: DigestMember[], total: number, once: SendOnce): Promise<void> {
    await keyedCall(() => this.poster.postOnce(root.channel, digestListingMessage(members, total), { ...once, threadTs: root.ts }));
  }

  redrawDigestRoot(at: MessagePlace, digest: DigestRecord, breakdown: DigestBreakdown): Promise<void> {
    return plainCall(() => this.poster.update(at.channel, at.ts, digestRootMessage(digest, breakdown)));
  }

  async digestMemberUpdated(root: MessagePlace, finding: Finding, changes: Change[]): Promise<void> {
    await plainCall(() => this.poster.post(root.channel, digestMemberUpdateReply(finding, changes), root.ts));
  }

  idle(): Promise<void> {
    return this.poster.idle();
  }
}
