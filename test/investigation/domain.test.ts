import { describe, expect, it } from 'vitest';
import { tacticsFor } from '../../src/domain/investigation/attack.ts';
import { openQuestions, playbookFor, prefill } from '../../src/domain/investigation/playbooks.ts';
import { createdIdentities, summarize } from '../../src/domain/investigation/summary.ts';
import { buildTimeline, type TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import { investigationWindow } from '../../src/domain/investigation/window.ts';
import { makeFinding } from '../support/findings.ts';

function entry(over: Partial<TimelineEntry>): TimelineEntry {
  return {
    id: over.id ?? Math.random().toString(36),
    time: '2026-11-21T10:00:00.000Z',
    source: 'cloudtrail',
    action: 'ListUsers',
    service: 'iam.amazonaws.com',
    actor: 'arn:aws:iam::111122223333:user/alice',
    actorType: 'IAMUser',
    accessKeyId: 'AKIAALICE00000000001',
    sourceIp: '203.0.113.9',
    userAgent: 'aws-cli/2',
    resources: [],
    errorCode: null,
    accountId: '111122223333',
    region: 'us-east-1',
    tactics: tacticsFor(over.action ?? 'ListUsers'),
    highlights: [],
    ...over,
  };
}

const gd = (type: string) => makeFinding({ schema: 'guardduty', type, types: [type], product: 'GuardDuty' });

describe('playbooks', () => {
  it.each([
    ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS', 'instance-credentials'],
    ['UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS', 'instance-credentials'],
    ['Recon:IAMUser/MaliciousIPCaller', 'credential-exposure'],
    ['Discovery:S3/MaliciousIPCaller', 's3-data'],
    ['Persistence:IAMUser/AnomalousBehavior', 'credential-exposure'],
    ['PrivilegeEscalation:IAMUser/AnomalousBehavior', 'credential-exposure'],
    ['AttackSequence:IAM/CompromisedCredentials', 'credential-exposure'],
    ['Backdoor:EC2/C&CActivity.B', 'ec2-compromise'],
    ['CryptoCurrency:EC2/BitcoinTool.B!DNS', 'ec2-compromise'],
    ['UnauthorizedAccess:EC2/SSHBruteForce', 'ec2-compromise'],
    ['Trojan:EC2/DNSDataExfiltration', 'ec2-compromise'],
    ['Policy:IAMUser/RootCredentialUsage', 'root-credential-use'],
    ['Software and Configuration Checks/Industry and Regulatory Standards', 'security-control'],
  ])('%s → %s', (type, id) => {
    expect(playbookFor(gd(type)).id).toBe(id);
  });

  it('gives generic only to findings that are neither threats, controls nor vulnerabilities', () => {
    const other = makeFinding({
      product: 'sirbot',
      productArn: null,
      controlId: null,
      type: 'Unusual Behaviors/Network/AdHocInvestigation',
      types: ['Unusual Behaviors/Network/AdHocInvestigation'],
    });
    expect(playbookFor(other).id).toBe('generic');
  });

  it('asks only what the finding does not already answer', () => {
    const finding = gd('UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom');
    finding.resources = [
      { type: 'AwsIamAccessKey', id: 'AKIAEXPOSED000000001', region: 'us-east-1', tags: {} },
      { type: 'AwsIamUser', id: 'ci-deployer', region: 'us-east-1', tags: {} },
    ];
    const answers = prefill(finding);
    expect(answers).toEqual({ accountId: '111122223333', accessKeyId: 'AKIAEXPOSED000000001', principal: 'ci-deployer' });
    expect(openQuestions(playbookFor(finding), answers).map((q) => q.id)).toEqual(['exposedAt', 'rotated']);
    // A finding that names no key or user leaves those open too.
    const bare = gd('Recon:IAMUser/TorIPCaller');
    bare.resources = [];
    expect(openQuestions(playbookFor(bare), prefill(bare)).map((q) => q.id)).toEqual(['exposedAt', 'principal', 'accessKeyId', 'rotated']);
  });

  it('asks for the instance when an EC2 finding does not name it, and only the exposure time for root use', () => {
    const ec2 = gd('CryptoCurrency:EC2/BitcoinTool.B!DNS');
    ec2.resources = [];
    expect(openQuestions(playbookFor(ec2), prefill(ec2)).map((q) => q.id)).toEqual(['instanceId']);
    ec2.resources = [{ type: 'AwsEc2Instance', id: 'i-0123456789abcdef0', region: 'us-east-1', tags: {} }];
    expect(openQuestions(playbookFor(ec2), prefill(ec2))).toEqual([]);
    const root = gd('Policy:IAMUser/RootCredentialUsage');
    expect(openQuestions(playbookFor(root), prefill(root)).map((q) => q.id)).toEqual(['exposedAt']);
    // A control's collectors follow its resource type: an S3 bucket's configuration is read by the S3 collector.
    const control = makeFinding();
    expect(playbookFor(control).collectors).toEqual(['cloudtrail', 'findings', 's3']);
    expect(openQuestions(playbookFor(control), prefill(control))).toEqual([]);
  });
});

describe('investigation window', () => {
  const finding = makeFinding({ firstSeenAt: '2026-11-21T10:00:00.000Z', lastSeenAt: '2026-11-21T12:00:00.000Z' });
  const pb = playbookFor(gd('Recon:IAMUser/MaliciousIPCaller'));
  const now = Date.parse('2026-11-22T00:00:00Z');

  it('runs from the lookback (or the exposure answer) to an hour after the last sighting', () => {
    expect(investigationWindow(finding, {}, pb, now).window).toEqual({ start: '2026-11-14T10:00:00.000Z', end: '2026-11-21T13:00:00.000Z' });
    expect(investigationWindow(finding, { exposedAt: '2026-11-01' }, pb, now).window.start).toBe('2026-11-01T00:00:00.000Z');
  });

  it("reports what is older than CloudTrail's 90 days as a limiting factor", () => {
    const { window, limitingFactors } = investigationWindow(finding, { exposedAt: '2026-01-01' }, pb, now);
    expect(window.start).toBe('2026-08-24T00:00:00.000Z');
    expect(limitingFactors).toEqual([expect.objectContaining({ source: 'cloudtrail', reason: 'out-of-window' })]);
  });
});

describe('timeline', () => {
  it('merges sources, drops duplicate event ids and sorts by time', () => {
    const a = entry({ id: 'e1', time: '2026-11-21T10:05:00.000Z', action: 'CreateUser' });
    const b = entry({ id: 'e2', time: '2026-11-21T10:00:00.000Z', action: 'GetCallerIdentity' });
    const timeline = buildTimeline([a, b, { ...a }]);
    expect(timeline.map((e) => e.id)).toEqual(['e2', 'e1']);
    expect(timeline[1]?.tactics).toEqual(['Persistence']);
  });

  it('highlights first-seen IPs, AccessDenied bursts, root use and launch bursts', () => {
    const denied = [0, 1, 2, 3, 4].map((i) => entry({ id: `d${i}`, time: `2026-11-21T10:0${i}:00.000Z`, errorCode: 'AccessDenied' }));
    const root = entry({ id: 'r', time: '2026-11-21T11:00:00.000Z', actorType: 'Root', actor: 'root (111122223333)', sourceIp: '203.0.113.9' });
    const launches = [0, 1, 2].map((i) => entry({ id: `l${i}`, time: `2026-11-21T12:0${i}:00.000Z`, action: 'RunInstances', sourceIp: '192.0.2.1' }));
    const t = buildTimeline([...denied, root, ...launches]);
    expect(t.find((e) => e.id === 'd0')?.highlights).toEqual(['first seen source IP 203.0.113.9', 'burst of access denied']);
    expect(t.find((e) => e.id === 'd4')?.highlights).toEqual(['burst of access denied']);
    expect(t.find((e) => e.id === 'r')?.highlights).toEqual(['root credentials used']);
    expect(t.find((e) => e.id === 'l2')?.tactics).toContain('Impact');
    // Four denials are not a burst.
    expect(buildTimeline(denied.slice(0, 4)).some((e) => e.highlights.includes('burst of access denied'))).toBe(false);
  });
});

describe('summary', () => {
  it('names identities created in the window and recommends removing them', () => {
    const timeline = buildTimeline([
      entry({ id: '1', time: '2026-11-21T10:00:00.000Z', action: 'CreateUser', resources: ['backup-svc'] }),
      entry({ id: '2', time: '2026-11-21T10:01:00.000Z', action: 'CreateAccessKey', resources: ['backup-svc', 'AKIANEWKEY0000000001'] }),
      entry({
        id: '3',
        time: '2026-11-21T10:02:00.000Z',
        action: 'AttachUserPolicy',
        resources: ['backup-svc', 'arn:aws:iam::aws:policy/AdministratorAccess'],
      }),
      entry({ id: '4', time: '2026-11-21T10:03:00.000Z', action: 'CreateUser', resources: ['denied-user'], errorCode: 'AccessDenied' }),
      entry({ id: '5', time: '2026-11-21T10:04:00.000Z', action: 'StopLogging', resources: ['main-trail'] }),
    ]);
    expect(createdIdentities(timeline).map((c) => `${c.kind}:${c.name}`)).toEqual(['user:backup-svc', 'access-key:AKIANEWKEY0000000001']);
    const s = summarize({
      finding: makeFinding(),
      timeline,
      limitingFactors: [{ source: 'iam', reason: 'failed', detail: 'GetUser was denied' }],
      containment: ['Contain first.'],
    });
    expect(s.guidance).toEqual(['Contain first.']);
    expect(s.recommendations.join('\n')).toContain('Remove the IAM user(s) created during the activity, after preserving evidence: backup-svc');
    expect(s.recommendations.join('\n')).toContain('Delete the access key(s) created during the activity: AKIANEWKEY0000000001');
    expect(s.recommendations.join('\n')).toContain('Revert the 1 policy change(s)');
    expect(s.recommendations).toContain(
      'Turn back on what the activity turned off: CloudTrail logging (StopLogging at 21 Nov 2026 10:04 UTC); then check what happened while it was off.',
    );
    expect(s.timeframe).toEqual({ start: '2026-11-21T10:00:00.000Z', end: '2026-11-21T10:04:00.000Z', events: 5 });
    expect(s.text).toContain('Between 21 Nov 2026 10:00 UTC and 21 Nov 2026 10:04 UTC');
    expect(s.text).toContain('Could not see: GetUser was denied.');
  });
});

describe('timeline export', () => {
  it('writes CSV that a spreadsheet cannot run as formulas, and JSON', async () => {
    const { timelineCsv, timelineJson } = await import('../../src/domain/investigation/export.ts');
    const t = buildTimeline([entry({ id: 'x', userAgent: '=HYPERLINK("http://evil.example","click")', resources: ['a,b', 'c"d'] })]);
    const csv = timelineCsv(t);
    const row = csv.split('\r\n')[1] as string;
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(row).toContain('"a,b; c""d"');
    expect(JSON.parse(timelineJson(t))[0].userAgent).toBe('=HYPERLINK("http://evil.example","click")');
  });
});
