import { asList, parsePolicy } from './policy-json.ts';

/**
 * Who a role trusts to assume it, from its trust policy as GetRole returns it (URL-encoded
 * JSON, RFC 3986): the principals of the statements that allow `sts:AssumeRole*`. A role
 * trusted by `ec2.amazonaws.com` hands its credentials to instances; one trusted by another
 * account's root lets anyone that account allows in. The document is attacker-influenced
 * (UpdateAssumeRolePolicy is a persistence step), so an unreadable one is said, not guessed.
 */
export function trustedPrincipals(document: string | undefined): string[] | null {
  if (!document) return null;
  const parsed = parsePolicy(document, 'iam');
  if (!parsed) return null;
  const statements = asList(parsed.Statement);
  const out = new Set<string>();
  for (const s of statements) {
    if (!s || typeof s !== 'object') continue;
    const { Effect, Action, Principal } = s as { Effect?: unknown; Action?: unknown; Principal?: unknown };
    if (Effect !== 'Allow') continue;
    if (!asList(Action).some((a) => typeof a === 'string' && (a === '*' || /^sts:(AssumeRole|\*)/i.test(a)))) continue;
    if (Principal === '*') out.add('*');
    else if (Principal && typeof Principal === 'object') {
      for (const v of Object.values(Principal)) for (const p of asList(v)) if (typeof p === 'string') out.add(p);
    }
  }
  return [...out];
}
