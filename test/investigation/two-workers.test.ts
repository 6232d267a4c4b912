import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import { receivedRecord } from '../../src/delivery/finding-records.ts';
import { route } from '../../src/domain/routing/evaluate.ts';
import { prefill } from '../../src/domain/investigation/playbooks.ts';
import { type FakeAws, startFakeAws } from '../../src/emulator/aws/server.ts';
import { CloudTrailCollector } from '../../src/aws/evidence/cloudtrail.ts';
import { IamCollector } from '../../src/aws/evidence/iam.ts';
import { normalizeText } from '../../src/ingest/normalize.ts';
import { InvestigationService, investigationIdFor } from '../../src/investigation/service.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { RateLimitedPoster } from '../../src/slack/poster.ts';
import { SlackInvestigationNotices } from '../../src/slack/notifier/investigation.ts';
import { DynamoStore } from '../../src/store/dynamodb.ts';
import { loadRulesFile } from '../../src/config/rules-file.ts';
import { type Dynalite, startDynalite } from '../support/dynalite.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { messageTexts } from '../support/slack-text.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';
const TOKEN = 'xoxb-two-workers';

let dynamo: Dynalite;
let slack: FakeSlack;
let aws: FakeAws;

beforeAll(async () => {
  dynamo = await startDynalite();
  slack = await startFakeSlack({ token: TOKEN });
  aws = await startFakeAws({ scenario: SCENARIO, quotaScale: 10 });
});

afterAll(async () => {
  await aws.close();
  await slack.emulator.close();
  await dynamo.close();
});

/** One Lambda worker: its own service, poster and AWS clients, sharing only the table and Slack. */
function worker(store: DynamoStore): InvestigationService {
  const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
  const quotas = new QuotaQueues(10);
  return new InvestigationService({
    store,
    notices: new SlackInvestigationNotices(new RateLimitedPoster(TOKEN, undefined, { slackApiUrl: slack.emulator.url })),
    logger: silentLogger(),
    collectors: () => [new CloudTrailCollector(clients, quotas), new IamCollector(clients, quotas)],
    awsNow: () => aws.now(),
  });
}

describe('an investigation claimed by two workers at once (DynamoDB)', () => {
  it('is gathered by one: one progress message, one summary', async () => {
    const store = new DynamoStore({ client: dynamo.client, tableName: await dynamo.createTable() });
    const finding = normalizeText(readFileSync(`${SCENARIO}/finding.json`, 'utf8')).findings[0]!;
    const decision = route(loadRulesFile('src/rules/default.yml', '#security-findings').ruleSet, finding, Date.now());
    const root = await slack.webClient().chat.postMessage({ channel: decision.channel, text: 'the finding' });
    await store.insertFinding({
      ...receivedRecord(finding, decision, new Date().toISOString()),
      state: 'posted',
      ts: root.ts as string,
      channel: root.channel as string,
    });
    const id = investigationIdFor(finding.id);
    const now = new Date().toISOString();
    await store.insertInvestigation({
      id,
      findingId: finding.id,
      channel: root.channel as string,
      threadTs: root.ts as string,
      state: 'asked',
      answers: prefill(finding),
      questionsTs: null,
      progressTs: null,
      result: null,
      createdAt: now,
      updatedAt: now,
    });

    // Two workers got the same job (a double click, an SQS duplicate) at the same moment.
    const [a, b] = [worker(store), worker(store)];
    await Promise.all([a.gatherNow(id), b.gatherNow(id)]);

    const thread = slack.emulator.state.thread(root.channel as string, root.ts as string).map((m) => messageTexts(m).join('\n'));
    expect(thread.filter((t) => t.startsWith('Investigation summary'))).toHaveLength(1);
    expect(thread.filter((t) => t.startsWith('Gathering evidence'))).toHaveLength(1);
    expect((await store.getInvestigation(id))?.state).toBe('summarized');
    // A worker that comes later (a redelivery, not resuming) finds it done.
    await worker(store).gatherNow(id);
    expect(slack.emulator.state.thread(root.channel as string, root.ts as string)).toHaveLength(thread.length);
  });
});
