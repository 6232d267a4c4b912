import type { BlockAction, ViewSubmitAction } from '@slack/bolt';
import * as z from 'zod';
import type { ActionArgs, SlackRouter, ViewArgs } from '../router.ts';
import type { SlackAppDeps } from '../deps.ts';
import type { OfferKind } from '../../domain/actions/offers.ts';
import { CALLBACKS, FINDING_ACTIONS } from '../views/action-ids.ts';
import { caseModal } from '../views/case.ts';
import { loadingModal, noticeModal } from '../views/modal.ts';
import { STATUS_BLOCKS, isWorkflowStatus, statusModal } from '../views/status.ts';
import { parseCaseForm } from './case-form.ts';
import { acknowledge } from '../middleware/interaction.ts';
import { openModalFirst, openedModal } from '../middleware/modal-first.ts';
import { redeemOffer, redeemedOffer } from '../middleware/redeem-offer.ts';
import { roleGuard } from '../middleware/require-role.ts';
import { placeOf, replyToPlace } from './reply.ts';
import { type ViewValues, valueIn } from './view-values.ts';

/** Private answers about a finding go to its thread. */
function replyToFinding(record: { channel: string; ts: string | null }, user: string) {
  return { channel: record.channel, ...(record.ts ? { threadTs: record.ts } : {}), user };
}

/** Modal metadata comes back from Slack: checked like any other input (an unreadable one names no offer). */
const statusMetadata = z.object({ offerId: z.string().max(100) });
const caseMetadata = z.object({ offerId: z.string().max(100), start: z.string().max(40).nullable().optional() });

function metadata<T>(schema: z.ZodType<T>, view: { private_metadata?: string }): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(view.private_metadata || 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const STATUS_TITLE = 'Set workflow status';
const CASE_TITLE = 'Open SIR case';

/**
 * A finding's root message (and the escalation's proposal): Set status, Open SIR case,
 * Acknowledge. Each button carries the id of an offer; only an offer of this finding,
 * clicked in its thread, is acted on, and with what the offer holds. A button that opens
 * a modal opens it first (a placeholder), then checks the offer and the person's role
 * (middleware, in that order) and fills it in, or shows why not; submissions are checked again.
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { actions: services, jobs } = deps;
  if (!services || !deps.store || !jobs) return;
  const log = deps.logger;
  const requireRole = roleGuard({ access: services.access, audit: services.audit, logger: log });

  app.action<BlockAction>(
    FINDING_ACTIONS.setStatus,
    openModalFirst(STATUS_TITLE, () => loadingModal(STATUS_TITLE, 'Loading the finding…'), log),
    redeemOffer(services.offers, ['status'], log),
    requireRole('responder', 'status'),
    async ({ context }: ActionArgs) => {
      const offer = redeemedOffer(context);
      await openedModal(context).modal.show(statusModal(offer.finding, offer.offer.id));
    },
  );

  app.view<ViewSubmitAction>(CALLBACKS.statusModal, async ({ ack, body, view }: ViewArgs) => {
    const values = view.state.values as ViewValues;
    const status = valueIn(values, STATUS_BLOCKS.status);
    if (!isWorkflowStatus(status)) return void (await ack({ response_action: 'errors', errors: { [STATUS_BLOCKS.status]: 'choose a status' } }));
    const offer = await services.offers.redeem({ offerId: metadata(statusMetadata, view)?.offerId ?? '', kinds: ['status'], userId: body.user.id });
    if (!offer.ok) return void (await ack({ response_action: 'update', view: noticeModal(STATUS_TITLE, `Not done: ${offer.reason}.`) }));
    await ack();
    await jobs.run({
      kind: 'status.set',
      findingId: offer.offer.findingId,
      status,
      note: valueIn(values, STATUS_BLOCKS.note),
      userId: body.user.id,
      ...(body.user.name ? { userName: body.user.name } : {}),
      replyTo: replyToFinding(offer.record, body.user.id),
    });
  });

  const openCaseModal = (kind: Extract<OfferKind, 'case' | 'case-cirt'>) =>
    [
      openModalFirst(CASE_TITLE, () => loadingModal(CASE_TITLE, 'Drafting the case from the finding and its investigation…'), log),
      redeemOffer(services.offers, [kind], log),
      requireRole('responder', 'case.create'),
      async ({ context, body }: ActionArgs) => {
        const offer = redeemedOffer(context);
        const { modal } = openedModal(context);
        const draft = await services.cases.draft(offer.offer.findingId, body.user.id);
        if (!draft) return modal.tell(CASE_TITLE, 'sirbot no longer knows this finding.');
        await modal.show(caseModal(draft.finding, draft.draft, draft.watchers, kind === 'case-cirt', offer.offer.id));
      },
    ] as const;
  app.action<BlockAction>(FINDING_ACTIONS.openCase, ...openCaseModal('case'));
  app.action<BlockAction>(FINDING_ACTIONS.openCaseCirt, ...openCaseModal('case-cirt'));

  app.view<ViewSubmitAction>(CALLBACKS.caseModal, async ({ ack, body, view }: ViewArgs) => {
    const meta = metadata(caseMetadata, view);
    const parsed = parseCaseForm(view.state.values as ViewValues, meta?.start ?? null);
    if ('errors' in parsed) return void (await ack({ response_action: 'errors', errors: parsed.errors }));
    // Both modals open the finding's one case; the form says who resolves it.
    const offer = await services.offers.redeem({ offerId: meta?.offerId ?? '', kinds: ['case', 'case-cirt'], userId: body.user.id });
    if (!offer.ok) return void (await ack({ response_action: 'update', view: noticeModal(CASE_TITLE, `Not done: ${offer.reason}.`) }));
    // Creating the case may take longer than Slack waits for an answer: close the modal first.
    await ack();
    await jobs.run({
      kind: 'case.open',
      findingId: offer.offer.findingId,
      userId: body.user.id,
      form: parsed.form,
      replyTo: replyToFinding(offer.record, body.user.id),
    });
  });

  app.action<BlockAction>(
    FINDING_ACTIONS.acknowledge,
    acknowledge,
    redeemOffer(services.offers, ['acknowledge'], log, (reason) => `Not acknowledged: ${reason}.`),
    async ({ context, body }: ActionArgs) => {
      const offer = redeemedOffer(context);
      await jobs.run({ kind: 'acknowledge', findingId: offer.offer.findingId, userId: body.user.id, replyTo: replyToPlace(placeOf(body)) });
    },
  );
}
