import { existsSync } from 'node:fs';
import { SqliteStore } from '../../../store/sqlite.ts';
import { type CliIo, UsageError, parseArgs } from '../io.ts';

export const usage = 'sirbot audit export [--since 2026-11-01T00:00:00Z | 7d] [--db sirbot.db]    the audit log as JSON lines, oldest first';

/** `7d`, `12h`, `30m` back from now, or an ISO date-time, as an ISO string. */
export function sinceOf(value: string, now: number): string {
  const relative = /^(\d{1,5})([dhm])$/.exec(value);
  if (relative) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2] as 'd' | 'h' | 'm'];
    return new Date(now - Number(relative[1]) * unit).toISOString();
  }
  const t = Date.parse(value);
  if (!Number.isFinite(t)) throw new UsageError(`--since ${JSON.stringify(value)} is neither a date-time nor a duration like 7d`);
  return new Date(t).toISOString();
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { positional, options } = parseArgs(args, ['since', 'db']);
  if (positional[0] !== 'export') throw new UsageError('audit needs a subcommand: export');
  const db = typeof options.db === 'string' ? options.db : (process.env.SIRBOT_DB ?? 'sirbot.db');
  // Opening a missing path would create an empty database and print nothing: say so instead.
  if (!existsSync(db)) {
    io.stderr(`error: no sirbot database at ${db} (pass --db or set SIRBOT_DB)`);
    return 1;
  }
  const since = typeof options.since === 'string' ? sinceOf(options.since, Date.now()) : undefined;
  const store = new SqliteStore(db);
  try {
    for (const record of await store.actions.listAudit(since ? { since } : {})) io.stdout(JSON.stringify(record));
  } finally {
    await store.close();
  }
  return 0;
}
