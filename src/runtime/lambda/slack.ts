import type { AwsCallback, AwsEvent, AwsResponse } from '@slack/bolt/dist/receivers/AwsLambdaReceiver.js';
import { createSlackApp } from '../../slack/app.ts';
import { AwsLambdaReceiver } from '../../slack/bolt.ts';
import { boltLogger } from '../../slack/logger.ts';
import { SlackRequestGuard } from '../../slack/request-guard.ts';
import { lambdaContext } from './context.ts';
import type { PagerName } from '../../domain/actions/paging.ts';
import { handlePagerWebhook, WEBHOOK_BODY_LIMIT } from '../../paging/webhooks.ts';

type Handler = (event: AwsEvent, context: unknown, callback: AwsCallback) => Promise<AwsResponse>;
let handlerPromise: Promise<{ bolt: Handler; guard: SlackRequestGuard }> | undefined;

async function buildHandler(): Promise<{ bolt: Handler; guard: SlackRequestGuard }> {
  const { slack, logger, env, deps, core } = await lambdaContext();
  const receiver = new AwsLambdaReceiver({ signingSecret: slack.signingSecret, logger: boltLogger(logger) });
  createSlackApp(
    { signingSecret: slack.signingSecret, token: slack.botToken, receiver, ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}) },
    deps,
  );
  const guard = new SlackRequestGuard({ signingSecret: slack.signingSecret, store: core.store, logger });
  return { bolt: receiver.toHandler() as Handler, guard };
}

/** The body as Slack sent it (API Gateway may base64 it), which is what was signed. */
function rawBody(event: AwsEvent): Buffer {
  if (typeof event.body !== 'string') return Buffer.alloc(0);
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
}

/**
 * API Gateway HTTP API → guard → Bolt. The guard checks the signature, the timestamp in
 * both directions and replays (src/slack/request-guard.ts) before any listener runs;
 * listeners acknowledge and queue anything slow, so Slack hears back within 3 seconds.
 */
export async function handler(event: AwsEvent, context: unknown): Promise<AwsResponse> {
  const pager = /^\/pager\/(pagerduty|opsgenie)$/.exec(String((event as { rawPath?: unknown }).rawPath ?? ''));
  if (pager) return pagerWebhook(event, pager[1] as PagerName);
  handlerPromise ??= buildHandler();
  handlerPromise.catch(() => {
    handlerPromise = undefined;
  });
  const { bolt, guard } = await handlerPromise;
  const headers = (event.headers ?? {}) as Record<string, string | undefined>;
  const header = (name: string) => headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const verdict = await guard.check(rawBody(event), header);
  if (!verdict.pass) return { statusCode: verdict.status, body: '' };
  return bolt(event, context, () => {});
}

/**
 * POST /pager/pagerduty and /pager/opsgenie on the same HTTP API: an acknowledgement made
 * there, checked and acted on as the local server does (src/paging/webhooks.ts).
 */
async function pagerWebhook(event: AwsEvent, pager: PagerName): Promise<AwsResponse> {
  const { core, paging, logger } = await lambdaContext();
  const body = rawBody(event);
  const json = (statusCode: number, answer: unknown): AwsResponse => ({
    statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(answer),
  });
  if (body.length > WEBHOOK_BODY_LIMIT) return json(413, { error: `request body over ${WEBHOOK_BODY_LIMIT} bytes` });
  const headers = Object.fromEntries(Object.entries((event.headers ?? {}) as Record<string, string | undefined>).map(([k, v]) => [k.toLowerCase(), v]));
  const escalations = core.actions?.escalations;
  const answer = await handlePagerWebhook(pager, body.toString('utf8'), headers, {
    ...paging,
    acknowledge: escalations ? (ack) => escalations.acknowledgedInPager(ack) : undefined,
    deadLetter: (entry) => core.store.addDeadLetter({ ...entry, receivedAt: new Date().toISOString(), path: `/pager/${pager}`, count: 1 }),
  });
  if (answer.status >= 400) logger.warn({ pager, status: answer.status, ...answer.body }, 'pager webhook refused');
  return json(answer.status, answer.body);
}
