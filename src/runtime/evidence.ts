import { AwsClientFactory, fakeCredentials, guardDutyAdminRole } from '../aws/clients.ts';
import { QuotaQueues } from '../aws/quotas.ts';
import { requireScenario, type Env } from '../config/env.ts';
import { startFakeAws, type FakeAws } from '../emulator/aws/server.ts';
import { createCollectors } from '../aws/evidence/collectors.ts';
import { archiveSearch } from '../aws/evidence/archive.ts';
import { AccountRegions } from '../aws/regions.ts';
import { archiveSettingsOf, fakeArchiveSettings } from '../config/archive.ts';
import { fakeSecurityLakeSettings, securityLakeSettingsOf } from '../config/security-lake.ts';
import { fakeSecurityLake } from '../emulator/aws/security-lake.ts';
import { EventHistorySearch } from '../aws/evidence/event-history-search.ts';
import { BedrockQuestionTranslator } from '../aws/bedrock-translator.ts';
import type { EvidenceSources } from './compose.ts';

export interface RuntimeEvidence extends EvidenceSources {
  /** The clients evidence and actions share. */
  clients: AwsClientFactory;
  /** sirbot's own account (the fake's first scenario account), where the Security IR membership is. */
  homeAccount: string;
  region: string;
  /** The embedded fake, when investigating against a scenario. */
  fake: FakeAws | undefined;
  close(): Promise<void>;
}

/** Real AWS (default credential chain, optional cross-account role) or the fake seeded with a scenario. */
export async function evidenceFromEnv(env: Env): Promise<RuntimeEvidence> {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const fake = env.SIRBOT_AWS === 'fake' ? await startFakeAws({ scenario: requireScenario(env), host: env.HOST }) : undefined;
  const clients = new AwsClientFactory(
    fake
      ? { region, endpoint: fake.endpoint, credentialsFor: fakeCredentials }
      : {
          region,
          ...(env.SIRBOT_ROLE_NAME && env.SIRBOT_HOME_ACCOUNT
            ? {
                assumeRole: {
                  roleName: env.SIRBOT_ROLE_NAME,
                  homeAccount: env.SIRBOT_HOME_ACCOUNT,
                  ...(env.SIRBOT_ROLE_EXTERNAL_ID ? { externalId: env.SIRBOT_ROLE_EXTERNAL_ID } : {}),
                  ...guardDutyAdminRole(env),
                },
              }
            : {}),
        },
  );
  const quotas = new QuotaQueues();
  // The fake serves its scenario's trail store; real AWS, the one the environment configures.
  const archive = fake ? fakeArchiveSettings(env, fake.scenario.trail, region) : archiveSettingsOf(env, region);
  // One list of each account's enabled regions, cached, for investigations and questions alike.
  const regions = new AccountRegions(clients, quotas);
  // Network evidence: the scenario's Security Lake (its `securitylake/` records), or the one the environment configures.
  const securityLake = fake ? fakeSecurityLakeSettings(env, fakeSecurityLake(fake.scenario), fake.scenario.trail) : securityLakeSettingsOf(env, region);
  const collectors = createCollectors(clients, quotas, archive, regions, securityLake);
  // Event history first; the trail's long-term store for what it refuses (older, by IP, data events).
  const beyond = archiveSearch(archive, clients, quotas);
  const searches = [new EventHistorySearch(clients, quotas), ...(beyond ? [beyond] : [])];
  const homeAccount = env.SIRBOT_HOME_ACCOUNT ?? fake?.scenario.accounts[0] ?? '000000000000';
  const translator = env.SIRBOT_BEDROCK_MODEL_ID
    ? new BedrockQuestionTranslator({
        clients,
        quotas,
        accountId: homeAccount,
        region: env.SIRBOT_BEDROCK_REGION ?? region,
        modelId: env.SIRBOT_BEDROCK_MODEL_ID,
      })
    : undefined;
  return {
    fake,
    clients,
    homeAccount,
    region,
    collectors: () => collectors,
    // Follow-up questions share the collectors' quota queues: one LookupEvents budget per account and region.
    eventSearches: () => searches,
    enabledRegions: regions,
    ...(translator ? { questionTranslator: translator } : {}),
    awsNow: () => fake?.now() ?? Date.now(),
    async close() {
      clients.destroy();
      await fake?.close();
    },
  };
}
