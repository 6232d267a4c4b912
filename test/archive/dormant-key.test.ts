import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineCsv } from '../../src/domain/investigation/export.ts';
import { adHocFinding } from '../../src/domain/investigation/ad-hoc.ts';
import { loadScenario } from '../../src/emulator/aws/scenario.ts';
import { archiveCollector } from '../../src/aws/evidence/archive.ts';
import { createCollectors } from '../../src/aws/evidence/collectors.ts';
import { adHocWindow } from '../../src/investigation/ad-hoc.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { ATTACKER_IP, DORMANT, fakeArchive, investigateWith, type Run, scenarioFinding, settingsFor } from './support.ts';

/**
 * The dormant-key scenario (src/scenarios/dormant-key-archive): a key used 120 days before
 * the clock for reconnaissance and persistence, and a finding about its use yesterday.
 * Event history holds only the last 90 days; each of the three long-term stores the fake
 * serves (CloudTrail Lake, Athena over the trail, the trail's S3 objects) finds the rest,
 * through the real SDK clients.
 */
const scenario = loadScenario(DORMANT);
const EXPOSED = { exposedAt: '2026-08-01T00:00:00Z' };
const VIA = { lake: 'cloudtrail-lake', athena: 'athena', s3: 's3-logs' } as const;
const STORE_WORDS = { lake: 'CloudTrail Lake', athena: 'Athena over the trail', s3: "the trail's S3 logs" } as const;

