import { describe, expect, it } from 'vitest';
import { SlackActionNotices } from '../../src/slack/notifier/actions.ts';
import { SlackDeliveryNotices } from '../../src/slack/notifier/delivery.ts';
import { SlackInvestigationNotices } from '../../src/slack/notifier/investigation.ts';
import { slackThreadNotifier } from '../../src/slack/notifier/thread-notifier.ts';
import type { SlackPoster } from '../../src/slack/poster.ts';
import { recordingPort } from '../support/recording-port.ts';

// Events may be methods or arrow properties of a part.
const methodsOf = (o: object) =>
  [...Object.keys(o), ...Object.getOwnPropertyNames(Object.getPrototypeOf(o))].filter(
    (n) => n !== 'constructor' && typeof (o as Record<string, unknown>)[n] === 'function',
  );

describe('the Slack thread notifier', () => {
  it('answers every event of its three parts, each through the part that renders it', async () => {
    const poster = recordingPort<SlackPoster>({ post: async (channel: string) => ({ channel, ts: '1700000000.000100' }) });
    const notifier = slackThreadNotifier(poster.port);
    const expected = [
      ...methodsOf(new SlackDeliveryNotices(poster.port)),
      ...methodsOf(new SlackActionNotices(poster.port)),
      ...methodsOf(new SlackInvestigationNotices(poster.port)),
    ];
    expect(expected.length).toBeGreaterThan(20);
    for (const name of expected) expect(typeof (notifier as unknown as Record<string, unknown>)[name], name).toBe('function');

    // A delivery event reaches the poster with its thread, and answers with the place Slack gave.
    const place = { channel: 'C0123456789', ts: '1700000000.000001' };
    await notifier.rootReplaced(place, null);
    expect(poster.methods()).toEqual(['post']);
    expect(poster.callsTo('post')[0]?.[0]).toBe('C0123456789');
    expect(poster.callsTo('post')[0]?.[2]).toBe('1700000000.000001');

    // An investigation event (an arrow property of its part) too.
    await notifier.replyUnderstood({
      thread: { investigationId: 'inv-1', channel: 'C0123456789', threadTs: '1700000000.000001', startedAt: '2026-12-06T00:00:00.000Z' },
      by: 'U0123456789',
      reading: { answers: { accountId: '111122223333' }, errors: [], zones: {}, notes: {} },
      added: { taken: ['accountId'], disputed: [], unchanged: [], dropped: [] },
      kept: { accountId: '111122223333' },
      open: [],
    });
    expect(poster.methods()).toEqual(['post', 'post']);
  });
});
