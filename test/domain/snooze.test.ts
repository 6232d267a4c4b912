import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Snooze,
  type SnoozeCriteria,
  entitiesOf,
  hasCriteria,
  parseSnoozeFor,
  principalsOf,
  snoozeCovers,
  snoozeMatching,
} from '../../src/domain/actions/snooze.ts';
import { automationRuleProposal } from '../../src/domain/actions/snooze-rule.ts';
import type { Finding } from '../../src/domain/finding.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';
import { ownJson } from '../support/fixtures.ts';

const all = (doc: unknown): Finding[] => {
  const { findings, errors } = normalizeInput(doc);
  expect(errors).toEqual([]);
  return findings;
};
const scenario = (name: string) => all(JSON.parse(readFileSync(`src/scenarios/${name}/finding.json`, 'utf8')));

const EXPOSED_KEY = scenario('exposed-access-key')[0]!;
const ROOT_USE = scenario('root-credential-use')[0]!;
const [BUCKET_A, BUCKET_B] = scenario('public-s3-bucket');
const [EXFIL_API, CRYPTO_API] = all(ownJson('guardduty', 'get-findings-api.json'));
const OCSF_ROOT = all(ownJson('ocsf', 'findings-imported-v2-detection.json'))[0]!;

const NOW = Date.parse('2026-12-06T12:00:00.000Z');
const none: SnoozeCriteria = { resource: null, principal: null, type: null, accountId: null };
const snooze = (id: string, criteria: Partial<SnoozeCriteria>, over: Partial<Snooze> = {}): Snooze => ({
  id,
  criteria: { ...none, ...criteria },
  expiresAt: new Date(NOW + 3600_000).toISOString(),
  reason: 'known pen test',
  createdBy: 'U0ALICE',
  createdAt: new Date(NOW - 60_000).toISOString(),
  state: 'active',
  ...over,
});

