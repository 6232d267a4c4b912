import type { TimelineEntry } from '../domain/investigation/timeline.ts';

/**
 * An evidence item that describes how something is (an IAM user, a key, an instance)
 * rather than something someone did: no actor, no source IP, no user agent.
 */
export function stateEntry(o: {
  id: string;
  time: string;
  source: TimelineEntry['source'];
  action: string;
  service: string;
  accountId: string;
  region: string | null;
  resources: string[];
  highlights: string[];
}): TimelineEntry {
  return {
    ...o,
    actor: null,
    actorType: null,
    accessKeyId: null,
    sourceIp: null,
    userAgent: null,
    errorCode: null,
    tactics: [],
  };
}
