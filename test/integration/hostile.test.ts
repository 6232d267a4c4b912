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

/** Trojan Source reversal and isolates, NUL, ESC colour codes, a zero-width space splitting @channel. */
const SPOOF = 'invoice\u202Efdp.exe \u2066// ok\u2069 bucket\u0000 \u001b[31mRED\u001b[0m @chan\u200Bnel\uFEFF @\u2060here';
/** The characters none of which may reach Slack (sirbot's own word joiner in `@\u2060here` aside). */
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/;
/** Fields Slack never shows: they carry exact ids back to sirbot. */
const MACHINE_FIELDS = new Set(['value', 'private_metadata', 'action_id', 'block_id', 'callback_id']);

/** Every shown string of what the bot sent, with its own defused mentions taken out. */
function shown(value: unknown): string[] {
  if (typeof value === 'string') return [value.replace(/@\u2060(?=here|channel|everyone)/gi, '@')];
  if (Array.isArray(value)) return value.flatMap(shown);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => (MACHINE_FIELDS.has(k) ? [] : shown(v)));
  return [];
}

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
    expect(json.rejected).toEqual([{ path: 'detail.findings[1]', error: expect.stringContaining('detail.findings[1].AwsAccountId') }]);
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

describe('invisible characters through /ingest and actions', () => {
  it('reach Slack in no message, thread reply or private answer, and are shown where they were', async () => {
    t = await startTestRuntime({ scenario: 'src/scenarios/exposed-access-key', env: { SIRBOT_RESPONDERS: 'U0ALICE' } });
    const f = asffControlFinding({ index: 5, control: 0 });
    f.Id = `${f.Id as string}/${SPOOF}`;
    f.Title = `Bucket ${SPOOF}`;
    f.Description = `${SPOOF}\n${SPOOF}`;
    f.Types = [SPOOF];
    (f.Resources as Array<Record<string, unknown>>)[0]!.Id = `arn:aws:s3:::${SPOOF}`;
    (f.Resources as Array<Record<string, unknown>>)[0]!.Tags = { [SPOOF]: SPOOF };
    const { json } = await t.ingest(importedEvent([f]));
    expect(json.results.map((r: { outcome: string }) => r.outcome)).toEqual(['posted']);
    const [root] = t.slack.state.allMessages();
    expect(root!.blocks?.[0]).toMatchObject({
      type: 'header',
      text: { text: expect.stringContaining('invoice[U+202E]fdp.exe [U+2066]// ok[U+2069] bucket[U+0000] [U+001B][31mRED') },
    });

    // Alice sets a status with a spoofing note: Security Hub does not know the finding, so the
    // thread shows the failure (with the note and the id) and Alice is told privately (tellPrivately).
    const alice = t.user('U0ALICE', 'alice');
    await alice.click(root!, 'finding_set_status');
    await alice.waitForModal('status_modal');
    await alice.submit({ status: { option: 'RESOLVED' }, note: SPOOF });
    await expect.poll(() => t!.slack.state.thread(root!.channel, root!.ts).length, { timeout: 10_000 }).toBe(2);
    await expect.poll(() => t!.slack.state.ephemerals({ user: 'U0ALICE' }).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const reply = t.slack.state.thread(root!.channel, root!.ts)[1]!;
    expect(messageTexts(reply).join('\n')).toContain('@chan[U+200B]nel[U+FEFF] @[U+2060]here');

    const sent = [...t.slack.state.allMessages(), ...t.slack.state.ephemerals(), ...Object.values(t.slack.state.views().modals).flat()];
    expect(shown(sent).filter((s) => INVISIBLE.test(s))).toEqual([]);
    expect(t.slack.state.stats().invalidBlocks).toBe(0);
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
    const admin = { authorization: `Bearer ${t.runtime.admin.token}` };
    const again = await fetch(`${t.runtime.url}/dead-letters/${letter!.id}/replay`, { method: 'POST', headers: admin });
    expect(again.status).toBe(422);
    expect(await t.runtime.core.store.getDeadLetter(letter!.id)).not.toBeNull();

    // An operator fixes the payload in the store (here: directly), then replays it.
    const fixed = { ...JSON.parse(letter!.payload), AwsAccountId: '111122223333' };
    await t.runtime.core.store.deleteDeadLetter(letter!.id);
    await t.runtime.core.store.addDeadLetter({ ...letter!, payload: JSON.stringify(fixed) });
    const [stored] = await t.runtime.core.store.listDeadLetters();
    const replayed = await fetch(`${t.runtime.url}/dead-letters/${stored!.id}/replay`, { method: 'POST', headers: admin });
    expect(replayed.status).toBe(200);
    expect(((await replayed.json()) as { removed: boolean }).removed).toBe(true);
    expect(t.slack.state.allMessages()).toHaveLength(2);
  });
});
