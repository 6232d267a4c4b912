import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackRouter } from '../router.ts';
import type { SlackAppDeps } from '../deps.ts';
import { QUESTIONS, type QuestionId } from '../../domain/investigation/playbooks.ts';
import { INVESTIGATION_ACTIONS } from '../views/action-ids.ts';
import { tellPrivately } from './reply.ts';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** The value a block action carries, whatever the element: date, option or typed text. */
function actionValue(action: BlockAction['actions'][number]): string | undefined {
  const a = action as { selected_date?: string; selected_option?: { value?: string }; value?: string };
  return a.selected_date ?? a.selected_option?.value ?? a.value;
}

function threadOf(body: BlockAction): { channel?: string; ts?: string } {
  const message = body.message as { ts?: string; thread_ts?: string } | undefined;
  return { channel: body.channel?.id ?? body.container?.channel_id, ts: message?.thread_ts ?? message?.ts };
}

const isQuestion = (id: string): id is QuestionId => Object.hasOwn(QUESTIONS, id);
/** Longer than any finding id sirbot delivers (and than a store key may be). */
const MAX_FINDING_ID = 1024;

/**
 * Buttons and inputs of the investigation thread. Each acknowledges first (Slack wants
 * an answer within 3 seconds). What they act on comes from the thread they were used in,
 * not from their values: the finding whose thread it is, the investigation in it.
 * Answers and Investigate now change what is looked for, so only responders may give
 * them (checked and audited by the investigation service); others are told privately.
 */
export function register(app: SlackRouter, deps: SlackAppDeps): void {
  const { investigations, jobs, store } = deps;
  if (!investigations || !jobs || !store) return;

  app.action<BlockAction>(INVESTIGATION_ACTIONS.investigate, async ({ ack, body, action, client }: ActionArgs) => {
    await ack();
    const findingId = actionValue(action);
    const { channel, ts } = threadOf(body);
    if (!findingId || !channel || !ts) return;
    // The button names its finding; it is honoured only in that finding's own thread.
    const record = findingId.length <= MAX_FINDING_ID ? await store.getFinding(findingId) : null;
    if (!record?.snapshot || record.channel !== channel || record.ts !== ts) {
      const reason = record?.snapshot ? "this was offered in another finding's thread" : 'sirbot no longer knows this finding';
      await deps.actions?.audit.record({
        actor: body.user.id,
        action: 'investigate',
        target: findingId.slice(0, 200),
        inputs: { clickedIn: { channel, threadTs: ts } },
        outcome: 'refused',
        result: { reason },
        channel,
        ts,
      });
      return tellPrivately(client, { channel, threadTs: ts, user: body.user.id }, `Not investigated: ${reason}.`, deps.logger);
    }
    await jobs.run({ kind: 'investigation.start', findingId, channel, threadTs: ts });
  });

  app.action<BlockAction>(INVESTIGATION_ACTIONS.investigateNow, async ({ ack, body }: ActionArgs) => {
    await ack();
    const { channel, ts } = threadOf(body);
    if (!channel || !ts) return;
    const record = await store.findInvestigationByThread(channel, ts);
    if (!record) return;
    await jobs.run({ kind: 'investigation.now', id: record.id, userId: body.user.id, replyTo: { channel, threadTs: ts, user: body.user.id } });
  });

  app.action<BlockAction>(/^investigation_answer_/, async ({ ack, body, action }: ActionArgs) => {
    await ack();
    const question = action.action_id.replace('investigation_answer_', '');
    const { channel, ts } = threadOf(body);
    const value = actionValue(action);
    if (!channel || !ts || value === undefined || !isQuestion(question)) return;
    const record = await store.findInvestigationByThread(channel, ts);
    if (!record) return;
    await jobs.run({
      kind: 'investigation.answer',
      id: record.id,
      question,
      value: value.slice(0, 3000),
      replyTo: { channel, threadTs: ts, user: body.user.id },
    });
  });
}
