import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Args } from './methods/index.ts';

/** Larger than any Web API call sirbot makes, with file uploads; a guard against runaway clients. */
const MAX_BODY_BYTES = 50 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limitBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Arguments as Slack reads them: query string first, then the body, which is either a form
 * (what WebClient sends, objects JSON-encoded as strings) or a JSON object.
 */
export function parseArgs(query: URLSearchParams, body: string, contentType: string | undefined): Args {
  const args: Args = Object.fromEntries(query);
  if (!body) return args;
  if (contentType?.includes('application/json')) {
    try {
      const parsed: unknown = JSON.parse(body);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? { ...args, ...(parsed as Args) } : args;
    } catch {
      return args;
    }
  }
  return { ...args, ...Object.fromEntries(new URLSearchParams(body)) };
}

/** The token of a call: `Authorization: Bearer …` (what WebClient sends) or a `token` argument. */
export function presentedToken(req: IncomingMessage, args: Args): string {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (bearer) return (bearer[1] as string).trim();
  return typeof args.token === 'string' ? args.token : '';
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
