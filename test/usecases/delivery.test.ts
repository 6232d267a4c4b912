import { describe, expect, it } from 'vitest';
import { rootPostKey } from '../../src/delivery/post-keys.ts';
import { type FindingRoot, NoticeFailed, type MessagePlace, type SendOnce } from '../../src/ports/notices/delivery.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { CHANNEL, CHANNEL_ID, deliverySetup, findingNo, slackLikeNotices } from './delivery-setup.ts';

describe('delivering a finding', () => {
  it('posts its root once, keyed by the finding, and records where it is', async () => {
    const { deliverer, notices, store } = deliverySetup();
    const finding = findingNo(1);

    const [result] = await deliverer.deliver([finding]);

    expect(result).toEqual({ findingId: finding.id, outcome: 'posted', channel: CHANNEL });
    expect(notices.methods()).toEqual(['postRoot']);
    const [channel, root, once] = notices.callsTo('postRoot')[0] as [string, FindingRoot, SendOnce];
    expect(channel).toBe(CHANNEL);
    expect(root.finding.id).toBe(finding.id);
    expect(root.decision.severity).toBe('MEDIUM');
    expect(once).toMatchObject({ key: rootPostKey(finding.id), mayExist: false });
    expect(await store.getFinding(finding.id)).toMatchObject({ state: 'posted', channel: CHANNEL_ID, ts: '1700000000.000001' });
    expect((await store.getFinding(finding.id))?.sentAt).not.toBeNull();
  });

  it('does nothing for the same version again', async () => {
    const { deliverer, notices } = deliverySetup();
    const finding = findingNo(1);
    await deliverer.deliver([finding]);

    const [again] = await deliverer.deliver([finding]);

    expect(again?.outcome).toBe('duplicate');
    expect(notices.methods()).toEqual(['postRoot']);
  });

  it('redraws the root of a newer version and replies with what changed', async () => {
    const { deliverer, notices, store } = deliverySetup();
    const v1 = findingNo(1);
    await deliverer.deliver([v1]);
    const v2 = { ...v1, updatedAt: '2026-11-21T10:00:00.000Z', severity: { label: 'HIGH' as const, score: 70 } };

    const [result] = await deliverer.deliver([v2]);

    expect(result?.outcome).toBe('updated');
    expect(notices.methods()).toEqual(['postRoot', 'redrawRoot', 'findingUpdated']);
    const root: MessagePlace = { channel: CHANNEL_ID, ts: '1700000000.000001' };
    const [redrawnAt, redrawn] = notices.callsTo('redrawRoot')[0] as [MessagePlace, FindingRoot];
    expect(redrawnAt).toEqual(root);
    expect(redrawn.decision.severity).toBe('HIGH');
    expect(notices.callsTo('findingUpdated')[0]).toEqual([root, v2, [{ field: 'severity', from: 'MEDIUM', to: 'HIGH' }]]);
    expect(await store.getFinding(v1.id)).toMatchObject({ severity: 'HIGH', pendingSnapshot: null });
  });

  it('keeps a finding a rule suppresses without telling anyone', async () => {
    const { deliverer, notices, store } = deliverySetup();
    const finding = findingNo(1, { severity: { label: 'INFORMATIONAL', score: 0 } });

    const [result] = await deliverer.deliver([finding]);

    expect(result?.outcome).toBe('suppressed');
    expect(notices.calls).toEqual([]);
    expect(await store.getFinding(finding.id)).toMatchObject({ state: 'suppressed', suppressed: true });
  });

  it('groups a storm past the threshold into one digest, listed in its thread', async () => {
    const { deliverer, notices, store } = deliverySetup({ threshold: 2 });
    const findings = [1, 2, 3, 4].map((n) => findingNo(n));

    const results = await deliverer.deliver(findings);
    await deliverer.idle();

    expect(results.map((r) => r.outcome).sort()).toEqual(['digested', 'digested', 'posted', 'posted']);
    expect(notices.callsTo('postRoot')).toHaveLength(2);
    expect(notices.callsTo('digestLine')).toHaveLength(2);
    expect(notices.callsTo('postDigestRoot')).toHaveLength(1);
    const [listedIn, members, total] = notices.callsTo('postDigestListing')[0] as [MessagePlace, Array<{ line: string }>, number];
    expect(listedIn.channel).toBe(CHANNEL_ID);
    expect(total).toBe(2);
    const digested = results.filter((r) => r.outcome === 'digested').map((r) => `line for ${r.findingId}`);
    expect(members.map((m) => m.line).sort()).toEqual(digested.sort());
    const record = await store.getFinding(results.find((r) => r.outcome === 'digested')?.findingId as string);
    expect(await store.getDigest(record?.digestId as string)).toMatchObject({ count: 2, unlisted: 0 });
  });

  it('dead-letters a finding whose root the chat refuses for good', async () => {
    const notices = slackLikeNotices({
      postRoot: async () => {
        throw new NoticeFailed('permanent', 'channel_not_found');
      },
    });
    const { deliverer, store } = deliverySetup({ notices });
    const finding = findingNo(1);

    const [result] = await deliverer.deliver([finding]);

    expect(result).toMatchObject({ outcome: 'failed', error: 'channel_not_found' });
    expect(await store.getFinding(finding.id)).toMatchObject({ state: 'failed' });
    expect(await store.listDeadLetters()).toMatchObject([{ origin: 'delivery', path: finding.id, error: 'channel_not_found', count: 1 }]);
  });

  it('leaves a finding pending while posting fails in a way that may pass', async () => {
    const notices = slackLikeNotices({
      postRoot: async () => {
        throw new NoticeFailed('transient', 'HTTP 503');
      },
    });
    const { deliverer, store } = deliverySetup({ notices });
    const finding = findingNo(1);

    const [result] = await deliverer.deliver([finding]);

    expect(result).toMatchObject({ outcome: 'pending', error: 'HTTP 503' });
    expect(await store.getFinding(finding.id)).toMatchObject({ state: 'posting', ts: null });
    expect(await store.listDeadLetters()).toEqual([]);
  });

  it('after a crash mid-post, a later process looks for the root before posting again', async () => {
    // The first process records its send and dies before the answer comes.
    let sent!: () => void;
    const sending = new Promise<void>((resolve) => {
      sent = resolve;
    });
    const crashing = slackLikeNotices({
      postRoot: async (_channel, _root, once) => {
        await once.beforeSend?.();
        sent();
        return new Promise<MessagePlace>(() => undefined);
      },
    });
    const store = new MemoryStore();
    const clock = { now: Date.parse('2026-12-01T10:00:00.000Z') };
    const finding = findingNo(1);
    void deliverySetup({ notices: crashing, store, clock }).deliverer.deliver([finding]);
    await sending;
    const sentAt = (await store.getFinding(finding.id))?.sentAt;
    expect(sentAt).not.toBeNull();

    // Past the first attempt's lease, another process resumes the delivery; the chat has the post.
    clock.now += 120_000;
    const found = slackLikeNotices({ postRoot: async () => ({ channel: CHANNEL_ID, ts: '1699999999.000001' }) });
    const { deliverer } = deliverySetup({ notices: found, store, clock });
    const resumed = await deliverer.resume();

    expect(resumed.findings).toBe(1);
    const [, , once] = found.callsTo('postRoot')[0] as [string, FindingRoot, SendOnce];
    expect(once).toMatchObject({ key: rootPostKey(finding.id), mayExist: true, since: sentAt });
    expect(await store.getFinding(finding.id)).toMatchObject({ state: 'posted', ts: '1699999999.000001', sentAt });
  });
});

