import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient, WebAPIRequestError } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackClientOptions } from '../../src/slack/client-options.ts';
import { webApiFetch } from '../../src/slack/web-api-fetch.ts';

/** A Web API stand-in: answers by path, records what it was sent. */
function startApi(): Promise<{ url: string; seen: Array<{ path: string; headers: IncomingMessage['headers']; body: string }>; server: Server }> {
  const seen: Array<{ path: string; headers: IncomingMessage['headers']; body: string }> = [];
  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      seen.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (path.endsWith('/hang')) return; // never answers
      if (path.endsWith('/moved')) return void res.writeHead(302, { location: '/api/elsewhere' }).end();
      if (path.endsWith('/limited')) return void res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' }).end('{"ok":false}');
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': 'chat:write, users:read' });
      // Written in two pieces, a character split between them: the answer is read whole.
      const answer = Buffer.from(
        JSON.stringify({ ok: true, echo: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))), word: 'café' }),
      );
      res.write(answer.subarray(0, answer.length - 3));
      res.end(answer.subarray(answer.length - 3));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, seen, server })),
  );
}

describe('the Web API transport', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => new Promise<void>((resolve) => api.server.close(() => resolve())));

  it('carries a WebClient call: the form and headers go out, the JSON answer and its scopes come back', async () => {
    const client = new WebClient('xoxb-test', { ...slackClientOptions(api.url), retryConfig: { retries: 0 } });
    const result = await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'not allowed: ünïcode & <b>' });
    expect(result).toMatchObject({ ok: true, echo: { channel: 'C1', user: 'U1', text: 'not allowed: ünïcode & <b>' }, word: 'café' });
    expect(result.response_metadata?.scopes).toEqual(['chat:write', 'users:read']);
    const sent = api.seen.at(-1);
    expect(sent?.path).toBe('/api/chat.postEphemeral');
    expect(sent?.headers.authorization).toBe('Bearer xoxb-test');
    expect(sent?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('gives up on a call left unanswered after the timeout, as a request error WebClient can retry', async () => {
    const client = new WebClient('xoxb-test', { ...slackClientOptions(api.url, 200), retryConfig: { retries: 0 } });
    const started = Date.now();
    const failure = await client.apiCall('hang').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WebAPIRequestError);
    expect((failure as WebAPIRequestError).original.message).toMatch(/within 200 ms/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a redirect, and hands over a rate limit with its Retry-After', async () => {
    const call = webApiFetch(1000);
    const init = { method: 'POST', body: 'a=1', redirect: 'error' as const, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    await expect(call(`${api.url}moved`, init)).rejects.toThrow(/redirect/);
    const limited = await call(`${api.url}limited`, init);
    expect([limited.ok, limited.status, limited.headers.get('Retry-After'), await limited.json()]).toEqual([false, 429, '7', { ok: false }]);
    expect([...limited.headers.entries()]).toContainEqual(['retry-after', '7']);
  });

  it('leaves anything else (an upload, a response URL) to the global fetch', async () => {
    const form = new FormData();
    form.append('file', new Blob(['a,b\n']), 'x.csv');
    const upload = await webApiFetch(1000)(`${api.url}upload`, { method: 'POST', body: form, redirect: 'error' });
    expect(upload.status).toBe(200);
    expect(api.seen.at(-1)?.headers['content-type']).toMatch(/^multipart\/form-data/);
    const respond = await webApiFetch(1000)(`${api.url}respond`, { method: 'POST', body: '{"text":"hi"}', headers: { 'Content-Type': 'application/json' } });
    expect(respond.ok).toBe(true);
  });
});
