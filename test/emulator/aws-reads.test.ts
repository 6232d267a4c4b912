import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetRoleCommand, IAMClient, ListInstanceProfilesForRoleCommand } from '@aws-sdk/client-iam';
import { GetBucketPolicyCommand, GetBucketPolicyStatusCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/aws/fake-credentials.ts';
import { policyIsPublic } from '../../src/emulator/aws/s3.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';

/** The reads an investigation makes of roles, instance profiles, IMDS settings and bucket policies, through the real SDK clients. */

const A = '555566667777';
const REGION = 'eu-west-1';
const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const SHARED = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::210987654321:root' },
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: ['arn:aws:s3:::shared-out', 'arn:aws:s3:::shared-out/*'],
    },
  ],
};

let dir = '';
let aws: FakeAws;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sirbot-aws-reads-'));
  const role = (name: string, extra: Record<string, unknown> = {}) => ({
    RoleName: name,
    RoleId: `AROA${name.toUpperCase().replace(/-/g, '')}`.slice(0, 21),
    Arn: `arn:aws:iam::${A}:role/${name}`,
    CreateDate: '2026-01-05T10:00:00Z',
    ...extra,
  });
  const iam = {
    accounts: {
      [A]: {
        roles: [
          role('app-role', {
            AssumeRolePolicyDocument: TRUST,
            Description: 'The app servers',
            MaxSessionDuration: 7200,
            RoleLastUsed: { LastUsedDate: '2026-10-27T10:58:41Z', Region: REGION },
          }),
          role('unused-role'),
        ],
        instanceProfiles: [
          {
            InstanceProfileName: 'app-profile',
            InstanceProfileId: 'AIPAEXAMPLEAPPPROF01',
            Arn: `arn:aws:iam::${A}:instance-profile/app-profile`,
            CreateDate: '2026-01-05T10:00:05Z',
            Roles: ['app-role'],
          },
        ],
      },
    },
  };
  const instance = (id: string, extra: Record<string, unknown>) => ({ InstanceId: id, InstanceType: 't3.large', State: { Name: 'running' }, ...extra });
  const ec2 = {
    accounts: {
      [A]: {
        [REGION]: {
          instances: [
            instance('i-0a7d3c5e9f1b24680', {
              IamInstanceProfile: { Arn: `arn:aws:iam::${A}:instance-profile/app-profile`, Id: 'AIPAEXAMPLEAPPPROF01' },
              MetadataOptions: { HttpTokens: 'optional' },
            }),
            instance('i-0a7d3c5e9f1b24681', { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 } }),
            instance('i-0a7d3c5e9f1b24682', {}),
          ],
        },
      },
    },
  };
  const s3 = {
    accounts: {
      [A]: {
        buckets: [
          { Name: 'shared-out', Region: REGION, Policy: SHARED },
          {
            Name: 'public-site',
            Region: REGION,
            Policy: JSON.stringify({
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::public-site/*' }],
            }),
          },
          { Name: 'no-policy', Region: REGION },
        ],
      },
    },
  };
  writeFileSync(path.join(dir, 'iam.json'), JSON.stringify(iam));
  writeFileSync(path.join(dir, 'ec2.json'), JSON.stringify(ec2));
  writeFileSync(path.join(dir, 's3.json'), JSON.stringify(s3));
  aws = await startFakeAws({ scenario: dir });
});
afterAll(async () => {
  await aws.close();
  rmSync(dir, { recursive: true, force: true });
});

const config = () => ({ region: REGION, endpoint: aws.endpoint, credentials: fakeCredentials(A), maxAttempts: 1 });

describe('fake IAM: roles and instance profiles', () => {
  it('GetRole gives the trust policy (URL-encoded, as IAM sends it), the session limit and when the role was last used', async () => {
    const iam = new IAMClient(config());
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'app-role' }));
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''))).toEqual(TRUST);
    expect(Role).toMatchObject({
      Description: 'The app servers',
      MaxSessionDuration: 7200,
      RoleLastUsed: { LastUsedDate: new Date('2026-10-27T10:58:41Z'), Region: REGION },
    });
    // Never used: IAM answers an empty RoleLastUsed, and the default one-hour session limit.
    const unused = await iam.send(new GetRoleCommand({ RoleName: 'unused-role' }));
    expect(unused.Role?.MaxSessionDuration).toBe(3600);
    expect(unused.Role?.RoleLastUsed?.LastUsedDate).toBeUndefined();
    iam.destroy();
  });

  it('an instance profile names its role; a role lists the profiles it is in', async () => {
    const iam = new IAMClient(config());
    const { InstanceProfile } = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'app-profile' }));
    expect(InstanceProfile).toMatchObject({
      InstanceProfileId: 'AIPAEXAMPLEAPPPROF01',
      Roles: [{ RoleName: 'app-role', Arn: `arn:aws:iam::${A}:role/app-role` }],
    });
    const listed = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'app-role' }));
    expect(listed.InstanceProfiles?.map((p) => p.InstanceProfileName)).toEqual(['app-profile']);
    expect((await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'unused-role' }))).InstanceProfiles).toEqual([]);
    await expect(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'nope' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'Instance Profile nope cannot be found.',
    });
    await expect(iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'nope' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' });
    iam.destroy();
  });
});

describe('fake EC2: instance metadata options', () => {
  it('reports HttpTokens (optional: IMDSv1 still allowed) with EC2’s defaults for the rest; an instance seeded without options reports EC2’s launch defaults', async () => {
    const ec2 = new EC2Client(config());
    const out = await ec2.send(new DescribeInstancesCommand({}));
    const byId = Object.fromEntries((out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => [i.InstanceId, i]));
    expect(byId['i-0a7d3c5e9f1b24680']?.MetadataOptions).toEqual({
      State: 'applied',
      HttpTokens: 'optional',
      HttpPutResponseHopLimit: 1,
      HttpEndpoint: 'enabled',
      HttpProtocolIpv6: 'disabled',
      InstanceMetadataTags: 'disabled',
    });
    expect(byId['i-0a7d3c5e9f1b24680']?.IamInstanceProfile).toEqual({ Arn: `arn:aws:iam::${A}:instance-profile/app-profile`, Id: 'AIPAEXAMPLEAPPPROF01' });
    expect(byId['i-0a7d3c5e9f1b24681']?.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 });
    // EC2 always reports MetadataOptions; a seed without them gets the launch defaults (IMDSv1 allowed).
    expect(byId['i-0a7d3c5e9f1b24682']?.MetadataOptions).toMatchObject({ HttpTokens: 'optional', HttpPutResponseHopLimit: 1, State: 'applied' });
    ec2.destroy();
  });
});

describe('fake S3: bucket policies', () => {
  it('GetBucketPolicy returns the policy text; GetBucketPolicyStatus says whether it is public in S3’s sense', async () => {
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    const shared = await s3.send(new GetBucketPolicyCommand({ Bucket: 'shared-out' }));
    expect(JSON.parse(shared.Policy ?? '')).toEqual(SHARED);
    // Shared with another account: not public, so Block Public Access would not have stopped it.
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: 'shared-out' }))).PolicyStatus).toEqual({ IsPublic: false });
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: 'public-site' }))).PolicyStatus).toEqual({ IsPublic: true });
    for (const command of [new GetBucketPolicyCommand({ Bucket: 'no-policy' }), new GetBucketPolicyStatusCommand({ Bucket: 'no-policy' })]) {
      await expect(s3.send(command as GetBucketPolicyCommand)).rejects.toMatchObject({ name: 'NoSuchBucketPolicy', $metadata: { httpStatusCode: 404 } });
    }
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket: 'not-here' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    s3.destroy();
  });

  it('a wildcard principal pinned by a fixed condition is not public; an open-ended one is', () => {
    const statement = (Condition?: Record<string, Record<string, unknown>>) => ({
      Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...(Condition ? { Condition } : {}) }],
    });
    expect(policyIsPublic(statement())).toBe(true);
    expect(policyIsPublic(statement({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } }))).toBe(false);
    expect(policyIsPublic(statement({ IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } }))).toBe(false);
    expect(policyIsPublic(statement({ IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }))).toBe(true);
    expect(policyIsPublic(statement({ StringLike: { 'aws:SourceArn': '*' } }))).toBe(true);
    expect(policyIsPublic(statement({ Bool: { 'aws:SecureTransport': 'true' } }))).toBe(true);
    expect(policyIsPublic({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] })).toBe(false);
  });
});