describe("redrawing a finding's root", () => {
  it('draws it with what people did to the finding', async () => {
    const { deliverer, notices } = deliverySetup({
      roots: { features: { actions: true }, marks: async () => ({ caseId: '1234567890' }), offers: async () => ({ status: 'offer-1' }) },
    });
    const finding = findingNo(1);
    await deliverer.deliver([finding]);

    await deliverer.refreshRoot(finding.id);

    const [at, root] = notices.callsTo('redrawRoot')[0] as [MessagePlace, FindingRoot];
    expect(at).toEqual({ channel: CHANNEL_ID, ts: '1700000000.000001' });
    expect(root).toMatchObject({ features: { investigate: false, actions: true }, marks: { caseId: '1234567890' }, offers: { status: 'offer-1' } });
  });

  it('posts the finding afresh when its root is gone, says why, and moves the thread’s work', async () => {
    const notices = slackLikeNotices({
      redrawRoot: async () => {
        throw new NoticeFailed('gone', 'message_not_found');
      },
    });
    const { deliverer, store, followUps } = deliverySetup({ notices });
    const moved: unknown[][] = [];
    const started: string[] = [];
    followUps.join({
      rootPosted: async (_finding, _decision, _channel, ts) => {
        started.push(ts);
      },
      rootReplaced: async (...args) => {
        moved.push(args);
      },
    });
    const finding = findingNo(1);
    await deliverer.deliver([finding]);
    const deliveredAt = (await store.getFinding(finding.id))?.deliveredAt;

    await deliverer.refreshRoot(finding.id);
    await deliverer.idle();

    const fresh: MessagePlace = { channel: CHANNEL_ID, ts: '1700000000.000002' };
    expect(notices.methods().filter((m) => m !== 'idle')).toEqual(['postRoot', 'redrawRoot', 'postRoot', 'rootReplaced']);
    expect((notices.callsTo('postRoot')[1] as [string, FindingRoot, SendOnce])[2]).toMatchObject({ mayExist: false });
    expect(notices.callsTo('rootReplaced')[0]).toEqual([fresh, deliveredAt]);
    expect(moved).toEqual([[finding.id, fresh.channel, fresh.ts]]);
    expect(started).toEqual(['1700000000.000001', fresh.ts]);
    expect(await store.getFinding(finding.id)).toMatchObject({ state: 'posted', ts: fresh.ts, followUpPending: false });
  });
});