describe.each(['lake', 'athena', 's3'] as const)('an intrusion 120 days old, through %s', (kind) => {
  let run: Run;
  beforeAll(async () => {
    run = await fakeArchive();
  });
  afterAll(() => run.close());

  it('finds the old recon and persistence, says where each came from, and sees no window limit', async () => {
    const result = await investigateWith(run, settingsFor(kind, scenario), scenarioFinding(), EXPOSED);
    const old = result.timeline.filter((e) => e.time < '2026-09-01');
    expect(old.map((e) => e.action)).toEqual(
      expect.arrayContaining(['GetCallerIdentity', 'ListUsers', 'ListRoles', 'GetBucketPolicy', 'CreateUser', 'CreateAccessKey', 'AttachUserPolicy']),
    );
    expect(new Set(old.map((e) => e.via))).toEqual(new Set([VIA[kind]]));
    // The last 90 days still come from event history, which names no `via`.
    expect(result.timeline.filter((e) => e.time > '2026-11-29' && e.source === 'cloudtrail').every((e) => e.via === undefined)).toBe(true);
    expect(result.window.start).toBe('2026-08-01T00:00:00.000Z');
    expect(result.limitingFactors.map((l) => l.reason)).not.toContain('out-of-window');
    expect(result.limitingFactors.map((l) => l.detail).join('\n')).not.toMatch(/earlier activity needs the trail's S3 logs/);
    expect(result.summary.text).toContain(`Searched ${STORE_WORDS[kind]} for activity older than event history`);
    expect(result.summary.createdIdentities.map((c) => `${c.kind} ${c.name}`)).toEqual(
      expect.arrayContaining(['user svc-telemetry', 'access-key AKIATELEMETRYKEY0001']),
    );
    const looks = result.searched.filter((s) => s.via === VIA[kind]);
    expect(looks.map((s) => s.look)).toEqual(['before-history', 'source-ip', 'data-events']);
    for (const look of looks) expect(kind === 's3' ? look.cost?.objectsRead : look.cost?.bytesScanned).toBeGreaterThan(0);
    // The timeline file says where each line came from.
    const csv = timelineCsv(result.timeline);
    expect(csv.split('\r\n')[0]).toMatch(/,via$/);
    expect(csv).toContain(`CreateUser,iam.amazonaws.com`);
    expect(csv.split('\r\n').find((l) => l.includes(',CreateUser,'))).toMatch(new RegExp(`,${VIA[kind]}$`));
  });

  it('looks in every region the account has enabled: the launch far from home, in ap-southeast-1, is found too', async () => {
    const result = await investigateWith(run, settingsFor(kind, scenario), scenarioFinding(), EXPOSED);
    const launch = result.timeline.find((e) => e.action === 'RunInstances');
    expect(launch).toMatchObject({ region: 'ap-southeast-1', via: VIA[kind], time: '2026-08-03T10:10:00.000Z' });
    const older = result.searched.filter((s) => s.via === VIA[kind] && s.look === 'before-history').map((s) => s.region ?? '');
    expect(older.join(', ')).toMatch(/us-east-1.*ap-southeast-1|ap-southeast-1.*us-east-1/);
  });

  it('pivots on the attacker address: the calls of the key it created there, which no identity search names', async () => {
    const result = await investigateWith(run, settingsFor(kind, scenario), scenarioFinding(), EXPOSED);
    const fromIp = result.timeline.filter((e) => e.sourceIp === ATTACKER_IP && e.via === VIA[kind]);
    expect(fromIp.filter((e) => e.accessKeyId === 'AKIATELEMETRYKEY0001').map((e) => e.action)).toContain('ListSecrets');
    expect(result.limitingFactors.map((l) => l.detail).join('\n')).not.toMatch(/cannot be looked up by source IP/);
  });

  it('finds the S3 object reads on the bucket the activity named, when the trail records data events', async () => {
    const result = await investigateWith(run, settingsFor(kind, scenario), scenarioFinding(), EXPOSED);
    const reads = result.timeline.filter((e) => e.action === 'GetObject');
    expect(reads.map((e) => e.via)).toEqual([VIA[kind], VIA[kind]]);
    expect(reads.flatMap((e) => e.resources)).toContain('arn:aws:s3:::finance-archive/2026/q2/payroll.csv');
    expect(result.limitingFactors.map((l) => l.reason)).not.toContain('data-events');
  });

  it('reports a bound it hits as a truncation naming the bound', async () => {
    const bounds =
      kind === 's3' ? { maxObjects: 1, maxRecords: 5000, maxBytesScanned: 2 ** 40 } : { maxObjects: 50_000, maxRecords: 3, maxBytesScanned: 2 ** 40 };
    const result = await investigateWith(run, settingsFor(kind, scenario, { bounds }), scenarioFinding(), EXPOSED);
    const truncated = result.limitingFactors.filter((l) => l.reason === 'truncated' && l.source === VIA[kind]);
    expect(truncated.map((l) => l.detail).join('\n')).toMatch(
      kind === 's3' ? /read 1 of \d+ log objects \(the objects bound\)/ : /stopped at 3 records \(the records bound\)/,
    );
    expect(result.summary.text).toContain('Could not see');
  });
});

describe('bounds on what the stores charge for', () => {
  it('stops asking Lake once the bytes scanned pass the bound, and says which searches were not made', async () => {
    const run = await fakeArchive();
    try {
      const bounds = { maxObjects: 50_000, maxRecords: 5000, maxBytesScanned: 100 };
      const result = await investigateWith(run, settingsFor('lake', scenario, { bounds }), scenarioFinding(), EXPOSED);
      const details = result.limitingFactors.filter((l) => l.reason === 'truncated').map((l) => l.detail);
      expect(details).toEqual(
        expect.arrayContaining([expect.stringMatching(/^calls from 198\.51\.100\.77: not searched, the bytes scanned bound \(100\) was reached$/)]),
      );
      expect(result.searched.filter((s) => s.via).map((s) => s.look)).toEqual(['before-history']);
    } finally {
      await run.close();
    }
  });
});

describe('a trail that does not record data events', () => {
  it('names the buckets whose object reads are not seen, and finds none', async () => {
    const local = loadScenario(DORMANT);
    local.trail.dataEvents = false;
    const run = await fakeArchive(local);
    try {
      const result = await investigateWith(run, settingsFor('athena', local), scenarioFinding(), EXPOSED);
      expect(result.timeline.map((e) => e.action)).not.toContain('GetObject');
      const dataEvents = result.limitingFactors.filter((l) => l.reason === 'data-events');
      expect(dataEvents.map((l) => l.detail)).toEqual([
        'the trail does not record S3 data events: object reads and writes in finance-archive are not seen (athena)',
      ]);
    } finally {
      await run.close();
    }
  });
});

describe('without a long-term store', () => {
  it('keeps to event history: the window starts 90 days back, says so, and misses the intrusion', async () => {
    const run = await fakeArchive();
    try {
      const result = await investigateWith(run, null, scenarioFinding(), EXPOSED);
      expect(result.window.start).toMatch(/^2026-09-02T12:00:00/);
      expect(result.limitingFactors.map((l) => l.reason)).toContain('out-of-window');
      expect(result.timeline.map((e) => e.action)).not.toContain('CreateUser');
      expect(result.searched.some((s) => s.via)).toBe(false);
    } finally {
      await run.close();
    }
  });
});

describe('an ad-hoc investigation of an address', () => {
  it.each(['lake', 'athena', 's3'] as const)('looks where the address last acted, found through %s; without a store, says it cannot', async (kind) => {
    const run = await fakeArchive();
    const logger = { warn: () => undefined } as unknown as Logger;
    const target = { type: 'ip' as const, value: ATTACKER_IP };
    const o = { target, account: '111122223333', region: 'us-east-1', since: null };
    try {
      const archive = archiveCollector(settingsFor(kind, scenario), run.clients, run.quotas);
      const collectors = [...(archive ? [archive] : []), ...createCollectors(run.clients, run.quotas)];
      expect(await adHocWindow(o, run.aws.now(), collectors, logger)).toEqual({ how: 'last-activity', lastActivity: '2026-11-30T09:02:00.000Z' });
      expect(await adHocWindow(o, run.aws.now(), createCollectors(run.clients, run.quotas), logger)).toEqual({ how: 'not-searchable' });
      expect(await adHocWindow({ ...o, target: { type: 'ip', value: '192.0.2.200' } }, run.aws.now(), collectors, logger)).toEqual({ how: 'no-activity' });
    } finally {
      await run.close();
    }
  });

  it.each(['lake', 's3'] as const)('finds the calls from it through %s; without a store, says it cannot', async (kind) => {
    const run = await fakeArchive();
    try {
      const { finding, answers } = adHocFinding({
        id: 'adhoc-ip',
        target: { type: 'ip', value: ATTACKER_IP },
        account: '111122223333',
        region: 'us-east-1',
        window: { how: 'asked', start: '2026-08-01T00:00:00Z' },
        now: new Date(run.aws.now()).toISOString(),
        requestedBy: 'U0ALICE',
      });
      const found = await investigateWith(run, settingsFor(kind, scenario), finding, answers);
      expect(found.timeline.filter((e) => e.sourceIp === ATTACKER_IP).map((e) => e.action)).toEqual(
        expect.arrayContaining(['CreateUser', 'ListSecrets', 'ListAccessKeys']),
      );
      const without = await investigateWith(run, null, finding, answers);
      expect(without.timeline.filter((e) => e.sourceIp === ATTACKER_IP)).toEqual([]);
      expect(without.limitingFactors.map((l) => l.detail).join('\n')).toMatch(/cannot be looked up by source IP/);
    } finally {
      await run.close();
    }
  });
});
