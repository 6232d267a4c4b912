import { describe, expect, it } from 'vitest';
import { MAX_DISPUTED_PER_QUESTION, type StoredAnswers, addAnswers, disagreements, searchedAnswers } from '../../src/domain/investigation/answer-book.ts';
import { prefill } from '../../src/domain/investigation/playbooks.ts';
import type { Collector, EvidenceScope } from '../../src/ports/collector.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { investigate } from '../../src/investigation/investigate.ts';
import { questionsMessage } from '../../src/slack/views/investigation.ts';
import { sharedJson } from '../support/fixtures.ts';
import { messageTexts } from '../support/slack-text.ts';

/**
 * AWS's published sample of a GuardDuty IAM finding: it names an access key and a user. Its
 * key id is a placeholder (`GeneratedFindingAccessKeyId`), which names no key and is not
 * taken from the finding (subjects.ts); AWS's documented example key id stands in for it.
 */
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SAMPLE = sharedJson<{ resource: { accessKeyDetails: Record<string, string> } }>(
  'guardduty',
  'aws-samples-guardduty-automated-response',
  'guardduty_iam_event.json',
);
const FINDING = normalizeInput({ ...SAMPLE, resource: { ...SAMPLE.resource, accessKeyDetails: { ...SAMPLE.resource.accessKeyDetails, accessKeyId: KEY } } })
  .findings[0]!;
const AT = '2026-11-22T12:00:00.000Z';

describe('answers add to what is known', () => {
  const fromFinding: StoredAnswers = prefill(FINDING);

  it('an open question takes the answer; a known one keeps its value and records a differing answer beside it', () => {
    expect(fromFinding).toMatchObject({ accessKeyId: KEY, principal: 'GeneratedFindingUserName' });
    const added = addAnswers(
      fromFinding,
      { exposedAt: '2026-11-19', accessKeyId: 'AKIAOTHERKEY00000001', principal: 'GeneratedFindingUserName' },
      'U0ALICE',
      AT,
    );
    expect(added).toMatchObject({ taken: ['exposedAt'], disputed: ['accessKeyId'], unchanged: ['principal'], dropped: [] });
    expect(added.next).toEqual({
      ...fromFinding,
      exposedAt: '2026-11-19',
      answeredBy: { exposedAt: 'U0ALICE' },
      disputed: { accessKeyId: [{ value: 'AKIAOTHERKEY00000001', by: 'U0ALICE', at: AT }] },
    });
    // A later, different exposure from someone else does not replace the first person's either.
    const again = addAnswers(added.next, { exposedAt: '2026-11-02', accessKeyId: 'AKIAOTHERKEY00000001' }, 'U0BOB', AT);
    expect(again).toMatchObject({ taken: [], disputed: ['exposedAt'], unchanged: ['accessKeyId'] });
    expect(again.next.exposedAt).toBe('2026-11-19');
    expect(disagreements(again.next).map((d) => [d.question, d.kept, d.keptBy, d.others.map((o) => `${o.by}:${o.value}`), d.effect])).toEqual([
      ['exposedAt', '2026-11-19', 'U0ALICE', ['U0BOB:2026-11-02'], 'earliest-used'],
      ['accessKeyId', KEY, null, ['U0ALICE:AKIAOTHERKEY00000001'], 'all-searched'],
    ]);
  });

  it('keeps a bounded number of differing answers per question', () => {
    let answers = fromFinding;
    for (let i = 0; i < MAX_DISPUTED_PER_QUESTION; i++) answers = addAnswers(answers, { accountId: String(100000000000 + i) }, 'U0ALICE', AT).next;
    expect(addAnswers(answers, { accountId: '999999999999' }, 'U0ALICE', AT)).toMatchObject({ disputed: [], dropped: ['accountId'] });
  });

  it('searches the kept values, every disputed key, user and instance, and from the earliest exposure anyone gave', () => {
    const answers = addAnswers(
      addAnswers(fromFinding, { exposedAt: '2026-11-19', principal: 'ci-deployer' }, 'U0ALICE', AT).next,
      { exposedAt: '2026-11-02', accessKeyId: 'AKIAOTHERKEY00000001', accountId: '210987654321' },
      'U0BOB',
      AT,
    ).next;
    expect(searchedAnswers(answers)).toEqual({
      answers: { ...fromFinding, exposedAt: '2026-11-02' },
      also: { accessKeyIds: ['AKIAOTHERKEY00000001'], principals: ['ci-deployer'], instanceIds: [] },
    });
  });

  it('gathering looks for both keys and both users, in the finding’s account only, from the earliest exposure', async () => {
    const scopes: EvidenceScope[] = [];
    const recorder: Collector = {
      id: 'cloudtrail',
      async collect(scope) {
        scopes.push(scope);
        return { collector: 'cloudtrail', items: [], states: [], searched: [], limitingFactors: [], pages: 0 };
      },
    };
    const answers = addAnswers(
      fromFinding,
      { exposedAt: '2021-12-30', accessKeyId: 'AKIAOTHERKEY00000001', principal: 'ci-deployer', accountId: '210987654321' },
      'U0ALICE',
      AT,
    ).next;
    const result = await investigate(FINDING, answers, [recorder], Date.parse('2022-01-20T00:00:00Z'));
    expect(scopes[0]).toMatchObject({
      accountId: '123456789012',
      accessKeyIds: [KEY, 'AKIAOTHERKEY00000001'],
      usernames: ['GeneratedFindingUserName', 'ci-deployer'],
      window: { start: '2021-12-30T00:00:00.000Z' },
    });
    expect(result.answers).toEqual({ ...fromFinding, exposedAt: '2021-12-30' });
  });

  it('the questions message says where each value came from and, for each disagreement, what is kept and searched', () => {
    const answers = addAnswers(fromFinding, { accessKeyId: 'AKIAOTHERKEY00000001', accountId: '210987654321', rotated: 'no' }, 'U0ALICE', AT).next;
    const both = addAnswers(answers, { rotated: 'deactivated' }, 'U0BOB', AT).next;
    const text = messageTexts(questionsMessage('inv-1', [], both)).join('\n');
    expect(text).toContain(`accessKeyId: \`${KEY}\` (from the finding)`);
    expect(text).toContain('rotated: `no` (<@U0ALICE>)');
    expect(text).toContain(
      `*accessKeyId*: the finding names \`${KEY}\`; <@U0ALICE> answered \`AKIAOTHERKEY00000001\`. The finding's value is kept; both are searched.`,
    );
    expect(text).toContain(
      "*accountId*: the finding names `123456789012`; <@U0ALICE> answered `210987654321`. The finding's value is kept; only `123456789012` is searched (one investigation looks in one account).",
    );
    expect(text).toContain(
      '*rotated*: <@U0ALICE> answered `no` first; <@U0BOB> answered `deactivated`. The first answer is kept; this does not change what is searched.',
    );
  });
});
