import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/emulator/slack/people/sign.ts';
import { SlackRequestGuard } from '../../src/slack/request-guard.ts';
import { MemoryStore } from '../../src/store/memory.ts';

const SECRET = 'guard-test-secret';
const NOW = Date.parse('2026-11-21T10:00:00Z');

function guardWithLog() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write: (chunk, _e, done) => {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const guard = new SlackRequestGuard({ signingSecret: SECRET, store: new MemoryStore(), logger, clock: () => NOW });
  return { guard, lines };
}

const headersOf = (h: Record<string, string>) => (name: string) => h[name];
const signed = (body: string, timestamp = Math.floor(NOW / 1000)) =>
  headersOf({ 'content-type': 'application/json', ...signSlackRequest({ signingSecret: SECRET, body, timestamp }) });

describe('SlackRequestGuard', () => {
  it('passes a fresh signed request once; the replay is acknowledged, not passed', async () => {
    const { guard } = guardWithLog();
    const body = '{"type":"event_callback","event_id":"Ev1"}';
    expect(await guard.check(Buffer.from(body), signed(body))).toEqual({ pass: true });
    expect(await guard.check(Buffer.from(body), signed(body))).toEqual({ pass: false, status: 200, reason: 'replayed signature' });
    // The same body signed at another second is another request.
    expect(await guard.check(Buffer.from(body), signed(body, Math.floor(NOW / 1000) - 1))).toEqual({ pass: true });
  });

  it('refuses the future and the past beyond five minutes, each with its reason logged and nothing of the body', async () => {
    const { guard, lines } = guardWithLog();
    const body = '{"secret-looking":"do-not-log-me"}';
    const at = (s: number) => guard.check(Buffer.from(body), signed(body, Math.floor(NOW / 1000) + s));
    expect(await at(301)).toEqual({ pass: false, status: 401, reason: 'timestamp 301 s in the future' });
    expect(await at(-301)).toEqual({ pass: false, status: 401, reason: 'timestamp 301 s in the past' });
    expect(await at(300)).toEqual({ pass: true });
    expect(lines).toHaveLength(2);
    expect(lines.join('')).toContain('timestamp 301 s in the future');
    expect(lines.join('')).not.toContain('do-not-log-me');
  });

  it('refuses a mismatched signature, malformed headers and a body that is not the one signed', async () => {
    const { guard } = guardWithLog();
    const body = '{"a":1}';
    expect(await guard.check(Buffer.from('{"a":2}'), signed(body))).toMatchObject({ status: 401, reason: 'signature mismatch' });
    expect(await guard.check(Buffer.from(body), headersOf({ 'x-slack-signature': 'v0=zz', 'x-slack-request-timestamp': '1' }))).toMatchObject({
      status: 401,
      reason: 'missing or malformed signature headers',
    });
    const h = signed(body);
    expect(await guard.check(Buffer.from(body), (n) => (n === 'x-slack-request-timestamp' ? `${h(n)}.5` : h(n)))).toMatchObject({ status: 401 });
  });

  it("lets Slack's unsigned ssl_check probe through to Bolt, which answers it without dispatching", async () => {
    const { guard } = guardWithLog();
    expect(await guard.check(Buffer.from('ssl_check=1&token=x'), headersOf({ 'content-type': 'application/x-www-form-urlencoded' }))).toEqual({ pass: true });
    expect(await guard.check(Buffer.from('ssl_check=1'), headersOf({ 'content-type': 'application/json' }))).toMatchObject({ status: 401 });
  });
});
