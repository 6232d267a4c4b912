import { describe, expect, it } from 'vitest';
import { suspectKeys } from '../../src/domain/investigation/suspect-keys.ts';
import type { TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import { trustedPrincipals } from '../../src/domain/investigation/trust-policy.ts';

const A = '111122223333';

function call(over: Partial<TimelineEntry>): TimelineEntry {
  return {
    id: Math.random().toString(36),
    time: '2026-11-21T10:00:00.000Z',
    source: 'cloudtrail',
    action: 'ListBuckets',
    service: 's3.amazonaws.com',
    actor: `arn:aws:iam::${A}:user/alice`,
    actorType: 'IAMUser',
    accessKeyId: null,
    sourceIp: null,
    userAgent: 'aws-cli/2',
    resources: [],
    errorCode: null,
    accountId: A,
    region: 'us-east-1',
    tactics: [],
    highlights: [],
    ...over,
  };
}

describe('who a role trusts', () => {
  it('reads the principals allowed to assume it from the URL-encoded document GetRole returns', () => {
    const doc = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::210987654321:root'] }, Action: ['sts:AssumeRole', 'sts:TagSession'] },
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
        },
        // Not an assume grant, and a deny: neither is trust.
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sts:GetCallerIdentity' },
        { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' },
      ],
    };
    expect(trustedPrincipals(encodeURIComponent(JSON.stringify(doc)))).toEqual([
      'ec2.amazonaws.com',
      'arn:aws:iam::210987654321:root',
      'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
    ]);
    expect(trustedPrincipals(JSON.stringify({ Statement: { Effect: 'Allow', Principal: '*', Action: 'sts:*' } }))).toEqual(['*']);
    expect(trustedPrincipals(undefined)).toBeNull();
    expect(trustedPrincipals('%7B%22Statement')).toBeNull();
  });
});

describe('other keys seen where the investigated credentials were misused', () => {
  const STOLEN = 'ASIASTOLEN0000000001';
  const subjects = [
    { kind: 'accessKey' as const, id: STOLEN },
    { kind: 'ip' as const, id: '203.0.113.77' },
  ];
  const vendor = `arn:aws:iam::${A}:user/vendor/patching`;

  it('flags a long-term key that called from the caller’s or the stolen key’s addresses, not from the instance’s own address or elsewhere', () => {
    const timeline = [
      call({ accessKeyId: STOLEN, sourceIp: '192.0.2.44' }),
      call({ accessKeyId: STOLEN, sourceIp: '198.51.100.9' }),
      call({ accessKeyId: 'AKIAVENDOR0000000001', actor: vendor, sourceIp: '198.51.100.120' }),
      call({ accessKeyId: 'AKIAVENDOR0000000001', actor: vendor, sourceIp: '203.0.113.77', action: 'SendCommand' }),
      call({ accessKeyId: 'AKIAOTHER00000000001', sourceIp: '198.51.100.9' }),
      call({ accessKeyId: 'AKIAINSTANCE00000001', sourceIp: '192.0.2.44' }),
      call({ accessKeyId: 'AKIAMADE000000000001', sourceIp: '203.0.113.77' }),
      // An AWS service acting for the account is no one's stolen key.
      call({ accessKeyId: 'AKIASERVICE000000001', sourceIp: '203.0.113.77', actorType: 'AWSService' }),
    ];
    const states = [{ kind: 'instance' as const, id: 'i-1', accountId: A, region: 'us-east-1', exists: true, publicIp: '192.0.2.44', facts: [] }];
    const found = suspectKeys(subjects, timeline, states, new Set(['AKIAMADE000000000001']));
    expect(found).toEqual([
      { accessKeyId: 'AKIAVENDOR0000000001', user: 'patching', sourceIp: '203.0.113.77', accountId: A },
      { accessKeyId: 'AKIAOTHER00000000001', user: 'alice', sourceIp: '198.51.100.9', accountId: A },
    ]);
  });
});
