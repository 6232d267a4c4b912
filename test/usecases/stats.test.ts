import { describe, expect, it } from 'vitest';
import { StatsService, type WeeklyStatsSettings } from '../../src/actions/stats.ts';
import type { AwsCall } from '../../src/domain/actions/aws-call.ts';
import { compileRuleSet } from '../../src/domain/routing/compile.ts';
import type { FindingStats } from '../../src/domain/stats/stats.ts';
import type { AuditRecord, RemediationAction } from '../../src/ports/action-store.ts';
import type { StatsCharts } from '../../src/ports/charts.ts';
import type { StatsNotices } from '../../src/ports/notices/stats.ts';
import type { FindingRecord } from '../../src/ports/store.ts';
import { recordingPort } from '../support/recording-port.ts';
import { OUTSIDER, RESPONDER, actionHarness, auditLines } from '../support/action-harness.ts';
import { makeFinding } from '../support/findings.ts';

const { ruleSet } = compileRuleSet(
  {
    rules: [
      {
        RuleName: 'quiet-s3',
        RuleOrder: 1,
        IsTerminal: true,
        Criteria: { ComplianceSecurityControlId: [{ Value: 'S3.1', Comparison: 'EQUALS' }] },
        Actions: { Suppress: true },
      },
      { RuleName: 'high', RuleOrder: 2, Criteria: { SeverityLabel: [{ Value: 'HIGH', Comparison: 'EQUALS' }] }, Actions: { Channel: '#incidents' } },
    ],
  },
  '#findings',
);

const keyCall: AwsCall = {
  service: 'iam',
  operation: 'UpdateAccessKey',
  account: '111122223333',
  region: 'us-east-1',
  input: { UserName: 'alice', AccessKeyId: 'AKIA1', Status: 'Inactive' },
};

function record(id: string, deliveredAt: string, over: Partial<FindingRecord> = {}): FindingRecord {
  const snapshot = makeFinding({ id, severity: { label: 'HIGH', score: 70 }, controlId: null, type: 'TTPs/Initial Access', product: 'GuardDuty' });
  return {
    findingId: id,
    fingerprint: 'fp',
    updatedAt: deliveredAt,
    channel: 'C0INCIDENTS',
    ts: '1.1',
    digestId: null,
    suppressed: false,
    severity: 'HIGH',
    workflowStatus: 'NEW',
    recordState: 'ACTIVE',
    deliveredAt,
    snapshot,
    state: 'posted',
    version: 1,
    sentAt: deliveredAt,
    attemptAt: null,
    attempts: 1,
    followUpPending: false,
    pendingSnapshot: null,
    ...over,
  };
}

function statsService(o: { weekly?: WeeklyStatsSettings; charts?: StatsCharts } = {}) {
  const h = actionHarness();
  // Like Slack: a key posted once is found from then on.
  const keys = new Set<string>();
  const notices = recordingPort<StatsNotices>({
    weeklyStatsPosted: async (e) => {
      if (keys.has(e.once.key)) return 'already';
      keys.add(e.once.key);
      return 'posted';
    },
  });
  const service = new StatsService({
    store: h.store,
    rules: () => ruleSet,
    access: h.access,
    audit: h.audit,
    notices: notices.port,
    logger: h.logger,
    clock: h.clock,
    ...(o.weekly ? { weekly: o.weekly } : {}),
    ...(o.charts ? { charts: o.charts } : {}),
  });
  return { h, notices, service };
}

const audit = (over: Partial<AuditRecord>): AuditRecord => ({
  at: '2026-12-01T09:00:00.000Z',
  actor: RESPONDER,
  action: 'status',
  target: 'f-key',
  inputs: {},
  outcome: 'executed',
  result: null,
  permalink: null,
  ...over,
});

