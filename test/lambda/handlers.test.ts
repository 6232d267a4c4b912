import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { FAKE_SECRET } from '../../src/aws/fake-credentials.ts';
import { SecurityIrCaseApi } from '../../src/aws/security-ir/cases.ts';
import { DynamoStore } from '../../src/store/dynamodb.ts';
import { bundle } from '../../src/build/bundle.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';
import { loadScenario } from '../../src/emulator/aws/scenario.ts';
import type { EmulatedMessage } from '../../src/emulator/slack/index.ts';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.ts';
import { startDynalite, type Dynalite } from '../support/dynalite.ts';
import { interactionBody, signSlackRequest } from '../support/slack-signer.ts';
import { messageTexts } from '../support/slack-text.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIO = 'src/scenarios/exposed-access-key';
const GUARDDUTY = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8')) as Record<string, any>;
const ASFF = (JSON.parse(readFileSync(`${SCENARIO}/findings/securityhub.json`, 'utf8')) as { Findings: Array<Record<string, any>> }).Findings[0]!;
const SIGNING_SECRET = 'lambda-test-signing-secret';
const BOT_TOKEN = 'xoxb-lambda-test';
const PAGERDUTY_SECRET = 'lambda-test-pagerduty-webhook-secret';
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/111122223333/sirbot-work-test';

interface Handlers {
  ingest: typeof import('../../src/runtime/lambda/ingest.ts').handler;
  slack: typeof import('../../src/runtime/lambda/slack.ts').handler;
  worker: typeof import('../../src/runtime/lambda/worker.ts').handler;
}

/** The handlers as the source defines them. */
async function fromSource(): Promise<Handlers> {
  const { resetLambdaContext } = await import('../../src/runtime/lambda/context.ts');
  resetLambdaContext();
  return {
    ingest: (await import('../../src/runtime/lambda/ingest.ts')).handler,
    slack: (await import('../../src/runtime/lambda/slack.ts')).handler,
    worker: (await import('../../src/runtime/lambda/worker.ts')).handler,
  };
}

/**
 * The handlers as Lambda runs them: the esbuild bundles serverless.ts deploys, with Bolt's
 * unused receivers left out and the account-side SDK clients required on first use.
 */
async function fromBundles(): Promise<Handlers> {
  // Inside the checkout, so the lazily required SDK resolves from node_modules as it does from the runtime's.
  const built = await mkdtemp(path.join(ROOT, '.build-test-'));
  await bundle(['ingest', 'slack', 'worker'], built);
  bundles.push(built);
  // As serverless.ts sets it: each bundle carries its rules beside it.
  process.env.SIRBOT_RULES = path.join(built, 'slack', 'rules', 'default.yml');
  const load = async (name: string) => ((await import(pathToFileURL(path.join(built, name, 'index.mjs')).href)) as { handler: never }).handler;
  return { ingest: await load('ingest'), slack: await load('slack'), worker: await load('worker') };
}
const bundles: string[] = [];

