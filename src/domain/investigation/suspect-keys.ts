import type { SubjectState } from './current-state.ts';
import type { Subject } from './subjects.ts';
import { type TimelineEntry, byAwsService } from './timeline.ts';

/**
 * Other long-term access keys that called from where the investigated credentials were
 * misused: the finding's caller, and every address the subject keys called from (apart
 * from their own instance's address and AWS's services). A vendor's key sending a command
 * from the address that then used an instance's stolen role credentials was likely taken
 * too, and is how they were taken; the same key from its office is not suspect.
 */
export interface SuspectKey {
  accessKeyId: string;
  /** The IAM user the key's calls name, when the actor is a user. */
  user: string | undefined;
  /** The shared address it was first seen calling from. */
  sourceIp: string;
  /** The account its calls were made in, when the event says. */
  accountId: string | null;
}

export function suspectKeys(
  subjects: readonly Subject[],
  timeline: readonly TimelineEntry[],
  states: readonly SubjectState[],
  created: ReadonlySet<string> = new Set(),
): SuspectKey[] {
  const keyIds = new Set(subjects.filter((s) => s.kind === 'accessKey').map((s) => s.id));
  const own = new Set(states.map((s) => s.publicIp).filter((ip): ip is string => !!ip));
  const suspect = new Set(subjects.filter((s) => s.kind === 'ip').map((s) => s.id));
  for (const e of timeline) if (e.accessKeyId && keyIds.has(e.accessKeyId) && e.sourceIp && !byAwsService(e)) suspect.add(e.sourceIp);
  for (const ip of own) suspect.delete(ip);
  const out = new Map<string, SuspectKey>();
  for (const e of timeline) {
    const id = e.accessKeyId;
    if (!id?.startsWith('AKIA') || byAwsService(e) || keyIds.has(id) || created.has(id) || out.has(id)) continue;
    if (e.sourceIp && suspect.has(e.sourceIp)) out.set(id, { accessKeyId: id, user: userOf(e.actor), sourceIp: e.sourceIp, accountId: e.accountId });
  }
  return [...out.values()];
}

/** The IAM user an actor ARN names (`arn:aws:iam::…:user/path/name`), if it is one. */
function userOf(actor: string | null | undefined): string | undefined {
  return /^arn:aws[\w-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(actor ?? '')?.[1];
}
