import type { WebClient } from '@slack/web-api';
import type { JobDispatcherDeps } from '../jobs/dispatch.ts';
import { sirCommandJob } from './commands/sir.ts';
import type { SlackAppDeps } from './deps.ts';
import { SlackReplies } from './replies.ts';
import { SlackTimeZones } from './time-zones.ts';

/**
 * What the command bus needs from Slack, through the bot's client: private answers and
 * modal updates, people's time zones, and the `/sir` command's work.
 */
export function slackJobPorts(deps: Omit<SlackAppDeps, 'jobs'>, client: WebClient): Pick<JobDispatcherDeps, 'replies' | 'timeZones' | 'sir'> {
  return { replies: new SlackReplies(client, deps.logger), timeZones: new SlackTimeZones(client), sir: sirCommandJob({ ...deps, client }) };
}
