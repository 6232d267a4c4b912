import { afterEach, describe, expect, it } from 'vitest';
import { asffControlFinding, importedEvent } from '../support/generate.ts';
import { startTestRuntime, type TestRuntime } from '../support/runtime.ts';

let t: TestRuntime | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const ADMIN = 'admin-token-0123456789abcdef';
const INGEST = 'ingest-token-0123456789';

/** A runtime with one dead letter (a finding whose account id is a number). */
async function withDeadLetter(env: Record<string, string>): Promise<{ id: number }> {
  t = await startTestRuntime({ env });
  const broken = { ...asffControlFinding({ index: 1, control: 0 }), AwsAccountId: 111122223333 };
  const res = await fetch(`${t.runtime.url}/ingest?wait=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(env.SIRBOT_INGEST_TOKEN ? { authorization: `Bearer ${env.SIRBOT_INGEST_TOKEN}` } : {}) },
    body: JSON.stringify(importedEvent([broken])),
  });
  expect(res.status).toBe(400);
  const [letter] = await t.runtime.core.store.listDeadLetters();
  return { id: letter!.id };
}

const list = (token?: string, query = '') =>
  fetch(`${t!.runtime.url}/dead-letters${query}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
const replay = (id: number, token?: string) =>
  fetch(`${t!.runtime.url}/dead-letters/${id}/replay`, { method: 'POST', ...(token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }) });

describe('operator endpoints need a credential', () => {
  it('SIRBOT_ADMIN_TOKEN: listing and replaying dead letters refuse no token, a wrong one and the ingest token', async () => {
    const { id } = await withDeadLetter({ SIRBOT_ADMIN_TOKEN: ADMIN, SIRBOT_INGEST_TOKEN: INGEST });
    for (const token of [undefined, '', 'wrong', INGEST, `${ADMIN}x`, ADMIN.slice(0, -1)]) {
      const res = await list(token);
      expect(res.status, `GET with ${token}`).toBe(401);
      expect(await res.text()).not.toContain('AwsAccountId');
      expect((await replay(id, token)).status, `replay with ${token}`).toBe(401);
    }
    // A refused replay did nothing: the letter is still there and nothing was posted.
    expect(await t!.runtime.core.store.getDeadLetter(id)).not.toBeNull();
    const ok = await list(ADMIN);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Array<{ id: number; path: string }>).map((d) => d.id)).toEqual([id]);
    expect((await replay(id, ADMIN)).status).toBe(422);
    expect(t!.runtime.admin.from).toBe('SIRBOT_ADMIN_TOKEN');
  });

  it('falls back to SIRBOT_INGEST_TOKEN when no admin token is set', async () => {
    await withDeadLetter({ SIRBOT_INGEST_TOKEN: INGEST });
    expect((await list()).status).toBe(401);
    expect((await list(INGEST)).status).toBe(200);
    expect(t!.runtime.admin).toEqual({ token: INGEST, from: 'SIRBOT_INGEST_TOKEN' });
  });

  it('with neither configured, a random token is made at start: nothing is open', async () => {
    const { id } = await withDeadLetter({});
    expect(t!.runtime.admin.from).toBe('generated');
    expect(t!.runtime.admin.token).toMatch(/^[\w-]{32}$/);
    expect((await list()).status).toBe(401);
    expect((await replay(id)).status).toBe(401);
    expect((await list(t!.runtime.admin.token)).status).toBe(200);
    // A malformed limit is refused, not passed to the store.
    expect((await list(t!.runtime.admin.token, '?limit=abc')).status).toBe(400);
    expect((await list(t!.runtime.admin.token, '?limit=1')).status).toBe(200);
  });

  it('each start makes a different token', async () => {
    t = await startTestRuntime();
    const first = t.runtime.admin.token;
    await t.close();
    t = await startTestRuntime();
    expect(t.runtime.admin.token).not.toBe(first);
  });
});
