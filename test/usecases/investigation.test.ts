import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/actions/audit.ts';
import { receivedRecord } from '../../src/delivery/finding-records.ts';
import type { Finding } from '../../src/domain/finding.ts';
import type { CollectorId, Question } from '../../src/domain/investigation/playbooks.ts';
import type { TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import { route } from '../../src/domain/routing/evaluate.ts';
import { loadRulesFile } from '../../src/config/rules-file.ts';
import { normalizeText } from '../../src/ingest/normalize.ts';
import { InvestigationService, type InvestigationServiceOptions, investigationIdFor } from '../../src/investigation/service.ts';
import type { Collector, CollectorResult } from '../../src/ports/collector.ts';
import type { InvestigationNotices, OfferedRemediation } from '../../src/ports/notices/investigation.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { recordingPort } from '../support/recording-port.ts';

/**
 * The investigation use case against its ports: an in-memory store, a recording notifier
 * and collectors answering canned evidence. What it tells people is asserted as events,
 * never as Slack messages (test/integration covers those).
 */

// A GuardDuty finding on an exposed access key: the playbook asks when it was exposed and whether it was rotated.
const FINDING: Finding = normalizeText(readFileSync('src/scenarios/exposed-access-key/finding.json', 'utf8')).findings[0] as Finding;
const ID = investigationIdFor(FINDING.id);
const CHANNEL = 'C0SECURITY';
const THREAD = '1795780800.000100';
const RESPONDER = 'U0ALICE';
const NOW = Date.parse('2026-11-21T12:00:00Z');

function entry(n: number, o: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    id: `event-${n}`,
    time: new Date(Date.parse('2026-11-21T10:00:00Z') + n * 60_000).toISOString(),
    source: 'cloudtrail',
    action: 'ListBuckets',
    service: 's3.amazonaws.com',
    actor: 'ci-deployer',
    actorType: 'IAMUser',
    accessKeyId: 'AKIAEXPOSEDKEY000001',
    sourceIp: '198.51.100.7',
    userAgent: 'aws-cli/2.15',
    resources: [],
    errorCode: null,
    accountId: '111122223333',
    region: 'us-east-1',
    tactics: ['Discovery'],
    highlights: [],
    ...o,
  };
}

/** A collector answering what it is given, counting the times it is asked. */
function fakeCollector(id: CollectorId, answer: () => Promise<Partial<CollectorResult>>): Collector & { calls: number } {
  const collector = {
    id,
    calls: 0,
    async collect() {
      collector.calls++;
      return { collector: id, items: [], states: [], searched: [], limitingFactors: [], pages: 1, ...(await answer()) };
    },
  };
  return collector;
}

const cloudTrailWith = (items: TimelineEntry[]) => fakeCollector('cloudtrail', async () => ({ items }));

async function arrange(o: { collectors?: Collector[]; notices?: Partial<InvestigationNotices>; service?: Partial<InvestigationServiceOptions> } = {}) {
  const store = new MemoryStore();
  const decision = route(loadRulesFile('src/rules/default.yml', CHANNEL).ruleSet, FINDING, NOW);
  await store.insertFinding({ ...receivedRecord(FINDING, decision, new Date(NOW).toISOString()), state: 'posted', channel: CHANNEL, ts: THREAD });
  const notices = recordingPort<InvestigationNotices>({
    questionsAsked: async () => ({ channel: CHANNEL, ts: 'questions.1' }),
    gatheringStarted: async () => ({ channel: CHANNEL, ts: 'progress.1' }),
    adHocRequested: async (e) => ({ channel: e.channel, ts: 'adhoc.1' }),
    ...o.notices,
  });
  const audited: AuditEntry[] = [];
  const service = new InvestigationService({
    store,
    notices: notices.port,
    logger: silentLogger(),
    collectors: () => o.collectors ?? [cloudTrailWith([])],
    awsNow: () => NOW,
    clock: () => NOW,
    access: { check: async (user) => (user === RESPONDER ? { allowed: true } : { allowed: false, reason: 'this needs the responder role' }) },
    audit: { record: async (e) => void audited.push(e) },
    ...o.service,
  });
  return { store, notices, service, audited };
}

