import { RulesFileError } from '../../config/rules-file.ts';
import * as audit from './commands/audit.ts';
import * as investigate from './commands/investigate.ts';
import * as normalize from './commands/normalize.ts';
import * as route from './commands/route.ts';
import * as rules from './commands/rules.ts';
import { type CliIo, UsageError, processIo } from './io.ts';

const COMMANDS: Record<string, { run: (args: string[], io: CliIo) => number | Promise<number>; usage: string }> = {
  normalize,
  route,
  rules,
  investigate,
  audit,
};

function usage(): string {
  return ['usage:', ...Object.values(COMMANDS).map((c) => `  ${c.usage.replace(/\n/g, '\n  ')}`)].join('\n');
}

/** JSON on stdout, diagnostics on stderr, non-zero exit on failure. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help') {
    io.stdout(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`error: unknown command ${JSON.stringify(name)}\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`error: ${err.message}\n${usage()}`);
      return 2;
    }
    if (err instanceof RulesFileError) {
      io.stderr(`error: ${err.message}`);
      return 1;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'EACCES') {
      io.stderr(`error: cannot read ${e.path ?? 'input'}: ${e.code}`);
      return 1;
    }
    throw err;
  }
}
