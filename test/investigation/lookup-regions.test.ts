import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import { planLookups } from '../../src/domain/investigation/lookup-plan.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';
import { CloudTrailCollector } from '../../src/aws/evidence/cloudtrail.ts';
import type { EvidenceScope } from '../../src/ports/collector.ts';
import { writeScenario } from '../support/cloudtrail-scenario.ts';

const A = '555566667777';
const KEY = 'AKIAREGIONTEST000001';
const INSTANCE = 'i-0123456789abcdef0';
const OTHER = 'i-0fedcba9876543210';

const dirs: string[] = [];
const fakes: FakeAws[] = [];
afterAll(async () => {
  for (const f of fakes) await f.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A CloudTrail record as CloudTrail writes it; SSM's SendCommand lists no `resources`, only `instanceIds`. */
function record(id: string, o: { name: string; source: string; region: string; time: string; key?: string; params?: Record<string, unknown> }) {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAREGIONTEST000001',
      arn: `arn:aws:iam::${A}:user/ops`,
      accountId: A,
      accessKeyId: o.key ?? 'AKIAOPSUSER000000001',
      userName: 'ops',
    },
    eventTime: o.time,
    eventSource: o.source,
    eventName: o.name,
    awsRegion: o.region,
    sourceIPAddress: '203.0.113.9',
    userAgent: 'aws-cli/2.15.30',
    requestParameters: o.params ?? null,
    responseElements: null,
    eventID: id,
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: A,
  };
}

describe('where CloudTrail lookups go', () => {
  it('identities, roles and regional calls in every enabled region; IAM calls by name in us-east-1 only; instances in the finding’s region', () => {
    const plan = planLookups({
      region: 'eu-west-1',
      enabledRegions: ['us-west-2', 'eu-west-1', 'ap-south-1', 'us-east-1'],
      accessKeyIds: [KEY],
      usernames: ['i-abc'],
      roleNames: ['worker'],
      resourceNames: [INSTANCE, 'worker'],
      eventNames: ['CreateUser', 'RunInstances'],
      instanceEvents: ['SendCommand'],
      instances: [INSTANCE],
    });
    const every = (what: string) => ['eu-west-1', 'us-east-1', 'ap-south-1', 'us-west-2'].map((r) => `${what}@${r}`);
    expect(plan.map((l) => `${l.attribute}=${l.value}@${l.region}${l.keepNaming ? ` naming ${l.keepNaming}` : ''}`)).toEqual([
      ...every(`AccessKeyId=${KEY}`),
      ...every('Username=i-abc'),
      `ResourceName=${INSTANCE}@eu-west-1`,
      ...every('ResourceName=worker'),
      'EventName=CreateUser@us-east-1',
      ...every('EventName=RunInstances'),
      `EventName=SendCommand@eu-west-1 naming ${INSTANCE}`,
    ]);
    // Regions unknown: the finding's and us-east-1 (where global services record, and a CLI's default region).
    expect(
      planLookups({ region: 'eu-west-1', accessKeyIds: [KEY], usernames: [], roleNames: [], resourceNames: [], eventNames: ['RunInstances'] }).map(
        (l) => `${l.attribute}@${l.region}`,
      ),
    ).toEqual(['AccessKeyId@eu-west-1', 'AccessKeyId@us-east-1', 'EventName@eu-west-1', 'EventName@us-east-1']);
    // A finding in us-east-1 searches it once; no instance, no instance calls.
    expect(
      planLookups({
        region: 'us-east-1',
        accessKeyIds: [KEY],
        usernames: [],
        roleNames: [],
        resourceNames: [],
        eventNames: [],
        instanceEvents: ['SendCommand'],
        instances: [],
      }),
    ).toEqual([{ attribute: 'AccessKeyId', value: KEY, region: 'us-east-1' }]);
  });

  it('the collector finds the key’s IAM calls in us-east-1 and only the SendCommand that names the instance, and says where it looked', async () => {
    const dir = writeScenario([
      record('e1', { name: 'ListBuckets', source: 's3.amazonaws.com', region: 'eu-west-1', time: '2026-11-10T10:00:00Z', key: KEY }),
      record('e2', { name: 'ListUsers', source: 'iam.amazonaws.com', region: 'us-east-1', time: '2026-11-10T10:01:00Z', key: KEY }),
      record('e3', { name: 'CreateUser', source: 'iam.amazonaws.com', region: 'us-east-1', time: '2026-11-10T10:02:00Z', params: { userName: 'backdoor' } }),
      record('e4', {
        name: 'SendCommand',
        source: 'ssm.amazonaws.com',
        region: 'eu-west-1',
        time: '2026-11-10T10:03:00Z',
        params: { documentName: 'AWS-RunShellScript', instanceIds: [INSTANCE] },
      }),
      record('e5', {
        name: 'SendCommand',
        source: 'ssm.amazonaws.com',
        region: 'eu-west-1',
        time: '2026-11-10T10:04:00Z',
        params: { documentName: 'AWS-RunPatchBaseline', instanceIds: [OTHER] },
      }),
    ]);
    dirs.push(dir);
    const aws = await startFakeAws({ scenario: dir, quotaScale: 10 });
    fakes.push(aws);
    const clients = new AwsClientFactory({ region: 'eu-west-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
    const scope: EvidenceScope = {
      accountId: A,
      region: 'eu-west-1',
      window: { start: '2026-11-09T00:00:00.000Z', end: '2026-11-11T00:00:00.000Z' },
      accessKeyIds: [KEY],
      usernames: [],
      roleNames: [],
      subjects: [{ kind: 'instance', id: INSTANCE }],
      resourceNames: [],
      eventNames: ['CreateUser'],
      instanceEvents: ['SendCommand'],
    };
    const result = await new CloudTrailCollector(clients, new QuotaQueues(10)).collect(scope);
    expect(result.items.map((e) => `${e.id} ${e.action} ${e.region}`).sort()).toEqual([
      'e1 ListBuckets eu-west-1',
      'e2 ListUsers us-east-1',
      'e3 CreateUser us-east-1',
      'e4 SendCommand eu-west-1',
    ]);
    expect(result.items.find((e) => e.id === 'e4')?.resources).toContain(INSTANCE);
    expect(result.searched.map((s) => [s.what, s.region, s.found])).toEqual([
      [`events by access key ${KEY}`, 'eu-west-1', 1],
      [`events by access key ${KEY}`, 'us-east-1', 1],
      ['calls to CreateUser', 'us-east-1', 1],
      [`calls to SendCommand naming ${INSTANCE}`, 'eu-west-1', 1],
    ]);
    // Each region's lookups went to that region's event history.
    expect(
      new Set(
        aws
          .calls()
          .filter((c) => c.operation === 'LookupEvents')
          .map((c) => c.region),
      ),
    ).toEqual(new Set(['eu-west-1', 'us-east-1']));
    // The key's newest event is its IAM call, in us-east-1.
    expect(await new CloudTrailCollector(clients, new QuotaQueues(10)).lastActivity({ kind: 'accessKey', id: KEY }, A, 'eu-west-1', aws.now())).toBe(
      '2026-11-10T10:01:00.000Z',
    );
    clients.destroy();
  }, 30_000);
});
