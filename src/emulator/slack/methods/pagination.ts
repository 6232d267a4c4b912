import { fail, type Answer, type Args } from './method.ts';

export interface PageLimits {
  defaultLimit: number;
  maxLimit: number;
}

export interface Page<T> {
  items: T[];
  /** Empty on the last page, as Slack answers it. */
  nextCursor: string;
}

const encode = (offset: number) => Buffer.from(`next:${offset}`).toString('base64');

function decode(cursor: string): number | undefined {
  const match = /^next:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** Slack's cursor pagination: `limit` and an opaque `cursor` in, `next_cursor` out. */
export function paginate<T>(items: T[], args: Args, limits: PageLimits): Page<T> | Answer {
  const requested = Number(args.limit);
  const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, limits.maxLimit) : limits.defaultLimit;
  let offset = 0;
  if (typeof args.cursor === 'string' && args.cursor !== '') {
    const decoded = decode(args.cursor);
    if (decoded === undefined) return fail('invalid_cursor');
    offset = decoded;
  }
  const end = offset + limit;
  return { items: items.slice(offset, end), nextCursor: end < items.length ? encode(end) : '' };
}
