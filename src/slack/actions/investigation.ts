import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackRouter } from '../router.ts';
import type { SlackAppDeps } from '../app.ts';
import { INVESTIGATION_ACTIONS } from '../views/investigation.ts';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The value a block action carries, whatever the element: date, option or typed text. */
function valueOf(action: BlockAction['actions'][number]): string | undefined {
  const a = action as { selected_date?: string; selected_option?: { value?: string }; value?: string };
  return a.selected_date ?? a.selected_option?.value ?? a.value;
}

function threadOf(body: BlockAction): { channel?: string; ts?: string } {
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  return { channel: body.channel?.id ?? body.container?.channel_id, ts: message?.thread_ts ?? message?.ts };
}

/**
 * Buttons and inputs of the investigation thread. Each acknowledges first (Slack wants
 * an answer within 3 seconds) and tells the person, only them, when an answer is refused.
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { investigations, jobs } = deps;
  if (!investigations || !jobs) return;

  app.action<BlockAction>(INVESTIGATION_ACTIONS.investigate, async ({ ack, body, action }: ActionArgs) => {
    await ack();
    const findingId = valueOf(action);
    const { channel, ts } = threadOf(body);
    if (!findingId || !channel || !ts) return;
    await jobs.run({ kind: 'investigation.start', findingId, channel, threadTs: ts });
  });

  app.action<BlockAction>(INVESTIGATION_ACTIONS.investigateNow, async ({ ack, action }: ActionArgs) => {
    await ack();
    const id = valueOf(action);
    if (id) await jobs.run({ kind: 'investigation.now', id });
  });

  app.action<BlockAction>(/^investigation_answer_/, async ({ ack, body, action }: ActionArgs) => {
    await ack();
    const question = action.action_id.replace('investigation_answer_', '');
    const { channel, ts } = threadOf(body);
    const value = valueOf(action);
    if (!channel || !ts || value === undefined) return;
    const record = await deps.store?.findInvestigationByThread(channel, ts);
    if (!record) return;
    await jobs.run({ kind: 'investigation.answer', id: record.id, question, value, replyTo: { channel, threadTs: ts, user: body.user.id } });
  });
}
