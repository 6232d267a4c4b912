import type { IncomingMessage } from 'node:http';
import * as z from 'zod';
import { BodyTooLarge, readBody } from '../slack/http-io.ts';

/** A refusal the page is told about as it is: the status and a reason a person can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const BODY_LIMIT = 5 * 1024 * 1024;

const user = z.string().regex(/^[UW][A-Z0-9]{2,}$/);
const ts = z.string().regex(/^\d+\.\d+$/);
const channel = z.string().min(1).max(80);
const choice = {
  blockId: z.string().max(255).optional(),
  option: z.string().max(2000).optional(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  value: z.string().max(3000).optional(),
};
const inputValue = z.union([
  z.string().max(3000),
  z.object({ option: z.string() }),
  z.object({ date: z.string() }),
  z.object({ options: z.array(z.string()) }),
  z.object({ user: z.string() }),
  z.object({ users: z.array(z.string()) }),
]);

/** Every body the page may send, checked before anything reads it. */
export const bodies = {
  act: z.object({ user, actionId: z.string().min(1).max(255), channel: channel.optional(), ts: ts.optional(), viewId: z.string().optional(), ...choice }),
  submit: z.object({ user, viewId: z.string().min(1), values: z.record(z.string(), inputValue) }),
  close: z.object({ user, viewId: z.string().min(1) }),
  command: z.object({ user, channel, text: z.string().max(4000) }),
  say: z.object({ user, channel, text: z.string().min(1).max(40_000), threadTs: ts.optional() }),
  shortcut: z.object({ user, channel, ts, callbackId: z.string().min(1).max(255) }),
  home: z.object({ user }),
  page: z.object({ user, service: z.enum(['pagerduty', 'opsgenie']), id: z.string().min(1).max(100) }),
  send: z.object({ id: z.string().optional(), json: z.string().max(BODY_LIMIT).optional(), wrap: z.enum(['none', 'eventbridge', 'sns']) }),
};

/** `GET /workbench/api/screen`: whose screen, and where they are looking (what the page keeps in its URL). */
export const screenQuery = z.object({
  user,
  channel: channel.optional(),
  thread: ts.optional(),
  home: z.enum(['1']).optional(),
});

/** The query's parameters, empty ones left out (the page sends `thread=` when no thread is open). */
export function readQuery<T>(params: URLSearchParams, schema: z.ZodType<T>, defaults: Record<string, string | undefined> = {}): T {
  const given = Object.fromEntries([...params].filter(([, v]) => v !== ''));
  const present = Object.fromEntries(Object.entries(defaults).filter(([, v]) => v !== undefined));
  const result = schema.safeParse({ ...present, ...given });
  if (!result.success) throw new HttpError(400, z.prettifyError(result.error));
  return result.data;
}

export async function readJson<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  let body: Buffer;
  try {
    body = await readBody(req, BODY_LIMIT);
  } catch (err) {
    if (err instanceof BodyTooLarge) throw new HttpError(413, `request body over ${BODY_LIMIT} bytes`);
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw new HttpError(400, z.prettifyError(result.error));
  return result.data;
}
