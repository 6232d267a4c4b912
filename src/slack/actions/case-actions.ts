import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { SELF_MANAGED_CASE_STATUSES, type SelfManagedCaseStatus } from '../../aws/security-ir/commands.ts';
import type { SlackAppDeps } from '../app.ts';
import { CASE_ACTIONS } from '../views/action-ids.ts';
import { placeOf, tellPrivately } from './reply.ts';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The buttons on a case message: escalate to the AWS CIRT, move the status, close. */
export function register(app: App, deps: SlackAppDeps): void {
  const services = deps.actions;
  if (!services) return;
  const log = deps.logger;

  app.action<BlockAction>(CASE_ACTIONS.escalate, async ({ ack, body, action, client }: ActionArgs) => {
    await ack();
    const caseId = (action as { value?: string }).value ?? '';
    const result = await services.cases.escalate(caseId, body.user.id);
    if (!result.ok) await tellPrivately(client, placeOf(body), `Not escalated: ${result.reason}`, log);
  });

  app.action<BlockAction>(CASE_ACTIONS.status, async ({ ack, body, action, client }: ActionArgs) => {
    await ack();
    // The case id travels in the block id, since a select's option values name the status.
    const caseId = action.block_id.replace(/^case-/, '');
    const status = (action as { selected_option?: { value?: string } }).selected_option?.value ?? '';
    if (!(SELF_MANAGED_CASE_STATUSES as readonly string[]).includes(status)) return;
    const result = await services.cases.setStatus(caseId, body.user.id, status as SelfManagedCaseStatus);
    if (!result.ok) await tellPrivately(client, placeOf(body), `Case status not changed: ${result.reason}`, log);
  });

  app.action<BlockAction>(CASE_ACTIONS.close, async ({ ack, body, action, client }: ActionArgs) => {
    await ack();
    const result = await services.cases.close((action as { value?: string }).value ?? '', body.user.id);
    if (!result.ok) await tellPrivately(client, placeOf(body), `Case not closed: ${result.reason}`, log);
  });
}
