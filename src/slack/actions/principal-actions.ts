import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { PRINCIPAL_ANSWERS } from '../../domain/actions/principal-check.ts';
import type { SlackAppDeps } from '../deps.ts';
import { acknowledge } from '../middleware/interaction.ts';
import type { SlackRouter } from '../router.ts';
import { PRINCIPAL_ACTIONS } from '../views/action-ids.ts';
import { placeOf, replyToPlace } from './reply.ts';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** "Was this you?" answered in the direct message: the use case checks it is the person asked. */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { actions, jobs } = deps;
  if (!actions?.principalCheck || !jobs) return;
  for (const answer of PRINCIPAL_ANSWERS) {
    app.action<BlockAction>(PRINCIPAL_ACTIONS.answer(answer), acknowledge, async ({ body, action }: ActionArgs) => {
      const checkId = (action as { value?: string }).value ?? '';
      if (!/^principal-check-[0-9a-f]{32}$/.test(checkId)) return;
      await jobs.run({ kind: 'principal.answer', checkId, userId: body.user.id, answer, replyTo: replyToPlace(placeOf(body)) });
    });
  }
}
