import { afterEach, describe, expect, it } from 'vitest';
import { killAllBotProcesses } from '../support/bot-process.ts';
import { runCrashStorm } from '../support/crash-storm.ts';

afterEach(killAllBotProcesses);

const repeats = (list: string[]) => list.filter((x, i) => list.indexOf(x) !== i);

describe('crash recovery', () => {
  it('SIGKILL in the middle of a 300-finding storm, a restart on the same database, every event redelivered: every finding in Slack exactly once', async () => {
    const run = await runCrashStorm({ findings: 300, killAfterMessages: 6 });
    expect(run.pids).toHaveLength(2);
    expect(run.pids[0]).not.toBe(run.pids[1]);
    // The kill came after Slack made a post whose answer the first process never read.
    expect(run.messagesAtKill).toBeGreaterThanOrEqual(6);
    expect(run.messagesAtKill).toBeLessThan(run.messages);
    // The post Slack made but the first process never heard back about was found, not posted again.
    expect(run.foundAfterLoss).toBeGreaterThanOrEqual(1);
    expect(new Set(run.shownIds)).toEqual(new Set(run.findingIds));
    expect(repeats(run.shownIds)).toEqual([]);
    // One root per finding or digest, one reply per listing: no key was posted twice.
    expect(repeats(run.postKeys)).toEqual([]);
    expect(run.postKeys).not.toContain('(no key)');
    expect(run.deadLetters).toEqual([]);
  }, 180_000);
});
