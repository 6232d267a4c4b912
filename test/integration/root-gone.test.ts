import { WebClient } from '@slack/web-api';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { investigationIdFor } from '../../src/investigation/service.ts';
import { asffControlFinding, importedEvent } from '../support/generate.ts';
import { BOT_TOKEN, startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { findingIdsIn, messageTexts } from '../support/slack-text.ts';

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const CHANNEL = '#security-findings';

/** Someone deletes the finding's root in Slack, as a person with the right to would. */
async function deleteRoot(rt: TestRuntime, channel: string, ts: string): Promise<void> {
  const client = new WebClient(BOT_TOKEN, { slackApiUrl: rt.slack.url });
  await client.chat.delete({ channel, ts });
}

describe('a finding whose thread is gone from Slack', () => {
  it('is posted afresh when a newer version arrives, and the new thread says why', async () => {
    t = await startTestRuntime();
    const v1 = asffControlFinding({ index: 3, control: 0, updatedAt: '2026-11-22T09:00:00.000Z' });
    await t.ingest(importedEvent([v1]));
    const [root] = t.slack.state.messages(CHANNEL);
    await deleteRoot(t, root!.channel, root!.ts);
    expect(t.slack.state.messages(CHANNEL)).toHaveLength(0);

    const v2 = { ...v1, UpdatedAt: '2026-11-22T10:00:00.000Z', Severity: { Label: 'HIGH', Normalized: 70 } };
    const res = await t.ingest(importedEvent([v2]));
    expect(res.json.results[0]).toMatchObject({ outcome: 'posted' });
    await t.runtime.idle();
    const roots = t.slack.state.messages(CHANNEL);
    expect(roots).toHaveLength(1);
    expect(roots[0]!.ts).not.toBe(root!.ts);
    expect(findingIdsIn(roots[0]!)).toEqual([v1.Id]);
    // The new root shows the newer version; its thread opens by saying the old one is gone.
    expect(messageTexts(roots[0]!).join('\n')).toContain('*HIGH*');
    const thread = t.slack.state.thread(roots[0]!.channel, roots[0]!.ts);
    expect(messageTexts(thread[1]!).join('\n')).toContain("This finding's earlier thread");
    // Nothing went to the dead letters: the change was shown, not dropped.
    expect(await t.runtime.core.store.listDeadLetters()).toEqual([]);

    // The same version again is a duplicate of the new root, not another post.
    const again = await t.ingest(importedEvent([v2]));
    expect(again.json.results[0].outcome).toBe('duplicate');
    expect(t.slack.state.messages(CHANNEL)).toHaveLength(1);
  });

  it('is posted afresh when people act on it and its root is redrawn', async () => {
    t = await startTestRuntime();
    const f = asffControlFinding({ index: 4, control: 0 });
    const id = f.Id as string;
    await t.ingest(importedEvent([f]));
    const [root] = t.slack.state.messages(CHANNEL);
    await deleteRoot(t, root!.channel, root!.ts);
    await t.runtime.core.deliverer.refreshRoot(id);
    const roots = t.slack.state.messages(CHANNEL);
    expect(roots.map((r) => findingIdsIn(r))).toEqual([[id]]);
    expect(roots[0]!.ts).not.toBe(root!.ts);
    const record = await t.runtime.core.store.getFinding(id);
    expect(record).toMatchObject({ state: 'posted', ts: roots[0]!.ts });
  });

  it('an investigation waiting for answers asks again in the new thread', async () => {
    t = await startTestRuntime({ scenario: 'src/scenarios/exposed-access-key', env: { SIRBOT_RESPONDERS: 'U0ALICE' } });
    const finding = JSON.parse(readFileSync('src/scenarios/exposed-access-key/finding.json', 'utf8')) as { id: string };
    await t.ingest(finding);
    const [root] = t.slack.state.messages('#security-incidents');
    const asked = (ts: string) => t!.slack.state.thread(root!.channel, ts).some((m) => (m.text ?? '').includes('a few questions'));
    await expect.poll(() => asked(root!.ts), { timeout: 10_000 }).toBe(true);

    await deleteRoot(t, root!.channel, root!.ts);
    await t.runtime.core.deliverer.refreshRoot(finding.id);
    const [fresh] = t.slack.state.messages('#security-incidents');
    expect(fresh!.ts).not.toBe(root!.ts);
    await expect.poll(() => asked(fresh!.ts), { timeout: 10_000 }).toBe(true);
    expect(await t.runtime.core.store.getInvestigation(investigationIdFor(finding.id))).toMatchObject({
      state: 'asked',
      threadTs: fresh!.ts,
      channel: fresh!.channel,
    });
  });
});
