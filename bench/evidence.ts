import { rmSync } from 'node:fs';
import { AwsClientFactory, fakeCredentials } from '../src/aws/clients.ts';
import { QuotaQueues } from '../src/aws/quotas.ts';
import { startFakeAws } from '../src/emulator/aws/server.ts';
import { CloudTrailCollector } from '../src/aws/evidence/cloudtrail.ts';
import { generateRecords, writeScenario } from '../test/support/cloudtrail-scenario.ts';

export interface EvidenceResult {
  events: number;
  quotaScale: number;
  single: { pages: number; ms: number; floorMs: number; ratio: number };
  spread: { accounts: number; pages: number; ms: number; floorMs: number; ratio: number };
}

const KEY = 'AKIABENCHKEY00000001';
// The spread's own key: a key is also searched in us-east-1 (lookup-plan.ts), where the single account's events are.
const SPREAD_KEY = 'AKIABENCHKEY00000002';
const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];

/**
 * CloudTrail evidence gathering against the fake AWS enforcing LookupEvents' quota of
 * 2 requests per second per account and region (`quotaScale` can speed both sides up;
 * the default is AWS's own rate). Floors, as the issue defines them: one account is
 * pages ÷ rate; four accounts in parallel have four quotas, so their floor is the
 * single-account floor ÷ 4.
 */
export async function benchEvidence(events = 5000, quotaScale = 1): Promise<EvidenceResult> {
  const rate = 2 * quotaScale;
  const single = generateRecords({
    count: events,
    accountId: ACCOUNTS[0] as string,
    region: 'us-east-1',
    accessKeyId: KEY,
    userName: 'bench',
    latest: '2026-11-21T12:00:00Z',
    spacingMs: 5_000,
  });
  const spread = ACCOUNTS.flatMap((accountId) =>
    generateRecords({
      count: events / ACCOUNTS.length,
      accountId,
      region: 'eu-west-1',
      accessKeyId: SPREAD_KEY,
      userName: 'bench',
      latest: '2026-11-21T12:00:00Z',
      spacingMs: 20_000,
    }),
  );
  const dir = writeScenario([...single, ...spread]);
  const aws = await startFakeAws({ scenario: dir, quotaScale });
  const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
  const window = { start: '2026-10-01T00:00:00.000Z', end: '2026-11-22T00:00:00.000Z' };
  const scope = (accountId: string, region: string, key: string) => ({
    accountId,
    region,
    window,
    accessKeyIds: [key],
    usernames: [],
    roleNames: [],
    subjects: [],
    resourceNames: [],
    eventNames: [],
  });
  try {
    const collector = new CloudTrailCollector(clients, new QuotaQueues(quotaScale));
    let t = performance.now();
    const one = await collector.collect(scope(ACCOUNTS[0] as string, 'us-east-1', KEY));
    const singleMs = performance.now() - t;
    if (one.items.length !== events) throw new Error(`single account: ${one.items.length} of ${events} events`);
    const singleFloor = (one.pages / rate) * 1000;

    t = performance.now();
    const many = await Promise.all(ACCOUNTS.map((a) => collector.collect(scope(a, 'eu-west-1', SPREAD_KEY))));
    const spreadMs = performance.now() - t;
    const got = many.reduce((n, r) => n + r.items.length, 0);
    if (got !== events) throw new Error(`four accounts: ${got} of ${events} events`);
    const spreadFloor = singleFloor / ACCOUNTS.length;
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      events,
      quotaScale,
      single: { pages: one.pages, ms: Math.round(singleMs), floorMs: Math.round(singleFloor), ratio: round(singleMs / singleFloor) },
      spread: {
        accounts: ACCOUNTS.length,
        pages: many.reduce((n, r) => n + r.pages, 0),
        ms: Math.round(spreadMs),
        floorMs: Math.round(spreadFloor),
        ratio: round(spreadMs / spreadFloor),
      },
    };
  } finally {
    clients.destroy();
    await aws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  process.stdout.write(`${JSON.stringify(await benchEvidence())}\n`);
}