describe.each([
  ['source', fromSource],
  ['bundles', fromBundles],
] as const)('Lambda handlers (%s) with real event shapes', (_name, load) => {
  let aws: FakeAws;
  let slack: FakeSlack;
  let dynamo: Dynalite;
  let handlers: Handlers;
  const saved = { ...process.env };

  beforeAll(async () => {
    aws = await startFakeAws({
      scenario: loadScenario(SCENARIO),
      quotaScale: 10,
      secrets: { 'sirbot/slack': JSON.stringify({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN }) },
    });
    slack = await startFakeSlack({ token: BOT_TOKEN });
    dynamo = await startDynalite();
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      // The "own" credentials of the functions; the fake knows them by their account.
      AWS_ACCESS_KEY_ID: 'FAKE111122223333',
      AWS_SECRET_ACCESS_KEY: FAKE_SECRET,
      SIRBOT_AWS_ENDPOINT: aws.endpoint,
      SIRBOT_DYNAMODB_ENDPOINT: dynamo.endpoint,
      SIRBOT_TABLE: dynamo.tableName,
      SIRBOT_QUEUE_URL: QUEUE_URL,
      SIRBOT_SLACK_SECRET_ID: 'sirbot/slack',
      SLACK_API_URL: slack.emulator.url,
      SIRBOT_ROLE_NAME: 'sirbot-member',
      SIRBOT_RESPONDERS: 'U0ALICE',
      SIRBOT_PAGERDUTY_WEBHOOK_SECRET: PAGERDUTY_SECRET,
      LOG_LEVEL: 'silent',
    });
    handlers = await load();
  }, 60_000);

  afterAll(async () => {
    process.env = saved;
    await aws?.close();
    await slack?.emulator.close();
    await dynamo?.close();
  });

  const eventBridge = (detailType: string, source: string, detail: unknown) => ({
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': detailType,
    source,
    account: '111122223333',
    time: '2026-11-21T10:07:30Z',
    region: 'us-east-1',
    resources: [],
    detail,
  });

  /** An API Gateway HTTP API (payload 2.0) event carrying a body Slack signed. */
  function apiGatewayEvent(body: string, contentType: string, timestamp?: number) {
    const headers = {
      'content-type': contentType,
      ...signSlackRequest({ signingSecret: SIGNING_SECRET, body, ...(timestamp !== undefined ? { timestamp } : {}) }),
    };
    return {
      version: '2.0',
      routeKey: 'POST /slack/events',
      rawPath: '/slack/events',
      rawQueryString: '',
      headers,
      requestContext: {
        http: { method: 'POST', path: '/slack/events', protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'Slackbot 1.0' },
        requestId: 'r',
        routeKey: 'POST /slack/events',
        stage: '$default',
        timeEpoch: Date.now(),
      },
      body,
      isBase64Encoded: false,
    };
  }

  /** Takes what the functions queued since last time, as an SQS batch for the worker. */
  let taken = 0;
  function queuedBatch(extra: Array<{ messageId: string; body: string; attributes?: { ApproximateReceiveCount: string } }> = []) {
    const fresh = aws.state.sqs.messages.slice(taken);
    taken = aws.state.sqs.messages.length;
    return { Records: [...fresh.map((m) => ({ messageId: m.messageId, body: m.body, attributes: { ApproximateReceiveCount: '1' } })), ...extra] };
  }

  const thread = (): EmulatedMessage[] => {
    const [root] = slack.emulator.state.messages('#security-incidents');
    return root ? slack.emulator.state.thread(root.channel, root.ts) : [];
  };

  it('ingest stores and enqueues; the worker posts one thread and asks the questions; a redelivery posts nothing', async () => {
    const event = eventBridge('GuardDuty Finding', 'aws.guardduty', GUARDDUTY);
    expect(await handlers.ingest(event)).toMatchObject({ received: 1, accepted: 1, rejected: 0, queued: 1 });
    // The ingest function itself never talks to Slack.
    expect(slack.emulator.state.messages('#security-incidents')).toHaveLength(0);
    const batch = queuedBatch();
    expect(batch.Records.map((r) => JSON.parse(r.body).kind)).toEqual(['delivery.complete']);
    expect(await handlers.worker(batch)).toEqual({ batchItemFailures: [] });
    expect(thread()).toHaveLength(2);
    expect(messageTexts(thread()[1]!).join('\n')).toContain('When were the credentials first exposed');
    expect(await handlers.ingest(event)).toMatchObject({ accepted: 1, queued: 0 });
    // A redelivered job finds the delivery complete.
    expect(await handlers.worker({ Records: batch.Records.map((r) => ({ ...r, messageId: `${r.messageId}-again` })) })).toEqual({ batchItemFailures: [] });
    expect(slack.emulator.state.messages('#security-incidents')).toHaveLength(1);
  });

  it('a question mentioning sirbot in the thread is queued by the Slack function and answered by the worker from CloudTrail, once', async () => {
    const [root] = slack.emulator.state.messages('#security-incidents');
    const event = {
      type: 'message',
      channel: root!.channel,
      channel_type: 'channel',
      user: 'U0ALICE',
      text: '<@U0SIRBOT> what did this key do in the last 7 days?',
      ts: `${Math.floor(Date.parse('2026-11-21T12:00:00Z') / 1000)}.000300`,
      thread_ts: root!.ts,
    };
    const body = JSON.stringify({
      token: 't',
      team_id: 'T0EMULATOR',
      api_app_id: 'A0SIRBOT',
      type: 'event_callback',
      event_id: `Ev${crypto.randomUUID().slice(0, 8)}`,
      event_time: 1,
      event,
    });
    expect(await handlers.slack(apiGatewayEvent(body, 'application/json') as never, {})).toMatchObject({ statusCode: 200 });
    const batch = queuedBatch();
    expect(batch.Records.map((r) => JSON.parse(r.body))).toEqual([expect.objectContaining({ kind: 'investigation.reply', mentionsBot: true })]);
    expect(await handlers.worker(batch)).toEqual({ batchItemFailures: [] });
    // SQS delivers the job again: the question is answered once.
    expect(await handlers.worker({ Records: batch.Records.map((r) => ({ ...r, messageId: `${r.messageId}-again` })) })).toEqual({ batchItemFailures: [] });
    const answers = thread().filter((m) => m.text?.startsWith('Answer:'));
    expect(answers).toHaveLength(1);
    expect(messageTexts(answers[0]!).join('\n')).toContain('AttributeKey=AccessKeyId,AttributeValue=AKIAEXPOSEDKEY000001');
  });

  it("ingest hands Security IR's case events to the worker, which shows an AWS responder's comment and status change in the case's thread", async () => {
    const [root] = slack.emulator.state.messages('#security-incidents');
    // A case opened from the finding's thread, as the case service leaves it: in Security IR, and kept in the table.
    const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
    const { caseId } = await new SecurityIrCaseApi(() => clients.securityIr('111122223333', 'us-east-1')).createCase({
      clientToken: `lambda-${crypto.randomUUID()}`,
      resolverType: 'AWS',
      title: 'Exposed key',
      description: 'From the thread',
      engagementType: 'Security Incident',
      reportedIncidentStartDate: '2026-11-21T10:00:00Z',
      impactedAccounts: ['111122223333'],
      watchers: [{ email: 'secops@example.com' }],
      threatActorIpAddresses: [],
      impactedServices: [],
      impactedAwsRegions: [],
      tags: {},
    });
    clients.destroy();
    const store = new DynamoStore({ client: dynamo.client, tableName: dynamo.tableName });
    await store.actions.putCase({
      caseId,
      findingId: String(GUARDDUTY.id),
      channel: root!.channel,
      threadTs: root!.ts,
      title: 'Exposed key',
      status: 'Submitted',
      resolverType: 'AWS',
      engagementType: 'Security Incident',
      commentsShownThrough: null,
      createdBy: 'U0ALICE',
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    });
    const sent: unknown[] = [];
    aws.securityIr.onEvent = (e) => sent.push(e);
    aws.securityIr.respond(caseId, { status: 'Detection and Analysis', comment: 'We are on it; please rotate the key.' });
    aws.securityIr.onEvent = undefined;
    expect(sent.map((e: any) => e['detail-type'])).toEqual(['Case Updated', 'Case Comment Added']);

    expect(await handlers.ingest(sent)).toMatchObject({ received: 2, accepted: 2, rejected: 0, queued: 0 });
    const batch = queuedBatch();
    expect(batch.Records.map((r) => JSON.parse(r.body).kind)).toEqual(['case.sync', 'case.sync']);
    expect(await handlers.worker(batch)).toEqual({ batchItemFailures: [] });
    const texts = thread().map((m) => messageTexts(m).join('\n'));
    expect(texts.filter((t) => t.includes('an AWS responder commented on'))).toHaveLength(1);
    expect(texts.filter((t) => t.includes('an AWS responder changed status *Submitted* → *Detection and Analysis*'))).toHaveLength(1);
    // SQS delivers a message twice now and then: nothing is shown twice.
    expect(await handlers.worker({ Records: batch.Records.map((r) => ({ ...r, messageId: `${r.messageId}-again` })) })).toEqual({ batchItemFailures: [] });
    expect(
      thread()
        .map((m) => messageTexts(m).join('\n'))
        .filter((t) => t.includes('an AWS responder')),
    ).toHaveLength(2);
  });

  it("ingest: AWS Health's exposed key is delivered by the worker, whose follow-up starts its investigation at once (retried until the delivery is done)", async () => {
    const published = (JSON.parse(readFileSync('test/fixtures/health/published-events.json', 'utf8')) as { events: Array<{ event: Record<string, any> }> })
      .events[1]!.event;
    const event = {
      ...published,
      id: crypto.randomUUID(),
      account: '111122223333',
      detail: { ...published.detail, eventArn: `${published.detail.eventArn}-lambda`, affectedEntities: [{ entityValue: 'AKIAEXPOSEDKEY000001' }] },
    };
    expect(await handlers.ingest(event)).toMatchObject({ received: 1, accepted: 1, rejected: 0, queued: 1 });
    const batch = queuedBatch();
    // The follow-up was queued first (it rode on the stored finding), the delivery after it: the follow-up fails until then.
    expect(batch.Records.map((r) => JSON.parse(r.body).kind).sort()).toEqual(['delivery.complete', 'finding.followUp']);
    const first = (await handlers.worker(batch)) as { batchItemFailures: unknown[] };
    const followUp = batch.Records.find((r) => JSON.parse(r.body).kind === 'finding.followUp')!;
    const retried =
      first.batchItemFailures.length > 0 ? await handlers.worker({ Records: [{ ...followUp, messageId: `${followUp.messageId}-again` }] }) : first;
    expect(retried).toEqual({ batchItemFailures: [] });
    const root = slack.emulator.state.allMessages().find((m) => messageTexts(m).join('\n').includes('AKIAEXPOSEDKEY000001 of test-1 was found exposed'));
    expect(root).toBeDefined();
    expect(slack.emulator.state.thread(root!.channel, root!.ts).length).toBeGreaterThan(1);
  });

  it('ingest stopped after storing and before enqueuing: the redelivered event completes the delivery, once', async () => {
    const finding = { ...ASFF, Id: `${ASFF.Id}-stopped-before-enqueue`, Title: 'Stored, then the queue was down' };
    const event = eventBridge('Security Hub Findings - Imported', 'aws.securityhub', { findings: [finding] });
    // SQS refuses every attempt the SDK makes: the invocation fails after the finding was stored.
    aws.state.sqs.failSends = 10;
    await expect(handlers.ingest(event)).rejects.toThrow();
    aws.state.sqs.failSends = 0;
    expect(queuedBatch().Records).toHaveLength(0);
    // Lambda's asynchronous retry delivers the same event again: stored but undelivered is not a duplicate.
    expect(await handlers.ingest(event)).toMatchObject({ accepted: 1, queued: 1 });
    expect(await handlers.worker(queuedBatch())).toEqual({ batchItemFailures: [] });
    const roots = slack.emulator.state.allMessages().filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    expect(roots.filter((m) => messageTexts(m).join('\n').includes('Stored, then the queue was down'))).toHaveLength(1);
  });

  it('ingest: SNS records carrying Security Hub events', async () => {
    const sns = {
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: 'arn:aws:sns:us-east-1:111122223333:sirbot-findings-test:1',
          Sns: {
            Type: 'Notification',
            MessageId: crypto.randomUUID(),
            TopicArn: 'arn:aws:sns:us-east-1:111122223333:sirbot-findings-test',
            Message: JSON.stringify(eventBridge('Security Hub Findings - Imported', 'aws.securityhub', { findings: [ASFF] })),
            Timestamp: new Date().toISOString(),
          },
        },
      ],
    };
    expect(await handlers.ingest(sns)).toMatchObject({ accepted: 1, rejected: 0, queued: 1 });
    expect(await handlers.worker(queuedBatch())).toEqual({ batchItemFailures: [] });
    expect(slack.emulator.state.allMessages().some((m) => JSON.stringify(m.blocks ?? []).includes(ASFF.Id.slice(-30)))).toBe(true);
  });

  it('slack: a signed click through API Gateway is acknowledged at once and its work queued', async () => {
    const questions = thread()[1]!;
    const payload = {
      type: 'block_actions',
      team: { id: 'T0EMULATOR' },
      user: { id: 'U0ALICE', username: 'alice', team_id: 'T0EMULATOR' },
      api_app_id: 'A0SIRBOT',
      token: 'x',
      container: { type: 'message', message_ts: questions.ts, channel_id: questions.channel },
      trigger_id: slack.emulator.state.surfaces.issueTrigger(Date.now(), 'U0ALICE'),
      channel: { id: questions.channel, name: 'security-incidents' },
      message: { type: 'message', ts: questions.ts, thread_ts: questions.thread_ts, text: '' },
      response_url: 'https://hooks.slack.invalid/1',
      actions: [
        {
          type: 'button',
          action_id: 'investigation_start_now',
          block_id: 'b',
          value: (questions.blocks as any[]).flatMap((b) => b.elements ?? []).find((e: any) => e.action_id === 'investigation_start_now').value,
          action_ts: '1',
        },
      ],
    };
    const started = Date.now();
    const response = await handlers.slack(apiGatewayEvent(interactionBody(payload), 'application/x-www-form-urlencoded') as never, {});
    expect(response.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    const queued = aws.state.sqs.messages.slice(taken).map((m) => JSON.parse(m.body) as { kind: string });
    expect(queued.map((j) => j.kind)).toEqual(['investigation.now']);

    const unsigned = {
      ...apiGatewayEvent(interactionBody(payload), 'application/x-www-form-urlencoded'),
      body: interactionBody({ ...payload, user: { id: 'U0MALLORY' } }),
    };
    expect((await handlers.slack(unsigned as never, {})).statusCode).toBe(401);
  });

  it('slack: Set status opens its modal before reading DynamoDB, then fills it in from the stored offer', async () => {
    const [root] = slack.emulator.state.messages('#security-incidents');
    const button = (root!.blocks as any[]).flatMap((b) => b.elements ?? []).find((e: any) => e.action_id === 'finding_set_status');
    expect(button.value).toMatch(/^offer-[0-9a-f]{32}$/);
    const payload = {
      type: 'block_actions',
      team: { id: 'T0EMULATOR' },
      user: { id: 'U0ALICE', username: 'alice', team_id: 'T0EMULATOR' },
      api_app_id: 'A0SIRBOT',
      token: 'x',
      container: { type: 'message', message_ts: root!.ts, channel_id: root!.channel },
      trigger_id: slack.emulator.state.surfaces.issueTrigger(Date.now(), 'U0ALICE'),
      channel: { id: root!.channel, name: 'security-incidents' },
      message: { type: 'message', ts: root!.ts, text: '' },
      response_url: 'https://hooks.slack.invalid/1',
      actions: [{ type: 'button', action_id: 'finding_set_status', block_id: 'b', value: button.value, action_ts: '1' }],
    };
    const from = slack.emulator.state.calls().length;
    const queued = aws.state.sqs.messages.length;
    const response = await handlers.slack(apiGatewayEvent(interactionBody(payload), 'application/x-www-form-urlencoded') as never, {});
    expect(response.statusCode).toBe(200);
    expect(
      slack.emulator.state
        .calls()
        .slice(from)
        .map((c) => `${c.method} ${c.ok}`),
    ).toEqual(['views.open true', 'views.update true']);
    expect(slack.emulator.state.surfaces.top('U0ALICE')?.callback_id).toBe('status_modal');
    // Nothing to queue: the form is filled in by the Slack function itself.
    expect(aws.state.sqs.messages.length).toBe(queued);
  });

  it('worker: a batch with one poisoned message reports just that one; the rest runs, and gathering comes back as a job', async () => {
    const poisoned = { messageId: 'poison-1', body: '{"kind":"rm -rf","path":"/"}', attributes: { ApproximateReceiveCount: '1' } };
    const first = await handlers.worker(queuedBatch([poisoned]));
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison-1' }] });
    // "Investigate now" scheduled the gathering on the queue: the worker runs it.
    const second = await handlers.worker(queuedBatch([{ messageId: 'not-json', body: 'hello', attributes: { ApproximateReceiveCount: '1' } }]));
    expect(second).toEqual({ batchItemFailures: [{ itemIdentifier: 'not-json' }] });
    const texts = thread().map((m) => messageTexts(m).join('\n'));
    expect(texts.some((t) => t.includes('Investigation summary'))).toBe(true);
    // Evidence came through the member role, assumed in the finding's account.
    expect(aws.calls().some((c) => c.operation === 'AssumeRole')).toBe(true);
    // A batch where every message fails is reported message by message, not thrown as a whole.
    const onlyPoison = {
      Records: [
        { ...poisoned, messageId: 'poison-2' },
        { ...poisoned, messageId: 'poison-3' },
      ],
    };
    expect(await handlers.worker(onlyPoison)).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison-2' }, { itemIdentifier: 'poison-3' }] });
  });

  it('worker: the schedule runs the escalation clock', async () => {
    expect(await handlers.worker({ source: 'aws.events', 'detail-type': 'Scheduled Event' })).toEqual({
      steps: 0,
      snoozesEnded: 0,
      weeklyStats: false,
      resumed: 0,
    });
  });

  it('slack: a replayed signed click is acknowledged and not queued again (base64 or not); one dated an hour ahead is refused', async () => {
    const questions = thread()[1]!;
    const button = (questions.blocks as any[]).flatMap((b) => b.elements ?? []).find((e: any) => e.action_id === 'investigation_start_now');
    const payload = {
      type: 'block_actions',
      team: { id: 'T0EMULATOR' },
      user: { id: 'U0ALICE', username: 'alice', team_id: 'T0EMULATOR' },
      api_app_id: 'A0SIRBOT',
      token: 'x',
      container: { type: 'message', message_ts: questions.ts, channel_id: questions.channel },
      trigger_id: slack.emulator.state.surfaces.issueTrigger(Date.now(), 'U0ALICE'),
      channel: { id: questions.channel, name: 'security-incidents' },
      message: { type: 'message', ts: questions.ts, thread_ts: questions.thread_ts, text: '' },
      response_url: 'https://hooks.slack.invalid/2',
      actions: [{ type: 'button', action_id: 'investigation_start_now', block_id: 'b', value: button.value, action_ts: '2' }],
    };
    const body = interactionBody(payload);
    const queued = () => aws.state.sqs.messages.length;
    const before = queued();
    const click = apiGatewayEvent(body, 'application/x-www-form-urlencoded');
    expect((await handlers.slack(click as never, {})).statusCode).toBe(200);
    expect(queued()).toBe(before + 1);
    expect(await handlers.slack(structuredClone(click) as never, {})).toMatchObject({ statusCode: 200, body: '' });
    // The same bytes, as API Gateway passes a body it chose to base64.
    const encoded = { ...structuredClone(click), body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
    expect(await handlers.slack(encoded as never, {})).toMatchObject({ statusCode: 200, body: '' });
    expect(queued()).toBe(before + 1);

    const ahead = apiGatewayEvent(
      interactionBody({ ...payload, response_url: 'https://hooks.slack.invalid/3' }),
      'application/x-www-form-urlencoded',
      Math.floor(Date.now() / 1000) + 3600,
    );
    expect((await handlers.slack(ahead as never, {})).statusCode).toBe(401);
    expect(queued()).toBe(before + 1);
  });

  it('slack: PagerDuty webhooks on /pager/pagerduty are checked by signature; an authentic unreadable one is dead-lettered, an unrelated one ignored', async () => {
    const webhook = (body: string, signature?: string) => ({
      ...apiGatewayEvent(body, 'application/json'),
      routeKey: 'POST /pager/pagerduty',
      rawPath: '/pager/pagerduty',
      headers: { 'content-type': 'application/json', ...(signature ? { 'X-PagerDuty-Signature': signature } : {}) },
    });
    const sign = (body: string) => `v1=${createHmac('sha256', PAGERDUTY_SECRET).update(body).digest('hex')}`;
    expect((await handlers.slack(webhook('{}') as never, {})).statusCode).toBe(401);
    expect((await handlers.slack(webhook('{}', sign('{"x":1}')) as never, {})).statusCode).toBe(401);
    const malformed = '{"event":"nope"}';
    expect((await handlers.slack(webhook(malformed, sign(malformed)) as never, {})).statusCode).toBe(400);
    const store = new DynamoStore({ client: dynamo.client, tableName: dynamo.tableName });
    expect((await store.listDeadLetters()).filter((d) => d.origin === 'pager:pagerduty').map((d) => d.payload)).toContain(malformed);
    const other = JSON.stringify({
      event: {
        id: 'E1',
        event_type: 'incident.acknowledged',
        resource_type: 'incident',
        occurred_at: '2026-11-21T10:07:30Z',
        agent: { summary: 'Jane' },
        data: { id: 'PX', type: 'incident', incident_key: 'not-from-sirbot' },
      },
    });
    const answer = await handlers.slack(webhook(other, sign(other)) as never, {});
    expect(answer.statusCode).toBe(200);
    expect(JSON.parse(String(answer.body))).toEqual({ ignored: 'the incident was not paged by sirbot' });
  });
});

afterAll(async () => {
  for (const dir of bundles) await rm(dir, { recursive: true, force: true });
});
