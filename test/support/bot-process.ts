import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `npm start` as a child process, known by its PID, so a test can kill it mid-work. */
export interface BotProcess {
  pid: number;
  url: string;
  /** What the process wrote to stderr (its warnings and errors). */
  stderr(): string;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<string>;
  kill(signal: NodeJS.Signals): Promise<string>;
}

const running = new Map<number, ChildProcess>();

/**
 * Starts the local runtime (`src/runtime/local/main.ts`, as `npm start` does) with the
 * given environment on top of this process's, and resolves once it listens.
 */
export async function startBotProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/runtime/local/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the bot process did not start');
  running.set(pid, child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(pid);
      resolve(signal ?? String(code));
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the bot (pid ${pid}) did not start listening: ${err.slice(-2000)}`)), timeoutMs);
    const check = () => {
      const m = /sirbot is listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the bot (pid ${pid}) exited (${how}) before listening: ${err.slice(-2000)}`));
    });
  });
  return {
    pid,
    url,
    stderr: () => err,
    exited,
    async kill(signal) {
      if (running.has(pid)) process.kill(pid, signal);
      return exited;
    },
  };
}

/** Kills, by PID, every bot process a test started and left running. */
export async function killAllBotProcesses(): Promise<void> {
  const left = [...running.entries()];
  for (const [pid] of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await Promise.all(
    left.map(
      ([, child]) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve))),
    ),
  );
}
