import { Agent as HttpAgent, type IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchFunction } from '@slack/web-api';

type FetchRequestInit = NonNullable<Parameters<FetchFunction>[1]>;
type FetchResponse = Awaited<ReturnType<FetchFunction>>;
type FetchHeaders = FetchResponse['headers'];

/**
 * The transport under every WebClient sirbot makes (`fetch` in its options, which
 * @slack/web-api offers for transport-level choices). Web API calls are form-encoded
 * POSTs answered by a small JSON document; Node's `fetch` spends far more than that on
 * each one (WHATWG streams, Request/Response/Headers objects, an abort signal and its
 * timer kept alive for the whole timeout), and on a busy Slack function that garbage
 * shows up as collection pauses in the next request's acknowledgement. So those calls go
 * through `node:http(s)` on kept-alive connections, read whole, with one timer cleared
 * when the answer is in. Anything else (file uploads as multipart, `respond()` to a
 * response URL, which may follow redirects) goes to the global `fetch` unchanged.
 */

/**
 * Kept-alive connections, an idle one closed after 4 s: before the server closes it (Slack's
 * load balancers keep idle connections for longer), so a call never goes out on a socket
 * the other end is dropping.
 */
const KEEP_IDLE_MS = 4000;
const agents = {
  http: new HttpAgent({ keepAlive: true, timeout: KEEP_IDLE_MS }),
  https: new HttpsAgent({ keepAlive: true, timeout: KEEP_IDLE_MS }),
};

class AnswerHeaders implements FetchHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  *entries(): Iterable<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name) as string];
  }
}

/** A whole answer, as @slack/web-api and Bolt read one. */
class Answer implements FetchResponse {
  readonly ok: boolean;
  readonly headers: FetchHeaders;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    headers: IncomingHttpHeaders,
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new AnswerHeaders(headers);
  }

  async text(): Promise<string> {
    return this.body.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.body).buffer;
  }
}

const HTTP_URL = /^https?:\/\//;

function post(url: string, init: FetchRequestInit, body: string, timeoutMs: number): Promise<FetchResponse> {
  return new Promise<FetchResponse>((resolve, reject) => {
    const secure = url.startsWith('https:');
    const req = (secure ? httpsRequest : httpRequest)(url, {
      method: 'POST',
      headers: { ...init.headers, 'content-length': Buffer.byteLength(body) },
      agent: secure ? agents.https : agents.http,
    });
    const timer = timeoutMs > 0 ? setTimeout(() => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)), timeoutMs) : undefined;
    const signal = init.signal;
    const onAbort = () => req.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    // `on`, not `once`: a late error after the answer must find a listener (the promise is settled by then).
    req.on('error', (err) => {
      settle();
      reject(err);
    });
    req.once('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        // As fetch does with `redirect: 'error'`.
        res.resume();
        settle();
        reject(new TypeError(`${url} answered with a redirect (${status})`));
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (err) => {
        settle();
        reject(err);
      });
      res.once('end', () => {
        settle();
        resolve(new Answer(url, status, res.statusMessage ?? '', res.headers, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
      });
    });
    if (signal?.aborted) onAbort();
    else req.end(body);
  });
}

/**
 * The fetch for WebClient options: Web API calls as above, each failing after `timeoutMs`
 * without an answer (0: no limit); anything else through the global `fetch`, with the
 * same limit.
 */
export function webApiFetch(timeoutMs: number): FetchFunction {
  return (url, init) => {
    // What the Web API client sends: a form POSTed to an http(s) URL, redirects refused.
    const body = init?.body;
    if (init && typeof url === 'string' && typeof body === 'string' && init.method === 'POST' && init.redirect === 'error' && HTTP_URL.test(url)) {
      return post(url, init, body, timeoutMs);
    }
    if (timeoutMs <= 0 || init?.signal) return fetch(url, init);
    return fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  };
}
