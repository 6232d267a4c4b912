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
import type { InvestigationSummary } from '../../src/domain/investigation/summary.ts';
import type { TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import { conclusionsOf } from '../../src/investigation/records.ts';
import type { EnabledRegions } from '../../src/ports/enabled-regions.ts';
import type { InvestigationConclusions, InvestigationRecord } from '../../src/ports/store.ts';
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

function entry(id: string, time: string, action: string, region = 'us-east-1'): TimelineEntry {
  return {
    id,
    time,
    source: 'cloudtrail',
    action,
    service: 'ec2.amazonaws.com',
    actor: 'arn:aws:iam::111122223333:user/ci-deployer',
    actorType: 'IAMUser',
    accessKeyId: 'AKIAEXPOSEDKEY000001',
    sourceIp: '203.0.113.50',
    userAgent: null,
    resources: [],
    errorCode: null,
    accountId: '111122223333',
    region,
    tactics: [],
    highlights: [],
  };
}

/** A summarized investigation: its timeline had `gathered` (one of them highlighted). */
function summarized(gathered: TimelineEntry[]): InvestigationConclusions {
  return conclusionsOf({
    summary: { text: 'summary' } as InvestigationSummary,
    window: { start: '2026-11-20T14:00:00.000Z', end: '2026-11-21T10:11:00.000Z' },
    timeline: gathered.map((e, i) => (i === 0 ? { ...e, highlights: ['first seen source IP 203.0.113.50'] } : e)),
  });
}

async function arrange(searches: EventSearch[], o: { store?: MemoryStore; result?: InvestigationConclusions; regions?: EnabledRegions } = {}) {
  const store = o.store ?? new MemoryStore();
  const decision = route(loadRulesFile('src/rules/default.yml', CHANNEL).ruleSet, FINDING, NOW);
  await store.insertFinding({ ...receivedRecord(FINDING, decision, new Date(NOW).toISOString()), state: 'posted', channel: CHANNEL, ts: THREAD });
  await store.insertInvestigation({
    id: investigationIdFor(FINDING.id),
    findingId: FINDING.id,
    channel: CHANNEL,
    threadTs: THREAD,
    state: o.result ? 'summarized' : 'gathering',
    answers: {},
    questionsTs: null,
    progressTs: null,
    result: o.result ?? null,
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
    ...(o.regions ? { regions: o.regions } : {}),
  });
  const ask = (text: string, ts = TS) => questions.ask({ channel: CHANNEL, threadTs: THREAD, ts, text, userId: 'U0ALICE', mentionsBot: false });
  const stored = async () => (await store.getInvestigation(investigationIdFor(FINDING.id)))?.result as InvestigationConclusions;
  return { notices, audited, ask, stored };
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

  it('a question naming no region searches every enabled region (the finding’s first); a failed region is named; without the list, the finding’s region and us-east-1, said', async () => {
    const asked: string[] = [];
    const regions: EnabledRegions = {
      of: async (account) => (asked.push(account), { regions: ['eu-west-3', 'us-east-1', 'ap-southeast-2', 'us-west-2'], via: 'account:ListRegions' }),
    };
    const history: EventSearch & { searched: EventQuery[] } = {
      ...source('event-history', () => null),
      async search(q) {
        history.searched.push(q);
        return {
          via: 'event-history',
          entries: [],
          searched: [],
          limitingFactors: [{ source: 'cloudtrail', reason: 'access-denied', detail: 'CloudTrail in 111122223333/eu-west-3: 1 of 1 lookup failed' }],
          queries: [],
          regions: { searched: q.regions.filter((r) => r !== 'eu-west-3'), failed: [{ region: 'eu-west-3', detail: 'AccessDeniedException' }] },
        };
      },
    };
    const { notices, ask, audited } = await arrange([history], { regions });
    await ask('what did this key do after 09:00?');
    expect(asked).toEqual([FINDING.accountId]);
    expect(history.searched[0]?.regions).toEqual(['us-east-1', 'ap-southeast-2', 'eu-west-3', 'us-west-2']);
    const [answered] = notices.callsTo('questionAnswered')[0] as [Parameters<QuestionNotices['questionAnswered']>[0]];
    expect(answered.read.understood).toContain(`in every enabled region of ${FINDING.accountId} (4)`);
    expect(answered.coverage).toEqual({
      accountId: FINDING.accountId,
      enabled: ['eu-west-3', 'us-east-1', 'ap-southeast-2', 'us-west-2'],
      via: 'account:ListRegions',
      searched: ['us-east-1', 'ap-southeast-2', 'us-west-2'],
      failed: [{ region: 'eu-west-3', detail: 'AccessDeniedException' }],
    });
    expect(answered.result.limitingFactors.map((f) => f.detail)).toEqual(['CloudTrail in 111122223333/eu-west-3: 1 of 1 lookup failed']);
    expect(audited[0]?.result).toMatchObject({ regions: { searched: ['us-east-1', 'ap-southeast-2', 'us-west-2'], failed: ['eu-west-3'] } });

    const unknown = source('event-history', () => null);
    const fallback = await arrange([unknown], { regions: { of: async () => ({ regions: null, via: 'account:ListRegions: AccessDenied' }) } });
    await fallback.ask('what did this key do after 09:00?');
    expect(unknown.searched[0]?.regions).toEqual([FINDING.region, 'us-east-1'].filter((r, i, all) => all.indexOf(r) === i));
    const [said] = fallback.notices.callsTo('questionAnswered')[0] as [Parameters<QuestionNotices['questionAnswered']>[0]];
    expect(said.read.understood).toEqual(expect.arrayContaining([expect.stringMatching(/the account’s enabled regions could not be listed\)$/)]));
    expect(said.result.limitingFactors).toEqual([
      expect.objectContaining({ reason: 'not-searched', detail: expect.stringContaining('could not be listed (account:ListRegions: AccessDenied)') }),
    ]);
  });

  it('two questions answered at once both extend the investigation’s timeline: deduplicated by event id, marked, neither lost', async () => {
    const gathered = [entry('g1', '2026-11-21T10:00:00Z', 'GetCallerIdentity'), entry('g2', '2026-11-21T10:01:00Z', 'ListBuckets')];
    const found: Record<string, TimelineEntry[]> = {
      AccessKeyId: [gathered[1] as TimelineEntry, entry('q1', '2026-11-20T09:00:00Z', 'DescribeRegions', 'ap-southeast-2')],
      ResourceName: [entry('q2', '2026-11-21T11:00:00Z', 'PutObject'), entry('q1', '2026-11-20T09:00:00Z', 'DescribeRegions', 'ap-southeast-2')],
    };
    const history: EventSearch = {
      via: 'event-history',
      refuses: () => null,
      async search(q) {
        return {
          via: 'event-history',
          entries: q.match.accessKeyIds.length ? (found.AccessKeyId as TimelineEntry[]) : (found.ResourceName as TimelineEntry[]),
          searched: [],
          limitingFactors: [],
          queries: ['LookupEvents …'],
        };
      },
    };
    // Both questions read the record before either writes: the second write finds it changed, reads again and merges again.
    let waiting: Array<() => void> = [];
    let writes = 0;
    class RacingStore extends MemoryStore {
      override async transitionInvestigation(expected: Pick<InvestigationRecord, 'id' | 'state' | 'updatedAt'>, next: InvestigationRecord) {
        writes++;
        if (writes <= 2) {
          await new Promise<void>((resolve) => {
            waiting.push(resolve);
            if (waiting.length === 2) for (const go of waiting.splice(0)) go();
          });
        }
        return super.transitionInvestigation(expected, next);
      }
    }
    const before = summarized(gathered);
    const { ask, stored } = await arrange([history], { store: new RacingStore(), result: before });
    const outcomes = await Promise.all([
      ask('what did this key do since yesterday?', `${NOW / 1000}.000400`),
      ask('show S3 activity on acme-build-artifacts', `${NOW / 1000}.000500`),
    ]);
    expect(outcomes).toEqual([
      { ok: true, answered: true },
      { ok: true, answered: true },
    ]);
    expect(writes).toBe(3);
    const after = await stored();
    // g2 was in the gathered timeline (not kept, only its id's digest): not counted again; q1, found by both, once.
    expect(after.events).toBe(before.events + 2);
    expect(after.highlights.map((e) => e.id)).toEqual(['q1', 'g1', 'q2']);
    const marks = Object.fromEntries(after.highlights.map((e) => [e.id, e.highlights]));
    expect(marks.g1).toEqual(['first seen source IP 203.0.113.50']);
    expect(marks.q1).toEqual([
      expect.stringMatching(
        /^found by a question in the thread: “(what did this key do since yesterday\?|show S3 activity on acme-build-artifacts)” \(event-history, /,
      ),
    ]);
    expect(marks.q2).toEqual([expect.stringMatching(/^found by a question in the thread: “show S3 activity on acme-build-artifacts” \(event-history, /)]);
    expect(after.followUps?.map((f) => [f.question, f.events]).sort()).toEqual([
      ['show S3 activity on acme-build-artifacts', 2],
      ['what did this key do since yesterday?', 2],
    ]);
    expect(after.followUps?.reduce((n, f) => n + (f.added ?? 0), 0)).toBe(2);
    waiting = [];
  });
});
