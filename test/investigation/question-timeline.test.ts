import { describe, expect, it } from 'vitest';
import type { InvestigationSummary } from '../../src/domain/investigation/summary.ts';
import type { TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import { ASKED_MARK, KEPT_ASKED, conclusionsOf, idDigest, withQuestionEvents } from '../../src/investigation/records.ts';
import { conclusionsSchema } from '../../src/store/record-schemas.ts';

function entry(id: string, minute: number, highlights: string[] = []): TimelineEntry {
  return {
    id,
    time: new Date(Date.parse('2026-11-21T10:00:00Z') + minute * 60_000).toISOString(),
    source: 'cloudtrail',
    action: 'ListBuckets',
    service: 's3.amazonaws.com',
    actor: 'arn:aws:iam::111122223333:user/ci-deployer',
    actorType: 'IAMUser',
    accessKeyId: 'AKIAEXPOSEDKEY000001',
    sourceIp: '203.0.113.50',
    userAgent: null,
    resources: [],
    errorCode: null,
    accountId: '111122223333',
    region: 'us-east-1',
    tactics: [],
    highlights,
  };
}

const window = { start: '2026-11-21T09:00:00.000Z', end: '2026-11-21T11:00:00.000Z' };
const asked = (question: string) => ({ at: '2026-11-21T12:00:00.000Z', question, via: 'event-history', window, queries: ['LookupEvents …'] });
const gathered = () =>
  conclusionsOf({
    summary: { text: 'summary' } as InvestigationSummary,
    window,
    timeline: [entry('g1', 1, ['first seen source IP 203.0.113.50']), entry('g2', 2), entry('g3', 3)],
  });

describe('a question’s events in the investigation’s stored timeline', () => {
  it('adds only events the timeline did not have (by id, highlighted or not), marked, oldest first, and counts them', () => {
    const c = gathered();
    expect(c.timelineIds?.split(' ')).toEqual(['g1', 'g2', 'g3'].map(idDigest));
    const next = withQuestionEvents(c, asked('what did this key do?'), [entry('g2', 2), entry('q1', 0), entry('g1', 1)]);
    expect(next.events).toBe(4);
    expect(next.highlights.map((e) => e.id)).toEqual(['q1', 'g1']);
    expect(next.highlights[0]?.highlights).toEqual([`${ASKED_MARK}: “what did this key do?” (event-history, 2026-11-21T12:00:00.000Z)`]);
    expect(next.highlights[1]?.highlights).toEqual(['first seen source IP 203.0.113.50']);
    expect(next.followUps).toEqual([{ ...asked('what did this key do?'), events: 3, added: 1 }]);
    // Asked again: nothing new.
    const again = withQuestionEvents(next, asked('again'), [entry('q1', 0), entry('g3', 3)]);
    expect(again.events).toBe(4);
    expect(again.followUps?.at(-1)).toMatchObject({ events: 2, added: 0 });
    // What is stored reads back.
    expect(conclusionsSchema.parse(JSON.parse(JSON.stringify(again)))).toEqual(again);
  });

  it('a result stored before digests is deduplicated against its kept entries', () => {
    const { timelineIds: _none, ...old } = gathered();
    const next = withQuestionEvents(old, asked('q'), [entry('g1', 1), entry('g2', 2)]);
    expect(next.highlights.map((e) => e.id)).toEqual(['g1', 'g2']);
    expect(next.events).toBe(4);
  });

  it('keeps at most KEPT_ASKED question events; the rest are counted, and said not kept', () => {
    const many = Array.from({ length: KEPT_ASKED + 20 }, (_, i) => entry(`q${i}`, 100 + i));
    const next = withQuestionEvents(gathered(), asked('everything'), many);
    expect(next.highlights.filter((e) => e.highlights.some((h) => h.startsWith(ASKED_MARK)))).toHaveLength(KEPT_ASKED);
    expect(next.events).toBe(3 + KEPT_ASKED + 20);
    expect(next.followUps?.at(-1)).toMatchObject({ added: KEPT_ASKED + 20, notKept: 20 });
    // Counted once: asked again, none of them is new.
    expect(withQuestionEvents(next, asked('again'), many).events).toBe(next.events);
  });

  it('an id digest is 12 hex characters, stable, and tells ids apart', () => {
    expect(idDigest('e7e70000-0000-4000-8000-000000000001')).toMatch(/^[0-9a-f]{12}$/);
    expect(idDigest('a')).toBe(idDigest('a'));
    const digests = new Set(Array.from({ length: 20_000 }, (_, i) => idDigest(`e7e70000-0000-4000-8000-${String(i).padStart(12, '0')}`)));
    expect(digests.size).toBe(20_000);
  });
});
