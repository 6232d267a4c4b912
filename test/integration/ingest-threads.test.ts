import { afterEach, describe, expect, it } from 'vitest';
import { asffControlFinding, importedEvent } from '../support/generate.ts';
import { sharedJson, snsHttpBody, snsLambdaEvent } from '../support/fixtures.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { findingIdsIn, messageTexts } from '../support/slack-text.ts';

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const CHANNEL = '#security-findings';

describe('POST /ingest → Slack threads', () => {
  it('gives each finding one root message in its routed channel', async () => {
    t = await startTestRuntime();
    const event = sharedJson('securityhub/asr-eventbridge-envelopes', 'source__playbooks__AFSBP__test__test_data__AFSBP-iam.6.json');
    const { status, json } = await t.ingest(event);
    expect(status).toBe(200);
    expect(json.accepted).toBe(2);
    const outcomes = json.results.map((r: { outcome: string }) => r.outcome).sort();
    expect(outcomes).toEqual(['posted', 'posted']);
    const all = t.slack.state.allMessages();
    expect(all).toHaveLength(2);
    // The CRITICAL one went to the incident channel by the default rules, the MEDIUM one to the default channel.
    expect(t.slack.state.messages('#security-incidents')).toHaveLength(1);
    expect(t.slack.state.messages(CHANNEL)).toHaveLength(1);
  });

  it('posts one thread per finding when every event is delivered three times, even concurrently', async () => {
    t = await startTestRuntime();
    const events = [0, 1, 2].map((i) =>
      importedEvent([asffControlFinding({ index: i * 2, control: 0 }), asffControlFinding({ index: i * 2 + 1, control: 0 })]),
    );
    for (const e of events) await t.ingest(e);
    await Promise.all(events.flatMap((e) => [t!.ingest(e), t!.ingest(snsLambdaEvent(e))]));
    await t.runtime.idle();
    const roots = t.slack.state.messages(CHANNEL);
    expect(roots).toHaveLength(6);
    expect(new Set(roots.flatMap(findingIdsIn)).size).toBe(6);
  });

  it('edits the root and replies in its thread when a finding changes; ignores a stale version', async () => {
    t = await startTestRuntime();
    const v1 = asffControlFinding({ index: 7, control: 0, updatedAt: '2026-11-22T09:00:00.000Z' });
    await t.ingest(importedEvent([v1]));
    const [root] = t.slack.state.messages(CHANNEL);
    expect(root).toBeDefined();

    const v2 = {
      ...v1,
      UpdatedAt: '2026-11-22T10:00:00.000Z',
      Severity: { Label: 'HIGH', Normalized: 70 },
      Workflow: { Status: 'NOTIFIED' },
    };
    const res = await t.ingest(snsHttpBody(importedEvent([v2])));
    expect(res.json.results[0].outcome).toBe('updated');
    const thread = t.slack.state.thread(root!.channel, root!.ts);
    expect(thread).toHaveLength(2);
    const edited = thread[0]!;
    expect(edited.edited).toBeDefined();
    expect(messageTexts(edited).join('\n')).toContain('*HIGH*');
    const reply = messageTexts(thread[1]!).join('\n');
    expect(reply).toContain('Severity*: MEDIUM → *HIGH*');
    expect(reply).toContain('Workflow status*: NEW → *NOTIFIED*');

    const stale = await t.ingest(importedEvent([{ ...v1, Title: 'older copy' }]));
    expect(stale.json.results[0].outcome).toBe('stale');
    expect(t.slack.state.thread(root!.channel, root!.ts)).toHaveLength(2);
    expect(t.slack.state.messages(CHANNEL)).toHaveLength(1);
  });
});
