import { asList, parsePolicy } from './policy-json.ts';

/**
 * Which other AWS accounts a bucket policy lets in: the account ids its Allow statements
 * name as principals (`arn:aws:iam::210987654321:root`, a role or user ARN, or a bare id).
 * S3's own verdict on "public" comes from GetBucketPolicyStatus; this answers the question
 * it does not — a grant to one outside account is not public, so Block Public Access
 * neither stopped it nor will, and it is the shape a data-exfiltration backdoor takes.
 * The document is attacker-written: an unreadable one yields null, not a guess.
 */
export function outsideAccountsGranted(policy: string | undefined, ownAccount: string): string[] | null {
  if (policy === undefined) return [];
  const doc = parsePolicy(policy, 'plain');
  if (!doc) return null;
  const out = new Set<string>();
  for (const raw of asList(doc.Statement)) {
    const st = raw as { Effect?: unknown; Principal?: unknown } | null;
    if (st?.Effect !== 'Allow' || !st.Principal || typeof st.Principal !== 'object') continue;
    for (const p of asList((st.Principal as { AWS?: unknown }).AWS)) {
      const account = typeof p === 'string' ? (/^\d{12}$/.exec(p)?.[0] ?? /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(p)?.[1]) : undefined;
      if (account && account !== ownAccount) out.add(account);
    }
  }
  return [...out];
}
