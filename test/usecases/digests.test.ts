import { describe, expect, it } from 'vitest';
import { DigestFlusher } from '../../src/delivery/digests.ts';
import { digestRootKey, listingPostKey } from '../../src/delivery/post-keys.ts';
import { DIGEST_LISTING_SIZE, type DeliveryNotices, NoticeFailed, type MessagePlace, type SendOnce } from '../../src/ports/notices/delivery.ts';
import type { DigestMember } from '../../src/ports/store.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import type { RecordingPort } from '../support/recording-port.ts';
import { CHANNEL, CHANNEL_ID, START, silentLogger, slackLikeNotices } from './delivery-setup.ts';

const NOW = new Date(START).toISOString();

function flusher(store: MemoryStore, notices: RecordingPort<DeliveryNotices>, maxAttempts = 3): DigestFlusher {
  return new DigestFlusher({
    store,
    notices: notices.port,
    logger: silentLogger,
    debounceMs: 0,
    leaseMs: 60_000,
    maxAttempts,
    clock: () => START,
    deadLetter: (entry) => store.addDeadLetter({ ...entry, receivedAt: NOW }),
  });
}

/** A digest of `count` members in CHANNEL; the store numbers them from 1. */
async function digestOf(store: MemoryStore, count: number, from = 1): Promise<string> {
  const digest = await store.openDigest(CHANNEL, 'storm|control S3.1', 'control S3.1', NOW, NOW);
  await addMembers(store, digest.id, count, from);
  return digest.id;
}

async function addMembers(store: MemoryStore, digestId: string, count: number, from: number): Promise<void> {
  for (let n = from; n < from + count; n++) {
    await store.addDigestMember({ digestId, findingId: `finding-${n}`, line: `line ${n}`, accountId: '111122223333', severity: 'MEDIUM' }, NOW);
  }
}

const listings = (notices: RecordingPort<DeliveryNotices>) => notices.callsTo('postDigestListing') as Array<[MessagePlace, DigestMember[], number, SendOnce]>;

describe('flushing a digest', () => {
  it('posts its root once, lists every member in its thread, and lists only newcomers afterwards', async () => {
    const store = new MemoryStore();
    const notices = slackLikeNotices();
    const digests = flusher(store, notices);
    const id = await digestOf(store, 3);

    expect(await digests.flushNow(id)).toBe(true);

    expect(notices.methods()).toEqual(['postDigestRoot', 'postDigestListing']);
    const [channel, digest, breakdown, once] = notices.callsTo('postDigestRoot')[0] as [string, { id: string }, unknown, SendOnce];
    expect([channel, digest.id, breakdown, once.key, once.mayExist]).toEqual([
      CHANNEL,
      id,
      { byAccount: { '111122223333': 3 }, bySeverity: { MEDIUM: 3 } },
      digestRootKey(id),
      false,
    ]);
    const root: MessagePlace = { channel: CHANNEL_ID, ts: '1700000000.000001' };
    const [at, members, total, listed] = listings(notices)[0] ?? [];
    expect([at, members?.map((m) => m.line), total, listed?.key]).toEqual([root, ['line 1', 'line 2', 'line 3'], 3, listingPostKey(id, 1, 3)]);

    await addMembers(store, id, 1, 4);
    await digests.flushNow(id);

    expect(notices.methods()).toEqual(['postDigestRoot', 'postDigestListing', 'postDigestListing', 'redrawDigestRoot']);
    expect(listings(notices)[1]?.[1].map((m) => m.line)).toEqual(['line 4']);
    expect(notices.callsTo('redrawDigestRoot')[0]?.[0]).toEqual(root);
    expect(await store.getDigest(id)).toMatchObject({ ts: root.ts, slackChannel: CHANNEL_ID, count: 4, unlisted: 0 });
  });

  it('lists a large digest in replies of DIGEST_LISTING_SIZE members', async () => {
    const store = new MemoryStore();
    const notices = slackLikeNotices();
    const id = await digestOf(store, DIGEST_LISTING_SIZE + 1);

    await flusher(store, notices).flushNow(id);

    expect(listings(notices).map(([, members, total, once]) => [members.length, total, once.key])).toEqual([
      [DIGEST_LISTING_SIZE, DIGEST_LISTING_SIZE + 1, listingPostKey(id, 1, DIGEST_LISTING_SIZE)],
      [1, DIGEST_LISTING_SIZE + 1, listingPostKey(id, DIGEST_LISTING_SIZE + 1, DIGEST_LISTING_SIZE + 1)],
    ]);
  });

  it('after a flush cut off mid-listing, the next looks for that listing before sending it again', async () => {
    const store = new MemoryStore();
    const id = await digestOf(store, 2);
    let sent!: () => void;
    const sending = new Promise<void>((resolve) => {
      sent = resolve;
    });
    const crashing = slackLikeNotices({
      postDigestListing: async (_root, _members, _total, once) => {
        await once.beforeSend?.();
        sent();
        return new Promise<void>(() => undefined);
      },
    });
    void flusher(store, crashing).flushNow(id);
    await sending;
    const listingSentAt = (await store.getDigest(id))?.listingSentAt;

    // At a start-up nothing else runs: the new process takes the digest whatever lease it had.
    const notices = slackLikeNotices();
    expect(await flusher(store, notices).resume(NOW, true)).toBe(1);

    // The root is not posted again; its counts are redrawn, as a new process does not know what it shows.
    expect(notices.methods()).toEqual(['postDigestListing', 'redrawDigestRoot']);
    expect(listings(notices)[0]?.[3]).toMatchObject({ key: listingPostKey(id, 1, 2), mayExist: true, since: listingSentAt });
    expect(await store.getDigest(id)).toMatchObject({ unlisted: 0 });
  });

  it('dead-letters the members still unlisted when the chat refuses the digest for good', async () => {
    const store = new MemoryStore();
    const notices = slackLikeNotices({
      postDigestRoot: async () => {
        throw new NoticeFailed('permanent', 'not_in_channel');
      },
    });
    const id = await digestOf(store, 2);

    expect(await flusher(store, notices).flushNow(id)).toBe(false);

    expect(await store.listDeadLetters()).toMatchObject([{ origin: 'delivery:digest', error: 'not_in_channel', count: 2 }]);
    expect(await store.getDigest(id)).toMatchObject({ unlisted: 0, lastError: 'not_in_channel' });
  });
});
