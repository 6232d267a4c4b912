import type { RootOffers } from '../../domain/actions/offers.ts';
import type { Change } from '../../domain/delivery/versions.ts';
import type { Finding, WorkflowStatus } from '../../domain/finding.ts';
import type { RouteDecision } from '../../domain/routing/decision.ts';
import type { DigestMember, DigestRecord } from '../store.ts';
import type { MessagePlace } from './place.ts';

export type { MessagePlace };

/**
 * How a message that must be in a channel exactly once is sent. The notifier looks for it
 * by `key` before any send that may repeat an earlier one, and calls `beforeSend` right
 * before each send, so the use case records that a send is under way (a crash after it
 * makes the next attempt look first).
 */
export interface SendOnce {
  /** Names the message for good; the message can be found again by it. */
  key: string;
  /** A send may already have happened (its answer never came): look before sending. */
  mayExist: boolean;
  /** The earliest time such a send can have happened. */
  since?: string;
  /** Runs right before each send; throwing stops the send. */
  beforeSend?: () => Promise<void>;
}

/** What this runtime can do from a root message. */
export interface RootFeatures {
  investigate: boolean;
  /** Set status, open a case, acknowledge: their buttons come with the offers stored for them. */
  actions: boolean;
}

/** What people did to the finding from Slack, shown on its root message. */
export interface RootMarks {
  status?: { status: WorkflowStatus; by: string; at: string };
  /** Present when a rule asks for acknowledgement; `by` once someone took it. */
  ack?: { by: string | null; at: string | null; stage: string };
  caseId?: string;
}

/** Everything a finding's root message shows, as it is now. */
export interface FindingRoot {
  finding: Finding;
  decision: RouteDecision;
  features: RootFeatures;
  marks: RootMarks;
  /** The stored offer behind each action button; a button is shown only with its offer. */
  offers: RootOffers;
}

/** A digest's counts, shown on its root message. */
export interface DigestBreakdown {
  byAccount: Record<string, number>;
  bySeverity: Record<string, number>;
}

/** The most members one listing reply names: the use case pages the members by it. */
export const DIGEST_LISTING_SIZE = 200;

/**
 * What the people in a channel are told as findings are delivered: a finding's root
 * message and the replies in its thread, and the digests storms are grouped in. Every
 * method that fails because the chat refused or could not be reached throws a
 * `NoticeFailed`; anything else it throws (a `beforeSend` that threw) passes through.
 */
export interface DeliveryNotices {
  /** A finding's root message, in `channel`, exactly once. */
  postRoot(channel: string, root: FindingRoot, once: SendOnce): Promise<MessagePlace>;
  /** The root message drawn again (a newer version, people acted on it). */
  redrawRoot(at: MessagePlace, root: FindingRoot): Promise<void>;
  /** In the root's thread: what changed in a newer version. */
  findingUpdated(root: MessagePlace, finding: Finding, changes: Change[]): Promise<void>;
  /** In a new root's thread: the finding's earlier thread (posted at `earlierPostedAt`) is gone, this one replaces it. */
  rootReplaced(root: MessagePlace, earlierPostedAt: string | null): Promise<void>;
  /** The line a finding is listed by in its digest, kept with the member (the store keeps no findings). */
  digestLine(finding: Finding): Promise<string>;
  /** A digest's root message, in `channel`, exactly once. */
  postDigestRoot(channel: string, digest: DigestRecord, breakdown: DigestBreakdown, once: SendOnce): Promise<MessagePlace>;
  /** In the digest's thread, exactly once: up to DIGEST_LISTING_SIZE members, of `total`. */
  postDigestListing(root: MessagePlace, members: DigestMember[], total: number, once: SendOnce): Promise<void>;
  /** The digest's root message drawn again with its counts now. */
  redrawDigestRoot(at: MessagePlace, digest: DigestRecord, breakdown: DigestBreakdown): Promise<void>;
  /** In the digest's thread: what changed in a newer version of one of its members. */
  digestMemberUpdated(root: MessagePlace, finding: Finding, changes: Change[]): Promise<void>;
  /** Resolves when everything handed over has been sent. */
  idle(): Promise<void>;
}

/**
 * `transient`: the chat may not have done it (or its answer was lost); trying again can
 * help. `permanent`: it refused, and the same call cannot succeed. `gone`: refused
 * because the message (or its channel, its thread) is no longer there.
 */
export type NoticeFailureKind = 'transient' | 'permanent' | 'gone';

/** A notice that could not be given, and whether trying again can help. */
export class NoticeFailed extends Error {
  readonly code = 'NOTICE_FAILED';
  constructor(
    readonly kind: NoticeFailureKind,
    readonly reason: string,
  ) {
    super(`notice failed: ${reason}`);
  }

  get permanent(): boolean {
    return this.kind !== 'transient';
  }

  /** What went wrong, for a log line, a result or a dead letter: the chat's reason, or the error's message. */
  static reasonOf(err: unknown): string {
    if (err instanceof NoticeFailed) return err.reason;
    return err instanceof Error ? err.message : String(err);
  }
}
