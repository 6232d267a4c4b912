import { readFileSync } from 'node:fs';

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  readInput: (path: string) => string;
}

export const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  readInput: (path) => readFileSync(path === '-' ? 0 : path, 'utf8'),
};

export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** `--name value` and `--flag` options; everything else is positional. */
export function parseArgs(args: string[], valued: string[]): { positional: string[]; options: Record<string, string | true> } {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (inline !== undefined) options[name] = inline;
      else if (valued.includes(name)) {
        const v = args[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        options[name] = v;
      } else options[name] = true;
    } else positional.push(a);
  }
  return { positional, options };
}
