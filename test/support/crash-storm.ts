import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/store/sqlite.ts';
import type { DeadLetter } from '../../src/ports/store.ts';
import { type BotProcess, killAllBotProcesses, startBotProcess } from './bot-process.ts';
import { startFakeSlack } from './fake-slack.ts';
import { account, asffControlFinding, importedEvent } from './generate.ts';
import { findingIdsIn } from './slack-text.ts';

const TOKEN = 'xoxb-crash-test';
const SECRET = 'crash-test-signing-secret';

export interface CrashStormResult {
  findingIds: string[];
  /** Every finding id Slack shows (roots and digest listings), repeats included. */
  shownIds: string[];
  /** The exactly-once keys of every message sirbot posted, repeats included. */
  postKeys: string[];
  /** Messages in Slack when the first process was killed. */
  messagesAtKill: number;
  /** Messages sirbot posted in all. */
  messages: number;
  /** From the second process's start (without a kill: from the first POST) until every finding was in Slack. */
  restartToDeliveredMs: number;
  deadLetters: DeadLetter[];
  /** The two processes' PIDs. */
  pids: number[];
  /** Posts the second process found already in Slack instead of sending them again. */
  foundAfterLoss: number;
}

/**
 * The crash the issue describes, for real: the local runtime (`npm start` in real-workspace
 * mode) in a child process, a storm of findings POSTed to it, the Slack Web API answering
 * every post late (the post is made at once, its answer comes `answerDelayMs` later), the
 * process killed with SIGKILL right after Slack made a post whose answer it never read,
 * then a second process on the same SQLite file and every event delivered again, as
 * EventBridge and SNS retries do.
 */
export async function runCrashStorm(
  o: { findings?: number; killAfterMessages?: number | null; answerDelayMs?: number; timeoutMs?: number } = {},
): Promise<CrashStormResult> {
  const count = o.findings ?? 300;
  const slack = await startFakeSlack({ token: TOKEN });
  slack.emulator.faults.add({ method: 'chat.postMessage', fault: { kind: 'delay', ms: o.answerDelayMs ?? 300, applied: true } });
  const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-crash-'));
  const env = {
    SIRBOT_DB: path.join(dir, 'sirbot.db'),
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.emulator.url,
    SIRBOT_RESUME_SECONDS: '2',
  };
  const pids: number[] = [];
  try {
    const findings = Array.from({ length: count }, (_, i) => asffControlFinding({ index: i, account: account(i % 50) }));
    const bodies: string[] = [];
    for (let i = 0; i < findings.length; i += 100) bodies.push(JSON.stringify(importedEvent(findings.slice(i, i + 100))));
    const send = (bot: BotProcess) =>
      Promise.all(
        bodies.map(async (body) => {
          const res = await fetch(`${bot.url}/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
        }),
      );
    const posted = () => slack.emulator.state.allMessages().length;

    const first = await startBotProcess(env);
    pids.push(first.pid);
    const sentAt = performance.now();
    await send(first);
    // Without a kill (the reference run), the same process delivers everything.
    let second = first;
    let messagesAtKill = 0;
    let restartedAt = sentAt;
    if (o.killAfterMessages !== null) {
      // Killed right after Slack made a post: its answer is still on the way, the store never hears of it.
      const killAt = o.killAfterMessages ?? 6;
      while (posted() < killAt) await new Promise((r) => setTimeout(r, 2));
      await first.kill('SIGKILL');
      messagesAtKill = posted();
      restartedAt = performance.now();
      second = await startBotProcess(env);
      pids.push(second.pid);
      await send(second);
    }
    const shown = () => slack.emulator.state.allMessages().flatMap(findingIdsIn);
    const deadline = Date.now() + (o.timeoutMs ?? 120_000);
    while (new Set(shown()).size < count) {
      if (Date.now() > deadline)
        throw new Error(`only ${new Set(shown()).size} of ${count} findings reached Slack; the bot said: ${second.stderr().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const restartToDeliveredMs = Math.round(performance.now() - restartedAt);
    // Let anything still queued land before counting repeats.
    await new Promise((r) => setTimeout(r, 1500));
    const health = (await (await fetch(`${second.url}/healthz`)).json()) as { poster: { foundAfterLoss: number } };
    await second.kill('SIGTERM');
    const store = new SqliteStore(env.SIRBOT_DB);
    const deadLetters = await store.listDeadLetters(1000);
    await store.close();
    const messages = slack.emulator.state.allMessages();
    return {
      findingIds: findings.map((f) => f.Id as string),
      shownIds: shown(),
      postKeys: messages.map((m) => (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '(no key)'),
      messagesAtKill,
      messages: messages.length,
      restartToDeliveredMs,
      deadLetters,
      pids,
      foundAfterLoss: health.poster.foundAfterLoss,
    };
  } finally {
    await killAllBotProcesses();
    await slack.emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
