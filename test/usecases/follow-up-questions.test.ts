import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/actions/audit.ts';
import { receivedRecord } from '../../src/delivery/finding-records.ts';
import type { Finding } from '../../src/domain/finding.ts';
import type { EventQuery } from '../../src/domain/investigation/event-query.ts';
import { route } from '../../src/domain/routing/evaluate.ts';
import { loadRulesFile } from '../../src/config/rules-file.ts';
import { normalizeText } from '../../src/ingest/normalize.ts';
import { FollowUpQuestions } from '../../src/investigation/follow-ups.ts';
import { investigationIdFor } from '../../src/investigation/service.ts';
import type { EventSearch, EventSearchResult } from '../../src/ports/event-search.ts';
import type { QuestionNotices } from '../../src/ports/notices/questions.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { recordingPort } from '../support/recording-port.ts';

/** The use case with stand-in sources: which one answers, and what the thread is told about the others. */
const FINDING: Finding = normalizeText(readFileSync('src/scenarios/exposed-access-key/finding.json', 'utf8')).findings[0] as Finding;
const CHANNEL = 'C0SECURITY';
const THREAD = '1795780800.000100';
const NOW = Date.parse('2026-11-21T12:00:00Z');
const TS = `${NOW / 1000}.000200`;

function source(via: string, refuses: (q: EventQuery) => string | null): EventSearch & { searched: EventQuery[] } {
  const searched: EventQuery[] = [];
  return {
    via,
    searched,
    refuses,
    async search(q): Promise<EventSearchResult> {
      searched.push(q);
      return { via, entries: [], searched: [], limitingFactors: [], queries: [`SELECT … FROM ${via}`] };
    },
  };
}

async function arrange(searches: EventSearch[]) {
  const store = new MemoryStore();
  const decision = route(loadRulesFile('src/rules/default.yml', CHANNEL).ruleSet, FINDING, NOW);
  await store.insertFinding({ ...receivedRecord(FINDING, decision, new Date(NOW).toISOString()), state: 'posted', channel: CHANNEL, ts: THREAD });
  await store.insertInvestigation({
    id: investigationIdFor(FINDING.id),
    findingId: FINDING.id,
    channel: CHANNEL,
    threadTs: THREAD,
    state: 'gathering',
    answers: {},
    questionsTs: null,
    progressTs: null,
    result: null,
    createdAt: new Date(NOW).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
  });
  const notices = recordingPort<QuestionNotices>();
  const audited: AuditEntry[] = [];
  const questions = new FollowUpQuestions({
    store,
    notices: notices.port,
    logger: silentLogger(),
    searches: () => searches,
    awsNow: () => NOW,
    clock: () => NOW,
    access: { check: async (user) => (user === 'U0ALICE' ? { allowed: true } : { allowed: false, reason: 'this needs the responder role' }) },
    audit: { record: async (e) => void audited.push(e) },
  });
  const ask = (text: string, ts = TS) => questions.ask({ channel: CHANNEL, threadTs: THREAD, ts, text, userId: 'U0ALICE', mentionsBot: false });
  return { notices, audited, ask };
}

describe('follow-up questions use case', () => {
  it('runs the first source that does not refuse, and says why the ones before it did', async () => {
    const history = source('event-history', (q) => (q.match.sourceIps.length ? 'event history cannot search by source IP' : null));
    const lake = source('cloudtrail-lake', () => null);
    const { notices, ask } = await arrange([history, lake]);

    expect(await ask('anything from 203.0.113.7 in the last 30 days?')).toEqual({ ok: true, answered: true });
    expect(history.searched).toEqual([]);
    expect(lake.searched.map((q) => q.match.sourceIps)).toEqual([['203.0.113.7']]);
    const [answered] = notices.callsTo('questionAnswered')[0] as [Parameters<QuestionNotices['questionAnswered']>[0]];
    expect(answered.result.via).toBe('cloudtrail-lake');
    expect(answered.refusedBy).toEqual([{ via: 'event-history', reason: 'event history cannot search by source IP' }]);
    expect(answered.key).toBe(`question:${CHANNEL}:${TS}`);

    // A key event history can search: it answers, and the Lake is not asked.
    expect(await ask('what did this key do after 09:00?', `${NOW / 1000}.000300`)).toEqual({ ok: true, answered: true });
    expect(history.searched).toHaveLength(1);
    expect(lake.searched).toHaveLength(1);
  });

  it('when every source refuses, nothing runs and each reason is said', async () => {
    const lake = source('cloudtrail-lake', () => 'no event data store is configured');
    const history = source('event-history', () => 'event history cannot search by source IP');
    const { notices, audited, ask } = await arrange([history, lake]);
    expect(await ask('anything from 203.0.113.7 in the last 30 days?')).toEqual({ ok: true, answered: false });
    const [refused] = notices.callsTo('questionRefused')[0] as [Parameters<QuestionNotices['questionRefused']>[0]];
    expect(refused.reason).toBe('no configured source can answer this query');
    expect(refused.refusedBy.map((r) => r.via)).toEqual(['event-history', 'cloudtrail-lake']);
    expect(audited.map((a) => [a.action, a.outcome])).toEqual([['investigation.question', 'failed']]);
    // The same message again (a retry): claimed already, nothing more is said.
    expect(await ask('anything from 203.0.113.7 in the last 30 days?')).toEqual({ ok: true, answered: false });
    expect(notices.callsTo('questionRefused')).toHaveLength(1);
  });
});
