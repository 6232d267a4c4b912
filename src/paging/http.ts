import { PagerError } from '../ports/pager.ts';

export interface PagerHttpOptions {
  /** Every call gives up after this long (a hung service must not hold an escalation step). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * POSTs JSON and expects one of `accepted`. A refusal of the request (4xx other than 429)
 * is permanent; rate limits, 5xx and an unreachable service are transient. The answer's
 * text is kept short in the error: it may echo what was sent.
 */
export async function postJson(
  service: string,
  url: string,
  body: unknown,
  headers: Record<string, string>,
  accepted: readonly number[],
  o: PagerHttpOptions = {},
): Promise<unknown> {
  let res: Response;
  try {
    res = await (o.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new PagerError(`${service} could not be reached: ${(err as Error).message}`, null, true, { cause: err });
  }
  const text = await res.text().catch(() => '');
  if (accepted.includes(res.status)) {
    try {
      return text ? (JSON.parse(text) as unknown) : null;
    } catch {
      return null;
    }
  }
  const transient = res.status === 429 || res.status >= 500;
  throw new PagerError(`${service} answered ${res.status}: ${text.slice(0, 300)}`, res.status, transient);
}