describe('StatsService', () => {
  it('reads the window: steps executed (not asked for, not refused), a remediation through its action, ad-hoc findings left out', async () => {
    const { h, service } = statsService();
    // The harness's clock: 2026-12-01T10:00Z.
    await h.store.insertFinding(record('f-key', '2026-11-30T10:00:00.000Z'));
    await h.store.insertFinding(
      record('f-s3', '2026-11-30T11:00:00.000Z', {
        state: 'suppressed',
        suppressed: true,
        ts: null,
        channel: '#findings',
        snapshot: makeFinding({ id: 'f-s3', controlId: 'S3.1' }),
      }),
    );
    await h.store.insertFinding(record('f-adhoc', '2026-11-30T12:00:00.000Z', { fingerprint: 'ad-hoc' }));
    await h.store.insertFinding(record('f-old', '2026-11-01T10:00:00.000Z'));
    const remediation: RemediationAction = {
      id: 'remediation-1',
      findingId: 'f-key',
      channel: 'C0INCIDENTS',
      threadTs: '1.1',
      requestedBy: RESPONDER,
      approvedBy: null,
      state: 'succeeded',
      messageTs: null,
      createdAt: '2026-11-30T10:50:00.000Z',
      updatedAt: '2026-11-30T11:00:00.000Z',
      kind: 'remediation:deactivate-access-key',
      input: {
        remediationId: 'deactivate-access-key',
        inputs: { account: '111122223333', userName: 'alice', accessKeyId: 'AKIA1' },
        findingId: 'f-key',
        channel: 'C0INCIDENTS',
        threadTs: '1.1',
        plan: { calls: [keyCall], undo: [], notes: [] },
        note: '',
      },
      result: null,
    };
    await h.store.actions.insertAction(remediation);
    for (const a of [
      audit({ at: '2026-11-30T10:05:00.000Z', action: 'acknowledge', outcome: 'refused' }),
      audit({ at: '2026-11-30T10:07:00.000Z', action: 'acknowledge' }),
      audit({ at: '2026-11-30T10:10:00.000Z', action: 'status', outcome: 'requested' }),
      audit({ at: '2026-11-30T10:12:00.000Z', action: 'status' }),
      audit({ at: '2026-11-30T10:30:00.000Z', action: 'case.create' }),
      audit({ at: '2026-11-30T10:50:00.000Z', action: 'remediation:deactivate-access-key', target: 'AKIA1', outcome: 'requested', inputs: { note: '' } }),
      audit({ at: '2026-11-30T11:00:00.000Z', action: 'remediation:deactivate-access-key', target: 'AKIA1', inputs: { actionId: 'remediation-1' } }),
      audit({ at: '2026-11-30T12:00:00.000Z', action: 'status', target: 'f-old' }),
    ]) {
      await h.store.actions.appendAudit(a);
    }

    const result = await service.report(RESPONDER, '2026-11-24T10:00:00.000Z', { channel: 'C0SECOPS' });
    if (!result.ok) throw new Error(result.reason);
    const { stats } = result;
    expect(stats.delivered).toBe(2);
    expect(stats.byRule).toEqual([
      { key: 'high', count: 1 },
      { key: 'quiet-s3', count: 1 },
    ]);
    expect(stats.byChannel).toEqual([
      { key: '#findings', count: 1 },
      { key: '#incidents', count: 1 },
    ]);
    expect(stats.noise.suppressedByRule).toEqual([{ key: 'quiet-s3', count: 1 }]);
    expect(stats.durations).toEqual({
      acknowledged: { count: 1, medianSeconds: 420, p90Seconds: 420 },
      statusChanged: { count: 1, medianSeconds: 720, p90Seconds: 720 },
      caseOpened: { count: 1, medianSeconds: 1800, p90Seconds: 1800 },
      remediated: { count: 1, medianSeconds: 3600, p90Seconds: 3600 },
    });
    expect(result.chart).toBeNull();
    expect(auditLines(await h.auditTrail()).at(-1)).toContain('stats');
    expect((await h.auditTrail()).at(-1)).toMatchObject({ actor: RESPONDER, action: 'stats', outcome: 'executed', result: { delivered: 2, truncated: false } });
  });

  it('refuses who is not a responder, and audits it', async () => {
    const { h, service } = statsService();
    const result = await service.report(OUTSIDER, '2026-11-24T10:00:00.000Z', { channel: 'C0SECOPS' });
    expect(result).toMatchObject({ ok: false, kind: 'refused' });
    expect((await h.auditTrail()).at(-1)).toMatchObject({ actor: OUTSIDER, action: 'stats', outcome: 'refused' });
  });

  it('gives the numbers without a chart when drawing fails', async () => {
    const { service } = statsService({
      charts: {
        findingsPerDay: async () => {
          throw new Error('no fonts');
        },
      },
    });
    const result = await service.report(RESPONDER, '2026-11-24T10:00:00.000Z', { channel: null });
    expect(result).toMatchObject({ ok: true, chart: null });
  });

  it('tries the weekly post once an hour on its day, keyed by the ISO week; audits only a post made', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    // 2026-12-01 is a Tuesday (weekday 2); the harness starts at 10:00Z.
    const { h, notices, service } = statsService({ weekly: { channel: '#weekly', weekday: 2, hour: 10 }, charts: { findingsPerDay: async () => png } });
    expect(await service.tick()).toBe(true);
    expect(await service.tick()).toBe(false);
    expect(notices.methods()).toEqual(['weeklyStatsPosted']);
    const [call] = notices.callsTo('weeklyStatsPosted')[0] as [{ channel: string; stats: FindingStats; chart: Uint8Array; once: { key: string } }];
    expect(call).toMatchObject({ channel: '#weekly', chart: png, once: { key: 'stats-weekly:2026-W49', mayExist: true } });
    expect(call.stats.window).toEqual({ from: '2026-11-24T10:00:00.000Z', to: '2026-12-01T10:00:00.000Z' });
    // An hour later the next try finds the post.
    h.advance(3601);
    expect(await service.tick()).toBe(false);
    expect(notices.methods()).toEqual(['weeklyStatsPosted', 'weeklyStatsPosted']);
    // Not due on the other days.
    h.advance(86_400);
    expect(await service.tick()).toBe(false);
    expect(notices.methods()).toHaveLength(2);
    // The next week's day is another week.
    h.advance(6 * 86_400);
    expect(await service.tick()).toBe(true);
    expect(notices.callsTo('weeklyStatsPosted')[2]?.[0]).toMatchObject({ once: { key: 'stats-weekly:2026-W50' } });
    expect((await h.auditTrail()).filter((a) => a.action === 'stats.weekly').map((a) => a.target)).toEqual(['2026-W49', '2026-W50']);
  });

  it('has no weekly post without a channel', async () => {
    const { notices, service } = statsService();
    expect(await service.tick()).toBe(false);
    expect(notices.methods()).toEqual([]);
  });
});
