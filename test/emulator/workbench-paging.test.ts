import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import type { PageShown } from '../../src/emulator/workbench/paging.ts';
import { startLocalStack, type LocalStack } from '../../src/runtime/local/start.ts';
import { silentLogger } from '../../src/runtime/logger.ts';

describe('workbench: the fake PagerDuty on the page', () => {
  let stack: LocalStack;
  let dir: string;
  let base: string;
  const post = async (p: string, body: unknown) => {
    const res = await fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as any };
  };
  const pages = async (): Promise<PageShown[]> => ((await (await fetch(`${base}/workbench/api/screen?user=U0ALICE`)).json()) as { paging: PageShown[] }).paging;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sirbot-workbench-paging-'));
    const rules = path.join(dir, 'rules.yml');
    writeFileSync(
      rules,
      ['rules:', '  - RuleName: page-everything', '    RuleOrder: 1', '    Actions:', '      Acknowledge: { Within: 1s, Page: pagerduty }'].join('\n'),
    );
    const env = parseEnv({
      PORT: '0',
      SIRBOT_EMULATOR_PORT: '0',
      SIRBOT_DB: path.join(dir, 'sirbot.db'),
      SIRBOT_RULES: rules,
      SIRBOT_SCENARIO: 'exposed-access-key',
      SIRBOT_ESCALATION_TICK_SECONDS: '3600',
      LOG_LEVEL: 'silent',
    });
    stack = await startLocalStack(env, silentLogger());
    base = stack.workbenchUrl!.replace(/\/$/, '');
  });

  afterAll(async () => {
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the incident a rule paged; acknowledging it there shows in the thread through the signed webhook', async () => {
    expect(stack.banner().join('\n')).toMatch(/paging webhooks {2}POST .*\/pager\/pagerduty.*fake PagerDuty http/);
    expect(await pages()).toEqual([]);
    expect((await post('/workbench/api/findings/send', { id: 'finding.json#0', wrap: 'eventbridge' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect.poll(async () => (await stack.runtime.core.actions!.escalations.tick()) + (await pages()).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const [incident] = await pages();
    expect(incident).toMatchObject({ service: 'pagerduty', status: 'triggered', canAcknowledge: true });

    const acked = await post('/workbench/api/paging/acknowledge', { user: 'U0ALICE', service: 'pagerduty', id: incident!.id });
    expect(acked).toEqual({ status: 200, json: { answered: 200 } });
    expect(await pages()).toEqual([expect.objectContaining({ status: 'acknowledged', by: 'alice', canAcknowledge: false })]);
    const thread = JSON.stringify(stack.emulator!.state.allMessages());
    expect(thread).toContain('Acknowledged in PagerDuty by `alice`');
    expect((await post('/workbench/api/paging/acknowledge', { user: 'U0ALICE', service: 'opsgenie', id: 'nope' })).status).toBe(404);
  });
});
