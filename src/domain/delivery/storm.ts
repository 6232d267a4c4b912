import type { Finding } from '../finding.ts';
import type { RouteDecision } from '../routing/decision.ts';

/**
 * Storm control: a channel gets at most `threshold` root messages per window; the
 * rest of a burst is grouped into digests, one per rule, control or type, so a
 * control failing across fifty accounts becomes one digest instead of fifty threads.
 */
export interface StormPolicy {
  threshold: number;
  windowSeconds: number;
  /** How long a digest stays open for more findings after its last addition. */
  digestWindowSeconds: number;
}

export interface DigestGroup {
  key: string;
  label: string;
}

/** The group a finding joins when it cannot have its own thread. */
export function digestGroup(finding: Finding, decision: RouteDecision): DigestGroup {
  const what = finding.controlId ? `control ${finding.controlId}` : finding.type ? `type ${finding.type}` : `rule ${decision.matchedRules.at(-1) ?? 'default'}`;
  const prefix = decision.digest ? `${decision.digest}: ` : '';
  return { key: `${decision.digest ?? 'storm'}|${what}`, label: `${prefix}${what}` };
}

export function windowStart(nowMs: number, seconds: number): string {
  return new Date(nowMs - seconds * 1000).toISOString();
}
