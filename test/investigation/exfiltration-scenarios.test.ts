import { readFileSync } from 'node:fs';
import { GetBucketPolicyCommand, GetBucketPolicyStatusCommand, GetPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { AwsClientFactory } from '../../src/aws/clients.ts';
import { fakeCredentials } from '../../src/aws/fake-credentials.ts';
import { QuotaQueues } from '../../src/aws/quotas.ts';
import type { Finding } from '../../src/domain/finding.ts';
import { suggestRemediations } from '../../src/domain/remediation/suggest.ts';
import { createCollectors } from '../../src/aws/evidence/collectors.ts';
import { investigate as runInvestigation } from '../../src/investigation/investigate.ts';
import { type Subject, subjectsOf } from '../../src/domain/investigation/subjects.ts';
import { startFakeAws } from '../../src/emulator/aws/server.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { runCli } from '../support/cli.ts';

/**
 * `sirbot investigate` on the two exfiltration scenarios, through the real engine against
 * the fake AWS: the events (in the finding's region and in us-east-1, where IAM's and the
 * CLI-default-region calls land), actors, source IPs and related findings; the subjects'
 * state now; the recommendations and the buttons offered; and the same investigation from
 * GuardDuty's own finding and from Security Hub's copy of it.
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
  summary: {
    text: string;
    actors: string[];
    sourceIps: string[];
    recommendations: string[];
    currentState: unknown[];
    searched: Array<{ what: string; region: string | null }>;
    relatedFindings: Array<{ id: string; title: string }>;
  };
}

const ICE = 'src/scenarios/instance-credential-exfiltration';
const S3X = 'src/scenarios/s3-data-exfiltration';

async function investigate(scenario: string, finding: string): Promise<Investigation> {
  const run = await runCli(['investigate', '--finding', finding, '--scenario', scenario, '--quota-scale', '10']);
  expect(run.stderr).toEqual([]);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout.join('\n')) as Investigation;
}

/** The first finding of a Security Hub export (`{"Findings": [...]}`), as text for the CLI. */
const asffFinding = (file: string) => JSON.stringify((JSON.parse(readFileSync(file, 'utf8')) as { Findings: unknown[] }).Findings[0]);

async function investigateText(scenario: string, finding: string): Promise<Investigation> {
  const run = await runCli(['investigate', '--finding', '<finding>', '--scenario', scenario, '--quota-scale', '10'], { '<finding>': finding });
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout.join('\n')) as Investigation;
}

/** The engine in-process, for what the CLI does not print (the full current state, for the buttons offered). */
async function investigateInProcess(scenario: string, finding: Finding) {
  const aws = await startFakeAws({ scenario, quotaScale: 10 });
  const clients = new AwsClientFactory({ region: finding.region, endpoint: aws.endpoint, credentialsFor: fakeCredentials });
  try {
    return await runInvestigation(finding, {}, createCollectors(clients, new QuotaQueues(10)), aws.now());
  } finally {
    clients.destroy();
    await aws.close();
  }
}

