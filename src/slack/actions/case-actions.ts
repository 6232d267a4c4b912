import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackRouter } from '../router.ts';
import { SELF_MANAGED_CASE_STATUSES, type SelfManagedCaseStatus } from '../../domain/actions/case-status.ts';
import type { SlackAppDeps } from '../deps.ts';
import { AGENT_ACTIONS, CASE_ACTIONS } from '../views/action-ids.ts';
import { placeOf, replyToPlace } from './reply.ts';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The buttons on a case message (escalate to the AWS CIRT, move the status, close) and on the agent's results. */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { actions, jobs } = deps;
  if (!actions || !jobs) return;

  app.action<BlockAction>(CASE_ACTIONS.escalate, async ({ ack, body, action }: ActionArgs) => {
    await ack();
    await jobs.run({ kind: 'case.escalate', caseId: (action as { value?: string }).value ?? '', userId: body.user.id, replyTo: replyToPlace(placeOf(body)) });
  });

  app.action<BlockAction>(CASE_ACTIONS.status, async ({ ack, body, action }: ActionArgs) => {
    await ack();
    // The case id travels in the block id, since a select's option values name the status.
    const caseId = action.block_id.replace(/^case-/, '');
    const status = (action as { selected_option?: { value?: string } }).selected_option?.value ?? '';
    if (!(SELF_MANAGED_CASE_STATUSES as readonly string[]).includes(status)) return;
    await jobs.run({ kind: 'case.status', caseId, status: status as SelfManagedCaseStatus, userId: body.user.id, replyTo: replyToPlace(placeOf(body)) });
  });

  // The investigative agent's results: Useful / Not useful, from the case's thread (the use case checks it is that case's).
  for (const [actionId, usefulness] of [
    [AGENT_ACTIONS.useful, 'USEFUL'],
    [AGENT_ACTIONS.notUseful, 'NOT_USEFUL'],
  ] as const) {
    app.action<BlockAction>(actionId, async ({ ack, body, action }: ActionArgs) => {
      await ack();
      const [caseId = '', resultId = ''] = ((action as { value?: string }).value ?? '').split(':');
      const place = placeOf(body);
      if (!place.channel || !place.threadTs || !/^\d{10,32}$/.test(caseId) || !/^inv-[a-z0-9]{10,32}$/.test(resultId)) return;
      await jobs.run({
        kind: 'case.agentFeedback',
        caseId,
        resultId,
        usefulness,
        userId: body.user.id,
        clickedIn: { channel: place.channel, threadTs: place.threadTs },
        replyTo: replyToPlace(place),
      });
    });
  }

  app.action<BlockAction>(CASE_ACTIONS.close, async ({ ack, body, action }: ActionArgs) => {
    await ack();
    await jobs.run({ kind: 'case.close', caseId: (action as { value?: string }).value ?? '', userId: body.user.id, replyTo: replyToPlace(placeOf(body)) });
  });
}
