import { shortHash } from '../lib/hashed-id.ts';

/**
 * The keys sirbot's exactly-once posts carry as Slack message metadata (see
 * slack/post-lookup.ts): one per message that must never be posted twice. Finding ids
 * are ARNs up to 512+ characters, so they are hashed to a fixed length.
 */
const hashed = (value: string) => shortHash(value, 32);

export const rootPostKey = (findingId: string) => `root:${hashed(findingId)}`;
export const digestRootKey = (digestId: string) => `digest:${digestId}`;
export const listingPostKey = (digestId: string, firstSeq: number, lastSeq: number) => `listing:${digestId}:${firstSeq}-${lastSeq}`;
export const questionsPostKey = (investigationId: string) => `questions:${investigationId}`;
export const mentionPostKey = (findingId: string) => `escalation-mention:${hashed(findingId)}`;
export const cirtProposalKey = (findingId: string) => `cirt-proposal:${hashed(findingId)}`;
export const snoozeEndedKey = (snoozeId: string) => `snooze-ended:${snoozeId}`;
export const weeklyStatsKey = (isoWeek: string) => `stats-weekly:${isoWeek}`;
