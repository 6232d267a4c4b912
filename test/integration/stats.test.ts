import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

const scenario = (name: string) => JSON.parse(readFileSync(`src/scenarios/${name}/finding.json`, 'utf8')) as Record<string, unknown>;
const EXPOSED_KEY = scenario('exposed-access-key');
const ROOT_USE = scenario('root-credential-use');
const PUBLIC_BUCKETS = scenario('public-s3-bucket');
const MINUTE = 60_000;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let t: TestRuntime;
let dir = '';
let channel = '';
// Monday 7 December 2026, 09:00 UTC: the weekly post is due from 09:00 on Mondays.
const clock = { now: Date.parse('2026-12-07T08:00:00Z') };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sirbot-stats-'));
  const rules = path.join(dir, 'rules.yml');
  writeFileSync(
    rules,
    [
      'rules:',
      '  - RuleName: quiet-public-buckets',
      '    RuleOrder: 1',
      '    IsTerminal: true',
      '    Criteria:',
      '      ComplianceSecurityControlId: [{ Value: S3.8, Comparison: EQUALS }]',
      '    Actions:',
      '      Suppress: true',
      '  - RuleName: high-needs-ack',
      '    RuleOrder: 2',
      '    Criteria:',
      '      SeverityLabel: [{ Value: HIGH, Comparison: EQUALS }]',
      '    Actions:',
      '      Channel: "#security-incidents"',
      '      Acknowledge: { Within: 15m, Notify: S0ONCALL, CirtAfter: 15m, AutoOpenCase: false }',
    ].join('\n'),
  );
  t = await startTestRuntime({
    scenario: 'src/scenarios/exposed-access-key',
    clock: () => clock.now,
    env: {
      SIRBOT_RULES: rules,
      SIRBOT_RESPONDERS: 'U0ALICE',
      SIRBOT_CASE_WATCHERS: 'secops@example.com',
      SIRBOT_ESCALATION_TICK_SECONDS: '3600',
      SIRBOT_STATS_CHANNEL: '#security-weekly',
      SIRBOT_STATS_WEEKDAY: '1',
      SIRBOT_STATS_HOUR: '9',
    },
  });
  channel = t.slack.state.createChannel('sec-ops');
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const alice = () => t.user('U0ALICE', 'alice');
const rootOf = () => t.slack.state.messages('#security-incidents')[0]!;
const ephemerals = (who = 'U0ALICE') =>
  t.slack.state
    .ephemerals()
    .filter((e) => e.user === who)
    .map((e) => messageTexts(e as never).join('\n'));

