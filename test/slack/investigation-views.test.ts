import { describe, expect, it } from 'vitest';
import { validateBlocks } from '../../src/emulator/slack/block-kit.ts';
import { openQuestions, playbookFor, prefill } from '../../src/domain/investigation/playbooks.ts';
import { summarize } from '../../src/domain/investigation/summary.ts';
import { buildTimeline, type TimelineEntry } from '../../src/domain/investigation/timeline.ts';
import { ANSWER_EXAMPLES } from '../../src/domain/investigation/free-text-answers.ts';
import { questionsMessage, replyHelpMessage, summaryMessage, timelineLine, understoodMessage } from '../../src/slack/views/investigation.ts';
import { makeFinding } from '../support/findings.ts';
import { messageTexts } from '../support/slack-text.ts';

const HOSTILE = '<!channel> *pwned* <https://evil.example|login here> & @here `x`';

function entry(i: number, over: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    id: `e${i}`,
    time: new Date(Date.parse('2026-11-21T10:00:00Z') + i * 1000).toISOString(),
    source: 'cloudtrail',
    action: 'CreateUser',
    service: 'iam.amazonaws.com',
    actor: `arn:aws:iam::111122223333:user/${HOSTILE}`,
    actorType: 'IAMUser',
    accessKeyId: 'AKIAEXAMPLE000000001',
    sourceIp: '203.0.113.5',
    userAgent: `${HOSTILE}${'u'.repeat(5000)}`,
    resources: [`${HOSTILE}-bucket`],
    errorCode: null,
    accountId: '111122223333',
    region: 'us-east-1',
    tactics: ['Persistence'],
    highlights: [],
    ...over,
  };
}

describe('investigation views', () => {
  it('render attacker-controlled user agents, names and resources escaped, within Block Kit limits', () => {
    const timeline = buildTimeline(Array.from({ length: 200 }, (_, i) => entry(i)));
    const finding = makeFinding({ title: HOSTILE });
    const message = summaryMessage(
      summarize({ finding, timeline, limitingFactors: [{ source: 'iam', reason: 'failed', detail: HOSTILE }], containment: [HOSTILE] }),
      timeline,
    );
    expect(validateBlocks(message.blocks)).toEqual([]);
    for (const text of messageTexts(message)) {
      expect(text).not.toMatch(/<!channel>|<https:\/\/evil/);
      expect(text).not.toMatch(/(^|[^\u2060])@here/);
    }
    // The user agent is shown once per actor, escaped, not on every timeline line.
    const line = timelineLine(timeline[0] as TimelineEntry);
    expect(line).not.toContain('uuuu');
    const who = messageTexts(message).find((t) => t.startsWith('*Who*'));
    expect(who).toContain('`&lt;!channel&gt; *pwned* &lt;https://evil.example|login here&gt; &amp; @\u2060here ˋxˋ');
    expect(who?.split('pwned').length).toBe(2);
  });

  it('says how each subject is now in words, its facts escaped', () => {
    const finding = makeFinding({});
    const states = [
      { kind: 'instanceProfile' as const, id: 'reports-worker-profile', accountId: null, region: null, exists: true, owner: 'reports-worker-role', facts: [] },
      {
        kind: 'bucket' as const,
        id: 'examplecorp-customer-exports',
        accountId: null,
        region: 'us-east-2',
        exists: true,
        status: 'not public',
        facts: ['policy grants other account(s) 210987654321', HOSTILE],
      },
    ];
    const message = summaryMessage(summarize({ finding, timeline: [], limitingFactors: [], containment: [], states }), []);
    expect(validateBlocks(message.blocks)).toEqual([]);
    const now = messageTexts(message).find((t) => t.startsWith('*As it is now*')) ?? '';
    expect(now).toContain('• Instance profile `reports-worker-profile`: role reports-worker-role');
    expect(now).toContain('• Bucket `examplecorp-customer-exports`: not public; policy grants other account(s) 210987654321; ');
    expect(now).not.toMatch(/<!channel>|<https:\/\/evil/);
  });

  it('asks only the open questions, with a date picker, a select, text inputs and an Investigate now button', () => {
    const finding = makeFinding({ schema: 'guardduty', types: ['Recon:IAMUser/MaliciousIPCaller'], type: 'Recon:IAMUser/MaliciousIPCaller', resources: [] });
    const pb = playbookFor(finding);
    const known = prefill(finding);
    const message = questionsMessage('inv-1', openQuestions(pb, known), known);
    expect(validateBlocks(message.blocks)).toEqual([]);
    const kinds = message.blocks.map((b) => (b.type === 'section' && b.accessory ? b.accessory.type : b.type === 'input' ? b.element.type : b.type));
    expect(kinds).toEqual(['section', 'datepicker', 'plain_text_input', 'plain_text_input', 'static_select', 'actions']);
    expect(JSON.stringify(message.blocks)).toContain('investigation_start_now');
    expect(messageTexts(message).join('\n')).toContain('accountId: `111122223333`');
  });
});

