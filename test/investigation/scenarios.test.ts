import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/emulator/aws/scenario.ts';
import { runCli } from '../support/cli.ts';

/** The shipped scenarios beyond exposed-access-key: each loads cleanly, its finding normalizes, and an investigation makes sense of it. */

interface Entry {
  time: string;
  source: string;
  action: string;
  actor: string | null;
  sourceIp: string | null;
  resources: string[];
  errorCode: string | null;
  accountId: string | null;
  region: string | null;
  tactics: string[];
  highlights: string[];
}

interface Investigation {
  playbook: string;
  window: { start: string; end: string };
  timeline: Entry[];
  limitingFactors: unknown[];
  summary: {
    text: string;
    actors: string[];
    sourceIps: string[];
    recommendations: string[];
    guidance: string[];
    createdIdentities: Array<{ kind: string; name: string }>;
    currentState: Array<{ kind: string; id: string; exists: boolean | null; facts: string[] }>;
    criticalFindings: Array<{ id: string; severity: string }>;
    relatedFindings: Array<{ id: string; title: string; severity: string }>;
  };
}

const CRYPTO = 'src/scenarios/cryptomining-ec2';
const S3_FIXES = {
  DeletePublicAccessBlock: 'restore its Block Public Access settings',
  PutBucketPolicy: 'remove bucket-policy statements that grant public or outside access',
  PutBucketAcl: 'remove ACL grants to everyone or to other accounts',
};
const S3 = 'src/scenarios/public-s3-bucket';
const ROOT = 'src/scenarios/root-credential-use';
// issue 12's scenarios; their investigations are in exfiltration-scenarios.test.ts.
const ICE = 'src/scenarios/instance-credential-exfiltration';
const S3X = 'src/scenarios/s3-data-exfiltration';

/** Runs `sirbot investigate` in-process on a finding given as text (a virtual path) or a file. */
async function investigate(scenario: string, finding: { file: string } | { text: string }, extra: string[] = []): Promise<Investigation> {
  const files: Record<string, string> = 'text' in finding ? { '<finding>': finding.text } : {};
  const arg = 'text' in finding ? '<finding>' : finding.file;
  const run = await runCli(['investigate', '--finding', arg, '--scenario', scenario, '--quota-scale', '10', ...extra], files);
  expect(run.stderr).toEqual([]);
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout.join('\n')) as Investigation;
}

describe('investigate CLI: a file with several findings', () => {
  const FILE = 'src/scenarios/public-s3-bucket/findings/111122223333-us-east-1.json';

  it('asks which one instead of picking the first, and investigates the one named', async () => {
    const ids = (await normalize(FILE)).map((l) => l.id as string);
    expect(ids.length).toBeGreaterThan(1);
    const ambiguous = await runCli(['investigate', '--finding', FILE, '--scenario', 'src/scenarios/public-s3-bucket', '--quota-scale', '10']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr.join('\n')).toContain(`holds ${ids.length} findings; pick one with --finding-id`);
    expect(ambiguous.stderr.join('\n')).toContain(ids[1]);

    const out = await investigate('src/scenarios/public-s3-bucket', { file: FILE }, ['--finding-id', ids[1]!]);
    expect(out.summary.criticalFindings.map((f) => f.id)).toContain(ids[1]);
    // A control failure gets the fix for what the timeline shows, not only the control's generic guidance.
    expect(out.summary.recommendations).toContain(
      'Bucket examplecorp-media-assets: restore its Block Public Access settings, and remove bucket-policy statements that grant public or outside access (changed from 8 Sep 2026 14:11 UTC by arn:aws:sts::111122223333:assumed-role/terraform-deployer/terraform-apply); then fix what made the change, or its next run undoes yours.',
    );
    const unknown = await runCli(['investigate', '--finding', FILE, '--finding-id', 'nope', '--scenario', 'src/scenarios/public-s3-bucket']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.join('\n')).toContain('no finding nope in');
  });
});

async function normalize(file: string): Promise<Array<Record<string, unknown>>> {
  const run = await runCli(['normalize', file]);
  expect(run.code).toBe(0);
  const lines = run.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const l of lines) expect(l).not.toHaveProperty('error');
  return lines;
}

