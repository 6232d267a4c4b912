import { readFileSync } from 'node:fs';
import { GetBucketPolicyCommand, GetBucketPolicyStatusCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/aws/fake-credentials.ts';
import { type Subject, subjectsOf } from '../../src/domain/investigation/subjects.ts';
import { startFakeAws } from '../../src/emulator/aws/server.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { runCli } from '../support/cli.ts';

/**
 * `sirbot investigate` on the two issue 12 scenarios, through the real engine against the
 * fake AWS. The passing tests pin what the engine shows today (events, actors, source
 * IPs, related findings); the skipped and todo ones, each marked `issue 12:`, are what the
 * engine work in progress (playbooks per GuardDuty family, subjects, role and instance
 * state, honest summaries, new remediations) should make true.
 */

interface Entry {
  id: string;
  time: string;
  source: string;
  action: string;
  actor: string | null;
  accessKeyId: string | null;
  sourceIp: string | null;
  resources: string[];
  errorCode: string | null;
  region: string | null;
  tactics: string[];
  highlights: string[];
}

interface Investigation {
  playbook: string;
  window: { start: string; end: string };
  timeline: Entry[];
  limitingFactors: Array<{ source: string; reason: string; detail: string }>;
  summary: { text: string; actors: string[]; sourceIps: string[]; recommendations: string[]; currentState: unknown[] };
}

const ICE = 'src/scenarios/instance-credential-exfiltration';
const S3X = 'src/scenarios/s3-data-exfiltration';

async function investigate(scenario: string, finding: string): Promise<Investigation> {
  const run = await runCli(['investigate', '--finding', finding, '--scenario', scenario, '--quota-scale', '10']);
  expect(run.stderr).toEqual([]);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout.join('\n')) as Investigation;
}

const findingIn = (file: string) => {
  const { findings, errors } = normalizeInput(JSON.parse(readFileSync(file, 'utf8')));
  expect(errors).toEqual([]);
  return findings;
};
const brief = (subjects: Subject[]) => subjects.map((s) => `${s.kind}:${s.id}`).sort();
const at = (timeline: Entry[], pred: (e: Entry) => boolean) => {
  const i = timeline.findIndex(pred);
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
};

