import { describe, expect, it } from 'vitest';
import { validateBlocks } from '../../src/emulator/slack/block-kit.ts';
import type { TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import { EVENTS_SHOWN, questionAnswerMessage, questionRefusedMessage } from '../../src/slack/views/follow-up.ts';
import { messageTexts } from '../support/slack-text.ts';

const HOSTILE = '<!channel> *pwned* <https://evil.example|login here> & @here `x`';

function entry(i: number): TimelineEntry {
  return {
    id: `e${i}`,
    time: new Date(Date.parse('2026-11-21T10:00:00Z') + i * 1000).toISOString(),
    source: 'cloudtrail',
    action: `Create${HOSTILE}`,
    service: 'iam.amazonaws.com',
    actor: `arn:aws:iam::111122223333:user/${HOSTILE}${i % 3}`,
    actorType: 'IAMUser',
    accessKeyId: 'AKIAEXAMPLE000000001',
    sourceIp: HOSTILE,
    userAgent: null,
    resources: [`${HOSTILE}${'r'.repeat(3000)}`],
    errorCode: HOSTILE,
    accountId: '111122223333',
    region: 'us-east-1',
    tactics: [],
    highlights: [],
  };
}

const entries = Array.from({ length: 500 }, (_, i) => entry(i));
/** SQL as a long-term store would send it: long, with quotes and backticks from attacker-named values. */
const queries = Array.from(
  { length: 40 },
  (_, i) => `SELECT * FROM trail WHERE useridentity.username = '${HOSTILE.replaceAll("'", "''")}' AND n = ${i} ${'x'.repeat(400)}`,
);
const result = { via: 'athena', entries, searched: [], limitingFactors: [{ source: 'athena', reason: 'truncated' as const, detail: HOSTILE }], queries };

describe('follow-up question views', () => {
  it('an answer with hostile events, 500 of them and 40 long queries stays within Block Kit limits, escaped, the rest in files', () => {
    for (const wants of ['events', 'principals'] as const) {
      const { message, needsFiles } = questionAnswerMessage({
        by: 'U0ALICE',
        question: HOSTILE,
        read: { by: 'model', understood: [HOSTILE], wants },
        result,
        refusedBy: [{ via: 'event-history', reason: HOSTILE }],
      });
      expect(validateBlocks(message.blocks)).toEqual([]);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      const text = messageTexts(message).join('\n');
      expect(text).not.toMatch(/<!channel>|<https:\/\/evil|@here\b/);
      expect(needsFiles).toEqual({ events: true, queries: true });
      expect(text).toContain('Read by the model (translated into the same bounded query) as:');
      expect(text).toContain('The queries that did not fit are in the file below.');
      if (wants === 'events') expect(text.split('\n').filter((l) => l.startsWith('• ')).length).toBeLessThanOrEqual(EVENTS_SHOWN);
      else expect(text.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(3);
    }
  });

  it('a refusal is escaped and says why each source could not answer', () => {
    const message = questionRefusedMessage({
      by: 'U0ALICE',
      question: HOSTILE,
      reason: HOSTILE,
      refusedBy: [{ via: 'event-history', reason: 'event history cannot search by source IP' }],
    });
    expect(validateBlocks(message.blocks)).toEqual([]);
    const text = messageTexts(message).join('\n');
    expect(text).not.toMatch(/<!channel>|<https:\/\/evil/);
    expect(text).toContain('CloudTrail event history (LookupEvents) could not: event history cannot search by source IP.');
  });

  it('says which regions were searched, and names the ones that failed', () => {
    const small = { via: 'event-history', entries: entries.slice(0, 1), searched: [], limitingFactors: [], queries: ['LookupEvents …'] };
    const read = { by: 'grammar' as const, understood: ['access key AKIAEXAMPLE000000001'], wants: 'events' as const };
    const coverage = {
      accountId: '111122223333',
      enabled: ['ap-southeast-2', 'eu-west-3', 'us-east-1'],
      via: 'account:ListRegions',
      searched: ['us-east-1', 'ap-southeast-2'],
      failed: [{ region: 'eu-west-3', detail: 'AccessDeniedException' }],
    };
    const partial = messageTexts(questionAnswerMessage({ by: 'U0ALICE', question: 'q', read, result: small, refusedBy: [], coverage }).message).join('\n');
    expect(partial).toContain("CloudTrail was searched in 111122223333's us-east-1, ap-southeast-2; not in eu-west-3.");
    const all = { ...coverage, searched: ['us-east-1', 'ap-southeast-2', 'eu-west-3'], failed: [] };
    const everywhere = messageTexts(questionAnswerMessage({ by: 'U0ALICE', question: 'q', read, result: small, refusedBy: [], coverage: all }).message).join(
      '\n',
    );
    expect(everywhere).toContain('CloudTrail was searched in every enabled region of 111122223333 (us-east-1, ap-southeast-2, eu-west-3).');
  });
});