const named = (timeline: Entry[], action: string, ok = true) => timeline.filter((e) => e.action === action && (e.errorCode === null) === ok);
const indexOf = (timeline: Entry[], pred: (e: Entry) => boolean) => {
  const i = timeline.findIndex(pred);
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
};

describe.each([CRYPTO, S3, ROOT, ICE, S3X])('scenario %s', (dir) => {
  it('loads without problems and its findings normalize', async () => {
    const scenario = loadScenario(dir);
    expect(scenario.problems).toEqual([]);
    expect(scenario.cloudtrail.size).toBeGreaterThan(0);
    expect(scenario.findings.guardduty.size + scenario.findings.securityhub.size).toBeGreaterThan(0);
    const findings = await normalize(`${dir}/finding.json`);
    expect(findings.length).toBeGreaterThan(0);
    // The starting finding is one the fake serves too.
    const served = [...scenario.findings.guardduty.values(), ...scenario.findings.securityhub.values()].flat().map((f) => String(f.id ?? f.Id));
    for (const f of findings) expect(served).toContain(f.id);
  });
});

describe('cryptomining-ec2: miners launched with a web server’s stolen role credentials', () => {
  const THIEF = 'arn:aws:sts::111122223333:assumed-role/webapp-ec2-role/i-05e1a0b7c3d900a11';
  const MINERS = ['i-0f3b9d2e8a6c40001', 'i-0f3b9d2e8a6c40002', 'i-0f3b9d2e8a6c40003'];
  // Launched in us-west-2, where nobody watched: found because every enabled region is searched.
  const WEST = ['i-0f3b9d2e8a6c40004', 'i-0f3b9d2e8a6c40005', 'i-0f3b9d2e8a6c40006'];

  it('finds the launch, who made it from where, the miners as they are now, and what to do', async () => {
    const [finding] = await normalize(`${CRYPTO}/finding.json`);
    expect(finding).toMatchObject({
      type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
      accountId: '111122223333',
      resources: [{ type: 'AwsEc2Instance', id: MINERS[0] }],
    });

    const out = await investigate(CRYPTO, { file: `${CRYPTO}/finding.json` });
    expect(out.playbook).toBe('ec2-compromise');
    expect(out.limitingFactors).toEqual([]);
    expect(out.summary.text).toMatch(
      /^HIGH: Amazon EC2 instance i-0f3b9d2e8a6c40001 is querying a domain name that is associated with Bitcoin-related activity \(account 111122223333, us-east-1\)\. Between 13 Oct 2026 18:02 UTC and 14 Oct 2026 12:44 UTC, role webapp-ec2-role \(session i-05e1a0b7c3d900a11\) from 203\.0\.113\.99 made 16 calls/,
    );
    // Every enabled region was searched, and said so; the bill shows the miners too, in both regions.
    expect(out.summary.text).toContain('CloudTrail was searched in every enabled region of 111122223333 (us-east-1, us-west-2).');
    expect(out.summary.text).toContain(
      'Spend jumped during the window: Amazon Elastic Compute Cloud - Compute in us-east-1 $30.41 on 14 Oct 2026 against $3.99 a day before (7.62×); Amazon Elastic Compute Cloud - Compute in us-west-2 $24.25 on 14 Oct 2026 against $0.00 a day before (new).',
    );
    expect(out.summary.text).not.toContain('only us-east-1');
    // Auto Scaling launching a web server is in the window but is not the intruder: it is counted apart, never an actor of the activity.
    expect(out.summary.text).toContain('AWS services acting for the account made 1 more.');
    expect(out.summary.text).not.toContain('AWSServiceRoleForAutoScaling');
    const tl = out.timeline;

    // The launch: one call, three c5.4xlarge, by the web server's role session from outside, after two refused GPU launches.
    const [launch] = named(tl, 'RunInstances').filter((e) => e.actor === THIEF);
    expect(launch).toMatchObject({ sourceIp: '203.0.113.99', tactics: ['Impact'] });
    expect(launch?.resources).toEqual(expect.arrayContaining([...MINERS, 'sg-0e7f1a2b3c4d50002', 'ops-maint']));
    expect(launch?.highlights).toContain('burst of instance launches');
    const refused = named(tl, 'RunInstances', false);
    expect(refused.map((e) => e.errorCode)).toEqual(['Client.VcpuLimitExceeded', 'Client.VcpuLimitExceeded']);
    expect(refused.every((e) => e.actor === THIEF && e.time < (launch as Entry).time)).toBe(true);

    // Just before: a burst of refused persistence attempts by the same session, from an address never seen before.
    const persistence = ['CreateUser', 'CreateAccessKey', 'AttachRolePolicy', 'PutRolePolicy', 'CreateRole'];
    const denied = tl.filter((e) => e.actor === THIEF && e.errorCode === 'AccessDenied');
    expect(denied.map((e) => e.action)).toEqual(persistence);
    expect(denied.every((e) => e.highlights.includes('burst of access denied'))).toBe(true);
    expect(denied[0]?.highlights).toContain('first seen source IP 203.0.113.99');
    expect(indexOf(tl, (e) => e.action === 'CreateRole')).toBeLessThan(indexOf(tl, (e) => e === launch));
    // Later, with the refreshed credentials, the intruder checks on the miners.
    expect(tl.filter((e) => e.action === 'DescribeInstances' && e.actor === THIEF).map((e) => e.time)).toEqual([
      '2026-10-14T12:04:10.000Z',
      '2026-10-14T12:44:27.000Z',
    ]);
    // GuardDuty's other finding on the same instance joins the timeline.
    expect(tl.filter((e) => e.source === 'guardduty').map((e) => [e.action, e.tactics])).toEqual([['CryptoCurrency:EC2/BitcoinTool.B', ['Impact']]]);

    // The same in us-west-2: its own key pair, wide-open group and three more miners.
    const west = tl.filter((e) => e.region === 'us-west-2' && e.actor === THIEF).map((e) => e.action);
    expect(west).toEqual(['ImportKeyPair', 'AuthorizeSecurityGroupIngress', 'RunInstances']);
    expect(named(tl, 'RunInstances').find((e) => e.region === 'us-west-2')?.resources).toEqual(expect.arrayContaining(WEST));
    for (const id of WEST) {
      expect(out.summary.currentState).toContainEqual({
        kind: 'instance',
        id,
        exists: true,
        facts: [
          'running',
          'created during the activity',
          `public IP 192.0.2.20${id.slice(-1) === '4' ? 1 : id.slice(-1) === '5' ? 2 : 3}`,
          'c5.4xlarge',
          'IMDSv1 still allowed (HttpTokens optional)',
          'sg-0e7f1a2b3c4d50003 open to 0.0.0.0/0 on all ports (sensitive)',
        ],
      });
    }

    const created = out.summary.createdIdentities.filter((c) => c.kind === 'instance').map((c) => c.name);
    expect(created).toEqual([...MINERS, ...WEST]);
    // Only what the intruder made: not the web server Auto Scaling launched in the same window.
    expect(out.summary.createdIdentities.map((c) => c.name)).not.toContain('i-05e1a0b7c3d900a12');
    for (const id of MINERS) {
      expect(out.summary.currentState).toContainEqual({
        kind: 'instance',
        id,
        exists: true,
        facts: [
          'running',
          'created during the activity',
          `public IP 192.0.2.10${id.slice(-1)}`,
          'c5.4xlarge',
          'IMDSv1 still allowed (HttpTokens optional)',
          'sg-0e7f1a2b3c4d50002 open to 0.0.0.0/0 on all ports (sensitive)',
        ],
      });
    }
    expect(out.summary.guidance.join('\n')).toContain('Snapshot the instance volumes for forensics, then isolate the instance');
    const recs = out.summary.recommendations.join('\n');
    // The web server's role credentials were used from outside: the evidence, not only the playbook, says to revoke its sessions.
    expect(recs).toContain(
      "Revoke role webapp-ec2-role's active sessions (an inline deny on aws:TokenIssueTime before now): its instance credentials (session i-05e1a0b7c3d900a11) were used from 203.0.113.99",
    );
    expect(recs).toMatch(new RegExp(`Snapshot, then terminate, the instance\\(s\\) launched during the activity: ${[...MINERS, ...WEST].join(', ')}\\.`));
    expect(recs).not.toContain('i-05e1a0b7c3d900a12');
    // IMDSv2 where the role credentials were read: the web server, not the miners (they are to be terminated).
    expect(recs).toContain('Require IMDSv2 on instance i-05e1a0b7c3d900a11');
    for (const id of MINERS) expect(recs).not.toContain(`Require IMDSv2 on instance ${id}`);
  });

  it('from the credential finding, also sees the reconnaissance and the preparation', async () => {
    const all = JSON.parse(readFileSync(`${CRYPTO}/findings/guardduty-us-east-1.json`, 'utf8')) as Array<{ type: string }>;
    const exfil = all.find((f) => f.type.includes('InstanceCredentialExfiltration'));
    const out = await investigate(CRYPTO, { text: JSON.stringify(exfil) });
    expect(out.playbook).toBe('instance-credentials');
    expect(out.limitingFactors).toEqual([expect.objectContaining({ source: 'cloudtrail', reason: 'data-events' })]);
    // The role's session (named after the instance) is searched too: the instance's own calls, from its own address, come first.
    expect(out.timeline.find((e) => e.actor === THIEF)).toMatchObject({ sourceIp: '192.0.2.15' });
    const tl = out.timeline.filter((e) => e.actor === THIEF && e.sourceIp === '203.0.113.99');
    expect(tl[0]).toMatchObject({ action: 'GetCallerIdentity', sourceIp: '203.0.113.99' });
    // The credentials belong to a role, not a user: it is described as a role, and never said to be a missing user.
    expect(out.summary.currentState).toContainEqual(expect.objectContaining({ kind: 'role', id: 'webapp-ec2-role', exists: true }));
    expect(out.summary.currentState.some((s) => s.kind === 'iamUser')).toBe(false);
    expect(out.summary.text).not.toContain('no longer exists');
    expect(out.summary.recommendations.join('\n')).toContain("Revoke role webapp-ec2-role's active sessions");
    const order = ['ListUsers', 'DescribeRegions', 'ImportKeyPair', 'CreateSecurityGroup', 'AuthorizeSecurityGroupIngress', 'RunInstances'];
    const at = order.map((a) => indexOf(tl, (e) => e.action === a));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(tl.filter((e) => e.highlights.includes('burst of access denied')).length).toBeGreaterThanOrEqual(10);
  });
});

