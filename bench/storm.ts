import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from '../src/config/env.ts';
import { startSlackEmulator } from '../src/emulator/slack/index.ts';
import { startLocalRuntime } from '../src/runtime/local/server.ts';
import { silentLogger } from '../src/runtime/logger.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import { account, asffControlFinding, importedEvent } from '../test/support/generate.ts';

export interface StormResult {
  findings: number;
  messages: number;
  postsInBusiestChannel: number;
  drainMs: number;
  floorMs: number;
  /** drain time ÷ the floor Slack's per-channel limit allows for the posts made. Target ≤ 1.2. */
  ratioToFloor: number;
  rateLimited: number;
  failed: number;
  peakRssMB: number;
  /** RSS with the runtime and emulator started, before the burst. */
  baselineRssMB: number;
}

/**
 * A 2,000-finding burst (one control failing in 50 accounts) through the real runtime
 * into the Slack emulator enforcing the per-channel limit. The floor is what the limit
 * allows for the messages the channel needed: (posts − 1) ÷ rate.
 */
export async function benchStorm(count = 2000, postsPerSecond = 10): Promise<StormResult> {
  const slack = await startSlackEmulator({
    port: 0,
    token: 'xoxb-bench',
    limits: {
      'chat.postMessage': { limit: postsPerSecond, windowMs: 1000, scope: 'channel' },
      'chat.update': { limit: 50, windowMs: 60_000, scope: 'workspace' },
    },
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-bench-'));
  const env = parseEnv({ PORT: '0', SIRBOT_DB: path.join(dir, 'bench.db'), LOG_LEVEL: 'silent' });
  const runtime = await startLocalRuntime({
    env,
    logger: silentLogger(),
    slack: { token: 'xoxb-bench', signingSecret: 'bench-secret', apiUrl: slack.url },
    store: new SqliteStore(env.SIRBOT_DB),
    posterLimits: { postPerChannel: { intervalCap: postsPerSecond, intervalMs: 1000 }, update: { intervalCap: 50, intervalMs: 60_000 } },
    digestDebounceMs: 200,
  });
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  try {
    const findings = Array.from({ length: count }, (_, i) => asffControlFinding({ index: i, control: 0, account: account(i % 50) }));
    const bodies: string[] = [];
    for (let i = 0; i < findings.length; i += 100) bodies.push(JSON.stringify(importedEvent(findings.slice(i, i + 100))));
    const start = performance.now();
    await Promise.all(bodies.map((body) => fetch(`${runtime.url}/ingest`, { method: 'POST', body }).then((r) => r.text())));
    await runtime.idle();
    const drainMs = performance.now() - start;
    const stats = slack.state.stats();
    const messages = slack.state.allMessages().length;
    const posts = slack.state.calls().filter((c) => c.method === 'chat.postMessage' && c.ok).length;
    const floorMs = ((posts - 1) / postsPerSecond) * 1000;
    const poster = runtime.core.poster.stats();
    if (process.env.SIRBOT_BENCH_TRACE) {
      const t0 = slack.state.calls()[0]?.at ?? 0;
      for (const c of slack.state.calls()) console.error(c.at - t0, c.method, c.status, c.channel ?? '');
    }
    return {
      findings: count,
      messages,
      postsInBusiestChannel: posts,
      drainMs: Math.round(drainMs),
      floorMs: Math.round(floorMs),
      ratioToFloor: Math.round((drainMs / floorMs) * 100) / 100,
      rateLimited: stats.rateLimited,
      failed: poster.failed,
      peakRssMB: Math.round(peakRss / 1e6),
      baselineRssMB: Math.round(baselineRss / 1e6),
    };
  } finally {
    clearInterval(sampler);
    await runtime.close();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  process.stdout.write(`${JSON.stringify(await benchStorm())}\n`);
}
