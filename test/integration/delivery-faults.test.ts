import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatedMessage } from '../../src/emulator/slack/index.ts';
import { account, asffControlFinding, importedEvent } from '../support/generate.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { findingIdsIn } from '../support/slack-text.ts';

/**
 * Slack misbehaving while findings are delivered: 5xx, 429, answers that never come
 * (some after the post was made), during root posts and digest flushes. Every finding
 * must end up in Slack exactly once, and one stuck channel must not hold up another.
 */
let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Short leases, pauses and timeouts, so a test sees several rounds of retries in a second or two. */
const FAST = { leaseMs: 300, retryBaseMs: 20, callTimeoutMs: 400 };

const finding = (i: number, control = i) => asffControlFinding({ index: i, control, account: account(i % 7) });

const roots = (channel: string): EmulatedMessage[] => t!.slack.state.messages(channel);

/** Every finding id the channel shows, in roots and in digest listings, with repeats. */
function idsShown(channel: string): string[] {
  return roots(channel).flatMap((root) => t!.slack.state.thread(root.channel, root.ts).flatMap(findingIdsIn));
}

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('delivery when Slack fails', () => {
  it('5xx and 429 while posting roots: every finding posted once', async () => {
    t = await startTestRuntime({ delivery: FAST, env: { SIRBOT_STORM_THRESHOLD: '50' } });
    t.slack.faults.add({ method: 'chat.postMessage', fault: { kind: 'status', status: 503 }, times: 3 });
    t.slack.faults.add({ method: 'chat.postMessage', fault: { kind: 'ratelimit', retryAfterSeconds: 1 }, times: 2 });
    t.slack.faults.add({ method: 'chat.postMessage', fault: { kind: 'status', status: 502 }, times: 2 });
    const findings = Array.from({ length: 12 }, (_, i) => finding(i, 0));
    const res = await t.ingest(importedEvent(findings));
    expect(res.status).toBe(200);
    await t.runtime.idle();
    const shown = idsShown('#security-findings');
    expect(shown.sort()).toEqual(findings.map((f) => f.Id as string).sort());
    expect(t.slack.faults.injected()).toEqual({ 'chat.postMessage:status': 5, 'chat.postMessage:ratelimit': 2 });
    expect(t.runtime.core.poster.stats().failed).toBe(0);
  });

  it('a post whose answer is lost after Slack made it is found again, not posted twice; other channels go on meanwhile', async () => {
    t = await startTestRuntime({ delivery: FAST });
    // The first root to #security-findings is stored by Slack, and the answer never comes back.
    t.slack.faults.add({ method: 'chat.postMessage', channel: '#security-findings', fault: { kind: 'hang', applied: true }, times: 1 });
    const lost = finding(1, 0);
    const elsewhere = { ...finding(2, 1), Severity: { Label: 'CRITICAL', Normalized: 95 } };
    const first = t.ingest(importedEvent([lost]));
    await until(() => roots('#security-findings').length === 1);
    const second = await t.ingest(importedEvent([elsewhere]));
    // The CRITICAL finding went to its own channel while the first post was still unanswered.
    const otherChannel = second.json.results[0].channel as string;
    expect(otherChannel).not.toBe('#security-findings');
    expect(roots(otherChannel).length).toBe(1);
    expect((await first).json.results[0].outcome).toBe('posted');
    await t.runtime.idle();
    expect(idsShown('#security-findings')).toEqual([lost.Id]);
    expect(t.runtime.core.poster.stats().foundAfterLoss).toBe(1);
    const record = await t.runtime.core.store.getFinding(lost.Id as string);
    expect(record).toMatchObject({ state: 'posted', ts: roots('#security-findings')[0]?.ts });
  });

  it('a post that never gets an answer (and was never made) is sent again after the timeout', async () => {
    t = await startTestRuntime({ delivery: FAST });
    t.slack.faults.add({ method: 'chat.postMessage', fault: { kind: 'hang', applied: false }, times: 2 });
    const f = finding(3, 0);
    const res = await t.ingest(importedEvent([f]));
    expect(res.json.results[0].outcome).toBe('posted');
    expect(idsShown('#security-findings')).toEqual([f.Id]);
    expect(t.slack.faults.injected()['chat.postMessage:hang']).toBe(2);
  });

  it('5xx, 429 and a lost answer during a digest flush: every member listed once in the end', async () => {
    t = await startTestRuntime({ delivery: FAST, env: { SIRBOT_STORM_THRESHOLD: '2' } });
    const findings = Array.from({ length: 30 }, (_, i) => finding(100 + i, 0));
    // Two roots go out, then the digest's root and listing meet every kind of failure.
    t.slack.faults.add({ method: 'chat.postMessage', fault: { kind: 'delay', ms: 1 }, times: 2 });
    t.slack.faults.add({ method: 'chat.postMessage', fault: { kind: 'status', status: 503 }, times: 2 });
    t.slack.faults.add({ method: 'chat.postMessage', fault: { kind: 'hang', applied: true }, times: 1 });
    t.slack.faults.add({ method: 'chat.postMessage', fault: { kind: 'ratelimit', retryAfterSeconds: 1 }, times: 1 });
    t.slack.faults.add({ method: 'chat.postMessage', fault: { kind: 'hang', applied: true }, times: 1 });
    const res = await t.ingest(importedEvent(findings));
    expect(res.status).toBe(200);
    await t.runtime.idle();
    await until(() => idsShown('#security-findings').length >= 30);
    const shown = idsShown('#security-findings');
    expect(shown.sort()).toEqual(findings.map((f) => f.Id as string).sort());
    // Two threads of their own and one digest.
    expect(roots('#security-findings')).toHaveLength(3);
    expect(await t.runtime.core.store.listDeadLetters()).toEqual([]);
  });

  it('a digest Slack refuses for good is dead-lettered with the reason and its members', async () => {
    t = await startTestRuntime({ delivery: FAST, env: { SIRBOT_STORM_THRESHOLD: '1' } });
    const findings = Array.from({ length: 4 }, (_, i) => finding(200 + i, 0));
    await t.ingest(importedEvent(findings.slice(0, 1)));
    // The channel is archived: Slack refuses every post there with an error that retrying cannot fix.
    t.slack.faults.add({ method: 'chat.postMessage', fault: { kind: 'error', error: 'is_archived' } });
    const answer = await t.ingest(importedEvent(findings.slice(1)));
    expect(answer.json.results.map((r: { outcome: string }) => r.outcome)).toEqual(['digested', 'digested', 'digested']);
    await t.runtime.idle();
    const [letter] = await t.runtime.core.store.listDeadLetters();
    expect(letter).toMatchObject({ origin: 'delivery:digest', error: 'is_archived', count: 3 });
    expect(
      JSON.parse(letter!.payload)
        .map((m: { findingId: string }) => m.findingId)
        .sort(),
    ).toEqual(
      findings
        .slice(1)
        .map((f) => f.Id)
        .sort(),
    );
  });
});
