import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Env } from '../../config/env.ts';

/**
 * The credential of the operator endpoints (`GET /dead-letters` shows what producers
 * sent; `POST /dead-letters/:id/replay` feeds it through ingest again): never open.
 * SIRBOT_ADMIN_TOKEN, else SIRBOT_INGEST_TOKEN (whoever may send findings may see the
 * ones that failed), else a random token made at start, which only the banner shows.
 */
export interface AdminToken {
  token: string;
  from: 'SIRBOT_ADMIN_TOKEN' | 'SIRBOT_INGEST_TOKEN' | 'generated';
}

export function adminTokenOf(env: Pick<Env, 'SIRBOT_ADMIN_TOKEN' | 'SIRBOT_INGEST_TOKEN'>): AdminToken {
  if (env.SIRBOT_ADMIN_TOKEN) return { token: env.SIRBOT_ADMIN_TOKEN, from: 'SIRBOT_ADMIN_TOKEN' };
  if (env.SIRBOT_INGEST_TOKEN) return { token: env.SIRBOT_INGEST_TOKEN, from: 'SIRBOT_INGEST_TOKEN' };
  return { token: randomBytes(24).toString('base64url'), from: 'generated' };
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * `Authorization: Bearer <token>`, compared in constant time: both sides are hashed
 * first, so neither the token's content nor its length shows in the timing.
 */
export function hasBearer(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization;
  const given = typeof header === 'string' && /^Bearer /i.test(header) ? header.slice(7).trim() : null;
  if (given === null) return false;
  return timingSafeEqual(digest(given), digest(token));
}
