import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { emulatorStateFile, startLocalStack, type LocalStack } from '../../src/runtime/local/start.ts';

/**
 * `npm start` twice on the same database, as a newcomer does: the emulated Slack is kept
 * beside sirbot.db, so the second run shows the first run's channels and threads, and what
 * sirbot remembers still points at something.
 */
const FINDING = 'src/scenarios/exposed-access-key/finding.json';
const stacks: LocalStack[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of stacks.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(db: string): Promise<LocalStack> {
  const env = parseEnv({ PORT: '0', SIRBOT_EMULATOR_PORT: '0', SIRBOT_DB: db, SIRBOT_SCENARIO: 'exposed-access-key', LOG_LEVEL: 'silent' });
  const stack = await startLocalStack(env, silentLogger());
  stacks.push(stack);
  return stack;
}

async function send(stack: LocalStack, body: string): Promise<{ outcome: string; channel: string }> {
  const res = await fetch(`${stack.runtime.url}/ingest?wait=true`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  const json = (await res.json()) as { results: Array<{ outcome: string; channel: string }> };
  return json.results[0] as { outcome: string; channel: string };
}

const incidents = (stack: LocalStack) => stack.emulator!.state.messages('security-incidents');

describe('npm start again on the same database', () => {
  it('finds the first run’s channel and thread: the same finding is a duplicate of a thread people can still see', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-restart-'));
    dirs.push(dir);
    const db = path.join(dir, 'sirbot.db');
    const body = readFileSync(FINDING, 'utf8');

    const first = await start(db);
    expect(first.slackState).toEqual({ file: emulatorStateFile(db), restored: null });
    expect(await send(first, body)).toMatchObject({ outcome: 'posted', channel: '#security-incidents' });
    const [root] = incidents(first);
    await first.runtime.idle();
    const repliesBefore = first.emulator!.state.thread(root!.channel, root!.ts).length;
    await stacks.pop()!.close();
    expect(existsSync(emulatorStateFile(db))).toBe(true);

    const second = await start(db);
    expect(second.slackState?.restored?.channels).toBeGreaterThanOrEqual(2);
    expect(incidents(second).map((m) => m.ts)).toEqual([root!.ts]);
    expect(second.emulator!.state.thread(root!.channel, root!.ts)).toHaveLength(repliesBefore);
    expect(await send(second, body)).toMatchObject({ outcome: 'duplicate' });
    expect(incidents(second)).toHaveLength(1);
    expect(second.banner().join('\n')).not.toContain('NOTE');

    // A newer version edits the same root, in the restored thread.
    // (GuardDuty's native form: a later sighting raises the count and moves updatedAt.)
    const newer = JSON.parse(body) as { updatedAt: string; severity: number; service: { count: number } };
    newer.updatedAt = new Date(Date.parse(newer.updatedAt) + 3_600_000).toISOString();
    newer.service.count += 1;
    newer.severity = 8.5;
    expect(await send(second, JSON.stringify(newer))).toMatchObject({ outcome: 'updated' });
    expect(incidents(second).map((m) => m.ts)).toEqual([root!.ts]);
  });

  it('a workspace file that cannot be read is set aside; the banner says the database points at threads that are gone, and how to start clean', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-restart-'));
    dirs.push(dir);
    const db = path.join(dir, 'sirbot.db');
    const first = await start(db);
    await send(first, readFileSync(FINDING, 'utf8'));
    await stacks.pop()!.close();
    writeFileSync(emulatorStateFile(db), '{"version": 1, "channels": [');

    const second = await start(db);
    expect(second.slackState?.restored).toBeNull();
    expect(existsSync(emulatorStateFile(db))).toBe(false);
    expect(readFileSync(path.join(dir, (await import('node:fs')).readdirSync(dir).find((f) => f.includes('.unreadable-')) as string), 'utf8')).toContain(
      '"channels": [',
    );
    const banner = second.banner().join('\n');
    expect(banner).toContain(`${db} was kept but the emulated Slack it posted to was not`);
    expect(banner).toContain(`delete ${db} and ${emulatorStateFile(db)}`);
    expect(incidents(second)).toHaveLength(0);
  });
});
