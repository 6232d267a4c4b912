import type { BlockAction, ViewSubmitAction } from '@slack/bolt';
import * as z from 'zod';
import { SNOOZE_DURATIONS, SNOOZE_ENTITIES, SNOOZE_REASON_MAX, type SnoozeCriteria, entitiesOf } from '../../domain/actions/snooze.ts';
import type { SlackAppDeps } from '../deps.ts';
import { publishHome } from '../events/app-home.ts';
import { acknowledge } from '../middleware/interaction.ts';
import { openModalFirst, openedModal } from '../middleware/modal-first.ts';
import { redeemOffer, redeemedOffer } from '../middleware/redeem-offer.ts';
import { roleGuard } from '../middleware/require-role.ts';
import type { ActionArgs, SlackRouter, ViewArgs } from '../router.ts';
import { CALLBACKS, FINDING_ACTIONS, SNOOZE_ACTIONS } from '../views/action-ids.ts';
import { loadingModal, noticeModal } from '../views/modal.ts';
import { SNOOZE_BLOCKS, snoozeModal } from '../views/snooze.ts';
import { placeOf, replyToPlace } from './reply.ts';

const TITLE = 'Snooze similar';

/** Modal metadata comes back from Slack: checked like any other input (an unreadable one names no offer). */
const metadataSchema = z.object({ offerId: z.string().max(100) });

/** What the modal submits, as Slack sends it: the ticked entities, a duration offered, a reason. */
const formSchema = z.object({
  [SNOOZE_BLOCKS.entities]: z.object({ value: z.object({ selected_options: z.array(z.object({ value: z.enum(SNOOZE_ENTITIES) })).max(4) }) }),
  [SNOOZE_BLOCKS.for]: z.object({
    value: z.object({ selected_option: z.object({ value: z.enum(Object.keys(SNOOZE_DURATIONS) as [keyof typeof SNOOZE_DURATIONS]) }) }),
  }),
  [SNOOZE_BLOCKS.reason]: z.object({ value: z.object({ value: z.string().max(SNOOZE_REASON_MAX).nullable().optional() }) }),
});

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text || 'null');
  } catch {
    return null;
  }
}

/** Field errors for the modal, or what it asks for (the entities by name only: their values are the offer's finding's). */
function parseForm(
  values: unknown,
): { errors: Record<string, string> } | { entities: Array<(typeof SNOOZE_ENTITIES)[number]>; seconds: number; reason: string } {
  const parsed = formSchema.safeParse(values);
  if (!parsed.success) {
    const block = String(parsed.error.issues[0]?.path[0] ?? SNOOZE_BLOCKS.entities);
    return { errors: { [block]: 'this value cannot be read; choose again' } };
  }
  const entities = parsed.data[SNOOZE_BLOCKS.entities].value.selected_options.map((o) => o.value);
  const reason = (parsed.data[SNOOZE_BLOCKS.reason].value.value ?? '').trim();
  if (entities.length === 0) return { errors: { [SNOOZE_BLOCKS.entities]: 'tick at least one' } };
  if (!reason) return { errors: { [SNOOZE_BLOCKS.reason]: 'say why (everyone in the thread will read it)' } };
  return { entities, seconds: SNOOZE_DURATIONS[parsed.data[SNOOZE_BLOCKS.for].value.selected_option.value], reason };
}

/**
 * Snooze similar (a root button) and App Home's Cancel. The button opens its modal
 * first, then checks the offer and the role, and shows the finding's entities; the
 * submission is checked again (form, offer) and queued as a `snooze.create` job keyed by
 * the modal's view id, so submitting twice makes one snooze. The snoozed values are
 * always the offer's finding's, never what the click or the form carried.
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { actions: services, jobs } = deps;
  if (!services || !jobs) return;
  const log = deps.logger;
  const requireRole = roleGuard({ access: services.access, audit: services.audit, logger: log });

  app.action<BlockAction>(
    FINDING_ACTIONS.snooze,
    openModalFirst(TITLE, () => loadingModal(TITLE, 'Reading the finding…'), log),
    redeemOffer(services.offers, ['snooze'], log),
    requireRole('responder', 'snooze.create'),
    async ({ context }: ActionArgs) => {
      const offer = redeemedOffer(context);
      await openedModal(context).modal.show(snoozeModal(offer.finding, entitiesOf(offer.finding), offer.offer.id));
    },
  );

  app.view<ViewSubmitAction>(CALLBACKS.snoozeModal, async ({ ack, body, view }: ViewArgs) => {
    const form = parseForm(view.state.values);
    if ('errors' in form) return void (await ack({ response_action: 'errors', errors: form.errors }));
    const meta = metadataSchema.safeParse(parseJson(view.private_metadata));
    const offer = await services.offers.redeem({ offerId: meta.success ? meta.data.offerId : '', kinds: ['snooze'], userId: body.user.id });
    if (!offer.ok) return void (await ack({ response_action: 'update', view: noticeModal(TITLE, `Not snoozed: ${offer.reason}.`) }));
    const all = entitiesOf(offer.finding);
    const criteria = Object.fromEntries(SNOOZE_ENTITIES.map((e) => [e, form.entities.includes(e) ? all[e] : null])) as SnoozeCriteria;
    await ack();
    const thread = offer.record.ts ? { channel: offer.record.channel, threadTs: offer.record.ts } : null;
    await jobs.run({
      kind: 'snooze.create',
      requestKey: view.id,
      findingId: offer.offer.findingId,
      criteria,
      seconds: form.seconds,
      reason: form.reason,
      userId: body.user.id,
      place: thread,
      replyTo: { user: body.user.id, ...(thread ? { channel: thread.channel, threadTs: thread.threadTs } : {}) },
    });
  });

  app.action<BlockAction>(
    SNOOZE_ACTIONS.cancel,
    acknowledge,
    requireRole<ActionArgs>('responder', ({ action }) => ({
      action: 'snooze.cancel',
      target: String((action as { value?: string }).value ?? '').slice(0, 100),
      inputs: {},
    })),
    async ({ body, action, client }: ActionArgs) => {
      const snoozeId = String((action as { value?: string }).value ?? '').slice(0, 100);
      await jobs.run({ kind: 'snooze.cancel', snoozeId, userId: body.user.id, replyTo: replyToPlace(placeOf(body)) });
      // Clicked on App Home, where no message can answer: the Home is drawn again without it.
      if (body.view?.type === 'home' && deps.store) {
        await publishHome(client, body.user.id, { store: deps.store, actions: services }, { without: snoozeId }).catch((err: unknown) =>
          log.warn({ err }, 'could not redraw App Home'),
        );
      }
    },
  );
}
