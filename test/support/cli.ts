import { readFileSync } from 'node:fs';
import { main } from '../../src/runtime/cli/main.ts';
import type { CliIo } from '../../src/runtime/cli/io.ts';

export interface CliRun {
  code: number;
  stdout: string[];
  stderr: string[];
}

/** Runs the CLI in-process; `files` stand in for paths (and '-' for stdin), anything else is read from disk. */
export async function runCli(argv: string[], files: Record<string, string> = {}): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = {
    stdout: (l) => stdout.push(l),
    stderr: (l) => stderr.push(l),
    readInput: (p) => files[p] ?? readFileSync(p, 'utf8'),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
