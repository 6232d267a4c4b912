import { afterEach, describe, expect, it } from 'vitest';
import { asffControlFinding, importedEvent } from '../support/generate.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';
import { messageTexts } from '../support/slack-text.ts';

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const HOSTILE = '<!channel> <!here> @everyone *bold* _it_ `code` & <https://evil.example|click here> <@U0ADMIN>';

describe('hostile input through /ingest', () => {
  it('escapes and truncates attacker-controlled strings, and loses nothing else in the batch', async () => {
    t = await startTestRuntime();
    const hostile = asffControlFinding({ index: 1, control: 0 });
    hostile.Title = `${HOSTILE} ${'A'.repeat(100_000)}`;
    hostile.Description = `${HOSTILE}\n${'€😀'.repeat(50_000)}`;
    (hostile.Resources as Array<Record<string, unknown>>)[0]!.Id = `arn:aws:s3:::${HOSTILE}`;
    (hostile.Resources as Array<Record<string, unknown>>)[0]!.Tags = { [HOSTILE]: HOSTILE };
    const wrongType = { ...asffControlFinding({ index: 2, control: 0 }), AwsAccountId: 123 };
    const fine = asffControlFinding({ index: 3, control: 0 });
    const { status, json } = await t.ingest(importedEvent([hostile, wrongType, fine]));
    expect(status).toBe(200);
    expect(json.accepted).toBe(2);
    expect(json.rejected).toEqual([
      { path: 'detail.findings[1]', error: expect.stringContaining('detail.findings[1].AwsAccountId') },
    ]);
    expect(json.results.map((r: { outcome: string }) => r.outcome)).toEqual(['posted', 'posted']);

    const messages = t.slack.state.allMessages();
    expect(messages).toHaveLength(2);
    for (const m of messages) {
      for (const text of messageTexts(m)) {
        expect(text).not.toMatch(/<!channel>|<!here>|<@U0ADMIN>|<https:\/\/evil/);
        expect(text).not.toMatch(/(^|[^\u2060])@everyone/);
      }
    }
    expect(t.slack.state.stats().invalidBlocks).toBe(0);
    const dead = await t.runtime.core.store.listDeadLetters();
    expect(dead.map((d) => d.path)).toEqual(['detail.findings[1]']);
  });

  it('answers invalid JSON with 400 and a clear error, and keeps it as a dead letter', async () => {
    t = await startTestRuntime();
    const { status, json } = await t.ingest('{"detail-type": "Security Hub Findings - Imported", "detail": ', { raw: true });
    expect(status).toBe(400);
    expect(json.rejected[0].error).toMatch(/^invalid JSON/);
    expect((await t.runtime.core.store.listDeadLetters())[0]?.error).toMatch(/^invalid JSON/);
    expect(t.slack.state.allMessages()).toHaveLength(0);
  });

  it('keeps unicode intact where it fits', async () => {
    t = await startTestRuntime();
    const f = asffControlFinding({ index: 4, control: 0 });
    f.Title = 'Bucket «données-clients» exposé 🚨';
    await t.ingest(importedEvent([f]));
    const [m] = t.slack.state.allMessages();
    expect(messageTexts(m!).join('\n')).toContain('Bucket «données-clients» exposé 🚨');
  });
});

describe('dead letters', () => {
  it('can be replayed once the cause is fixed, and are removed when delivered', async () => {
    t = await startTestRuntime();
    const broken = { ...asffControlFinding({ index: 9, control: 0 }), AwsAccountId: 111122223333 };
    await t.ingest(importedEvent([broken, asffControlFinding({ index: 10, control: 0 })]));
    const [letter] = await t.runtime.core.store.listDeadLetters();
    expect(letter?.path).toBe('detail.findings[0]');

    // Replaying as-is fails again and keeps the letter.
    const again = await fetch(`${t.runtime.url}/dead-letters/${letter!.id}/replay`, { method: 'POST' });
    expect(again.status).toBe(422);
    expect(await t.runtime.core.store.getDeadLetter(letter!.id)).not.toBeNull();

    // An operator fixes the payload in the store (here: directly), then replays it.
    const fixed = { ...JSON.parse(letter!.payload), AwsAccountId: '111122223333' };
    await t.runtime.core.store.deleteDeadLetter(letter!.id);
    await t.runtime.core.store.addDeadLetter({ ...letter!, payload: JSON.stringify(fixed) });
    const [stored] = await t.runtime.core.store.listDeadLetters();
    const replayed = await fetch(`${t.runtime.url}/dead-letters/${stored!.id}/replay`, { method: 'POST' });
    expect(replayed.status).toBe(200);
    expect(((await replayed.json()) as { removed: boolean }).removed).toBe(true);
    expect(t.slack.state.allMessages()).toHaveLength(2);
  });
});
