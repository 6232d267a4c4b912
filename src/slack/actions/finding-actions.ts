import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { SlackRouter } from '../router.ts';
import type { SlackAppDeps } from '../app.ts';
import { CALLBACKS, FINDING_ACTIONS } from '../views/action-ids.ts';
import { caseModal } from '../views/case.ts';
import { STATUS_BLOCKS, isWorkflowStatus, statusModal } from '../views/status.ts';
import { deliveredFinding } from '../../actions/finding-snapshot.ts';
import { parseCaseForm } from './case-form.ts';
import { placeOf, replyToPlace, tellPrivately } from './reply.ts';
import { type ViewValues, valueIn } from './view-values.ts';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const valueOf = (action: BlockAction['actions'][number]) => (action as { value?: string }).value ?? '';

/** Private answers about a finding go to its thread. */
function replyToFinding(record: { channel: string; ts: string | null } | null, user: string) {
  return { ...(record ? { channel: record.channel } : {}), ...(record?.ts ? { threadTs: record.ts } : {}), user };
}

function metadata<T>(view: { private_metadata?: string }): Partial<T> {
  try {
    return JSON.parse(view.private_metadata || '{}') as Partial<T>;
  } catch {
    return {};
  }
}

/**
 * A finding's root message: Set status, Open SIR case, Acknowledge. Each checks the
 * person's role before showing anything, and again when the modal is submitted.
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { actions: services, jobs } = deps;
  if (!services || !deps.store || !jobs) return;
  const store = deps.store;
  const log = deps.logger;

  app.action<BlockAction>(FINDING_ACTIONS.setStatus, async ({ ack, body, action, client }: ActionArgs) => {
    await ack();
    const place = placeOf(body);
    const allowed = await services.access.check(body.user.id, 'responder');
    if (!allowed.allowed) {
      await services.audit.record({ actor: body.user.id, action: 'status', target: valueOf(action), inputs: {}, outcome: 'refused', result: { reason: allowed.reason }, channel: place.channel ?? null, ts: place.threadTs ?? null });
      return tellPrivately(client, place, `Not allowed: ${allowed.reason}.`, log);
    }
    const delivered = await deliveredFinding(store, valueOf(action));
    if (!delivered) return tellPrivately(client, place, 'sirbot no longer knows this finding.', log);
    await client.views.open({ trigger_id: body.trigger_id, view: statusModal(delivered.finding) as never });
  });

  app.view<ViewSubmitAction>(CALLBACKS.statusModal, async ({ ack, body, view }: ViewArgs) => {
    const values = view.state.values as ViewValues;
    const status = valueIn(values, STATUS_BLOCKS.status);
    if (!isWorkflowStatus(status)) return void (await ack({ response_action: 'errors', errors: { [STATUS_BLOCKS.status]: 'choose a status' } }));
    await ack();
    const { findingId } = metadata<{ findingId: string }>(view);
    if (!findingId) return;
    const record = await store.getFinding(findingId);
    await jobs.run({
      kind: 'status.set',
      findingId,
      status,
      note: valueIn(values, STATUS_BLOCKS.note),
      userId: body.user.id,
      ...(body.user.name ? { userName: body.user.name } : {}),
      replyTo: replyToFinding(record, body.user.id),
    });
  });

  const openCaseModal = (engageCirt: boolean) => async ({ ack, body, action, client }: ActionArgs) => {
    await ack();
    const place = placeOf(body);
    const findingId = valueOf(action);
    const allowed = await services.access.check(body.user.id, 'responder');
    if (!allowed.allowed) {
      await services.audit.record({ actor: body.user.id, action: 'case.create', target: findingId, inputs: {}, outcome: 'refused', result: { reason: allowed.reason }, channel: place.channel ?? null, ts: place.threadTs ?? null });
      return tellPrivately(client, place, `Not allowed: ${allowed.reason}.`, log);
    }
    const draft = await services.cases.draft(findingId, body.user.id);
    if (!draft) return tellPrivately(client, place, 'sirbot no longer knows this finding.', log);
    await client.views.open({ trigger_id: body.trigger_id, view: caseModal(draft.finding, draft.draft, draft.watchers, engageCirt) as never });
  };
  app.action<BlockAction>(FINDING_ACTIONS.openCase, openCaseModal(false));
  app.action<BlockAction>(FINDING_ACTIONS.openCaseCirt, openCaseModal(true));

  app.view<ViewSubmitAction>(CALLBACKS.caseModal, async ({ ack, body, view }: ViewArgs) => {
    const meta = metadata<{ findingId: string; start: string }>(view);
    const parsed = parseCaseForm(view.state.values as ViewValues, meta.start ?? null);
    if ('errors' in parsed) return void (await ack({ response_action: 'errors', errors: parsed.errors }));
    // Creating the case may take longer than Slack waits for an answer: close the modal first.
    await ack();
    if (!meta.findingId) return;
    const record = await store.getFinding(meta.findingId);
    await jobs.run({ kind: 'case.open', findingId: meta.findingId, userId: body.user.id, form: parsed.form, replyTo: replyToFinding(record, body.user.id) });
  });

  app.action<BlockAction>(FINDING_ACTIONS.acknowledge, async ({ ack, body, action }: ActionArgs) => {
    await ack();
    await jobs.run({ kind: 'acknowledge', findingId: valueOf(action), userId: body.user.id, replyTo: replyToPlace(placeOf(body)) });
  });
}
