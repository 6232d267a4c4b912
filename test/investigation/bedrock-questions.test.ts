import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import { BedrockQuestionTranslator } from '../../src/aws/bedrock-translator.ts';
import { readModelQuery } from '../../src/domain/investigation/follow-up-model.ts';
import type { QuestionContext } from '../../src/domain/investigation/follow-up-questions.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';

/** Bedrock Runtime's Converse through the real SDK client (REST-JSON, SigV4 `bedrock`) against the fake, and the translator on top. */
const A = '111122223333';
const MODEL = 'amazon.nova-micro-v1:0';
let aws: FakeAws;
let clients: AwsClientFactory;
beforeAll(async () => {
  aws = await startFakeAws({ scenario: 'src/scenarios/exposed-access-key' });
  clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials, maxAttempts: 1 });
});
afterAll(async () => {
  clients.destroy();
  await aws.close();
});

const CTX: QuestionContext = {
  at: Date.parse('2026-11-21T12:00:00Z'),
  zone: 'UTC',
  zoneKnown: false,
  accountId: A,
  region: 'us-east-1',
  window: { start: '2026-11-13T10:00:00.000Z', end: '2026-11-21T10:11:00.000Z' },
  subjects: [{ kind: 'accessKey', id: 'AKIAEXPOSEDKEY000001' }],
};
const user = (text: string) => [{ role: 'user' as const, content: [{ text }] }];

describe('fake Bedrock Converse', () => {
  it('answers a signed request with the model’s message, stop reason, usage and metrics', async () => {
    const out = await clients.bedrockRuntime(A, 'us-east-1').send(
      new ConverseCommand({
        modelId: MODEL,
        messages: user('Context: {}\nQuestion: did anyone sign in to the console?'),
        inferenceConfig: { maxTokens: 100, temperature: 0 },
      }),
    );
    expect(out.stopReason).toBe('end_turn');
    expect(out.usage?.totalTokens).toBe((out.usage?.inputTokens ?? 0) + (out.usage?.outputTokens ?? 0));
    expect(out.metrics?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(out.output?.message?.content?.[0]?.text).toContain('"eventNames":["ConsoleLogin"]');
    expect(aws.calls().at(-1)).toMatchObject({ service: 'bedrock', operation: `POST /model/${encodeURIComponent(MODEL)}/converse`, status: 200 });
  });

  it('refuses what Bedrock refuses: an unknown model, a conversation not starting with the user, a bad signature', async () => {
    const client = clients.bedrockRuntime(A, 'us-east-1');
    await expect(client.send(new ConverseCommand({ modelId: 'acme.gpt-9', messages: user('hi') }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'The provided model identifier is invalid.',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(client.send(new ConverseCommand({ modelId: MODEL, messages: [{ role: 'assistant', content: [{ text: 'hi' }] }] }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const forged = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: aws.endpoint,
      maxAttempts: 1,
      credentials: { accessKeyId: `FAKE${A}`, secretAccessKey: 'wrong' },
    });
    await expect(forged.send(new ConverseCommand({ modelId: MODEL, messages: user('hi') }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    forged.destroy();
  });
});

describe('BedrockQuestionTranslator', () => {
  const translator = () => new BedrockQuestionTranslator({ clients, quotas: new QuotaQueues(), accountId: A, region: 'us-east-1', modelId: MODEL });

  it('turns what the grammar cannot read into the same bounded query', async () => {
    const consoleLogins = await translator().translate('did anyone sign in to the console?', CTX);
    expect(consoleLogins).toEqual({
      ok: true,
      wants: 'events',
      query: {
        accountId: A,
        regions: ['us-east-1'],
        window: CTX.window,
        match: { accessKeyIds: [], usernames: [], resourceNames: [], sourceIps: [], eventNames: ['ConsoleLogin'] },
        limit: 500,
      },
      understood: ['calls to ConsoleLogin', 'the investigation’s window', 'in us-east-1 (the finding’s region and us-east-1)'],
    });
    const leaked = await translator().translate('who made new users with the leaked credentials', CTX);
    expect(leaked.ok && leaked.query.match.accessKeyIds).toEqual(['AKIAEXPOSEDKEY000001']);
    expect(leaked.ok && leaked.query.only).toEqual({ eventNames: ['CreateUser'] });
    expect(leaked.ok && leaked.wants).toBe('principals');
    expect(await translator().translate('tell me a joke', CTX)).toEqual({
      ok: false,
      reason: 'the model could not make a bounded search of it: nothing in the question maps to a CloudTrail search',
    });
  });

  it('holds a model’s query to the grammar’s bounds, whatever the model says', () => {
    const base = {
      answerable: true as const,
      accessKeyIds: [],
      usernames: [],
      resourceNames: [],
      sourceIps: [],
      eventNames: [],
      eventSources: [],
      start: null,
      end: null,
      regions: [],
      wants: 'events' as const,
    };
    // No region named: where the use case said a question searches (the account's enabled regions).
    const everywhere = { ...CTX, searchIn: { regions: ['us-east-1', 'eu-west-1', 'us-west-2'], words: 'every enabled region of 111122223333 (3)' } };
    expect(readModelQuery({ ...base, accessKeyIds: ['AKIAEXPOSEDKEY000001'] }, everywhere)).toMatchObject({
      ok: true,
      query: { regions: ['us-east-1', 'eu-west-1', 'us-west-2'] },
      understood: expect.arrayContaining(['in every enabled region of 111122223333 (3)']),
    });
    expect(readModelQuery(base, CTX)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^the model’s query is not bounded: nothing names what to look for/),
    });
    expect(readModelQuery({ ...base, eventNames: ['DeleteBucket; DROP TABLE'] }, CTX)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^the model’s query has values that are not what they claim/),
    });
    expect(readModelQuery({ ...base, accessKeyIds: ['AKIAEXPOSEDKEY000001'], regions: ['all'] }, CTX)).toMatchObject({ ok: false });
    expect(readModelQuery({ ...base, accessKeyIds: ['AKIAEXPOSEDKEY000001'], start: '2020-01-01T00:00:00Z', end: null }, CTX)).toMatchObject({
      ok: false,
      reason: 'the model’s time range is longer than 180 days',
    });
    expect(readModelQuery({ ...base, accessKeyIds: ['AKIAEXPOSEDKEY000001'], start: '2026-11-21T09:00:00Z', end: '2027-01-01T00:00:00Z' }, CTX)).toMatchObject({
      ok: true,
      query: { window: { start: '2026-11-21T09:00:00.000Z', end: '2026-11-21T12:00:00.000Z' } },
    });
  });
});
