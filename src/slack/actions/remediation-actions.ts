import type { BlockAction, ViewSubmitAction } from '@slack/bolt';
import type { ActionArgs, SlackRouter, ViewArgs } from '../router.ts';
import * as z from 'zod';
import type { SlackAppDeps } from '../deps.ts';
import { CALLBACKS, REMEDIATION_ACTIONS } from '../views/action-ids.ts';
import { REMEDIATION_BLOCKS, errorModal, preparingModal } from '../views/remediation.ts';
import { type RemediationTarget, isRemediationChoice } from '../../domain/remediation/remediation.ts';
import type { Redeemed } from '../../actions/offers.ts';
import { acknowledge } from '../middleware/interaction.ts';
import { openModalFirst, openedModal } from '../middleware/modal-first.ts';
import { redeemOffer, redeemedOffer } from '../middleware/redeem-offer.ts';
import { placeOf, replyToPlace } from './reply.ts';
import { type ViewValues, valueIn } from './view-values.ts';

/** Modal metadata comes back from Slack: checked like any other input (an unreadable one names no offer). */
const modalMetadata = z.object({ offerId: z.string().max(100), planHash: z.string().max(64) });

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? 'null');
  } catch {
    return null;
  }
}

/** What an accepted remediation offer runs on: the offer's remediation and inputs, in its finding's thread. */
function targetOf(offer: Redeemed): RemediationTarget {
  const payload = offer.offer.payload;
  // Redeemed as a remediation offer, whose payload is a remediation choice; one without names no remediation, which the service refuses.
  const choice = isRemediationChoice(payload) ? payload : { remediationId: '', inputs: {} };
  return {
    remediationId: choice.remediationId,
    inputs: choice.inputs,
    findingId: offer.offer.findingId,
    channel: offer.record.channel,
    threadTs: offer.record.ts,
  };
}

const TITLE = 'Remediation';

/**
 * Remediation buttons: a click opens the preview at once (a placeholder), then checks
 * the offer it carries and the person's role, and has the preview filled in; the modal's
 * submission names the offer and the plan it showed; Approve/Reject settle destructive
 * requests, Undo reverts. What runs is always the stored offer's remediation and inputs.
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { actions: services, jobs } = deps;
  if (!services || !jobs) return;
  const log = deps.logger;

  app.action<BlockAction>(
    new RegExp(`^${REMEDIATION_ACTIONS.request}:\\d+$`),
    // The trigger expires in 3 seconds; the checks and the preview may take longer: open first, fill in after.
    openModalFirst(TITLE, preparingModal, log),
    redeemOffer(services.offers, ['remediation'], log),
    async ({ context, body }: ActionArgs) => {
      const offer = redeemedOffer(context);
      const { modal } = openedModal(context);
      const target = targetOf(offer);
      // The role depends on the remediation: the service checks it, and audits a refusal.
      const allowed = await services.remediations.authorize(body.user.id, target);
      if (!allowed.allowed) return modal.tell(TITLE, `Not allowed: ${allowed.reason}.`);
      if (!modal.opened) return modal.tell(TITLE, 'Slack did not let sirbot open the preview in time; please click again.');
      await jobs.run({
        kind: 'remediation.preview',
        viewId: modal.opened.id,
        ...(modal.opened.hash ? { hash: modal.opened.hash } : {}),
        offerId: offer.offer.id,
        target,
        replyTo: replyToPlace(placeOf(body)),
      });
    },
  );

  app.view<ViewSubmitAction>(CALLBACKS.remediationModal, async ({ ack, body, view }: ViewArgs) => {
    const meta = modalMetadata.safeParse(parseJson(view.private_metadata));
    const offer = await services.offers.redeem({ offerId: meta.success ? meta.data.offerId : '', kinds: ['remediation'], userId: body.user.id });
    if (!offer.ok || !meta.success)
      return void (await ack({ response_action: 'update', view: errorModal(`Not done: ${offer.ok ? 'the preview is unreadable' : offer.reason}.`) }));
    await ack();
    const target = targetOf(offer);
    const note = valueIn(view.state.values as ViewValues, REMEDIATION_BLOCKS.note);
    const replyTo = { ...(target.channel ? { channel: target.channel } : {}), ...(target.threadTs ? { threadTs: target.threadTs } : {}), user: body.user.id };
    await jobs.run({ kind: 'remediation.request', target, userId: body.user.id, planHash: meta.data.planHash, note, replyTo });
  });

  // Who may approve, reject or undo is the service's call (approver role, not the requester), in the job.
  const settle =
    (verb: 'approve' | 'reject' | 'undo') =>
    async ({ body, action }: ActionArgs) => {
      const actionId = (action as { value?: string }).value ?? '';
      await jobs.run({ kind: `remediation.${verb}`, actionId, userId: body.user.id, replyTo: replyToPlace(placeOf(body)) });
    };
  app.action<BlockAction>(REMEDIATION_ACTIONS.approve, acknowledge, settle('approve'));
  app.action<BlockAction>(REMEDIATION_ACTIONS.reject, acknowledge, settle('reject'));
  app.action<BlockAction>(REMEDIATION_ACTIONS.undo, acknowledge, settle('undo'));
}