describe('what a plain reply was understood as', () => {
  const QUESTIONS_OF = (
    finding = makeFinding({ schema: 'guardduty', types: ['Recon:IAMUser/MaliciousIPCaller'], type: 'Recon:IAMUser/MaliciousIPCaller', resources: [] }),
  ) => openQuestions(playbookFor(finding), prefill(finding));

  it('says each answer in words, with the zone assumed, what became of it and what is still open; echoed text escaped', () => {
    const message = understoodMessage({
      by: 'U0ALICE',
      reading: {
        answers: { exposedAt: '2026-11-20T15:00Z', accessKeyId: 'AKIAOTHERKEY00000001', rotated: 'deactivated' },
        errors: [`principal: ${HOSTILE} not taken`],
        zones: { exposedAt: { name: 'UTC', assumed: true }, rotatedAt: { name: 'UTC', assumed: true } },
        rotatedAt: '2026-11-21T06:00Z',
        notes: { rotated: 'morning taken as from 06:00' },
      },
      added: { taken: ['exposedAt', 'rotated'], disputed: ['accessKeyId'], unchanged: [], dropped: [] },
      kept: { accessKeyId: 'AKIAEXPOSEDKEY000001' },
      open: QUESTIONS_OF().slice(0, 1),
    });
    expect(validateBlocks(message.blocks)).toEqual([]);
    const [text] = messageTexts({ blocks: message.blocks });
    expect(text).toContain(
      ':white_check_mark: *Understood* (<@U0ALICE>): exposed at 20 Nov 2026 15:00 UTC (assumed UTC); access key `AKIAOTHERKEY00000001` (differs from the kept `AKIAEXPOSEDKEY000001`: recorded beside it); rotated: yes (deactivated), at 21 Nov 2026 06:00 UTC (assumed UTC) — morning taken as from 06:00.',
    );
    expect(text).toContain('Still open: _When were the credentials first exposed (or when could they have been)?_');
    expect(text).toContain('Not taken: principal: &lt;!channel&gt;');
    expect(text).toContain('times without a zone were read as UTC');
    for (const t of messageTexts(message)) expect(t).not.toMatch(/<!channel>|<https:\/\/evil|(^|[^\u2060])@here/);
  });

  it('shows a time read in a known zone with UTC beside it, and says when nothing is left open', () => {
    const message = understoodMessage({
      by: 'U0ALICE',
      reading: {
        answers: { exposedAt: '2026-11-20T14:00Z', principal: 'ci-deployer' },
        errors: [],
        zones: { exposedAt: { name: 'Europe/Paris', assumed: false } },
        notes: {},
      },
      added: { taken: ['exposedAt'], disputed: [], unchanged: ['principal'], dropped: [] },
      kept: {},
      open: [],
    });
    const [text] = messageTexts({ blocks: message.blocks });
    expect(text).toContain('exposed at 20 Nov 2026 15:00 Europe/Paris (20 Nov 2026 14:00 UTC); principal `ci-deployer` (already known).');
    expect(text).toContain('Nothing is left open: gathering evidence now.');
    expect(text).not.toContain('read as UTC');
  });

  it('answers an unreadable reply with one example for each open question', () => {
    const open = QUESTIONS_OF();
    const message = replyHelpMessage(open);
    expect(validateBlocks(message.blocks)).toEqual([]);
    const [text] = messageTexts({ blocks: message.blocks });
    for (const q of open) expect(text).toContain(`• _${q.text}_ — e.g. “${ANSWER_EXAMPLES[q.id]}”`);
    expect(text?.split('\n')).toHaveLength(open.length + 2);
  });
});
