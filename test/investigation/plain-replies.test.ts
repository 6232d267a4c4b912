import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receivedRecord } from '../../src/delivery/finding-records.ts';
import { prefill } from '../../src/domain/investigation/playbooks.ts';
import { route } from '../../src/domain/routing/evaluate.ts';
import { loadRulesFile } from '../../src/config/rules-file.ts';
import { normalizeText } from '../../src/ingest/normalize.ts';
import { InvestigationService, investigationIdFor } from '../../src/investigation/service.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { RateLimitedPoster } from '../../src/slack/poster.ts';
import { SlackInvestigationNotices } from '../../src/slack/notifier/investigation.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack.ts';
import { messageTexts } from '../support/slack-text.ts';

/**
 * The service's side of plain replies, with workers that share only the store and Slack
 * (two Lambda workers, or a process before and after a restart): the note of what is
 * expected is posted once per set of open questions whichever worker reads the reply,
 * and a responder's Slack time zone is asked for only when a local time needs it.
 */
const SCENARIO = 'src/scenarios/exposed-access-key';
const TOKEN = 'xoxb-plain-replies';
const WRITTEN = `${Date.parse('2026-11-21T12:00:00Z') / 1000}.000200`;

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack({ token: TOKEN, limits: { 'chat.postMessage': { limit: 50, windowMs: 1000, scope: 'channel' } } });
});
afterAll(async () => {
  await slack.emulator.close();
});

function worker(store: MemoryStore): InvestigationService {
  return new InvestigationService({
    store,
    notices: new SlackInvestigationNotices(
      new RateLimitedPoster(
        TOKEN,
        { postPerChannel: { intervalCap: 20, intervalMs: 1000 }, update: { intervalCap: 600, intervalMs: 60_000 } },
        { slackApiUrl: slack.emulator.url },
      ),
    ),
    logger: silentLogger(),
    collectors: () => [],
    awsNow: () => Date.parse('2026-11-21T12:00:00Z'),
    // Gathering is not what is tested here: it is left queued.
    schedule: async () => undefined,
    access: {
      check: async (user) => (user === 'U0ALICE' ? { allowed: true } : { allowed: false, reason: 'this needs the responder role, which you do not have' }),
    },
  });
}

async function investigationInThread(store: MemoryStore): Promise<{ channel: string; ts: string; id: string }> {
  const finding = normalizeText(readFileSync(`${SCENARIO}/finding.json`, 'utf8')).findings[0]!;
  const decision = route(loadRulesFile('src/rules/default.yml', '#security-findings').ruleSet, finding, Date.now());
  const root = await slack.webClient().chat.postMessage({ channel: decision.channel, text: 'the finding' });
  const [channel, ts] = [root.channel as string, root.ts as string];
  await store.insertFinding({ ...receivedRecord(finding, decision, new Date().toISOString()), state: 'posted', ts, channel });
  const id = investigationIdFor(finding.id);
  const now = new Date().toISOString();
  await store.insertInvestigation({
    id,
    findingId: finding.id,
    channel,
    threadTs: ts,
    state: 'asked',
    answers: prefill(finding),
    questionsTs: null,
    progressTs: null,
    result: null,
    createdAt: now,
    updatedAt: now,
  });
  return { channel, ts, id };
}

const texts = (channel: string, ts: string) => slack.emulator.state.thread(channel, ts).map((m) => messageTexts({ blocks: m.blocks }).join('\n'));

describe('plain replies, service side', () => {
  it('says what is expected once per set of open questions, whichever worker reads the reply', async () => {
    const store = new MemoryStore();
    const { channel, ts } = await investigationInThread(store);
    const [a, b] = [worker(store), worker(store)];

    expect(await a.reply(channel, ts, 'looking into it', 'U0ALICE', { ts: WRITTEN })).toBeNull();
    // Another worker, with no memory of the first: the post's key is found in the thread.
    expect(await b.reply(channel, ts, 'still looking', 'U0ALICE', { ts: WRITTEN })).toBeNull();
    // Not a responder, addressed to someone, or only emoji: nothing.
    expect(await b.reply(channel, ts, 'what is this about', 'U0EVE', { ts: WRITTEN })).toBeNull();
    expect(await a.reply(channel, ts, '<@U0BOB> can you check the VPC logs', 'U0ALICE', { ts: WRITTEN })).toBeNull();
    expect(texts(channel, ts).filter((x) => x.startsWith(':grey_question:'))).toHaveLength(1);

    // Other open questions are another set: the note is said again, once.
    expect(await a.reply(channel, ts, 'not rotated yet', 'U0ALICE', { ts: WRITTEN })).toMatchObject({ ok: true, open: ['exposedAt'] });
    expect(await b.reply(channel, ts, 'hmm', 'U0ALICE', { ts: WRITTEN })).toBeNull();
    expect(await a.reply(channel, ts, 'hmm again', 'U0ALICE', { ts: WRITTEN })).toBeNull();
    const notes = texts(channel, ts).filter((x) => x.startsWith(':grey_question:'));
    expect(notes).toHaveLength(2);
    expect(notes[1]).toContain('When were the credentials first exposed');
    expect(notes[1]).not.toContain('rotated');
  });

  it('reads local times in the responder’s Slack time zone, asked only when a local time needs it', async () => {
    const store = new MemoryStore();
    const { channel, ts, id } = await investigationInThread(store);
    const asked: string[] = [];
    const zone = async () => {
      asked.push('tz');
      return 'Europe/Paris';
    };
    const service = worker(store);
    // Counted back from the reply: no zone needed, none asked.
    expect(await service.reply(channel, ts, 'deactivated 2 hours ago', 'U0ALICE', { ts: WRITTEN, zone })).toMatchObject({ ok: true });
    expect(asked).toEqual([]);
    // A non-responder's local time is refused before anyone's zone is looked up.
    expect(await service.reply(channel, ts, 'it leaked yesterday at 3pm', 'U0EVE', { ts: WRITTEN, zone })).toMatchObject({ ok: false, kind: 'refused' });
    expect(asked).toEqual([]);
    expect(await service.reply(channel, ts, 'it leaked yesterday at 3pm', 'U0ALICE', { ts: WRITTEN, zone })).toMatchObject({ ok: true, open: [] });
    expect(asked).toEqual(['tz']);
    expect((await store.getInvestigation(id))!.answers).toMatchObject({ exposedAt: '2026-11-20T14:00Z', rotated: 'deactivated' });
    const understood = texts(channel, ts).filter((x) => x.includes('*Understood*'));
    expect(understood[0]).toContain('rotated: yes (deactivated), at 21 Nov 2026 10:00 UTC.');
    expect(understood[1]).toContain('exposed at 20 Nov 2026 15:00 Europe/Paris (20 Nov 2026 14:00 UTC).');
    expect(understood[1]).not.toContain('assumed');
  });
});
