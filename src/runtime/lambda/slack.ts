import type { AwsCallback, AwsEvent, AwsResponse } from '@slack/bolt/dist/receivers/AwsLambdaReceiver.js';
import { createSlackApp } from '../../slack/app.ts';
import { AwsLambdaReceiver } from '../../slack/bolt.ts';
import { boltLogger } from '../../slack/logger.ts';
import { SlackRequestGuard } from '../../slack/request-guard.ts';
import { lambdaContext } from './context.ts';

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
