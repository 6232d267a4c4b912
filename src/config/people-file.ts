import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import type { PeopleMapping } from '../domain/actions/principal-check.ts';

/**
 * The people file (`SIRBOT_PEOPLE`): who is behind principals sirbot cannot find by their
 * tags — root, shared users, roles people assume. Each entry names a principal the way
 * `principalKey` reads one (`111122223333:user/ci-deployer`, `111122223333:root`,
 * `111122223333:session/dana@example.com`, or a user name alone for any account) and the
 * person: a Slack user id, or an email Slack is asked about.
 */
const entry = z
  .strictObject({
    principal: z.string().min(1).max(300),
    slack: z
      .string()
      .regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user id (U…/W…)')
      .optional(),
    email: z.email().optional(),
  })
  .refine((e) => e.slack || e.email, 'needs slack or email');
const fileSchema = z.strictObject({ people: z.array(entry).max(10_000) });

export class PeopleFileError extends Error {
  readonly code = 'PEOPLE_INVALID';
}

export function parsePeopleFile(text: string, source: string): PeopleMapping {
  const parsed = fileSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new PeopleFileError(`${source}: ${problems.join('; ')}`);
  }
  return parsed.data.people.map((p) => ({ principal: p.principal, ...(p.slack ? { slackUserId: p.slack } : {}), ...(p.email ? { email: p.email } : {}) }));
}

export function loadPeopleFile(path: string): PeopleMapping {
  return parsePeopleFile(readFileSync(path, 'utf8'), path);
}