describe('instance-credential-exfiltration: a worker’s role credentials read through SSM and used from outside AWS', () => {
  const A = '555566667777';
  const INSTANCE = 'i-0a7d3c5e9f1b24680';
  const SESSION = `arn:aws:sts::${A}:assumed-role/reports-worker-role/${INSTANCE}`;
  const VENDOR = `arn:aws:iam::${A}:user/vendor-patching`;
  const [KEY_A, KEY_B] = ['ASIAREPORTS1AEXAMPLE', 'ASIAREPORTS1BEXAMPLE'];
  const OUTSIDE = '203.0.113.77';
  const INSTANCE_IP = '192.0.2.44';

  it('the finding names the key, the role and its session, the instance and the caller, in GuardDuty’s form and as Security Hub imports it', () => {
    const [native] = findingIn(`${ICE}/finding.json`);
    expect(native).toMatchObject({
      type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
      accountId: A,
      region: 'eu-west-1',
      severity: { label: 'HIGH' },
      resources: [
        { type: 'AwsIamAccessKey', id: KEY_A },
        { type: 'AwsIamRole', id: 'reports-worker-role' },
        { type: 'AwsEc2Instance', id: INSTANCE },
      ],
    });
    const subjects = subjectsOf(native!);
    expect(brief(subjects)).toEqual([`accessKey:${KEY_A}`, `instance:${INSTANCE}`, `ip:${OUTSIDE}`, 'role:reports-worker-role']);
    expect(subjects.find((s) => s.kind === 'role')).toMatchObject({ sessionName: INSTANCE, principalId: `AROAEXAMPLERPTWORKR1:${INSTANCE}` });
    expect(subjects.find((s) => s.kind === 'accessKey')).toMatchObject({ principal: 'reports-worker-role', principalType: 'AssumedRole' });
    expect(subjects.find((s) => s.kind === 'ip')).toMatchObject({ ipRole: 'caller', country: 'Netherlands' });

    const [asff] = findingIn(`${ICE}/findings/securityhub-eu-west-1.json`);
    expect(asff).toMatchObject({ schema: 'asff', product: 'GuardDuty', types: ['Effects/Data Exfiltration/UnauthorizedAccess:IAMUser-InstanceCredentialExfiltration.OutsideAWS'] });
    expect(brief(subjectsOf(asff!))).toEqual(brief(subjects));
  });

  it('finds the role session’s calls from outside AWS beside the same key’s calls from the instance, and the vendor key polling the command that read them', async () => {
    const out = await investigate(ICE, `${ICE}/finding.json`);
    const tl = out.timeline;
    expect(out.window.start <= '2026-10-21T10:05:00.000Z' && out.window.end >= '2026-10-27T09:49:10.000Z').toBe(true);

    // One key, two places: the instance's own agent and report job, and the intruder's server.
    const keyA = tl.filter((e) => e.accessKeyId === KEY_A);
    expect(keyA.every((e) => e.actor === SESSION)).toBe(true);
    expect(new Set(keyA.map((e) => e.sourceIp))).toEqual(new Set([INSTANCE_IP, OUTSIDE]));
    const outside = keyA.filter((e) => e.sourceIp === OUTSIDE);
    // The capture's pattern first (who am I, then the instances), then discovery and credential access.
    expect(outside.slice(0, 2).map((e) => [e.time, e.action])).toEqual([
      ['2026-10-27T09:39:05.000Z', 'GetCallerIdentity'],
      ['2026-10-27T09:39:06.000Z', 'DescribeInstances'],
    ]);
    expect(outside.map((e) => e.action)).toEqual(
      expect.arrayContaining(['ListBuckets', 'ListSecrets', 'DescribeParameters', 'GetParameters', 'GetSecretValue', 'GetBucketLocation']),
    );
    expect(outside.filter((e) => e.errorCode === 'AccessDenied').map((e) => e.action)).toEqual(['ListSecrets', 'GetSecretValue']);
    const secrets = outside.filter((e) => e.action === 'GetParameters').flatMap((e) => e.resources);
    expect(secrets).toEqual(expect.arrayContaining([`arn:aws:ssm:eu-west-1:${A}:parameter/reports/warehouse/password`, `arn:aws:ssm:eu-west-1:${A}:parameter/reports/smtp/api-key`]));
    expect(outside.find((e) => e.action === 'GetSecretValue' && e.errorCode === null)?.resources).toContain('reports/warehouse-readonly');
    expect(outside.filter((e) => e.action === 'GetParameters' || e.action === 'GetSecretValue').every((e) => e.tactics.includes('Credential Access'))).toBe(true);

    // Minutes before, the vendor's key, from the same address (first seen there), polls a command's output on the instance.
    const polls = tl.filter((e) => e.actor === VENDOR && e.action === 'GetCommandInvocation' && e.sourceIp === OUTSIDE);
    expect(polls.map((e) => e.time.slice(11, 19))).toEqual(['09:38:03', '09:38:08', '09:38:14', '09:38:32', '10:31:51', '10:31:56', '10:32:02', '10:32:20']);
    expect(polls.every((e) => e.resources.includes(INSTANCE))).toBe(true);
    expect(polls[0]?.highlights).toContain(`first seen source IP ${OUTSIDE}`);
    expect(at(tl, (e) => e === polls[3])).toBeLessThan(at(tl, (e) => e === outside[0]));
    // The same vendor key's normal use, from its office, earlier in the week.
    expect(tl.filter((e) => e.actor === VENDOR && e.sourceIp === '198.51.100.120').length).toBeGreaterThan(0);

    expect(out.summary.actors).toEqual(expect.arrayContaining([VENDOR, SESSION]));
    expect(out.summary.sourceIps).toEqual(expect.arrayContaining([OUTSIDE, INSTANCE_IP]));
    // GuardDuty's finding on the refreshed key joins as a related finding.
    const related = tl.filter((e) => e.source === 'guardduty');
    expect(related.map((e) => [e.action, e.accessKeyId, e.time])).toEqual([
      ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', KEY_B, '2026-10-27T10:33:05.000Z'],
    ]);
  }, 60_000);

  it('from GuardDuty’s finding on the refreshed key, finds that key’s calls from outside and the second command', async () => {
    const findings = JSON.parse(readFileSync(`${ICE}/findings/guardduty-eu-west-1.json`, 'utf8')) as Array<{ resource: { accessKeyDetails: { accessKeyId: string } } }>;
    const second = findings.find((f) => f.resource.accessKeyDetails.accessKeyId === KEY_B);
    const run = await runCli(['investigate', '--finding', '<finding>', '--scenario', ICE, '--quota-scale', '10'], { '<finding>': JSON.stringify(second) });
    expect(run.code).toBe(0);
    const tl = (JSON.parse(run.stdout.join('\n')) as Investigation).timeline;
    const outside = tl.filter((e) => e.accessKeyId === KEY_B && e.sourceIp === OUTSIDE);
    expect(outside.map((e) => e.action)).toEqual(['GetCallerIdentity', 'ListBuckets', 'GetSecretValue', 'GetBucketLocation', 'GetParameters']);
    expect(outside.every((e) => e.actor === SESSION)).toBe(true);
    // The instance kept using the same refreshed key from its own address.
    expect(tl.some((e) => e.accessKeyId === KEY_B && e.sourceIp === INSTANCE_IP)).toBe(true);
  }, 60_000);

  // issue 12: the session name (the instance id) is CloudTrail's user name for the role's calls; looking it up finds the refreshed key's calls too.
  it.skip('issue 12: from finding.json, the same session’s calls with the refreshed key from outside', async () => {
    const tl = (await investigate(ICE, `${ICE}/finding.json`)).timeline;
    expect(tl.filter((e) => e.accessKeyId === KEY_B && e.sourceIp === OUTSIDE).map((e) => e.action)).toEqual(
      expect.arrayContaining(['GetCallerIdentity', 'ListBuckets', 'GetSecretValue', 'GetParameters']),
    );
  });

  // issue 12: how the credentials left: SendCommand names the instance in `instanceIds` (an array, which the ResourceName lookup does not match).
  it.skip('issue 12: the vendor’s SendCommand AWS-RunShellScript on the instance, before the first outside call', async () => {
    const tl = (await investigate(ICE, `${ICE}/finding.json`)).timeline;
    const sent = tl.filter((e) => e.action === 'SendCommand' && e.actor === VENDOR && e.sourceIp === OUTSIDE);
    expect(sent.map((e) => e.time)).toEqual(['2026-10-27T09:38:02.000Z', '2026-10-27T10:31:50.000Z']);
    expect(sent.every((e) => e.resources.includes(INSTANCE))).toBe(true);
  });

  // issue 12: IAM is global; CloudTrail records its calls in us-east-1, not in the finding's region.
  it.skip('issue 12: the refused IAM reads and creations by the session, from us-east-1', async () => {
    const tl = (await investigate(ICE, `${ICE}/finding.json`)).timeline;
    const iam = tl.filter((e) => e.actor === SESSION && e.region === 'us-east-1');
    expect(iam.map((e) => [e.action, e.errorCode])).toEqual([
      ['ListRoles', 'AccessDenied'],
      ['GetAccountAuthorizationDetails', 'AccessDenied'],
      ['ListAttachedRolePolicies', 'AccessDenied'],
      ['ListRolePolicies', 'AccessDenied'],
      ['ListUsers', 'AccessDenied'],
      ['CreateUser', 'AccessDenied'],
      ['CreateAccessKey', 'AccessDenied'],
    ]);
    expect(iam.slice(0, 5).every((e) => e.highlights.includes('burst of access denied'))).toBe(true);
  });

  // issue 12: honest summaries: a role is not an IAM user, and the ASFF copy of the finding under investigation is not another finding.
  it.skip('issue 12: the summary does not call the role a missing IAM user, nor list the finding’s own ASFF copy as state', async () => {
    const out = await investigate(ICE, `${ICE}/finding.json`);
    expect(out.summary.text).not.toContain('user reports-worker-role no longer exists');
    expect(JSON.stringify(out.summary.currentState)).not.toContain('AWS::IAM::AccessKey:ASIAREPORTS1AEXAMPLE');
  });

  it.todo('issue 12: finding.json and its ASFF copy pick the instance-credential playbook (the ASFF type reads `Effects/Data Exfiltration/UnauthorizedAccess:IAMUser-…`), not credential-exposure or generic');
  it.todo('issue 12: the ASFF copy searches ASIAREPORTS1AEXAMPLE (its resource id is `AWS::IAM::AccessKey:ASIAREPORTS1AEXAMPLE`) and finds what finding.json finds');
  it.todo('issue 12: role state: reports-worker-role exists, is in instance profile reports-worker-profile, trusted by ec2.amazonaws.com, last used 2026-10-27T10:01:47Z in eu-west-1');
  it.todo('issue 12: instance state: i-0a7d3c5e9f1b24680 running, instance profile reports-worker-profile, IMDSv1 allowed (MetadataOptions.HttpTokens optional)');
  it.todo('issue 12: suggested remediations: revoke reports-worker-role sessions issued before now, enforce IMDSv2 on i-0a7d3c5e9f1b24680, deactivate AKIAVENDORPATCH00001');
  it.todo('issue 12: a limiting factor says the bucket reads (S3 data events) are not in CloudTrail event history');
});

