/**
 * Reading IAM policy documents as AWS returns them: IAM URL-encodes them (RFC 3986), S3
 * does not; a policy's fields take one value or a list. The text is attacker-influenced
 * (policy changes are persistence steps), so unreadable text is null, never a guess.
 */
export function parsePolicy(text: string, encoding: 'iam' | 'plain'): { Statement?: unknown } | null {
  let decoded = text;
  if (encoding === 'iam') {
    try {
      decoded = decodeURIComponent(text);
    } catch {
      // Not encoded after all: read as is.
    }
  }
  try {
    const doc = JSON.parse(decoded) as unknown;
    return doc && typeof doc === 'object' ? (doc as { Statement?: unknown }) : null;
  } catch {
    return null;
  }
}

/** A policy field as a list, whether it holds one value or several. */
export function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}
