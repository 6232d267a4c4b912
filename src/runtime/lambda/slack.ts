import type { AwsCallback, AwsEvent, AwsResponse } from '@slack/bolt/dist/receivers/AwsLambdaReceiver.js';
import { createSlackApp } from '../../slack/app.ts';
import { AwsLambdaReceiver } from '../../slack/bolt.ts';
import { boltLogger } from '../../slack/logger.ts';
import { lambdaContext } from './context.ts';

type Handler = (event: AwsEvent, context: unknown, callback: AwsCallback) => Promise<AwsResponse>;
let handlerPromise: Promise<Handler> | undefined;

async function buildHandler(): Promise<Handler> {
  const { slack, logger, env, deps } = await lambdaContext();
  const receiver = new AwsLambdaReceiver({ signingSecret: slack.signingSecret, logger: boltLogger(logger) });
  createSlackApp({ signingSecret: slack.signingSecret, token: slack.botToken, receiver, ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}) }, deps);
  return receiver.toHandler() as Handler;
}

/**
 * API Gateway HTTP API → Bolt. The signature is verified before any listener runs;
 * listeners acknowledge and queue anything slow, so Slack hears back within 3 seconds.
 */
export async function handler(event: AwsEvent, context: unknown): Promise<AwsResponse> {
  handlerPromise ??= buildHandler();
  handlerPromise.catch(() => {
    handlerPromise = undefined;
  });
  const h = await handlerPromise;
  return h(event, context, () => {});
}