describe('s3-data-exfiltration: a leaked key copies a bucket out, then backdoors its policy for another account', () => {
  const A = '888899990000';
  const BUCKET = 'examplecorp-customer-exports';
  const USER = `arn:aws:iam::${A}:user/analytics-etl`;
  const KEY = 'AKIAANALYTICSETL0001';
  const OUTSIDE = '203.0.113.161';

  it('the finding names the bucket and the key that read it, in GuardDuty’s form and as Security Hub imports it', () => {
    const [native] = findingIn(`${S3X}/finding.json`);
    expect(native).toMatchObject({ type: 'Exfiltration:S3/AnomalousBehavior', accountId: A, region: 'us-east-2', severity: { label: 'HIGH' } });
    const raw = native!.raw as { resource: { resourceType: string; s3BucketDetails: Array<{ name: string; publicAccess: { effectivePermission: string } }> } };
    expect(raw.resource.resourceType).toBe('S3Bucket');
    expect(raw.resource.s3BucketDetails.map((b) => [b.name, b.publicAccess.effectivePermission])).toEqual([[BUCKET, 'NOT_PUBLIC']]);
    const subjects = subjectsOf(native!);
    expect(brief(subjects)).toEqual([`accessKey:${KEY}`, `bucket:${BUCKET}`, 'iamUser:analytics-etl', `ip:${OUTSIDE}`]);
    const [asff] = findingIn(`${S3X}/findings/securityhub-us-east-2.json`);
    expect(asff).toMatchObject({ schema: 'asff', product: 'GuardDuty', types: ['TTPs/Exfiltration:S3-AnomalousBehavior'] });
    expect(brief(subjectsOf(asff!))).toEqual(brief(subjects));
  });

  it('puts the refused public policy, the accepted cross-account grant and logging turned off in order, with GuardDuty’s other findings', async () => {
    const out = await investigate(S3X, `${S3X}/finding.json`);
    const tl = out.timeline;
    const byKey = tl.filter((e) => e.source === 'cloudtrail' && e.accessKeyId === KEY);
    expect(byKey.every((e) => e.actor === USER)).toBe(true);
    // The nightly job from the data centre, then the same key from a new address.
    expect(byKey[0]).toMatchObject({ sourceIp: '198.51.100.25', action: 'GetBucketLocation' });
    const first = byKey.find((e) => e.sourceIp === OUTSIDE);
    expect(first).toMatchObject({ action: 'GetBucketLocation', time: '2026-11-10T13:04:20.000Z', highlights: [`first seen source IP ${OUTSIDE}`] });
    expect(byKey.filter((e) => e.sourceIp === OUTSIDE).map((e) => [e.action, e.errorCode])).toEqual([
      ['GetBucketLocation', null],
      ['GetBucketPolicy', null],
      ['GetBucketAcl', null],
      ['GetBucketVersioning', null],
      ['GetPublicAccessBlock', null],
      ['GetBucketLogging', null],
      ['PutBucketPolicy', 'AccessDenied'],
      ['PutBucketPolicy', null],
      ['GetBucketPolicy', null],
      ['PutBucketLogging', null],
    ]);
    const puts = byKey.filter((e) => e.action === 'PutBucketPolicy');
    expect(puts.every((e) => e.resources.includes(BUCKET) && e.tactics.includes('Exfiltration'))).toBe(true);
    expect(byKey.find((e) => e.action === 'PutBucketLogging')?.tactics).toContain('Defense Evasion');
    // GuardDuty saw what event history cannot: the listing, and the logging change.
    expect(tl.filter((e) => e.source === 'guardduty').map((e) => [e.action, e.time, e.tactics])).toEqual([
      ['Discovery:S3/AnomalousBehavior', '2026-11-10T13:07:12.000Z', ['Discovery']],
      ['Stealth:S3/ServerAccessLoggingDisabled', '2026-11-10T13:36:30.000Z', ['Defense Evasion']],
    ]);
    expect(out.summary.sourceIps).toEqual(['198.51.100.25', OUTSIDE]);
    expect(out.summary.recommendations[0]).toMatch(new RegExp(`^Deactivate the access key\\(s\\) ${KEY} \\(user analytics-etl\\) now`));
    expect(out.summary.recommendations.some((r) => r.startsWith(`Bucket ${BUCKET}: remove bucket-policy statements that grant public or outside access`))).toBe(true);
  }, 60_000);

  it('the fake serves the bucket as it is now: Block Public Access on, the policy grants 210987654321, and it is not public', async () => {
    const aws = await startFakeAws({ scenario: S3X });
    const s3 = new S3Client({ region: 'us-east-2', endpoint: aws.endpoint, credentials: fakeCredentials(A), forcePathStyle: true, maxAttempts: 1 });
    try {
      const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy ?? '') as { Statement: Array<{ Sid: string; Principal: unknown }> };
      expect(policy.Statement.map((s) => [s.Sid, s.Principal])).toEqual([
        ['DenyInsecureTransport', '*'],
        ['AllowPartnerRead', { AWS: 'arn:aws:iam::210987654321:root' }],
      ]);
      expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: BUCKET }))).PolicyStatus?.IsPublic).toBe(false);
      expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }))).PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
    } finally {
      s3.destroy();
      await aws.close();
    }
  });

  // issue 12: the recon ran with the CLI's default region: it is in us-east-1's event history, not the bucket's.
  it.skip('issue 12: the key’s recon in us-east-1: GetCallerIdentity, ListBuckets, three refused IAM reads', async () => {
    const tl = (await investigate(S3X, `${S3X}/finding.json`)).timeline;
    expect(tl.filter((e) => e.accessKeyId === KEY && e.region === 'us-east-1').map((e) => [e.action, e.errorCode])).toEqual([
      ['GetCallerIdentity', null],
      ['ListBuckets', null],
      ['ListAttachedUserPolicies', 'AccessDenied'],
      ['ListUserPolicies', 'AccessDenied'],
      ['GetUser', 'AccessDenied'],
    ]);
  });

  // issue 12: a threat finding gets its family's advice, not a control's; and what event history cannot show is said.
  it.skip('issue 12: no control guidance for a GuardDuty finding, and a limiting factor for S3 data events', async () => {
    const out = await investigate(S3X, `${S3X}/finding.json`);
    expect(out.playbook).not.toBe('generic');
    expect(out.summary.recommendations.join('\n')).not.toContain('Apply the control’s remediation guidance');
    expect(JSON.stringify(out.limitingFactors)).toMatch(/data event/i);
  });

  it.todo('issue 12: finding.json and its ASFF copy (`TTPs/Exfiltration:S3-AnomalousBehavior`) pick the S3 playbook; the ASFF copy searches AKIAANALYTICSETL0001 and analytics-etl and finds GuardDuty’s other findings');
  it.todo('issue 12: bucket state: the policy grants arn:aws:iam::210987654321:root, not public (GetBucketPolicyStatus), Block Public Access on — so Block Public Access did not and will not stop it');
  it.todo('issue 12: the key’s state: analytics-etl exists, AKIAANALYTICSETL0001 active, last used on s3 in us-east-2');
  it.todo('issue 12: recommendations name S3 server access logging on examplecorp-customer-exports, not CloudTrail/GuardDuty/Security Hub/Config');
});
