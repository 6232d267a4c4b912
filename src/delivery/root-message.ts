import type { RootOffers } from '../domain/actions/offers.ts';
import type { Finding } from '../domain/finding.ts';
import type { RouteDecision } from '../domain/routing/decision.ts';
import type { DeliveryNotices, FindingRoot, MessagePlace, RootFeatures, RootMarks, SendOnce } from '../ports/notices/delivery.ts';

export interface RootMessagesOptions {
  notices: DeliveryNotices;
  /** What this runtime can do from a root message (investigate; set status, open a case, acknowledge). */
  features?: Partial<RootFeatures>;
  /** What people did to a finding from Slack, shown on its root message. */
  marks?: (findingId: string) => Promise<RootMarks>;
  /** Stores the offers behind the root's action buttons before the message is posted or redrawn. */
  offers?: (finding: Finding, features: RootFeatures, marks: RootMarks) => Promise<RootOffers>;
}

/**
 * A finding's root message as it is now: the finding, what the rules decided, what people
 * did to it and the offers behind its buttons, read (and the offers stored) every time it
 * is posted or drawn again, so a redraw shows the latest of each.
 */
export class RootMessages {
  private readonly features: RootFeatures;

  constructor(private readonly o: RootMessagesOptions) {
    this.features = { investigate: o.features?.investigate ?? false, actions: o.features?.actions ?? false };
  }

  async current(finding: Finding, decision: RouteDecision): Promise<FindingRoot> {
    const features = this.features;
    const marks = (await this.o.marks?.(finding.id)) ?? {};
    const offers = (await this.o.offers?.(finding, features, marks)) ?? {};
    return { finding, decision, features, marks, offers };
  }

  /** Posts the root exactly once (see SendOnce). */
  async post(channel: string, finding: Finding, decision: RouteDecision, once: SendOnce): Promise<MessagePlace> {
    return this.o.notices.postRoot(channel, await this.current(finding, decision), once);
  }

  async redraw(at: MessagePlace, finding: Finding, decision: RouteDecision): Promise<void> {
    await this.o.notices.redrawRoot(at, await this.current(finding, decision));
  }
}
