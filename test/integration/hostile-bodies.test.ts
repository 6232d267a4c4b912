import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { killAllBotProcesses, startBotProcess } from '../support/bot-process.ts';
import { startFakeSlack } from '../support/fake-slack.ts';
import { sharedJson } from '../support/fixtures.ts';
import { findingIdsIn } from '../support/slack-text.ts';

afterEach(killAllBotProcesses);

const TOKEN = 'xoxb-hostile-test';

/** A real Security Hub finding (AWS's own test data for EC2.2), under ids of our own. */
const SAMPLE = sharedJson<{ detail: { findings: Array<Record<string, unknown>> } }>(
  'securityhub/asr-eventbridge-envelopes',
  'source__playbooks__AFSBP__test__test_data__afsbp_ec22.json',
).detail.findings[0] as Record<string, unknown>;
const good = (n: number, over: Record<string, unknown> = {}) => ({ ...structuredClone(SAMPLE), Id: `${SAMPLE.Id}-hostile-${n}`, ...over });

/** `{"a":{"a":…}}` this many levels deep, as text (JSON.stringify itself would overflow). */
const nestedObjectText = (depth: number) => `${'{"a":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;

/** `[[[…]]]` this many levels deep, as text. */
const nestedArrayText = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('hostile bodies against the running process', () => {
  it('deep, wide and huge bodies: the process stays up, the good findings beside them are posted, dead letters stay bounded', async () => {
    const slack = await startFakeSlack({ token: TOKEN });
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-hostile-'));
    const db = path.join(dir, 'sirbot.db');
    try {
      const bot = await startBotProcess({ SIRBOT_DB: db, SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: 'hostile-secret', SLACK_API_URL: slack.emulator.url });
      const post = async (body: string) => {
        const res = await fetch(`${bot.url}/ingest?wait=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        return {
          status: res.status,
          json: (await res.json()) as { accepted: number; rejectedCount: number; results?: Array<{ findingId: string; outcome: string }> },
        };
      };
      const sizeBefore = statSync(db).size;

      // A field nested 5,000 levels deep beside a good finding: JSON.stringify of it used to throw in delivery.
      const deepField = await post(JSON.stringify([good(1), good(2, { Extra: 'DEEP' })]).replace('"DEEP"', nestedObjectText(5000)));
      expect(deepField.status).toBe(200);
      expect(deepField.json.results?.map((r) => r.outcome)).toEqual(['posted', 'posted']);

      // An item that is an array 100,000 levels deep.
      const deepArray = await post(`[${JSON.stringify(good(3))},${nestedArrayText(100_000)}]`);
      expect(deepArray.json).toMatchObject({ accepted: 1, rejectedCount: 1 });

      // 100,000 non-objects beside one good finding: one dead letter, not 100,000.
      const wide = await post(`[${JSON.stringify(good(4))}${',1'.repeat(100_000)}]`);
      expect(wide.json).toMatchObject({ accepted: 1, rejectedCount: 100_000 });

      // A 10 MB title.
      const huge = await post(JSON.stringify(good(5, { Title: 'T'.repeat(10 * 1024 * 1024) })));
      expect(huge.json.results?.[0]?.outcome).toBe('posted');

      // Still up, nothing unhandled.
      const health = (await (await fetch(`${bot.url}/healthz`)).json()) as { ok: boolean; unhandledRejections: number };
      expect(health).toMatchObject({ ok: true, unhandledRejections: 0 });
      const shown = slack.emulator.state.allMessages().flatMap(findingIdsIn);
      expect(shown.sort()).toEqual([1, 2, 3, 4, 5].map((n) => `${SAMPLE.Id}-hostile-${n}`).sort());
      // The huge title reached Slack cut to the header's limit.
      expect(Math.max(...slack.emulator.state.allMessages().map((m) => JSON.stringify(m.blocks ?? []).length))).toBeLessThan(20_000);

      await bot.kill('SIGTERM');
      const store = new SqliteStore(db);
      const letters = await store.listDeadLetters(1000);
      await store.close();
      expect(letters.map((l) => l.count).sort((a, b) => a - b)).toEqual([1, 100_000]);
      expect(Math.max(...letters.map((l) => l.payload.length))).toBeLessThanOrEqual(256 * 1024 + 20);
      // The 10 MB finding did not land in the store whole.
      expect(statSync(db).size - sizeBefore).toBeLessThan(5 * 1024 * 1024);
    } finally {
      await killAllBotProcesses();
      await slack.emulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
