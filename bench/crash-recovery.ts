import { runCrashStorm } from '../test/support/crash-storm.ts';

export interface CrashRecoveryResult {
  findings: number;
  /** The same storm delivered by one process, never killed (the reference). */
  uninterruptedMs: number;
  /** After SIGKILL mid-storm: from the second process's start until every finding is in Slack. */
  restartToDeliveredMs: number;
  messages: number;
  messagesAtKill: number;
  foundAfterLoss: number;
  /** Keys posted twice, findings shown twice (both must be 0). */
  repeatedPosts: number;
  repeatedFindings: number;
  restartRatio: number;
}

const repeats = (list: string[]) => list.length - new Set(list).size;

/**
 * The 300-finding kill test as a measurement: `npm start` (real-workspace mode against the
 * Slack emulator, which enforces 1 post per second per channel and answers each post 300 ms
 * late) delivering a storm, killed with SIGKILL after 6 posts, restarted on the same
 * database with every event redelivered; against the same storm delivered without a kill.
 */
export async function benchCrashRecovery(findings = 300): Promise<CrashRecoveryResult> {
  const reference = await runCrashStorm({ findings, killAfterMessages: null });
  const crash = await runCrashStorm({ findings, killAfterMessages: 6 });
  return {
    findings,
    uninterruptedMs: reference.restartToDeliveredMs,
    restartToDeliveredMs: crash.restartToDeliveredMs,
    messages: crash.messages,
    messagesAtKill: crash.messagesAtKill,
    foundAfterLoss: crash.foundAfterLoss,
    repeatedPosts: repeats(crash.postKeys),
    repeatedFindings: repeats(crash.shownIds),
    restartRatio: Math.round((crash.restartToDeliveredMs / reference.restartToDeliveredMs) * 100) / 100,
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  process.stdout.write(`${JSON.stringify(await benchCrashRecovery())}\n`);
}
