import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import { outsideAccountsGranted } from '../../src/domain/investigation/bucket-policy.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';
import type { EvidenceScope } from '../../src/ports/collector.ts';
import { S3Collector } from '../../src/aws/evidence/s3.ts';

const A = '111122223333';
const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

const dirs: string[] = [];
const fakes: FakeAws[] = [];
afterAll(async () => {
  for (const f of fakes) await f.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const grant = (principal: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: principal,
  Action: 's3:GetObject',
  Resource: 'arn:aws:s3:::b/*',
  ...extra,
});

describe('which outside accounts a bucket policy lets in', () => {
  it('names other accounts by root, role, user or bare id; not its own, not services, not denies', () => {
    const policy = JSON.stringify({
      Statement: [
        grant({ AWS: 'arn:aws:iam::210987654321:root' }),
        grant({ AWS: ['arn:aws:iam::333344445555:role/reader', '666677778888', `arn:aws:iam::${A}:role/own`] }),
        grant({ Service: 'logging.s3.amazonaws.com' }),
        { Effect: 'Deny', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 's3:*', Resource: '*' },
      ],
    });
    expect(outsideAccountsGranted(policy, A)).toEqual(['210987654321', '333344445555', '666677778888']);
    expect(outsideAccountsGranted(undefined, A)).toEqual([]);
    // Attacker-written text that is not JSON is said to be unreadable, not taken for "no grant".
    expect(outsideAccountsGranted('{"Statement": [', A)).toBeNull();
  });
});

describe('S3 collector', () => {
  it('describes each bucket as it is now: public or not, Block Public Access, outside grants, server access logging; gone buckets are gone', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-s3-'));
    dirs.push(dir);
    const buckets = [
      { Name: 'open-assets', Region: 'us-east-1', Policy: { Statement: [grant('*')] } },
      {
        Name: 'partner-share',
        Region: 'us-east-2',
        PublicAccessBlockConfiguration: ALL_ON,
        Policy: { Statement: [grant({ AWS: 'arn:aws:iam::210987654321:root' })] },
        LoggingEnabled: { TargetBucket: 'audit-logs', TargetPrefix: 'partner/' },
      },
      { Name: 'half-blocked', Region: 'us-east-1', PublicAccessBlockConfiguration: { ...ALL_ON, BlockPublicPolicy: false, RestrictPublicBuckets: false } },
    ];
    writeFileSync(path.join(dir, 's3.json'), JSON.stringify({ accounts: { [A]: { buckets } } }));
    const aws = await startFakeAws({ scenario: dir });
    fakes.push(aws);
    const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
    const scope: EvidenceScope = {
      accountId: A,
      region: 'us-east-1',
      window: { start: '2026-11-01T00:00:00.000Z', end: '2026-11-02T00:00:00.000Z' },
      accessKeyIds: [],
      usernames: [],
      roleNames: [],
      // partner-share lives in us-east-2: S3's redirect is followed.
      subjects: [
        { kind: 'bucket', id: 'open-assets' },
        { kind: 'bucket', id: 'partner-share' },
        { kind: 'bucket', id: 'deleted-bucket' },
      ],
      resourceNames: [],
      eventNames: [],
      touched: { users: [], roles: [], instances: [], buckets: ['half-blocked'] },
    };
    const result = await new S3Collector(clients, new QuotaQueues()).collect(scope);
    const facts = Object.fromEntries(result.states.map((s) => [s.id, [s.exists, s.status ?? null, ...s.facts]]));
    expect(facts).toEqual({
      'open-assets': [true, 'public', 'no bucket-level Block Public Access', 'server access logging off'],
      'partner-share': [true, 'not public', 'Block Public Access all on', 'policy grants other account(s) 210987654321', 'server access logging to audit-logs'],
      'half-blocked': [
        true,
        'not public',
        'Block Public Access off: BlockPublicPolicy, RestrictPublicBuckets',
        'no bucket policy',
        'server access logging off',
      ],
      'deleted-bucket': [false, null, 'S3 says the bucket no longer exists'],
    });
    expect(result.limitingFactors).toEqual([]);
    expect(result.searched.map((s) => [s.what, s.found]).sort()).toEqual([
      ['S3 bucket deleted-bucket', 0],
      ['S3 bucket half-blocked', 1],
      ['S3 bucket open-assets', 1],
      ['S3 bucket partner-share', 1],
    ]);
    clients.destroy();
  });
});