describe('public-s3-bucket: one module change makes a bucket public in each of three accounts', () => {
  const CASES = [
    { account: '111122223333', region: 'us-east-1', bucket: 'examplecorp-media-assets', made: ['DeletePublicAccessBlock', 'PutBucketPolicy'] },
    { account: '444455556666', region: 'us-east-1', bucket: 'examplecorp-analytics-exports', made: ['DeletePublicAccessBlock', 'PutBucketPolicy'] },
    {
      account: '777788889999',
      region: 'eu-west-1',
      bucket: 'examplecorp-partner-drop-eu',
      made: ['DeletePublicAccessBlock', 'PutBucketAcl', 'PutBucketPolicy'],
    },
  ];
  const TF = (account: string) => `arn:aws:sts::${account}:assumed-role/terraform-deployer/terraform-apply`;

  it('ships one S3.8 failure per account', async () => {
    const findings = await normalize(`${S3}/finding.json`);
    expect(findings.map((f) => [f.accountId, f.region, f.controlId, f.generatorId, (f.resources as Array<{ id: string }>)[0]?.id])).toEqual(
      CASES.map((c) => [c.account, c.region, 'S3.8', 'security-control/S3.8', `arn:aws:s3:::${c.bucket}`]),
    );
    const raw = JSON.parse(readFileSync(`${S3}/finding.json`, 'utf8')) as { Findings: Array<{ Compliance: { Status: string } }> };
    expect(raw.Findings.map((f) => f.Compliance.Status)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    // Some buckets have no Block Public Access configuration at all.
    const s3 = loadScenario(S3).s3?.accounts ?? {};
    for (const c of CASES) {
      const bucket = s3[c.account]?.buckets?.find((b) => b.Name === c.bucket);
      expect(bucket).toMatchObject({ Region: c.region });
      expect(bucket).not.toHaveProperty('PublicAccessBlockConfiguration');
    }
  });

  it('puts the changes that made each bucket public in order, in its own account', async () => {
    const raw = JSON.parse(readFileSync(`${S3}/finding.json`, 'utf8')) as { Findings: unknown[] };
    const runs = await Promise.all(raw.Findings.map((f) => investigate(S3, { text: JSON.stringify(f) })));
    for (const [i, out] of runs.entries()) {
      const c = CASES[i] as (typeof CASES)[number];
      // A control finding: its resource's current configuration is the S3 collector's; what was read from the bucket is in data events only.
      expect(out.playbook).toBe('security-control');
      expect(out.limitingFactors).toEqual([expect.objectContaining({ source: 'cloudtrail', reason: 'data-events' })]);
      expect(out.summary.currentState).toContainEqual({
        kind: 'bucket',
        id: c.bucket,
        exists: true,
        facts: expect.arrayContaining(['no bucket-level Block Public Access']),
      });
      expect(out.summary.text).toContain(`(account ${c.account}, ${c.region})`);
      const tl = out.timeline;
      expect(tl.every((e) => e.accountId === c.account && e.region === c.region)).toBe(true);
      // The changes, successful, in the order the module made them.
      const changes = tl.filter((e) => e.errorCode === null && ['DeletePublicAccessBlock', 'PutBucketPolicy', 'PutBucketAcl'].includes(e.action));
      expect(changes.map((e) => e.action)).toEqual(c.made);
      for (const e of changes) expect(e.resources).toContain(c.bucket);
      expect(changes.filter((e) => e.action !== 'DeletePublicAccessBlock').every((e) => e.actor === TF(c.account) && e.tactics.includes('Exfiltration'))).toBe(
        true,
      );
      // The control's guidance, then how to close this bucket again, in the order the changes were made.
      const fixes = [...new Set(c.made)].map((a) => S3_FIXES[a as keyof typeof S3_FIXES]).join(', and ');
      expect(out.summary.guidance).toEqual(['Apply the control’s remediation guidance to the affected resources, then confirm the finding resolves.']);
      expect(out.summary.recommendations).toHaveLength(1);
      expect(out.summary.recommendations[0]?.startsWith(`Bucket ${c.bucket}: ${fixes} (changed from `)).toBe(true);
    }

    // Media and partner portal: the pipeline did it all.
    for (const i of [0, 2]) {
      const c = CASES[i] as (typeof CASES)[number];
      expect(named(runs[i]?.timeline ?? [], 'DeletePublicAccessBlock')[0]).toMatchObject({ actor: TF(c.account), sourceIp: '198.51.100.40' });
      expect(runs[i]?.summary.sourceIps).toEqual(['198.51.100.40']);
    }
    // Analytics: refused five times by Block Public Access, then a person removed it by hand from home.
    const analytics = runs[1]?.timeline ?? [];
    const refused = named(analytics, 'PutBucketPolicy', false);
    expect(refused).toHaveLength(5);
    expect(refused.every((e) => e.errorCode === 'AccessDenied' && e.highlights.includes('burst of access denied'))).toBe(true);
    const [byHand] = named(analytics, 'DeletePublicAccessBlock');
    expect(byHand).toMatchObject({ actor: expect.stringContaining('AWSReservedSSO_PlatformAdmin'), sourceIp: '203.0.113.140' });
    expect(analytics.find((e) => e.sourceIp === '203.0.113.140')).toMatchObject({
      action: 'GetBucketPolicyStatus',
      actor: byHand?.actor,
      highlights: ['first seen source IP 203.0.113.140'],
    });
    expect(indexOf(analytics, (e) => e === refused.at(-1))).toBeLessThan(indexOf(analytics, (e) => e === byHand));
    expect(indexOf(analytics, (e) => e === byHand)).toBeLessThan(indexOf(analytics, (e) => e.action === 'PutBucketPolicy' && e.errorCode === null));
    // Partner portal: the public-read ACL went on before the policy.
    const partner = runs[2]?.timeline ?? [];
    expect(indexOf(partner, (e) => e.action === 'PutBucketAcl')).toBeLessThan(indexOf(partner, (e) => e.action === 'PutBucketPolicy'));
  });
});

describe('root-credential-use: root taken over through a password reset', () => {
  const ROOT_ACTOR = 'root (444455556666)';

  it('finds what the root key did, where it came from, what it left behind, and what to do', async () => {
    const [finding] = await normalize(`${ROOT}/finding.json`);
    expect(finding).toMatchObject({
      type: 'Policy:IAMUser/RootCredentialUsage',
      accountId: '444455556666',
      resources: [
        { type: 'AwsIamAccessKey', id: 'AKIAROOTKEY01EXAMPLE' },
        { type: 'AwsIamUser', id: 'Root' },
      ],
    });

    const out = await investigate(ROOT, { file: `${ROOT}/finding.json` });
    expect(out.playbook).toBe('root-credential-use');
    expect(out.limitingFactors).toEqual([
      expect.objectContaining({ source: 'network', reason: 'not-configured' }),
      expect.objectContaining({ source: 'cloudtrail', reason: 'data-events' }),
    ]);
    const tl = out.timeline;
    const stop = named(tl, 'StopLogging')[0];
    expect(stop).toMatchObject({
      actor: ROOT_ACTOR,
      sourceIp: '203.0.113.201',
      tactics: ['Defense Evasion'],
      resources: expect.arrayContaining(['management-events']),
    });
    expect(stop?.highlights).toContain('root credentials used');
    // The SCP refuses the rest of the teardown (made with the root key, from .201): a burst of denials.
    const teardown = tl.filter((e) => e.actor === ROOT_ACTOR && e.errorCode !== null && e.sourceIp === '203.0.113.201');
    expect(teardown.map((e) => e.action)).toEqual(['DeleteTrail', 'DeleteDetector', 'DisableSecurityHub', 'StopConfigurationRecorder', 'LeaveOrganization']);
    expect(teardown.every((e) => e.highlights.includes('burst of access denied'))).toBe(true);
    // Where the key came from: root's own CreateAccessKey from the console, from another address.
    const [made] = named(tl, 'CreateAccessKey').filter((e) => e.resources.includes('AKIAROOTKEY01EXAMPLE'));
    expect(made).toMatchObject({ actor: ROOT_ACTOR, sourceIp: '203.0.113.200' });
    expect(made?.highlights).toContain('root credentials used');
    // The intruder's address was first seen at the root sign-in that preceded the key.
    expect(tl.find((e) => e.highlights.includes('first seen source IP 203.0.113.200'))?.action).toBe('ConsoleLogin');
    const order = [
      'CreateAccessKey',
      'GetCallerIdentity',
      'StopLogging',
      'DeleteTrail',
      'PutBucketPolicy',
      'CreateUser',
      'AttachUserPolicy',
      'CreateLoginProfile',
    ];
    const at = order.map((a) => indexOf(tl, (e) => e.action === a));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(named(tl, 'PutBucketPolicy')[0]).toMatchObject({
      tactics: ['Exfiltration'],
      resources: expect.arrayContaining(['examplecorp-finance-archive-444455556666']),
    });
    // GuardDuty's other findings on root join the timeline.
    expect(tl.filter((e) => e.source === 'guardduty').map((e) => e.action)).toEqual([
      'Policy:IAMUser/RootCredentialUsage',
      'Policy:IAMUser/RootCredentialUsage',
      'Stealth:IAMUser/CloudTrailLoggingDisabled',
    ]);

    expect(out.summary.createdIdentities.map((c) => `${c.kind}:${c.name}`)).toEqual([
      'access-key:AKIAROOTKEY01EXAMPLE',
      'user:aws-support-ops',
      'access-key:AKIASUPPORTOPEXAMPLE',
      'login-profile:aws-support-ops',
    ]);
    expect(out.summary.currentState).toContainEqual({
      kind: 'iamUser',
      id: 'aws-support-ops',
      exists: true,
      facts: ['created during the activity', '1 active access key(s)', 'has AdministratorAccess'],
    });
    // Root is no IAM user: IAM describes nothing of it, and its key is never to be "deactivated" with UpdateAccessKey.
    expect(out.summary.currentState.some((s) => s.kind === 'iamUser' && /^root$/i.test(s.id))).toBe(false);
    const recs = out.summary.recommendations;
    expect(recs).toEqual(
      expect.arrayContaining([
        "Have the account owner sign in as root and, under the root user's Security credentials, delete any root access keys (AKIAROOTKEY01EXAMPLE), rotate the root password and check its MFA: root keys are not IAM user keys, so UpdateAccessKey cannot touch them.",
        'Delete the access key(s) created during the activity: AKIASUPPORTOPEXAMPLE.',
        'Remove the IAM user(s) created during the activity, after preserving evidence: aws-support-ops.',
        'Revert the 1 policy change(s) made during the activity (AttachUserPolicy).',
        'Turn back on what the activity turned off: CloudTrail logging (StopLogging at 3 Dec 2026 02:41 UTC); then check what happened while it was off.',
      ]),
    );
    expect(recs.join('\n')).not.toMatch(/Deactivate[^\n]*AKIAROOTKEY01EXAMPLE/);
  });

  it('holds root sign-ins with and without MFA in the window', () => {
    const records = [...loadScenario(ROOT).cloudtrail.values()].flat();
    const logins = records
      .filter((r) => r.eventName === 'ConsoleLogin' && (r.userIdentity as { type?: string }).type === 'Root')
      .map((r) => [
        r.eventTime,
        (r.responseElements as { ConsoleLogin: string }).ConsoleLogin,
        (r.additionalEventData as { MFAUsed: string }).MFAUsed,
        r.sourceIPAddress,
      ]);
    expect(logins.filter(([, result]) => result === 'Success').sort()).toEqual([
      ['2026-11-27T09:12:33Z', 'Success', 'No', '198.51.100.7'],
      ['2026-12-03T02:14:05Z', 'Success', 'No', '203.0.113.200'],
      ['2026-12-03T03:35:20Z', 'Success', 'Yes', '203.0.113.201'],
    ]);
    expect(logins.filter(([, result]) => result === 'Failure')).toHaveLength(5);
  });

  it('shows the root sign-ins when CloudTrail is asked for the user name `root`', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-root-'));
    const answers = path.join(dir, 'answers.json');
    writeFileSync(answers, JSON.stringify({ principal: 'root' }));
    const out = await investigate(ROOT, { file: `${ROOT}/finding.json` }, ['--answers', answers]).finally(() => rmSync(dir, { recursive: true, force: true }));
    const logins = out.timeline.filter((e) => e.action === 'ConsoleLogin');
    expect(logins.map((e) => [e.time, e.sourceIp])).toEqual([
      ['2026-11-27T09:12:33.000Z', '198.51.100.7'],
      ...['01:58:04', '01:58:51', '01:59:37', '02:00:55', '02:02:10', '02:14:05'].map((t) => [`2026-12-03T${t}.000Z`, '203.0.113.200']),
      ['2026-12-03T03:35:20.000Z', '203.0.113.201'],
    ]);
    expect(logins.every((e) => e.actor === ROOT_ACTOR && e.tactics.includes('Initial Access') && e.highlights.includes('root credentials used'))).toBe(true);
    // Failed sign-ins say so (CloudTrail puts no errorCode on them), successful ones do not.
    expect(logins.map((e) => e.errorCode)).toEqual([null, ...Array(5).fill('Failed authentication'), null, null]);
    expect(out.timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['PasswordRecoveryRequested', 'PasswordRecoveryCompleted', 'StopLogging']));
  });

  // GuardDuty names the root user `Root`; CloudTrail's user name for root events is `root`.
  it('finds the root sign-ins from the finding alone, and does not describe root as an IAM user', async () => {
    const out = await investigate(ROOT, { file: `${ROOT}/finding.json` });
    expect(out.timeline.map((e) => e.action)).toContain('ConsoleLogin');
    expect(JSON.stringify(out.summary.currentState)).not.toContain('user Root');
  });
});

describe('other Security Hub findings on the same bucket', () => {
  it('are found although ASFF names the bucket by ARN', async () => {
    const all = (JSON.parse(readFileSync(`${S3}/finding.json`, 'utf8')) as { Findings: Array<{ AwsAccountId: string }> }).Findings;
    const media = all.find((f) => f.AwsAccountId === '111122223333');
    const out = await investigate(S3, { text: JSON.stringify(media) });
    expect(out.summary.relatedFindings.map((f) => f.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^S3\.2 /)]));
  });
});
