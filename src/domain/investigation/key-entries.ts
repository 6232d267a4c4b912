import { IDENTITY_CREATIONS } from './attack.ts';
import type { TimelineEntry } from './timeline.ts';
import { isNetworkEntry } from './network-summary.ts';

/**
 * The entries a responder should read first, when a thread can show only a dozen: what
 * changed who can get in (new identities, keys, policies), logging turned off, data read
 * or shared, bursts of denied calls, first use of a source IP, root use — then the rest.
 * The whole timeline is in the files.
 */
const POLICY = /^(Attach|Put|Detach|Delete)(User|Role|Group)Policy$|^(CreatePolicyVersion|SetDefaultPolicyVersion|UpdateAssumeRolePolicy|AddUserToGroup)$/;

function weight(e: TimelineEntry): number {
  // A busy instance's flows and lookups (the summary's Network line, and the files) come after every call.
  if (isNetworkEntry(e)) return -1;
  let w = 0;
  if (IDENTITY_CREATIONS.has(e.action) || POLICY.test(e.action)) w += 50;
  if (e.tactics.includes('Defense Evasion')) w += 45;
  if (e.tactics.includes('Exfiltration') || e.tactics.includes('Collection')) w += 35;
  if (e.tactics.includes('Impact') || e.tactics.includes('Privilege Escalation') || e.tactics.includes('Credential Access')) w += 25;
  if (e.highlights.includes('root credentials used')) w += 20;
  if (e.highlights.includes('burst of access denied')) w += 15;
  if (e.highlights.some((h) => h.startsWith('first seen source IP'))) w += 10;
  if (e.source !== 'cloudtrail') w += 10;
  if (e.tactics.length > 0 && !e.tactics.every((t) => t === 'Discovery')) w += 5;
  if (e.errorCode === null) w += 1;
  return w;
}

/** The `max` entries that matter most, shown in time order. */
export function rankedEntries(timeline: readonly TimelineEntry[], max: number): TimelineEntry[] {
  const ranked = timeline.map((e, i) => ({ e, w: weight(e), i })).sort((a, b) => b.w - a.w || a.i - b.i);
  return ranked
    .slice(0, max)
    .map((r) => r.e)
    .sort((a, b) => a.time.localeCompare(b.time) || a.id.localeCompare(b.id));
}