type Of<K extends keyof InvestigationNotices> = Parameters<InvestigationNotices[K]>[0];
const only = <K extends keyof InvestigationNotices>(calls: unknown[][], _method: K): Of<K> => {
  expect(calls).toHaveLength(1);
  return calls[0]?.[0] as Of<K>;
};
const ids = (questions: Question[]) => questions.map((q) => q.id);

describe('investigation use case', () => {
  it('asks the open questions once, however often it is started', async () => {
    const { store, notices, service } = await arrange();

    await service.start(FINDING.id, CHANNEL, THREAD);
    await service.start(FINDING.id, CHANNEL, THREAD);

    const asked = only(notices.callsTo('questionsAsked'), 'questionsAsked');
    expect(ids(asked.open)).toEqual(['exposedAt', 'rotated']);
    expect(asked.thread).toEqual({ investigationId: ID, channel: CHANNEL, threadTs: THREAD, startedAt: new Date(NOW).toISOString() });
    expect(asked.answers).toMatchObject({ accessKeyId: 'AKIAEXPOSEDKEY000001', principal: 'ci-deployer' });
    expect(asked.again).toBe(false);
    expect(await store.getInvestigation(ID)).toMatchObject({ state: 'asked', questionsTs: 'questions.1' });
  });

  it("records a responder's answer and shows what is still open", async () => {
    const { store, notices, service, audited } = await arrange();
    await service.start(FINDING.id, CHANNEL, THREAD);

    const outcome = await service.answer(ID, 'rotated', 'no', RESPONDER);

    expect(outcome).toEqual({ ok: true, open: ['exposedAt'], disputed: [] });
    const recorded = only(notices.callsTo('answersRecorded'), 'answersRecorded');
    expect(recorded).toMatchObject({ by: RESPONDER, questions: { channel: CHANNEL, ts: 'questions.1' }, disputed: [] });
    expect(ids(recorded.open)).toEqual(['exposedAt']);
    expect(recorded.answers.rotated).toBe('no');
    const stored = (await store.getInvestigation(ID))?.answers;
    expect(stored).toMatchObject({ rotated: 'no', answeredBy: { rotated: RESPONDER } });
    expect(audited.map((a) => [a.action, a.outcome])).toEqual([['investigation.answer', 'executed']]);
  });

  it('refuses, and tells nobody, an answer from someone who is not a responder', async () => {
    const { notices, service, audited } = await arrange();
    await service.start(FINDING.id, CHANNEL, THREAD);

    const outcome = await service.answer(ID, 'rotated', 'no', 'U0MALLORY');

    expect(outcome).toMatchObject({ ok: false, kind: 'refused' });
    expect(notices.callsTo('answersRecorded')).toHaveLength(0);
    expect(audited.map((a) => a.outcome)).toEqual(['refused']);
  });

  it('keeps the known value and records a differing answer beside it', async () => {
    const { store, notices, service } = await arrange();
    await service.start(FINDING.id, CHANNEL, THREAD);

    const outcome = await service.answer(ID, 'accessKeyId', 'AKIAEXPOSEDKEY000002', RESPONDER);

    expect(outcome).toMatchObject({ ok: true, disputed: [{ question: 'accessKeyId', kept: 'AKIAEXPOSEDKEY000001' }] });
    const recorded = only(notices.callsTo('answersRecorded'), 'answersRecorded');
    expect(recorded.disputed).toEqual(outcome.ok ? outcome.disputed : []);
    const stored = (await store.getInvestigation(ID))?.answers;
    expect(stored?.accessKeyId).toBe('AKIAEXPOSEDKEY000001');
    expect(stored?.disputed?.accessKeyId).toEqual([{ value: 'AKIAEXPOSEDKEY000002', by: RESPONDER, at: new Date(NOW).toISOString() }]);
  });

  it('gathers once when Investigate now is clicked twice at once', async () => {
    const cloudTrail = cloudTrailWith([entry(1)]);
    const { store, notices, service } = await arrange({ collectors: [cloudTrail] });
    await service.start(FINDING.id, CHANNEL, THREAD);

    const outcomes = await Promise.all([service.investigateNow(ID, RESPONDER), service.investigateNow(ID, RESPONDER)]);
    await service.idle();

    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(cloudTrail.calls).toBe(1);
    expect(notices.callsTo('gatheringStarted')).toHaveLength(1);
    expect(notices.callsTo('investigationSummarized')).toHaveLength(1);
    expect(await store.getInvestigation(ID)).toMatchObject({ state: 'summarized', progressTs: 'progress.1' });
  });

  it('tells the result with its summary, the timeline files and the remediations offered', async () => {
    const timeline = [entry(1), entry(2, { action: 'CreateUser', tactics: ['Persistence'], highlights: ['created an IAM user'] })];
    const offered: OfferedRemediation[] = [{ offerId: 'offer-1', remediationId: 'deactivate-access-key', label: 'Deactivate the key' }];
    const { store, notices, service } = await arrange({ collectors: [cloudTrailWith(timeline)], service: { nextSteps: async () => offered } });
    await service.start(FINDING.id, CHANNEL, THREAD);

    await service.investigateNow(ID, RESPONDER);
    await service.idle();

    expect(notices.methods()).toEqual(['questionsAsked', 'gatheringStarted', 'gatheringProgressed', 'investigationSummarized', 'timelineShared']);
    const progressed = only(notices.callsTo('gatheringProgressed'), 'gatheringProgressed');
    expect(progressed.progress).toEqual({ channel: CHANNEL, ts: 'progress.1' });
    expect(progressed.sources).toEqual([{ source: 'cloudtrail', pages: 0, items: 0, done: true }]);
    const result = only(notices.callsTo('investigationSummarized'), 'investigationSummarized');
    expect(result.summary.timeframe.events).toBe(2);
    expect(result.timeline.map((e) => e.action)).toEqual(['ListBuckets', 'CreateUser']);
    expect(result.nextSteps).toEqual(offered);
    const shared = only(notices.callsTo('timelineShared'), 'timelineShared');
    expect(shared.finding.id).toBe(FINDING.id);
    expect(shared.timeline).toHaveLength(2);
    const kept = (await store.getInvestigation(ID))?.result;
    expect(kept).toMatchObject({ events: 2, summary: { text: result.summary.text } });
    const highlights = kept && 'highlights' in kept ? kept.highlights : [];
    // Only highlighted entries are kept with the result (the timeline adds its own highlights, such as a first source IP).
    expect(highlights).toEqual(result.timeline.filter((e) => e.highlights.length > 0));
    expect(highlights.map((e) => e.action)).toContain('CreateUser');
  });

  it('is stored as summarized before its timeline files are shared (a case opened meanwhile drafts from its conclusions)', async () => {
    let stateWhileSharing: string | undefined;
    const { store, service } = await arrange({
      collectors: [cloudTrailWith([entry(1)])],
      notices: {
        timelineShared: async () => {
          stateWhileSharing = (await store.getInvestigation(ID))?.state;
        },
      },
    });
    await service.start(FINDING.id, CHANNEL, THREAD);

    await service.investigateNow(ID, RESPONDER);
    await service.idle();

    expect(stateWhileSharing).toBe('summarized');
  });

  it('a thread move keeps what a follow-up question merged into the record meanwhile (compare-and-set, not a blind write)', async () => {
    const { store, service } = await arrange({ collectors: [cloudTrailWith([entry(1)])] });
    await service.start(FINDING.id, CHANNEL, THREAD);
    await service.investigateNow(ID, RESPONDER);
    await service.idle();
    const WINDOW = { start: '2026-11-21T09:00:00.000Z', end: '2026-11-21T11:00:00.000Z' };
    // Another process merges a question's answer between the move's read and its write.
    const transition = store.transitionInvestigation.bind(store);
    let raced = false;
    store.transitionInvestigation = async (expected, next) => {
      if (!raced) {
        raced = true;
        const current = (await store.getInvestigation(ID))!;
        const result = current.result as { followUps?: unknown[] };
        const asked = { at: '2026-11-21T12:00:04.000Z', via: 'event-history', window: WINDOW, events: 1, queries: ['LookupEvents AccessKeyId'] };
        await transition(current, {
          ...current,
          result: { ...current.result, followUps: [...(result.followUps ?? []), asked] } as typeof current.result,
          updatedAt: '2026-11-21T12:00:05.000Z',
        });
      }
      return transition(expected, next);
    };

    await service.moveThread(FINDING.id, CHANNEL, '1795780900.000100');

    const record = (await store.getInvestigation(ID))!;
    expect(record.threadTs).toBe('1795780900.000100');
    expect((record.result as { followUps?: Array<{ at: string }> }).followUps?.map((f) => f.at)).toEqual(['2026-11-21T12:00:04.000Z']);
  });

  it('shares no timeline files when nothing was found', async () => {
    const { notices, service } = await arrange({ collectors: [cloudTrailWith([])] });
    await service.start(FINDING.id, CHANNEL, THREAD);

    await service.investigateNow(ID, RESPONDER);
    await service.idle();

    expect(notices.callsTo('investigationSummarized')).toHaveLength(1);
    expect(notices.callsTo('timelineShared')).toHaveLength(0);
  });

  it('turns a failing collector into a limiting factor of the summary', async () => {
    const broken = fakeCollector('cloudtrail', async () => {
      throw new Error('ThrottlingException: Rate exceeded');
    });
    const { store, notices, service } = await arrange({ collectors: [broken, fakeCollector('iam', async () => ({}))] });
    await service.start(FINDING.id, CHANNEL, THREAD);

    await service.investigateNow(ID, RESPONDER);
    await service.idle();

    const result = only(notices.callsTo('investigationSummarized'), 'investigationSummarized');
    expect(result.summary.limitingFactors).toContainEqual(
      expect.objectContaining({ source: 'cloudtrail', reason: 'failed', detail: 'ThrottlingException: Rate exceeded' }),
    );
    expect((await store.getInvestigation(ID))?.state).toBe('summarized');
  });

  it('marks the investigation failed, and says no result, when gathering cannot finish', async () => {
    const { store, notices, service } = await arrange({
      notices: {
        gatheringProgressed: async () => {
          throw new Error('message_not_found');
        },
      },
    });
    await service.start(FINDING.id, CHANNEL, THREAD);

    await service.investigateNow(ID, RESPONDER);
    await service.idle();

    expect(notices.callsTo('investigationSummarized')).toHaveLength(0);
    const stored = await store.getInvestigation(ID);
    expect(stored?.state).toBe('failed');
    expect(stored?.result).toEqual({ error: 'Error: message_not_found' });
  });

  it('keeps an answer whose message cannot be updated', async () => {
    const { store, service } = await arrange({
      notices: {
        answersRecorded: async () => {
          throw new Error('slack is down');
        },
      },
    });
    await service.start(FINDING.id, CHANNEL, THREAD);

    expect(await service.answer(ID, 'rotated', 'no', RESPONDER)).toMatchObject({ ok: true });
    expect((await store.getInvestigation(ID))?.answers).toMatchObject({ rotated: 'no' });
  });

  it('says an ad-hoc investigation was requested, then asks in its thread', async () => {
    const { notices, service } = await arrange();

    const record = await service.startAdHoc({
      requestId: 'req-1',
      target: { type: 'accessKey', value: 'AKIAEXPOSEDKEY000001' },
      account: '111122223333',
      region: 'us-east-1',
      since: '2026-11-20T00:00:00Z',
      channel: CHANNEL,
      requestedBy: RESPONDER,
    });

    const requested = only(notices.callsTo('adHocRequested'), 'adHocRequested');
    expect(requested).toMatchObject({ channel: CHANNEL, target: { type: 'accessKey', value: 'AKIAEXPOSEDKEY000001' }, requestedBy: RESPONDER });
    expect(requested.threadTs).toBeUndefined();
    expect(record).toMatchObject({ channel: CHANNEL, threadTs: 'adhoc.1' });
    expect(notices.methods()[0]).toBe('adHocRequested');
  });
});
