import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sinceOf } from '../../src/runtime/cli/commands/audit.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { runCli } from '../support/cli.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('sirbot audit export', () => {
  it('prints the audit log as JSON lines, oldest first, from --since', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-audit-'));
    dirs.push(dir);
    const db = path.join(dir, 'sirbot.db');
    const store = new SqliteStore(db);
    const base = { actor: 'U0RESP', action: 'status', target: 'f1', inputs: { status: 'RESOLVED' }, result: null, permalink: null };
    await store.actions.appendAudit({ ...base, at: '2026-11-01T00:00:00.000Z', outcome: 'refused' });
    await store.actions.appendAudit({ ...base, at: '2026-11-20T00:00:00.000Z', outcome: 'requested' });
    await store.actions.appendAudit({ ...base, at: '2026-11-20T00:00:01.000Z', outcome: 'executed', result: { ok: true } });
    await store.close();

    const all = await runCli(['audit', 'export', '--db', db]);
    expect(all.code).toBe(0);
    expect(all.stdout.map((l) => (JSON.parse(l) as { outcome: string }).outcome)).toEqual(['refused', 'requested', 'executed']);
    const recent = await runCli(['audit', 'export', '--db', db, '--since', '2026-11-10T00:00:00Z']);
    expect(recent.stdout.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      { ...base, at: '2026-11-20T00:00:00.000Z', outcome: 'requested' },
      { ...base, at: '2026-11-20T00:00:01.000Z', outcome: 'executed', result: { ok: true } },
    ]);
  });

  it('names what is wrong: a missing database, a bad --since, a missing subcommand', async () => {
    expect(await runCli(['audit', 'export', '--db', '/nonexistent/sirbot.db'])).toMatchObject({
      code: 1,
      stderr: ['error: no sirbot database at /nonexistent/sirbot.db (pass --db or set SIRBOT_DB)'],
    });
    const bad = await runCli(['audit', 'export', '--since', 'yesterday', '--db', '/nonexistent']);
    expect(bad.code).toBe(1);
    expect((await runCli(['audit'])).stderr[0]).toMatch(/^error: audit needs a subcommand: export\n/);
    expect(() => sinceOf('yesterday', 0)).toThrow('--since "yesterday" is neither a date-time nor a duration like 7d');
    expect(sinceOf('7d', Date.parse('2026-11-22T00:00:00Z'))).toBe('2026-11-15T00:00:00.000Z');
  });
});
