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
        { kind: 'IAMUser', resources: ['backup-svc', 'arn:aws:iam::aws:policy/AdministratorAccess'], facts: ['created in the window and still exists', 'has AdministratorAccess'] },
        expect.objectContaining({ kind: 'AccessKey', resources: ['backup-svc', 'AKIABACKUPSVCKEY0001'], facts: ['Active (still usable)', 'last used 2026-11-21T10:10:00.000Z on ec2 in us-east-1'] }),
      ]),
    );
    expect(out.summary.currentState).toEqual(
      expect.arrayContaining([
        { kind: 'EC2Instance', resources: ['i-0a1b2c3d4e5f00001', 'sg-0badc0ffee0000001'], facts: ['running p3.16xlarge', 'public IP 192.0.2.71', 'sg-0badc0ffee0000001 open to 0.0.0.0/0 on port 22 (sensitive)'] },
        { kind: 'EC2Instance', resources: ['i-0a1b2c3d4e5f00003'], facts: ['not found (terminated and purged, or in another region)'] },
      ]),
    );
    expect(out.limitingFactors).toEqual([]);
    // GuardDuty's other finding on the same key joins the timeline and the critical findings;
    // a failing control on the key is state, not activity. The finding itself is not its own evidence.
    expect(out.timeline.filter((e: { source: string }) => e.source !== 'cloudtrail').map((e: { action: string }) => e.action)).toEqual([
      'Persistence:IAMUser/AnomalousBehavior',
    ]);
    expect(out.summary.criticalFindings.map((f: { id: string }) => f.id)).toEqual(['7ec6f1a2b3c4d5e6f708192a3b4c5d6e', '8fd7a2b3c4d5e6f708192a3b4c5d6e7f']);
    expect(out.summary.currentState).toContainEqual({ kind: 'control IAM.3', resources: ['AKIAEXPOSEDKEY000001'], facts: ['severity MEDIUM', "finding: IAM.3 IAM users' access keys should be rotated every 90 days or less"] });
    // The hostile user agent is carried as data; escaping is the Slack views' job.
    expect(out.timeline.some((e: { userAgent: string }) => e.userAgent.startsWith('<!channel>'))).toBe(true);
  }, 60_000);

  it('prints a readable text report', async () => {
    const run = await runCli(['investigate', '--finding', `${SCENARIO}/finding.json`, '--scenario', SCENARIO, '--quota-scale', '10', '--format', 'text']);
    expect(run.code).toBe(0);
    const text = run.stdout.join('\n');
    expect(text).toMatch(/^HIGH UnauthorizedAccess:IAMUser\/MaliciousIPCaller.Custom in account 111122223333/);
    expect(text).toContain('RunInstances');
    expect(text).toContain('burst of instance launches');
  }, 60_000);

  it('refuses unknown answers and missing arguments', async () => {
    expect((await runCli(['investigate', '--scenario', SCENARIO])).code).toBe(2);
    const bad = await runCli(['investigate', '--finding', `${SCENARIO}/finding.json`, '--scenario', SCENARIO, '--answers', 'a.json'], {});
    expect(bad.code).toBe(1);
  });
});
