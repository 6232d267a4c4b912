import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const SCENARIO = 'src/scenarios/exposed-access-key';

describe('sirbot investigate: exposed access key used for recon, persistence and instance launches', () => {
  it('puts the activity in order with its tactics and names what to remove', async () => {
    const run = await runCli(['investigate', '--finding', `${SCENARIO}/finding.json`, '--scenario', SCENARIO, '--quota-scale', '10']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout.join('\n'));
    expect(out.playbook).toBe('credential-exposure');

    const steps = out.timeline.map((e: { action: string; tactics: string[] }) => [e.action, e.tactics]);
    const at = (action: string) => steps.findIndex(([a]: [string]) => a === action);
    expect(at('GetCallerIdentity')).toBeLessThan(at('ListUsers'));
    expect(at('ListUsers')).toBeLessThan(at('CreateUser'));
    expect(at('CreateUser')).toBeLessThan(at('CreateAccessKey'));
    expect(at('CreateAccessKey')).toBeLessThan(at('AttachUserPolicy'));
    expect(at('AttachUserPolicy')).toBeLessThan(at('RunInstances'));
    const tactics = Object.fromEntries(steps);
    expect(tactics.GetCallerIdentity).toEqual(['Discovery']);
    expect(tactics.CreateUser).toEqual(['Persistence']);
    expect(tactics.CreateAccessKey).toContain('Persistence');
    expect(tactics.AttachUserPolicy).toEqual(['Persistence', 'Privilege Escalation']);
    expect(tactics.RunInstances).toEqual(['Impact']);

    // Every entry has the documented fields.
    for (const e of out.timeline) {
      for (const k of ['time', 'source', 'action', 'actor', 'sourceIp', 'userAgent', 'resources', 'errorCode', 'tactics']) expect(e).toHaveProperty(k);
    }
    const created = out.summary.createdIdentities.map((c: { kind: string; name: string }) => `${c.kind}:${c.name}`);
    expect(created).toEqual([
      'user:backup-svc',
      'access-key:AKIABACKUPSVCKEY0001',
      'instance:i-0a1b2c3d4e5f00001',
      'instance:i-0a1b2c3d4e5f00002',
      'instance:i-0a1b2c3d4e5f00003',
    ]);
    const recs = out.summary.recommendations.join('\n');
    expect(recs).toContain('AKIAEXPOSEDKEY000001');
    expect(recs).toContain('Remove the IAM user(s) created during the activity, after preserving evidence: backup-svc');
    expect(recs).toContain('Delete the access key(s) created during the activity: AKIABACKUPSVCKEY0001');
    expect(recs).toContain('terminate, the instance(s) launched during the activity: i-0a1b2c3d4e5f00001');
    expect(out.summary.timeframe.start).toBe('2026-11-20T14:02:11.000Z');
    expect(out.summary.affectedResources).toEqual(expect.arrayContaining(['backup-svc', 'AKIABACKUPSVCKEY0001', 'i-0a1b2c3d4e5f00003']));
    // IAM says what the new identities look like now: the user is still there, with admin rights and a live key.
    expect(out.summary.currentState).toEqual(
      expect.arrayContaining([
        { kind: 'iamUser', id: 'backup-svc', exists: true, facts: ['created during the activity', '1 active access key(s)', 'has AdministratorAccess'] },
        {
          kind: 'accessKey',
          id: 'AKIABACKUPSVCKEY0001',
          exists: true,
          facts: ['Active', 'of backup-svc', 'last used 21 Nov 2026 10:10 UTC (ec2 in us-east-1)'],
        },
        // The exposed key as IAM lists it now: still active.
        {
          kind: 'accessKey',
          id: 'AKIAEXPOSEDKEY000001',
          exists: true,
          facts: ['Active', 'of ci-deployer', 'last used 21 Nov 2026 10:06 UTC (iam in us-east-1)'],
        },
      ]),
    );
    expect(out.summary.currentState).toEqual(
      expect.arrayContaining([
        {
          kind: 'instance',
          id: 'i-0a1b2c3d4e5f00001',
          exists: true,
          facts: [
            'running',
            'created during the activity',
            'public IP 192.0.2.71',
            'p3.16xlarge',
            'IMDSv1 still allowed (HttpTokens optional)',
            'sg-0badc0ffee0000001 open to 0.0.0.0/0 on port 22 (sensitive)',
          ],
        },
        // Not "no longer exists": DescribeInstances does not say more than that it did not return it.
        {
          kind: 'instance',
          id: 'i-0a1b2c3d4e5f00003',
          exists: false,
          facts: ['DescribeInstances does not return it in us-east-1 (terminated and purged, or in another region)'],
        },
      ]),
    );
    // The key used by the intruder is to be deactivated (it is still active), the one it created deleted: one recommendation each.
    expect(out.summary.recommendations.filter((r: string) => r.includes('AKIABACKUPSVCKEY0001'))).toHaveLength(1);
    expect(out.limitingFactors).toEqual([
      expect.objectContaining({ source: 'network', reason: 'not-configured' }),
      expect.objectContaining({ source: 'cloudtrail', reason: 'data-events' }),
    ]);
    // GuardDuty's other finding on the same key joins the timeline and the critical findings;
    // a failing control on the key is state, not activity. The finding itself is not its own evidence.
    expect(out.timeline.filter((e: { source: string }) => e.source !== 'cloudtrail').map((e: { action: string }) => e.action)).toEqual([
      'Persistence:IAMUser/AnomalousBehavior',
    ]);
    expect(out.summary.criticalFindings.map((f: { id: string }) => f.id)).toEqual(['7ec6f1a2b3c4d5e6f708192a3b4c5d6e', '8fd7a2b3c4d5e6f708192a3b4c5d6e7f']);
    expect(out.summary.relatedFindings).toContainEqual({
      id: expect.any(String),
      title: "IAM.3 IAM users' access keys should be rotated every 90 days or less",
      severity: 'MEDIUM',
    });
    // The hostile user agent is carried as data; escaping is the Slack views' job.
    expect(out.timeline.some((e: { userAgent: string }) => e.userAgent.startsWith('<!channel>'))).toBe(true);
  }, 60_000);

  it('from the same GuardDuty finding as Security Hub imports it (ASFF), finds the same activity and the same key', async () => {
    const gd = JSON.parse(readFileSync(`${SCENARIO}/finding.json`, 'utf8'));
    // Security Hub's form of it: the type rewritten into its namespaces, the key as `AWS::IAM::AccessKey:<id>`, the user in PrincipalName.
    const asff = {
      SchemaVersion: '2018-10-08',
      Id: gd.arn,
      ProductArn: `arn:aws:securityhub:${gd.region}::product/aws/guardduty`,
      ProductName: 'GuardDuty',
      CompanyName: 'Amazon',
      Region: gd.region,
      GeneratorId: `arn:aws:guardduty:${gd.region}:${gd.accountId}:detector/${gd.service.detectorId}`,
      AwsAccountId: gd.accountId,
      Types: [`TTPs/Initial Access/${gd.type.replace('/', '-')}`],
      FirstObservedAt: gd.service.eventFirstSeen,
      LastObservedAt: gd.service.eventLastSeen,
      CreatedAt: gd.createdAt,
      UpdatedAt: gd.updatedAt,
      Severity: { Product: gd.severity, Label: 'HIGH', Normalized: 80 },
      Title: gd.title,
      Description: gd.description,
      Resources: [
        {
          Type: 'AwsIamAccessKey',
          Id: `AWS::IAM::AccessKey:${gd.resource.accessKeyDetails.accessKeyId}`,
          Partition: 'aws',
          Region: gd.region,
          Details: {
            AwsIamAccessKey: {
              PrincipalId: gd.resource.accessKeyDetails.principalId,
              PrincipalName: gd.resource.accessKeyDetails.userName,
              PrincipalType: 'IAMUser',
            },
          },
        },
      ],
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    };
    const fromAsff = JSON.parse(
      (await runCli(['investigate', '--finding', '<asff>', '--scenario', SCENARIO, '--quota-scale', '10'], { '<asff>': JSON.stringify(asff) })).stdout.join(
        '\n',
      ),
    );
    const native = JSON.parse(
      (await runCli(['investigate', '--finding', `${SCENARIO}/finding.json`, '--scenario', SCENARIO, '--quota-scale', '10'])).stdout.join('\n'),
    );
    // What the exposed key did (the account-wide watched calls depend on the playbook, chosen from the type).
    const ids = (out: { timeline: Array<{ action: string; time: string; accessKeyId: string | null }> }) =>
      out.timeline.filter((e) => e.accessKeyId === 'AKIAEXPOSEDKEY000001').map((e) => `${e.time} ${e.action}`);
    expect(ids(fromAsff).length).toBeGreaterThan(10);
    expect(ids(fromAsff)).toEqual(ids(native));
    expect(fromAsff.summary.recommendations[0]).toContain('Deactivate the access key(s) AKIAEXPOSEDKEY000001 (user ci-deployer)');
    expect(fromAsff.summary.text).not.toContain('no activity');
    // The key's current state comes from its user's key list, from either form of the finding.
    expect(fromAsff.summary.currentState).toContainEqual({
      kind: 'accessKey',
      id: 'AKIAEXPOSEDKEY000001',
      exists: true,
      facts: ['Active', 'of ci-deployer', 'last used 21 Nov 2026 10:06 UTC (iam in us-east-1)'],
    });
    expect(fromAsff.summary.currentState).toEqual(native.summary.currentState);
  }, 60_000);

  it('prints a readable text report', async () => {
    const run = await runCli(['investigate', '--finding', `${SCENARIO}/finding.json`, '--scenario', SCENARIO, '--quota-scale', '10', '--format', 'text']);
    expect(run.code).toBe(0);
    const text = run.stdout.join('\n');
    expect(text).toMatch(
      /^HIGH: API ListUsers was invoked from an IP address on a custom threat list \(account 111122223333, us-east-1\)\. Between 20 Nov 2026 14:02 UTC and 21 Nov 2026 10:10 UTC, /,
    );
    expect(text).toContain('RunInstances');
    expect(text).toContain('burst of instance launches');
  }, 60_000);

  it('refuses unknown answers and missing arguments', async () => {
    expect((await runCli(['investigate', '--scenario', SCENARIO])).code).toBe(2);
    const bad = await runCli(['investigate', '--finding', `${SCENARIO}/finding.json`, '--scenario', SCENARIO, '--answers', 'a.json'], {});
    expect(bad.code).toBe(1);
  });
});
