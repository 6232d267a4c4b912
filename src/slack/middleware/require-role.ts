import type { AccessControl } from '../../actions/access.ts';
import type { Auditor } from '../../actions/audit.ts';
import type { Role } from '../../domain/actions/access.ts';
import type { Logger } from '../../ports/logger.ts';
import { type InteractionArgs, answerPrivately, interactionOf } from './interaction.ts';
import { redeemedOfferOf } from './redeem-offer.ts';

/** What a guarded request would do, for the audit record of a refusal. */
export interface Guarded {
  action: string;
  target: string;
  inputs: unknown;
}

/**
 * The action's audit name when the request acts on a redeemed offer's finding (after
 * redeemOffer), or a function saying what the request would do; null: it needs no role.
 */
export type GuardedBy<A> = string | ((args: A) => Guarded | null);

export interface RoleGuardDeps {
  access: Pick<AccessControl, 'check'>;
  audit: Pick<Auditor, 'record'>;
  logger: Logger;
}

/**
 * Bolt listener middleware for requests that change something: the person must hold
 * `role`. A refusal is audited (who, what, where, why) and answered privately; the
 * request goes no further. Used as
 * `router.action(FINDING_ACTIONS.setStatus, …, requireRole('responder', 'status'), openStatusModal)`.
 */
export function roleGuard(deps: RoleGuardDeps) {
  return function requireRole<A extends InteractionArgs>(role: Role, what: GuardedBy<A>) {
    return async (args: A): Promise<void> => {
      const guarded = typeof what === 'string' ? onOffer(args, what) : what(args);
      if (!guarded) return args.next();
      const { user, place } = interactionOf(args);
      const decision = await deps.access.check(user, role);
      if (decision.allowed) return args.next();
      await deps.audit.record({
        actor: user,
        action: guarded.action,
        target: guarded.target,
        inputs: guarded.inputs,
        outcome: 'refused',
        result: { reason: decision.reason },
        channel: place.channel ?? null,
        ts: place.threadTs ?? null,
      });
      await answerPrivately(args, `Not allowed: ${decision.reason}.`, deps.logger);
    };
  };
}

/** A request on an offer acts on the offer's finding. */
function onOffer(args: InteractionArgs, action: string): Guarded {
  const offer = redeemedOfferOf(args.context);
  if (!offer) throw new Error(`requireRole(role, '${action}') must follow redeemOffer`);
  return { action, target: offer.offer.findingId, inputs: {} };
}
