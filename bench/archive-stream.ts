import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AwsClientFactory, fakeCredentials } from '../src/aws/clients.ts';
import { QuotaQueues } from '../src/aws/quotas.ts';
import { TrailObjectsSearch } from '../src/aws/evidence/trail-objects.ts';
import { DEFAULT_ARCHIVE_BOUNDS } from '../src/aws/evidence/archive-settings.ts';
import { loadScenario } from '../src/emulator/aws/scenario.ts';
import { trailDayPrefixes } from '../src/domain/investigation/archive-query.ts';
import { generateRecords, writeScenario } from '../test/support/cloudtrail-scenario.ts';

export interface ArchiveStreamResult {
  objects: number;
  days: number;
  gets: number;
  slowDowns: number;
  matched: number;
  ms: number;
  floorMs: number;
  ratio: number;
  getRate: number;
  /** The reference, measured in the same run: the same lists and reads as bare SDK calls (32 in flight), bytes read and dropped. */
  bareMs: number;
  /** sirbot's stream ÷ the bare SDK loop: what listing, pacing, gunzip and filtering add. */
  vsBare: number;
}

const ACCOUNT = '111122223333';
const LATEST = '2026-11-30T12:00:00Z';
const DAY = 86_400_000;

/**
 * An IP pivot over 120 days of a trail's S3 objects, with neither Lake nor Athena: every
 * day folder listed and every object read, gunzipped and filtered (TrailObjectsSearch),
 * against the fake's S3 enforcing 5,500 GETs a second on the bucket (`quotaScale` scales
 * it), run in a process of its own (bench/fake-aws-process.ts) as S3 is elsewhere. One
 * record every 345.6 s is one object per five-minute delivery: 30,000 objects. The floor
 * is the GETs made (lists and reads) ÷ the rate the fake allows.
 */
export async function benchArchiveStream(objects = 30_000, quotaScale = 1): Promise<ArchiveStreamResult> {
  const days = 120;
  const records = generateRecords({
    count: objects,
    accountId: ACCOUNT,
    region: 'us-east-1',
    accessKeyId: 'AKIABENCHKEY00000001',
    userName: 'bench',
    latest: LATEST,
    spacingMs: (days * DAY) / objects,
  });
  const dir = writeScenario(records);
  const scenario = loadScenario(dir);
  const fake = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fake-aws-process.ts', import.meta.url)), dir, String(quotaScale)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const aws = await new Promise<{ endpoint: string }>((resolve) =>
    createInterface({ input: fake.stdout }).on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line) as { endpoint: string });
    }),
  );
  const stats = await import('../src/emulator/aws/trail-archive.ts');
  const objectCount = stats.trailObjects(scenario).length;
  const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
  const getRate = 5500 * quotaScale;
  try {
    const search = new TrailObjectsSearch(clients, new QuotaQueues(quotaScale), {
      store: { kind: 's3', bucket: scenario.trail.bucket },
      account: scenario.trail.account,
      region: 'us-east-1',
      dataEvents: false,
      bounds: { ...DEFAULT_ARCHIVE_BOUNDS, maxObjects: objects * 2 },
    });
    const none = { accessKeyIds: [], usernames: [], resourceNames: [], eventNames: [] };
    const query = {
      accountId: ACCOUNT,
      regions: ['us-east-1'],
      window: { start: new Date(Date.parse(LATEST) - days * DAY - 60_000).toISOString(), end: LATEST },
      match: { ...none, sourceIps: ['198.51.100.7'] },
      limit: 10_000,
    };
    // The objects are built on the fake's first S3 request: build them before the clock starts.
    await search.search({ ...query, window: { start: LATEST, end: LATEST } });
    const bareMs = await bareSdkRead(clients, scenario.trail.bucket, trailDayPrefixes(query, {}));
    const t = performance.now();
    const result = await search.search(query);
    const ms = performance.now() - t;
    if (objectCount !== objects || (result.cost?.objectsRead ?? 0) !== objects) throw new Error(`read ${result.cost?.objectsRead} of ${objectCount} objects`);
    // Every day folder is one list page (250 keys), then every object one read.
    const gets = result.queries.length + objects;
    if (result.limitingFactors.length > 0) throw new Error(JSON.stringify(result.limitingFactors));
    const floorMs = (gets / getRate) * 1000;
    return {
      objects,
      days,
      gets,
      slowDowns: result.cost?.slowDowns ?? 0,
      matched: result.entries.length,
      ms: Math.round(ms),
      floorMs: Math.round(floorMs),
      ratio: Math.round((ms / floorMs) * 100) / 100,
      getRate,
      bareMs: Math.round(bareMs),
      vsBare: Math.round((ms / bareMs) * 100) / 100,
    };
  } finally {
    clients.destroy();
    fake.stdin?.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The floor this machine allows, whatever S3 would: every day folder listed (one page of
 * 250 keys each, as the trail's five-minute deliveries make) and every object read with
 * the SDK alone, 32 in flight like the stream, the bytes dropped — no pacing, gunzip or
 * filtering. Returns the milliseconds it took.
 */
async function bareSdkRead(clients: AwsClientFactory, bucket: string, prefixes: string[]): Promise<number> {
  const { ListObjectsV2Command, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const s3 = clients.s3(ACCOUNT, 'us-east-1');
  const t = performance.now();
  const keys: string[] = [];
  for (let i = 0; i < prefixes.length; i += 8) {
    const pages = await Promise.all(prefixes.slice(i, i + 8).map((Prefix) => s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix }))));
    for (const page of pages) keys.push(...(page.Contents ?? []).map((o) => o.Key as string));
  }
  let next = 0;
  const reader = async () => {
    while (next < keys.length) {
      const Key = keys[next++] as string;
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
      await object.Body?.transformToByteArray();
    }
  };
  await Promise.all(Array.from({ length: 32 }, reader));
  return performance.now() - t;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  process.stdout.write(`${JSON.stringify(await benchArchiveStream())}\n`);
}
