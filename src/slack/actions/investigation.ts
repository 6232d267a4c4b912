import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { QuestionId } from '../../domain/investigation/playbooks.ts';
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
export function register(app: App, deps: SlackAppDeps): void {
  const investigations = deps.investigations;
  if (!investigations) return;

  app.action<BlockAction>(INVESTIGATION_ACTIONS.investigate, async ({ ack, body, action }: ActionArgs) => {
    await ack();
    const findingId = valueOf(action);
    const { channel, ts } = threadOf(body);
    if (!findingId || !channel || !ts) return;
    await investigations.start(findingId, channel, ts);
  });

  app.action<BlockAction>(INVESTIGATION_ACTIONS.investigateNow, async ({ ack, action }: ActionArgs) => {
    await ack();
    const id = valueOf(action);
    if (id) investigations.investigateNow(id);
  });

  app.action<BlockAction>(/^investigation_answer_/, async ({ ack, body, action, client }: ActionArgs) => {
    await ack();
    const question = action.action_id.replace('investigation_answer_', '') as QuestionId;
    const { channel, ts } = threadOf(body);
    const value = valueOf(action);
    if (!channel || !ts || value === undefined) return;
    const record = await deps.store?.findInvestigationByThread(channel, ts);
    if (!record) return;
    const outcome = await investigations.answer(record.id, question, value);
    if (!outcome.ok) {
      await client.chat.postEphemeral({ channel, user: body.user.id, thread_ts: ts, text: `Not taken: ${outcome.error}` });
    }
  });
}
