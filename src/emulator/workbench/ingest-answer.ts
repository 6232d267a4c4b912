import * as z from 'zod';

/** What sirbot's POST /ingest answers: its report (`rejected` parts with their reasons), or an error. */
const answer = z.object({
  error: z.string().optional(),
  rejected: z.array(z.object({ path: z.string().optional(), error: z.string().optional() })).optional(),
  rejectedCount: z.number().optional(),
});

/** Reasons listed before "and N more": a pasted array of a thousand numbers should not fill the panel. */
const LISTED = 5;

/**
 * Why /ingest refused a body, in one line for the page: the server's own error, or each
 * rejected part's path and reason. A bare "400 Bad Request" tells a person nothing.
 */
export function refusalReason(status: number, body: unknown): string {
  const parsed = answer.safeParse(body);
  const head = `sirbot's /ingest refused it (${status})`;
  if (!parsed.success) return head;
  if (parsed.data.error) return `${head}: ${parsed.data.error}`;
  const rejected = parsed.data.rejected ?? [];
  if (rejected.length === 0) return `${head}: nothing in it was accepted`;
  const total = Math.max(parsed.data.rejectedCount ?? 0, rejected.length);
  const listed = rejected.slice(0, LISTED).map((r) => `${r.path ?? '(root)'}: ${r.error ?? 'rejected'}`);
  const more = total > listed.length ? `; and ${total - listed.length} more` : '';
  return `${head}: ${listed.join('; ')}${more}`;
}

/** The answer's body: JSON as /ingest sends it, or its text when something in between answered instead. */
export async function answerBody(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { error: text.trim().slice(0, 500) || `${res.status} ${res.statusText}` };
  }
}
