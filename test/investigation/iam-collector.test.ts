import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AwsClientFactory, fakeCredentials } from '../../src/aws/clients.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';
import { IamCollector } from '../../src/aws/evidence/iam.ts';
import { generateRecords, writeScenario } from '../support/cloudtrail-scenario.ts';

const A = '111122223333';
let dir = '';
let aws: FakeAws;
afterAll(async () => {
  await aws?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('IAM collector against the fake IAM (query protocol)', () => {
  it("reports users' current state: keys and their last use, admin policies, users that are gone", async () => {
    dir = writeScenario(
      generateRecords({ count: 1, accountId: A, region: 'us-east-1', accessKeyId: 'AKIAX0000000000000001', userName: 'alice', latest: '2026-11-21T12:00:00Z' }),
    );
    writeFileSync(
      path.join(dir, 'iam.json'),
      JSON.stringify({
        accounts: {
          [A]: {
            users: [
              {
                UserName: 'intruder',
                UserId: 'AIDAINTRUDER00000001',
                Arn: `arn:aws:iam::${A}:user/intruder`,
                CreateDate: '2026-11-21T10:00:00Z',
                AccessKeys: [
                  {
                    AccessKeyId: 'AKIAINTRUDER00000001',
                    Status: 'Active',
                    CreateDate: '2026-11-21T10:01:00Z',
                    LastUsed: { LastUsedDate: '2026-11-21T11:00:00Z', ServiceName: 's3', Region: 'us-east-1' },
                  },
                  { AccessKeyId: 'AKIAINTRUDER00000002', Status: 'Inactive', CreateDate: '2026-11-21T10:02:00Z' },
                ],
                AttachedPolicies: [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
              },
            ],
          },
        },
      }),
    );
    aws = await startFakeAws({ scenario: dir });
    const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
    const result = await new IamCollector(clients, new QuotaQueues(5)).collect({
      accountId: A,
      region: 'us-east-1',
      window: { start: '2026-11-20T00:00:00.000Z', end: '2026-11-22T00:00:00.000Z' },
      accessKeyIds: [],
      usernames: ['deleted-already'],
      roleNames: [],
      subjects: [{ kind: 'iamUser', id: 'deleted-already', accountId: A }],
      resourceNames: [],
      eventNames: [],
      created: { users: ['intruder'], roles: ['gone-role'], accessKeys: [], instances: [] },
    });
    expect(result.limitingFactors).toEqual([]);
    expect(result.items).toEqual([]);
    const states = Object.fromEntries(
      result.states.map((s) => [
        `${s.kind}:${s.id}`,
        {
          exists: s.exists,
          status: s.status,
          owner: s.owner,
          lastUsedAt: s.lastUsedAt,
          lastUsedWhere: s.lastUsedWhere,
          createdInWindow: s.createdInWindow,
          facts: s.facts,
        },
      ]),
    );
    expect(states).toEqual({
      'iamUser:deleted-already': { exists: false, facts: ['IAM says the user no longer exists'] },
      'iamUser:intruder': { exists: true, createdInWindow: true, facts: ['1 active access key(s)', 'has AdministratorAccess'] },
      'accessKey:AKIAINTRUDER00000001': {
        exists: true,
        status: 'Active',
        owner: 'intruder',
        lastUsedAt: '2026-11-21T11:00:00.000Z',
        lastUsedWhere: 's3 in us-east-1',
        facts: [],
      },
      'accessKey:AKIAINTRUDER00000002': { exists: true, status: 'Inactive', owner: 'intruder', facts: ['never used'] },
      'role:gone-role': { exists: false, facts: ['IAM says the role no longer exists'] },
    });
    // What was looked up, found or not, is said as well.
    expect(result.searched.map((x) => `${x.what}: ${x.found}`).sort()).toEqual([
      'IAM role gone-role: 0',
      'IAM user deleted-already: 0',
      'IAM user intruder: 1',
    ]);
    clients.destroy();
  });
});