describe('the numbers', () => {
  it('/sir stats: counts, noise and the time to each step, privately, and the chart as a PNG', async () => {
    await t.ingest(EXPOSED_KEY);
    await t.ingest(ROOT_USE);
    await t.ingest(PUBLIC_BUCKETS);
    await expect.poll(() => t.slack.state.messages('#security-incidents').length, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => JSON.stringify(rootOf().blocks)).toContain('finding_acknowledge');

    // Acknowledged after 4 minutes, a status after 10, a case after 30.
    clock.now += 4 * MINUTE;
    await alice().click(rootOf(), 'finding_acknowledge');
    await expect.poll(() => messageTexts(rootOf()).join('\n')).toContain('Acknowledged by <@U0ALICE>');
    clock.now += 6 * MINUTE;
    let n = ephemerals().length;
    await alice().command(`status ${String(EXPOSED_KEY.id)} NOTIFIED looking`, channel);
    await expect.poll(() => ephemerals().length, { timeout: 10_000 }).toBeGreaterThan(n);
    expect(ephemerals().at(-1)).toContain('Workflow status set to NOTIFIED');
    clock.now += 20 * MINUTE;
    await alice().click(rootOf(), 'case_open');
    await alice().waitForModal('case_modal');
    await alice().submit();
    await expect.poll(() => t.aws!.securityIr.cases.size, { timeout: 10_000 }).toBe(1);

    // Not for everyone: the refusal is audited.
    const refused = await t.user('U0MALLORY').command('stats', channel);
    expect(JSON.stringify(refused.body)).toContain('responder role');

    clock.now += 5 * MINUTE;
    n = ephemerals().length;
    expect((await alice().command('stats --since 7d', channel)).body).toBeNull();
    await expect.poll(() => ephemerals().length, { timeout: 15_000 }).toBeGreaterThan(n);
    const answer = ephemerals().at(-1)!;
    if (process.env.SHOW_STATS) console.log(answer);
    expect(answer).toContain('findings delivered');
    expect(answer).toMatch(/\*?\d+\*? findings delivered/);
    expect(answer).toContain('To acknowledge: median 4m, p90 4m (1 finding)');
    expect(answer).toContain('To a status change: median 10m, p90 10m (1 finding)');
    expect(answer).toContain('To a case: median 30m, p90 30m (1 finding)');
    expect(answer).toContain('To a remediation: nobody yet');
    expect(answer).toContain('3 suppressed');
    expect(answer).toContain('quiet-public-buckets');
    // Nothing but the chart reached the channel.
    // An upload is two calls (an upload URL, then completeUploadExternal sharing it): wait for the share.
    await expect.poll(() => t.slack.state.files().filter((f) => f.name.endsWith('.png') && f.channel !== null).length, { timeout: 15_000 }).toBe(1);
    const png = t.slack.state.files().find((f) => f.name.endsWith('.png'))!;
    expect([...png.content!.subarray(0, 8)]).toEqual(PNG_MAGIC);
    expect(png.channel).toBe(channel);

    const audit = (await t.runtime.core.store.actions.listAudit()).filter((a) => a.action.includes('stats'));
    expect(audit.map((a) => [a.actor, a.action, a.outcome])).toEqual([
      ['U0MALLORY', 'command.stats', 'refused'],
      ['U0ALICE', 'stats', 'executed'],
    ]);
  });

  it('/sir stats checks its input at the edge', async () => {
    for (const [text, problem] of [
      ['stats --since 200d', /90 days/],
      ['stats --since tomorrow', /since/],
      ['stats everything', /unexpected argument/],
    ] as const) {
      const answer = await alice().command(text, channel);
      expect(answer.body?.response_type, text).toBe('ephemeral');
      expect(JSON.stringify(answer.body), text).toMatch(problem);
    }
  });

  it('the weekly post goes once per ISO week, however often the clock ticks', async () => {
    const stats = t.runtime.core.actions!.stats;
    // Before the hour: nothing.
    clock.now = Date.parse('2026-12-07T08:59:00Z');
    expect(await stats.tick()).toBe(false);
    clock.now = Date.parse('2026-12-07T09:01:00Z');
    const [first, second] = await Promise.all([stats.tick(), stats.tick()]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(await stats.tick()).toBe(false);
    await t.runtime.idle();
    const posts = () => t.slack.state.messages('#security-weekly');
    expect(posts()).toHaveLength(1);
    expect(messageTexts(posts()[0]!).join('\n')).toContain('The week in findings');
    expect(messageTexts(posts()[0]!).join('\n')).toContain('To acknowledge: median 4m');
    const chart = t.slack.state.files().find((f) => f.threadTs === posts()[0]!.ts)!;
    if (process.env.SHOW_STATS) (await import('node:fs')).writeFileSync('/tmp/weekly-chart.png', chart.content!);
    expect([...chart.content!.subarray(0, 8)]).toEqual(PNG_MAGIC);
    // Hours later another tick of the same week finds the post and posts nothing.
    clock.now = Date.parse('2026-12-07T15:00:00Z');
    expect(await stats.tick()).toBe(false);
    await t.runtime.idle();
    expect(posts()).toHaveLength(1);
    // The next Monday is another week.
    clock.now = Date.parse('2026-12-14T09:30:00Z');
    expect(await stats.tick()).toBe(true);
    await t.runtime.idle();
    expect(posts()).toHaveLength(2);
  });
});