describe('the entities a finding offers to snooze by', () => {
  it('are its first resource, its principal, its type and its account, in every format', () => {
    expect(entitiesOf(EXPOSED_KEY)).toEqual({
      resource: 'AKIAEXPOSEDKEY000001',
      principal: 'ci-deployer',
      type: 'UnauthorizedAccess:IAMUser/MaliciousIPCaller.Custom',
      accountId: '111122223333',
    });
    expect(entitiesOf(BUCKET_A!)).toMatchObject({ resource: 'arn:aws:s3:::examplecorp-media-assets', principal: null, accountId: '111122223333' });
    expect(entitiesOf(CRYPTO_API!)).toMatchObject({ resource: 'i-0fedcba9876543210', principal: null, type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS' });
    expect(principalsOf(EXFIL_API!)).toEqual(['sirbot-demo-app']);
  });

  it('name the root user `root`, from GuardDuty and from OCSF alike', () => {
    expect(principalsOf(ROOT_USE)).toEqual(['root']);
    expect(principalsOf(OCSF_ROOT)).toEqual(['root']);
  });
});

describe('which findings a snooze covers', () => {
  it('needs every entity it names to match', () => {
    expect(snoozeCovers({ ...none, accountId: '111122223333' }, EXPOSED_KEY)).toBe(true);
    expect(snoozeCovers({ ...none, accountId: '111122223333', principal: 'ci-deployer' }, EXPOSED_KEY)).toBe(true);
    expect(snoozeCovers({ ...none, accountId: '111122223333', principal: 'someone-else' }, EXPOSED_KEY)).toBe(false);
    expect(snoozeCovers({ ...none, type: EXPOSED_KEY.type, accountId: '999999999999' }, EXPOSED_KEY)).toBe(false);
  });

  it('covers nothing when it names nothing', () => {
    expect(hasCriteria(none)).toBe(false);
    expect(snoozeCovers(none, EXPOSED_KEY)).toBe(false);
  });

  it('reads a resource by what it names: an ARN or a bare name covers the resource however the finding spells it, and one bucket not another', () => {
    expect(snoozeCovers({ ...none, resource: 'examplecorp-media-assets' }, BUCKET_A!)).toBe(true);
    expect(snoozeCovers({ ...none, resource: 'arn:aws:s3:::examplecorp-media-assets' }, BUCKET_A!)).toBe(true);
    expect(snoozeCovers({ ...none, resource: 'arn:aws:s3:::examplecorp-media-assets' }, BUCKET_B!)).toBe(false);
    expect(snoozeCovers({ ...none, resource: 'arn:aws:ec2:us-east-1:222233334444:instance/i-0fedcba9876543210' }, CRYPTO_API!)).toBe(true);
  });

  it('matches a type against any of the finding’s types', () => {
    expect(snoozeCovers({ ...none, type: 'Policy:IAMUser/RootCredentialUsage' }, OCSF_ROOT)).toBe(true);
    expect(snoozeCovers({ ...none, type: 'Policy:IAMUser/RootCredentialUsage', principal: 'root' }, ROOT_USE)).toBe(true);
    expect(snoozeCovers({ ...none, type: 'Policy:IAMUser/RootCredentialUsage' }, EXPOSED_KEY)).toBe(false);
  });
});

describe('snoozeMatching', () => {
  it('finds the active snooze covering a finding, ignoring expired, cancelled and announced ones', () => {
    const byAccount = { accountId: '111122223333' };
    expect(snoozeMatching(EXPOSED_KEY, [snooze('s1', byAccount)], NOW)?.id).toBe('s1');
    expect(snoozeMatching(EXPOSED_KEY, [snooze('s1', byAccount, { expiresAt: new Date(NOW).toISOString() })], NOW)).toBeNull();
    expect(snoozeMatching(EXPOSED_KEY, [snooze('s1', byAccount, { state: 'cancelled' })], NOW)).toBeNull();
    expect(snoozeMatching(EXPOSED_KEY, [snooze('s1', byAccount, { state: 'expired' })], NOW)).toBeNull();
    expect(snoozeMatching(EXPOSED_KEY, [snooze('s1', { accountId: '444455556666' })], NOW)).toBeNull();
  });

  it('of several, picks the one that runs longest, whatever their order', () => {
    const short = snooze('short', { accountId: '111122223333' });
    const long = snooze('long', { principal: 'ci-deployer' }, { expiresAt: new Date(NOW + 7 * 86_400_000).toISOString() });
    expect(snoozeMatching(EXPOSED_KEY, [short, long], NOW)?.id).toBe('long');
    expect(snoozeMatching(EXPOSED_KEY, [long, short], NOW)?.id).toBe('long');
  });
});

describe('parseSnoozeFor', () => {
  it('reads minutes, hours and days, up to 30 days', () => {
    expect(parseSnoozeFor('90m')).toBe(5400);
    expect(parseSnoozeFor('24h')).toBe(86_400);
    expect(parseSnoozeFor('7D')).toBe(604_800);
    expect(parseSnoozeFor('31d')).toEqual({ error: 'a snooze lasts at most 30 days' });
    expect(parseSnoozeFor('0h')).toEqual({ error: 'a snooze lasts at least a minute' });
    expect(parseSnoozeFor('tomorrow')).toHaveProperty('error');
  });
});

describe('the automation rule proposed when a snooze ends', () => {
  it('is a disabled CreateAutomationRuleV2 input matching the OCSF fields of the entities, suppressing', () => {
    const proposal = automationRuleProposal(snooze('snooze-0123', { accountId: '111122223333', type: EXPOSED_KEY.type }));
    expect(proposal?.leftOut).toEqual([]);
    expect(proposal?.input).toMatchObject({
      RuleName: 'sirbot-snooze-0123',
      RuleStatus: 'DISABLED',
      Criteria: {
        OcsfFindingCriteria: {
          CompositeFilters: [
            {
              StringFilters: [
                { FieldName: 'cloud.account.uid', Filter: { Value: '111122223333', Comparison: 'EQUALS' } },
                { FieldName: 'finding_info.types', Filter: { Value: EXPOSED_KEY.type, Comparison: 'EQUALS' } },
              ],
              Operator: 'AND',
            },
          ],
          CompositeOperator: 'AND',
        },
      },
      Actions: [{ Type: 'FINDING_FIELDS_UPDATE', FindingFieldsUpdate: { StatusId: 3, Comment: expect.stringContaining('known pen test') } }],
    });
  });

  it('names a principal it cannot match on, and proposes nothing for a principal alone', () => {
    expect(automationRuleProposal(snooze('s', { principal: 'ci-deployer', resource: 'AKIAEXPOSEDKEY000001' }))?.leftOut).toEqual(['principal']);
    expect(automationRuleProposal(snooze('s', { principal: 'ci-deployer' }))).toBeNull();
  });
});