const cloudTrailIds = (o: Investigation) =>
  o.timeline
    .filter((e) => e.source === 'cloudtrail')
    .map((e) => e.id)
    .sort();

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
    expect(asff).toMatchObject({
      schema: 'asff',
      product: 'GuardDuty',
      types: ['Effects/Data Exfiltration/UnauthorizedAccess:IAMUser-InstanceCredentialExfiltration.OutsideAWS'],
    });
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
    expect(outside.filter((e) => e.errorCode === 'AccessDenied' && e.region === 'eu-west-1').map((e) => e.action)).toEqual(['ListSecrets', 'GetSecretValue']);
    const secrets = outside.filter((e) => e.action === 'GetParameters').flatMap((e) => e.resources);
    expect(secrets).toEqual(
      expect.arrayContaining([`arn:aws:ssm:eu-west-1:${A}:parameter/reports/warehouse/password`, `arn:aws:ssm:eu-west-1:${A}:parameter/reports/smtp/api-key`]),
    );
    expect(outside.find((e) => e.action === 'GetSecretValue' && e.errorCode === null)?.resources).toContain('reports/warehouse-readonly');
    expect(outside.filter((e) => e.action === 'GetParameters' || e.action === 'GetSecretValue').every((e) => e.tactics.includes('Credential Access'))).toBe(
      true,
    );

    // Minutes before, the vendor's key, from the same address (first seen there), polls a command's output on the instance.
    const polls = tl.filter((e) => e.actor === VENDOR && e.action === 'GetCommandInvocation' && e.sourceIp === OUTSIDE);
    expect(polls.map((e) => e.time.slice(11, 19))).toEqual(['09:38:03', '09:38:08', '09:38:14', '09:38:32', '10:31:51', '10:31:56', '10:32:02', '10:32:20']);
    expect(polls.every((e) => e.resources.includes(INSTANCE))).toBe(true);
    // The address is first seen sending the command that read the credentials (its instanceIds name the instance).
    const sent = tl.find((e) => e.action === 'SendCommand' && e.sourceIp === OUTSIDE);
    expect(sent).toMatchObject({ actor: VENDOR, time: '2026-10-27T09:38:02.000Z', highlights: [`first seen source IP ${OUTSIDE}`] });
    expect(sent?.resources).toContain(INSTANCE);
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
    const findings = JSON.parse(readFileSync(`${ICE}/findings/guardduty-eu-west-1.json`, 'utf8')) as Array<{
      resource: { accessKeyDetails: { accessKeyId: string } };
    }>;
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

  // the session name (the instance id) is CloudTrail's user name for the role's calls; looking it up finds the refreshed key's calls too.
  it('from finding.json, the same session’s calls with the refreshed key from outside', async () => {
    const tl = (await investigate(ICE, `${ICE}/finding.json`)).timeline;
    expect(tl.filter((e) => e.accessKeyId === KEY_B && e.sourceIp === OUTSIDE).map((e) => e.action)).toEqual(
      expect.arrayContaining(['GetCallerIdentity', 'ListBuckets', 'GetSecretValue', 'GetParameters']),
    );
  });

  // how the credentials left: SendCommand names the instance in `instanceIds` (an array, which the ResourceName lookup does not match).
  it('the vendor’s SendCommand AWS-RunShellScript on the instance, before the first outside call', async () => {
    const tl = (await investigate(ICE, `${ICE}/finding.json`)).timeline;
    const sent = tl.filter((e) => e.action === 'SendCommand' && e.actor === VENDOR && e.sourceIp === OUTSIDE);
    expect(sent.map((e) => e.time)).toEqual(['2026-10-27T09:38:02.000Z', '2026-10-27T10:31:50.000Z']);
    expect(sent.every((e) => e.resources.includes(INSTANCE))).toBe(true);
  });

  // IAM is global; CloudTrail records its calls in us-east-1, not in the finding's region.
  it('the refused IAM reads and creations by the session, from us-east-1', async () => {
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

  // honest summaries: a role is not an IAM user, and the ASFF copy of the finding under investigation is not another finding.
  it('the summary does not call the role a missing IAM user, nor list the finding’s own ASFF copy as state', async () => {
    const out = await investigate(ICE, `${ICE}/finding.json`);
    expect(out.summary.text).not.toContain('user reports-worker-role no longer exists');
    expect(JSON.stringify(out.summary.currentState)).not.toContain('AWS::IAM::AccessKey:ASIAREPORTS1AEXAMPLE');
  });

  it('finding.json and its Security Hub copy pick the instance-credential playbook and find the same calls, the copy searching the key its resource id names', async () => {
    const native = await investigate(ICE, `${ICE}/finding.json`);
    const asff = await investigateText(ICE, asffFinding(`${ICE}/findings/securityhub-eu-west-1.json`));
    expect([native.playbook, asff.playbook]).toEqual(['instance-credentials', 'instance-credentials']);
    expect(asff.summary.searched.map((l) => l.what)).toContain(`events by access key ${KEY_A}`);
    expect(cloudTrailIds(asff)).toEqual(cloudTrailIds(native));
    expect(cloudTrailIds(native).length).toBeGreaterThan(50);
  }, 60_000);

  it('says how the role, its instance and what reached into it are now, and what event history cannot show', async () => {
    const out = await investigate(ICE, `${ICE}/finding.json`);
    expect(out.summary.currentState).toContainEqual({
      kind: 'role',
      id: 'reports-worker-role',
      exists: true,
      facts: ['in instance profile reports-worker-profile', 'last used 27 Oct 2026 10:01 UTC (eu-west-1)', 'trusted by ec2.amazonaws.com'],
    });
    expect(out.summary.currentState).toContainEqual({
      kind: 'instanceProfile',
      id: 'reports-worker-profile',
      exists: true,
      facts: ['role reports-worker-role'],
    });
    expect(out.summary.currentState).toContainEqual({
      kind: 'instance',
      id: INSTANCE,
      exists: true,
      facts: ['running', 'profile reports-worker-profile', `public IP ${INSTANCE_IP}`, 't3.large', 'IMDSv1 still allowed (HttpTokens optional)'],
    });
    // The session listed buckets and asked where one lives: what it then read is in data events only.
    expect(out.limitingFactors).toEqual([
      expect.objectContaining({ source: 'network', reason: 'not-configured' }),
      expect.objectContaining({ source: 'cloudtrail', reason: 'data-events' }),
    ]);
    // The vendor's key sent the command from the address that then used the stolen credentials: it goes first.
    expect(out.summary.recommendations[0]).toMatch(
      /^Deactivate the access key\(s\) AKIAVENDORPATCH00001 \(user vendor-patching, used from 203\.0\.113\.77 like the investigated credentials\)/,
    );
    expect(out.summary.recommendations.slice(1, 3)).toEqual([
      expect.stringMatching(/^Revoke role reports-worker-role's active sessions/),
      expect.stringMatching(new RegExp(`^Require IMDSv2 on instance ${INSTANCE}`)),
    ]);
  }, 60_000);

  it('offers the buttons that contain it: deactivate the vendor’s key, revoke the role’s sessions, require IMDSv2 on the instance', async () => {
    const [finding] = findingIn(`${ICE}/finding.json`);
    const result = await investigateInProcess(ICE, finding!);
    const offered = suggestRemediations(finding!, result.subjects, result.timeline, result.states);
    expect(offered.slice(0, 3)).toEqual([
      {
        remediationId: 'deactivate-access-key',
        inputs: { account: A, userName: 'vendor-patching', accessKeyId: 'AKIAVENDORPATCH00001' },
        label: 'Deactivate AKIAVENDORPATCH00001',
      },
      { remediationId: 'revoke-role-sessions', inputs: { account: A, roleName: 'reports-worker-role' }, label: 'Revoke sessions reports-worker-role' },
      { remediationId: 'enforce-imdsv2', inputs: { account: A, region: 'eu-west-1', instanceId: INSTANCE }, label: `Enforce IMDSv2 ${INSTANCE}` },
    ]);
    // The vendor's office address is not the intruder's: its other keys' calls from there are not suspect.
    expect(offered.filter((o) => o.remediationId === 'deactivate-access-key')).toHaveLength(1);
  }, 60_000);
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
    // The new address is first seen on the recon, in us-east-1 (the CLI's default region), before it turns to the bucket.
    const first = byKey.find((e) => e.sourceIp === OUTSIDE);
    expect(first).toMatchObject({
      action: 'GetCallerIdentity',
      region: 'us-east-1',
      time: '2026-11-10T13:02:11.000Z',
      highlights: [`first seen source IP ${OUTSIDE}`],
    });
    expect(byKey.filter((e) => e.sourceIp === OUTSIDE && e.region === 'us-east-2').map((e) => [e.action, e.errorCode])).toEqual([
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
    expect(
      out.summary.recommendations.some((r) =>
        r.startsWith(`Bucket ${BUCKET}: remove the bucket-policy grant to account(s) 210987654321, which Block Public Access does not stop`),
      ),
    ).toBe(true);
  }, 60_000);

  it('the fake serves the bucket as it is now: Block Public Access on, the policy grants 210987654321, and it is not public', async () => {
    const aws = await startFakeAws({ scenario: S3X });
    const s3 = new S3Client({ region: 'us-east-2', endpoint: aws.endpoint, credentials: fakeCredentials(A), forcePathStyle: true, maxAttempts: 1 });
    try {
      const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy ?? '') as {
        Statement: Array<{ Sid: string; Principal: unknown }>;
      };
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

  // the recon ran with the CLI's default region: it is in us-east-1's event history, not the bucket's.
  it('the key’s recon in us-east-1: GetCallerIdentity, ListBuckets, three refused IAM reads', async () => {
    const tl = (await investigate(S3X, `${S3X}/finding.json`)).timeline;
    expect(tl.filter((e) => e.accessKeyId === KEY && e.region === 'us-east-1').map((e) => [e.action, e.errorCode])).toEqual([
      ['GetCallerIdentity', null],
      ['ListBuckets', null],
      ['ListAttachedUserPolicies', 'AccessDenied'],
      ['ListUserPolicies', 'AccessDenied'],
      ['GetUser', 'AccessDenied'],
    ]);
  });

  // a threat finding gets its family's advice, not a control's; and what event history cannot show is said.
  it('no control guidance for a GuardDuty finding, and a limiting factor for S3 data events', async () => {
    const out = await investigate(S3X, `${S3X}/finding.json`);
    expect(out.playbook).not.toBe('generic');
    expect(out.summary.recommendations.join('\n')).not.toContain('Apply the control’s remediation guidance');
    expect(JSON.stringify(out.limitingFactors)).toMatch(/data event/i);
  });

  it('finding.json and its Security Hub copy pick the S3 playbook; the copy searches the key and its user and finds GuardDuty’s other findings', async () => {
    const native = await investigate(S3X, `${S3X}/finding.json`);
    const asff = await investigateText(S3X, asffFinding(`${S3X}/findings/securityhub-us-east-2.json`));
    expect([native.playbook, asff.playbook]).toEqual(['s3-data', 's3-data']);
    expect(asff.summary.searched.map((l) => l.what)).toEqual(
      expect.arrayContaining([`events by access key ${KEY}`, 'events by user or session analytics-etl', `S3 bucket ${BUCKET}`]),
    );
    expect(cloudTrailIds(asff)).toEqual(cloudTrailIds(native));
    const titles = (o: Investigation) => o.summary.relatedFindings.map((f) => f.title).sort();
    expect(titles(asff)).toEqual(titles(native));
    expect(titles(native)).toEqual([
      'Anomalous ListObjects calls by IAMUser analytics-etl on S3 bucket examplecorp-customer-exports.',
      'S3 server access logging was disabled for bucket examplecorp-customer-exports.',
    ]);
  }, 60_000);

  it('says the bucket is shared with another account though not public, Block Public Access on, logging off; and the key still active', async () => {
    const out = await investigate(S3X, `${S3X}/finding.json`);
    expect(out.summary.currentState).toContainEqual({
      kind: 'bucket',
      id: BUCKET,
      exists: true,
      facts: ['not public', 'Block Public Access all on', 'policy grants other account(s) 210987654321', 'server access logging off'],
    });
    expect(out.summary.currentState).toContainEqual({
      kind: 'accessKey',
      id: KEY,
      exists: true,
      facts: ['Active', 'of analytics-etl', 'last used 10 Nov 2026 13:36 UTC (s3 in us-east-2)'],
    });
    expect(out.summary.currentState).toContainEqual({ kind: 'iamUser', id: 'analytics-etl', exists: true, facts: ['1 active access key(s)'] });
    expect(out.summary.text).toContain(`Now: key ${KEY} is still active`);
  }, 60_000);

  it('recommends turning the bucket’s server access logging back on, not every logging service; and offers no Block Public Access it already has', async () => {
    const out = await investigate(S3X, `${S3X}/finding.json`);
    const recs = out.summary.recommendations.join('\n');
    expect(out.summary.recommendations).toContain(
      `Turn back on what the activity turned off: S3 server access logging on bucket ${BUCKET} (PutBucketLogging at 10 Nov 2026 13:36 UTC); then check what happened while it was off.`,
    );
    expect(recs).not.toMatch(/CloudTrail|GuardDuty|Security Hub|Config/);
    const [finding] = findingIn(`${S3X}/finding.json`);
    const result = await investigateInProcess(S3X, finding!);
    const offered = suggestRemediations(finding!, result.subjects, result.timeline, result.states).map((o) => o.remediationId);
    expect(offered).toContain('deactivate-access-key');
    expect(offered).not.toContain('block-s3-public-access');
  }, 60_000);
});
