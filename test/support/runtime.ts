import { BedrockQuestionTranslator } from '../../src/aws/bedrock-translator.ts';
import { AccountRegions } from '../../src/aws/regions.ts';
import { EventHistorySearch } from '../../src/aws/evidence/event-history-search.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from '../../src/config/env.ts';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../src/runtime/local/server.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import type { PosterLimits } from '../../src/slack/poster.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import { startFakeAws } from '../../src/emulator/aws/server.ts';
import { CloudTrailCollector } from '../../src/aws/evidence/cloudtrail.ts';
import { Ec2Collector } from '../../src/aws/evidence/ec2.ts';
import { FindingsCollector } from '../../src/aws/evidence/findings.ts';
import { IamCollector } from '../../src/aws/evidence/iam.ts';
import { archiveCollector } from '../../src/aws/evidence/archive.ts';
import { fakeArchiveSettings } from '../../src/config/archive.ts';
import { startFakeSlack } from './fake-slack.ts';
import { SlackUser } from './slack-user.ts';
import type { Directory } from '../../src/emulator/slack/index.ts';
import type { FakeAws } from '../../src/emulator/aws/server.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';
export const APP_TOKEN = 'xapp-1-A0SIRBOT-test';

type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

export interface TestRuntime {
  runtime: LocalRuntime;
  slack: FakeSlack['emulator'];
  /** POSTs a body to /ingest and returns the status and JSON answer. */
  ingest(body: unknown, options?: { wait?: boolean; raw?: boolean }): Promise<{ status: number; json: any }>;
  /** The fake AWS, when the runtime was started with a scenario. */
  aws: FakeAws | undefined;
  /** A person in the emulated workspace who clicks, submits and types commands. */
  user(id: string, name?: string): SlackUser;
  close(): Promise<void>;
}

export interface TestRuntimeOptions {
  env?: Record<string, string>;
  /** Slack's limits in the fake, and the poster's matching pace. */
  postsPerSecondPerChannel?: number;
  updatesPerMinute?: number;
  digestDebounceMs?: number;
  /** Seeds a fake AWS from this scenario folder and investigates against it. */
  scenario?: string;
  /** Reuse a store file (to test restarts). */
  dbFile?: string;
  /** People and user groups of the emulated workspace. */
  directory?: Directory;
  /** Clock of the bot (escalation timers, audit times); the wall clock by default. */
  clock?: () => number;
  /** Slack reaches the bot over Socket Mode (an app-level token) instead of signed HTTP. */
  socketMode?: boolean;
  /** Delivery leases, retry pauses and Slack call timeouts. */
  delivery?: LocalRuntimeOptions['delivery'];
  /** CloudTrail (investigations and questions) searches each account's enabled regions, as in production, from one cached list. */
  everyRegion?: boolean;
  /** Calls the fake AWS denies (`cloudtrail:LookupEvents@eu-west-3`: an SCP on one region). */
  awsDeny?: string[];
}

/**
 * The real local runtime (Bolt HTTP receiver, /ingest, SQLite store, real WebClient)
 * against the fake Slack Web API, both on random local ports.
 */
export async function startTestRuntime(o: TestRuntimeOptions = {}): Promise<TestRuntime> {
  const posts = o.postsPerSecondPerChannel ?? 20;
  const updates = o.updatesPerMinute ?? 600;
  const fake = await startFakeSlack({
    token: BOT_TOKEN,
    limits: {
      'chat.postMessage': { limit: posts, windowMs: 1000, scope: 'channel' },
      'chat.update': { limit: updates, windowMs: 60_000, scope: 'workspace' },
    },
    ...(o.directory ? { directory: o.directory } : {}),
    ...(o.socketMode ? { appToken: APP_TOKEN } : {}),
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-it-'));
  const env = parseEnv({ PORT: '0', SIRBOT_DB: o.dbFile ?? path.join(dir, 'sirbot.db'), LOG_LEVEL: 'silent', ...o.env });
  const aws = o.scenario ? await startFakeAws({ scenario: o.scenario, quotaScale: 10, ...(o.awsDeny ? { deny: o.awsDeny } : {}) }) : undefined;
  const clients = aws ? new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials }) : undefined;
  const quotas = new QuotaQueues(10);
  const regions = o.everyRegion && clients ? new AccountRegions(clients, quotas) : undefined;
  // A scenario that declares its trail's long-term store is searched there too, as the local runtime does.
  const archive = aws && clients ? archiveCollector(fakeArchiveSettings(env, aws.scenario.trail, 'us-east-1'), clients, quotas, regions) : null;
  const posterLimits: PosterLimits = {
    postPerChannel: { intervalCap: posts, intervalMs: 1000 },
    update: { intervalCap: updates, intervalMs: 60_000 },
  };
  const runtime = await startLocalRuntime({
    env,
    logger: silentLogger(),
    slack: { token: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.emulator.url, ...(o.socketMode ? { appToken: APP_TOKEN } : {}) },
    store: new SqliteStore(env.SIRBOT_DB),
    posterLimits,
    digestDebounceMs: o.digestDebounceMs ?? 50,
    ...(o.delivery ? { delivery: o.delivery } : {}),
    ...(o.clock ? { clock: o.clock } : {}),
    ...(aws && clients ? { actions: { clients, securityIr: { account: aws.scenario.accounts[0] ?? '111122223333', region: 'us-east-1' } } } : {}),
    ...(aws && clients
      ? {
          evidence: {
            collectors: () => [
              new CloudTrailCollector(clients, quotas, regions ? { regions } : {}),
              ...(archive ? [archive] : []),
              new IamCollector(clients, quotas),
              new Ec2Collector(clients, quotas),
              new FindingsCollector(clients, quotas),
            ],
            // As the local runtime: event history first, then the trail's store for what it refuses.
            eventSearches: () => [new EventHistorySearch(clients, quotas), ...(archive ? [archive.search] : [])],
            ...(regions ? { enabledRegions: regions } : {}),
            ...(env.SIRBOT_BEDROCK_MODEL_ID
              ? {
                  questionTranslator: new BedrockQuestionTranslator({
                    clients,
                    quotas,
                    accountId: aws.scenario.accounts[0] ?? '111122223333',
                    region: 'us-east-1',
                    modelId: env.SIRBOT_BEDROCK_MODEL_ID,
                  }),
                }
              : {}),
            awsNow: () => aws.now(),
          },
        }
      : {}),
  });
  return {
    runtime,
    slack: fake.emulator,
    aws,
    user: (id, name) =>
      new SlackUser({
        receiverUrl: `${runtime.url}/slack/events`,
        signingSecret: SIGNING_SECRET,
        emulator: fake.emulator,
        id,
        ...(name ? { name } : {}),
        ...(o.socketMode ? { delivery: fake.emulator.socketMode } : {}),
      }),
    async ingest(body, options = {}) {
      const res = await fetch(`${runtime.url}/ingest${options.wait === false ? '' : '?wait=true'}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: options.raw ? (body as string) : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    },
    async close() {
      await runtime.close();
      clients?.destroy();
      await aws?.close();
      await fake.emulator.close();
      if (!o.dbFile) rmSync(dir, { recursive: true, force: true });
    },
  };
}
