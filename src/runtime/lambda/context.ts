import { VegaStatsCharts } from '../../charts/findings-chart.ts';
import { WebClient } from '@slack/web-api';
import { slackClientOptions } from '../../slack/client-options.ts';
import { AwsClientFactory, SELF, awsSettingsFromEnv, dynamoDb, guardDutyAdminRole, secretsManager, sqs } from '../../aws/clients.ts';
import { QuotaQueues } from '../../aws/quotas.ts';
import { loadSlackSecret, type SlackSecret } from '../../aws/slack-secret.ts';
import { parseEnv, requireLambdaSettings, type Env } from '../../config/env.ts';
import { AccountRegions } from '../../aws/regions.ts';
import { EventHistorySearch } from '../../aws/evidence/event-history-search.ts';
import { BedrockQuestionTranslator } from '../../aws/bedrock-translator.ts';
import { createCollectors } from '../../aws/evidence/collectors.ts';
import { archiveSearch } from '../../aws/evidence/archive.ts';
import { archiveSettingsOf } from '../../config/archive.ts';
import { securityLakeSettingsOf } from '../../config/security-lake.ts';
import { SqsJobs } from '../../aws/sqs-jobs.ts';
import { JobDispatcher } from '../../jobs/dispatch.ts';
import type { Job } from '../../jobs/job.ts';
import type { SlackAppDeps } from '../../slack/deps.ts';
import { slackJobPorts } from '../../slack/job-ports.ts';
import { DynamoStore } from '../../store/dynamodb.ts';
import { composeCore, pagingSettingsOf, slackAppDeps, type ActionSettings, type Core } from '../compose.ts';
import { configuredPagers } from '../../paging/pagers.ts';
import { createLogger, type Logger } from '../logger.ts';
import { guardUnhandledRejections } from '../process-guards.ts';
import { logUnreadableRecords } from '../unreadable-records.ts';

export interface LambdaContext {
  env: Env;
  logger: Logger;
  slack: SlackSecret;
  core: Core;
  jobs: SqsJobs;
  /** What the Slack surfaces need, with jobs going to the work queue. */
  deps: SlackAppDeps;
  /** Runs a job here (the worker). */
  dispatch(job: Job): Promise<void>;
  /** What verifies webhooks from PagerDuty and Opsgenie (the environment, else the Slack secret). */
  paging: { pagerDutySecret: string | undefined; opsgenieToken: string | undefined };
}

let context: Promise<LambdaContext> | undefined;

/**
 * Built once per container and shared by the three functions: the DynamoDB store, the
 * work queue, and AWS clients that act in every account through the configured role
 * (the home account included, so the function's own role stays read-nothing).
 */
export function lambdaContext(): Promise<LambdaContext> {
  context ??= (async () => {
    const env = requireLambdaSettings(parseEnv());
    const logger = createLogger(env.LOG_LEVEL);
    guardUnhandledRejections(logger);
    const settings = awsSettingsFromEnv();
    const slack = await loadSlackSecret(secretsManager(settings), env.SIRBOT_SLACK_SECRET_ID);
    const store = new DynamoStore({
      client: dynamoDb(settings, env.SIRBOT_DYNAMODB_ENDPOINT),
      tableName: env.SIRBOT_TABLE,
      onUnreadable: logUnreadableRecords(logger),
    });
    const jobs = new SqsJobs(sqs(settings), env.SIRBOT_QUEUE_URL);
    const clients = new AwsClientFactory({
      region: settings.region,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(env.SIRBOT_ROLE_NAME
        ? {
            assumeRole: {
              roleName: env.SIRBOT_ROLE_NAME,
              // Every account, sirbot's own too, is reached through the role: the function's own role reads nothing.
              homeAccount: 'none',
              ...(env.SIRBOT_ROLE_EXTERNAL_ID ? { externalId: env.SIRBOT_ROLE_EXTERNAL_ID } : {}),
              ...guardDutyAdminRole(env),
            },
          }
        : {}),
    });
    const quotas = new QuotaQueues();
    const archive = archiveSettingsOf(env, settings.region);
    // One list of each account's enabled regions, cached, for investigations and questions alike.
    const regions = new AccountRegions(clients, quotas);
    const collectors = createCollectors(clients, quotas, archive, regions, securityLakeSettingsOf(env, settings.region));
    // Event history first; the trail's long-term store for what it refuses (older, by IP, data events).
    const beyond = archiveSearch(archive, clients, quotas);
    const searches = [new EventHistorySearch(clients, quotas), ...(beyond ? [beyond] : [])];
    // The model is called in sirbot's own account, with the function's role.
    const translator = env.SIRBOT_BEDROCK_MODEL_ID
      ? new BedrockQuestionTranslator({
          clients,
          quotas,
          accountId: SELF,
          region: env.SIRBOT_BEDROCK_REGION ?? settings.region,
          modelId: env.SIRBOT_BEDROCK_MODEL_ID,
        })
      : undefined;
    const actions: ActionSettings = { clients, securityIr: { account: SELF, region: env.SIRBOT_SIR_REGION ?? settings.region } };
    const fromEnv = pagingSettingsOf(env);
    const core = composeCore({
      env,
      store,
      logger,
      pagers: configuredPagers({
        ...fromEnv,
        pagerDutyRoutingKey: fromEnv.pagerDutyRoutingKey ?? slack.pagerDutyRoutingKey,
        opsgenieApiKey: fromEnv.opsgenieApiKey ?? slack.opsgenieApiKey,
      }),
      slackToken: slack.botToken,
      ...(env.SLACK_API_URL ? { slackApiUrl: env.SLACK_API_URL } : {}),
      evidence: {
        collectors: () => collectors,
        eventSearches: () => searches,
        enabledRegions: regions,
        ...(translator ? { questionTranslator: translator } : {}),
        awsNow: Date.now,
      },
      // Drawn on first use only: Vega and resvg are chunks of their own in the bundle.
      charts: new VegaStatsCharts(),
      actions,
      scheduleGathering: (id, resuming) => jobs.run({ kind: 'investigation.gather', id, resuming }),
      scheduleCaseEvent: (event) => jobs.run({ kind: 'case.sync', event }),
      scheduleCustomAction: (findingId, request) => jobs.run({ kind: 'finding.followUp', findingId, request }),
    });
    const deps: SlackAppDeps = { ...slackAppDeps(core, logger, actions), jobs };
    const client = new WebClient(slack.botToken, slackClientOptions(env.SLACK_API_URL));
    const dispatcher = new JobDispatcher({
      investigations: core.investigations,
      questions: core.questions,
      actions: core.actions,
      customActions: core.customActions,
      ...slackJobPorts(deps, client),
    });
    const paging = {
      pagerDutySecret: env.SIRBOT_PAGERDUTY_WEBHOOK_SECRET ?? slack.pagerDutyWebhookSecret,
      opsgenieToken: env.SIRBOT_OPSGENIE_WEBHOOK_TOKEN ?? slack.opsgenieWebhookToken,
    };
    return { env, logger, slack, core, jobs, deps, dispatch: (job: Job) => dispatcher.dispatch(job), paging };
  })();
  context.catch(() => {
    context = undefined;
  });
  return context;
}

/** Tests build a new context per run. */
export function resetLambdaContext(): void {
  context = undefined;
}
