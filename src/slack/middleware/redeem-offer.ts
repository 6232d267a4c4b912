import type { Context } from '@slack/bolt';
import type { OfferBook, Redeemed } from '../../actions/offers.ts';
import type { OfferKind } from '../../domain/actions/offers.ts';
import type { Logger } from '../../ports/logger.ts';
import { placeOf } from '../actions/reply.ts';
import type { ActionArgs } from '../router.ts';
import { answerPrivately } from './interaction.ts';

const REDEEMED = 'sirbotRedeemedOffer';

export const redeemedOfferOf = (context: Context): Redeemed | undefined => context[REDEEMED] as Redeemed | undefined;

/** The offer redeemed by redeemOffer, for the listener at the end of its chain. */
export function redeemedOffer(context: Context): Redeemed {
  const offer = redeemedOfferOf(context);
  if (!offer) throw new Error('redeemOffer must come before this listener');
  return offer;
}

/**
 * A button carries the id of an offer its message made: only an offer of one of `kinds`,
 * clicked in its finding's thread, is acted on, and with what the offer holds. Anything
 * else is answered privately with why (`notDone`), and goes no further.
 */
export function redeemOffer(
  offers: Pick<OfferBook, 'redeem'>,
  kinds: readonly OfferKind[],
  logger: Logger,
  notDone: (reason: string) => string = (reason) => `Not done: ${reason}.`,
) {
  return async (args: ActionArgs): Promise<void> => {
    const { body, action } = args;
    const offerId = (action as { value?: string }).value ?? '';
    const offer = await offers.redeem({ offerId, kinds, userId: body.user.id, clickedIn: placeOf(body) });
    if (!offer.ok) return answerPrivately(args, notDone(offer.reason), logger);
    args.context[REDEEMED] = offer;
    await args.next();
  };
}
