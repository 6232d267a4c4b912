import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { SlackRouter } from '../router.ts';
import * as z from 'zod';
import type { RemediationTarget } from '../../actions/remediations.ts';
import type { SlackAppDeps } from '../app.ts';
import { CALLBACKS, REMEDIATION_ACTIONS } from '../views/action-ids.ts';
import { REMEDIATION_BLOCKS, preparingModal } from '../views/remediation.ts';
import { remediationById } from '../../domain/remediation/catalog.ts';
import { placeOf, replyToPlace, tellPrivately } from './reply.ts';
import { type ViewValues, valueIn } from './view-values.ts';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Button values and modal metadata come back from Slack: checked like any other input. */
const buttonValue = z.object({ r: z.string().max(60), i: z.record(z.string(), z.string().max(600)), f: z.string().max(1024).nullable() });
const modalMetadata = z.object({
  remediationId: z.string().max(60),
  inputs: z.record(z.string(), z.string().max(600)),
  findingId: z.string().max(1024).nullable(),
  channel: z.string().max(100).nullable(),
  threadTs: z.string().max(40).nullable(),
  planHash: z.string().max(64),
});

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? 'null');
  } catch {
    return null;
  }
}

/**
 * Remediation buttons: a click opens the preview (after the role check), the modal's
 * submission confirms, Approve/Reject settle destructive requests, Undo reverts.
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { actions: services, jobs } = deps;
  if (!services || !jobs) return;
  const log = deps.logger;

  app.action<BlockAction>(new RegExp(`^${REMEDIATION_ACTIONS.request}:\\d+$`), async ({ ack, body, action, client }: ActionArgs) => {
    await ack();
    const place = placeOf(body);
    const parsed = buttonValue.safeParse(parseJson((action as { value?: string }).value));
    if (!parsed.success) return void log.warn({ issues: parsed.error.issues }, 'malformed remediation button value');
    const target: RemediationTarget = { remediationId: parsed.data.r, inputs: parsed.data.i, findingId: parsed.data.f, channel: place.channel ?? null, threadTs: place.threadTs ?? null };
    const allowed = await services.remediations.authorize(body.user.id, target);
    if (!allowed.allowed) return tellPrivately(client, place, `Not allowed: ${allowed.reason}.`, log);
    // The trigger expires in 3 seconds, the preview may take longer: open first, fill in after.
    const opened = await client.views.open({ trigger_id: body.trigger_id, view: preparingModal(remediationById(target.remediationId)?.title ?? target.remediationId) as never });
    const viewId = opened.view?.id;
    if (viewId) await jobs.run({ kind: 'remediation.preview', viewId, target, replyTo: replyToPlace(place) });
  });

  app.view<ViewSubmitAction>(CALLBACKS.remediationModal, async ({ ack, body, view }: ViewArgs) => {
    const parsed = modalMetadata.safeParse(parseJson(view.private_metadata));
    await ack();
    if (!parsed.success) return void log.warn({ issues: parsed.error.issues }, 'malformed remediation modal metadata');
    const meta = parsed.data;
    const { planHash, ...target } = meta;
    const note = valueIn(view.state.values as ViewValues, REMEDIATION_BLOCKS.note);
    const replyTo = { ...(target.channel ? { channel: target.channel } : {}), ...(target.threadTs ? { threadTs: target.threadTs } : {}), user: body.user.id };
    await jobs.run({ kind: 'remediation.request', target, userId: body.user.id, planHash, note, replyTo });
  });

  const settle = (verb: 'approve' | 'reject' | 'undo') => async ({ ack, body, action }: ActionArgs) => {
    await ack();
    const actionId = (action as { value?: string }).value ?? '';
    await jobs.run({ kind: `remediation.${verb}`, actionId, userId: body.user.id, replyTo: replyToPlace(placeOf(body)) });
  };
  app.action<BlockAction>(REMEDIATION_ACTIONS.approve, settle('approve'));
  app.action<BlockAction>(REMEDIATION_ACTIONS.reject, settle('reject'));
  app.action<BlockAction>(REMEDIATION_ACTIONS.undo, settle('undo'));
}
