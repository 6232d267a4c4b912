import { afterEach, describe, expect, it } from 'vitest';
import { account, asffControlFinding, importedEvent } from '../support/generate.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { findingIdsIn, messageTexts } from '../support/slack-text.ts';

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('storm control', () => {
  it('2,000 findings across 50 accounts: few messages, every finding accounted for exactly once, no unhandled 429', async () => {
    t = await startTestRuntime({ postsPerSecondPerChannel: 20, env: { SIRBOT_STORM_THRESHOLD: '10' } });
    // One control failing in 50 accounts, 40 resources each, delivered as EventBridge batches of 100.
    const findings = Array.from({ length: 2000 }, (_, i) => asffControlFinding({ index: i, control: 0, account: account(i % 50) }));
    const events = [];
    for (let i = 0; i < findings.length; i += 100) events.push(importedEvent(findings.slice(i, i + 100)));
    const answers = await Promise.all(events.map((e) => t!.ingest(e, { wait: false })));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    await t.runtime.idle();

    const channel = '#security-findings';
    const roots = t.slack.state.messages(channel);
    const everything = roots.flatMap((root) => t!.slack.state.thread(root.channel, root.ts));
    const ids = everything.flatMap(findingIdsIn);
    expect(ids).toHaveLength(2000);
    expect(new Set(ids)).toEqual(new Set(findings.map((f) => f.Id)));

    // 10 individual threads + 1 digest root + its listing replies (200 per reply) + a few partial flushes.
    expect(roots.length).toBe(11);
    expect(everything.length).toBeLessThanOrEqual(40);
    const digest = roots.find((r) => r.text?.startsWith('Digest of'));
    expect(digest?.text).toContain('1990 findings');

    const poster = t.runtime.core.poster.stats();
    expect(poster.failed).toBe(0);
    expect(t.slack.state.stats().invalidBlocks).toBe(0);
  });
});

describe('digest rules', () => {
  it('groups findings a rule sends to a digest, and says in the digest thread when one of them changes', async () => {
    t = await startTestRuntime();
    // LOW failed controls are digested per control by the default rules.
    const low = (i: number, updatedAt?: string) => {
      const f = asffControlFinding({ index: i, control: 7, account: account(i % 3), ...(updatedAt ? { updatedAt } : {}) });
      f.Severity = { Label: 'LOW', Normalized: 20 };
      return f;
    };
    await t.ingest(importedEvent([low(1), low(2), low(3)]));
    await t.runtime.idle();
    const roots = t.slack.state.messages('#security-findings');
    expect(roots).toHaveLength(1);
    expect(roots[0]?.text).toBe('Digest of 3 findings: control-failures: control KMS.4');
    const changed = { ...low(2, '2026-11-22T11:00:00.000Z'), Workflow: { Status: 'RESOLVED' } };
    const res = await t.ingest(importedEvent([changed]));
    expect(res.json.results[0].outcome).toBe('updated');
    const thread = t.slack.state.thread(roots[0]!.channel, roots[0]!.ts);
    const last = messageTexts(thread.at(-1)!).join('\n');
    expect(last).toContain(String((changed as Record<string, unknown>).Id));
    expect(last).toContain('Workflow status*: NEW → *RESOLVED*');
  });
});
