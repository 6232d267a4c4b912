import { type CustomActionDoing, DEFAULT_CUSTOM_ACTIONS, type FollowUpRequest, customActionFor } from '../domain/routing/custom-actions.ts';
import type { RuleSet } from '../domain/routing/rules.ts';
import type { Logger } from '../ports/logger.ts';
import type { CustomActionNotices } from '../ports/notices/actions.ts';
import type { Store } from '../ports/store.ts';
import type { Auditor } from './audit.ts';
import { deliveredFinding } from './finding-snapshot.ts';
import type { OfferBook } from './offers.ts';

export interface CustomActionsDeps {
  store: Store;
  rules: () => RuleSet;
  audit: Auditor;
  offers: Pick<OfferBook, 'offer'>;
  notices: CustomActionNotices;
  /** Starts the finding's investigation in its thread; absent where the runtime gathers no evidence. */
  investigate?: (findingId: string, channel: string, threadTs: string) => Promise<unknown>;
  logger: Logger;
  clock?: () => number;
}

export type CustomActionOutcome =
  | { outcome: 'done'; doing: CustomActionDoing }
  | { outcome: 'already'; doing: CustomActionDoing }
  | { outcome: 'unmapped' | 'unavailable' };

/** A console click repeated within this time (or its event delivered again) is the same request. */
const SAME_REQUEST_SECONDS = 600;

/** Who the audit log names: the console user is not in the event, the custom action is. */
const ACTOR = 'securityhub:custom-action';

/**
 * What a finding asks beyond its delivery. AWS Health's exposed key: its investigation
 * starts at once. A Security Hub custom action: what its name asks, as the rules file
 * maps its name: `investigate` starts the finding's investigation in its thread (the
 * questions first, as for any finding), `open-case` puts an "Open SIR case" button in the
 * thread (a modal needs a person's click to open). The mapping is the authorization,
 * like a rule's; each is done once per finding and audited. A finding not in Slack yet is
 * an error, so a queued request is retried after its delivery.
 */
export class CustomActions {
  private readonly clock: () => number;

  constructor(private readonly d: CustomActionsDeps) {
    this.clock = d.clock ?? Date.now;
  }

  async apply(findingId: string, request: FollowUpRequest): Promise<CustomActionOutcome> {
    const actionName = 'actionName' in request ? request.actionName : request.investigateBecause;
    const doing = 'actionName' in request ? customActionFor(this.d.rules().customActions ?? DEFAULT_CUSTOM_ACTIONS, actionName) : 'investigate';
    if (!doing) {
      this.d.logger.info({ findingId, actionName }, 'Security Hub custom action the rules file does not map: the finding is posted, nothing more');
      return { outcome: 'unmapped' };
    }
    if (doing === 'investigate' && !this.d.investigate) return { outcome: 'unavailable' };
    const delivered = await deliveredFinding(this.d.store, findingId);
    const channel = delivered?.record.channel;
    const threadTs = delivered?.record.ts;
    if (!channel || !threadTs) throw new Error(`finding ${findingId} is not in Slack yet: the custom action waits for its delivery`);
    const now = new Date(this.clock()).toISOString();
    if (!(await this.d.store.claimKey(`custom-action:${findingId}:${doing}`, SAME_REQUEST_SECONDS, now))) return { outcome: 'already', doing };
    const thread = { channel, threadTs };
    if (doing === 'investigate') {
      if ('actionName' in request) await this.d.notices.customActionTaken({ thread, actionName, doing });
      await this.d.investigate?.(findingId, channel, threadTs);
    } else {
      const caseOffer = await this.d.offers.offer(findingId, 'case');
      await this.d.notices.customActionTaken({ thread, actionName, doing, caseOffer });
    }
    await this.d.audit.record({
      actor: 'actionName' in request ? ACTOR : 'sirbot',
      action: 'actionName' in request ? `custom-action.${doing}` : 'investigate',
      target: findingId,
      inputs: 'actionName' in request ? { actionName } : { because: actionName },
      outcome: 'executed',
      channel,
      ts: threadTs,
    });
    return { outcome: 'done', doing };
  }
}
