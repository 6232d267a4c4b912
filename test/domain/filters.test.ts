import { describe, expect, it } from 'vitest';
import { compileDateFilter, matchDateFilters, matchMapFilters, matchNumberFilters, matchStringFilters } from '../../src/domain/routing/filters.ts';

describe('string filters', () => {
  it('EQUALS, PREFIX and CONTAINS match any value of a multi-valued field', () => {
    const types = ['TTPs/Discovery', 'Effects/Data Exposure'];
    expect(matchStringFilters(types, [{ Value: 'Effects/Data Exposure', Comparison: 'EQUALS' }])).toBe(true);
    expect(matchStringFilters(types, [{ Value: 'TTPs/', Comparison: 'PREFIX' }])).toBe(true);
    expect(matchStringFilters(types, [{ Value: 'Data', Comparison: 'CONTAINS' }])).toBe(true);
    expect(matchStringFilters(types, [{ Value: 'TTPs', Comparison: 'EQUALS' }])).toBe(false);
  });

  it('ORs positive filters and ANDs negative ones', () => {
    const v = ['HIGH'];
    expect(
      matchStringFilters(v, [
        { Value: 'LOW', Comparison: 'EQUALS' },
        { Value: 'HIGH', Comparison: 'EQUALS' },
      ]),
    ).toBe(true);
    expect(
      matchStringFilters(v, [
        { Value: 'LOW', Comparison: 'NOT_EQUALS' },
        { Value: 'HIGH', Comparison: 'NOT_EQUALS' },
      ]),
    ).toBe(false);
    expect(
      matchStringFilters(v, [
        { Value: 'LOW', Comparison: 'NOT_EQUALS' },
        { Value: 'MEDIUM', Comparison: 'NOT_EQUALS' },
      ]),
    ).toBe(true);
  });

  it('PREFIX_NOT_EQUALS and NOT_CONTAINS reject any matching value', () => {
    expect(matchStringFilters(['arn:aws:s3:::prod-logs'], [{ Value: 'arn:aws:s3:::prod', Comparison: 'PREFIX_NOT_EQUALS' }])).toBe(false);
    expect(matchStringFilters(['arn:aws:s3:::dev-logs'], [{ Value: 'arn:aws:s3:::prod', Comparison: 'PREFIX_NOT_EQUALS' }])).toBe(true);
    expect(matchStringFilters(['my-test-bucket'], [{ Value: 'test', Comparison: 'NOT_CONTAINS' }])).toBe(false);
  });

  it('a missing field matches no positive filter and every negative one', () => {
    expect(matchStringFilters([], [{ Value: 'x', Comparison: 'EQUALS' }])).toBe(false);
    expect(matchStringFilters([], [{ Value: 'x', Comparison: 'NOT_EQUALS' }])).toBe(true);
  });

  it('CONTAINS_WORD needs the value as a whole word', () => {
    expect(matchStringFilters(['Unusual root login'], [{ Value: 'root', Comparison: 'CONTAINS_WORD' }])).toBe(true);
    expect(matchStringFilters(['rootkit detected'], [{ Value: 'root', Comparison: 'CONTAINS_WORD' }])).toBe(false);
    expect(matchStringFilters(['Policy:IAMUser/RootCredentialUsage'], [{ Value: 'IAMUser', Comparison: 'CONTAINS_WORD' }])).toBe(true);
  });

  it('is case-sensitive, like Security Hub', () => {
    expect(matchStringFilters(['GuardDuty'], [{ Value: 'guardduty', Comparison: 'EQUALS' }])).toBe(false);
  });
});

describe('map filters', () => {
  const resources: Record<string, string>[] = [{ environment: 'production', team: 'payments' }, { environment: 'dev' }];
  it('matches a key/value on any resource', () => {
    expect(matchMapFilters(resources, [{ Key: 'environment', Value: 'production', Comparison: 'EQUALS' }])).toBe(true);
    expect(matchMapFilters(resources, [{ Key: 'team', Value: 'pay', Comparison: 'CONTAINS' }])).toBe(true);
    expect(matchMapFilters(resources, [{ Key: 'environment', Value: 'staging', Comparison: 'EQUALS' }])).toBe(false);
  });
  it('NOT_EQUALS holds only when no resource has that key/value', () => {
    expect(matchMapFilters(resources, [{ Key: 'environment', Value: 'production', Comparison: 'NOT_EQUALS' }])).toBe(false);
    expect(matchMapFilters(resources, [{ Key: 'environment', Value: 'qa', Comparison: 'NOT_EQUALS' }])).toBe(true);
    expect(matchMapFilters([{}], [{ Key: 'owner', Value: 'x', Comparison: 'NOT_CONTAINS' }])).toBe(true);
  });
});

describe('number filters', () => {
  it('applies Gte/Lte/Gt/Lt/Eq bounds together and alternatives separately', () => {
    expect(matchNumberFilters([80], [{ Gte: 70, Lte: 89 }])).toBe(true);
    expect(matchNumberFilters([90], [{ Gte: 70, Lte: 89 }])).toBe(false);
    expect(matchNumberFilters([70], [{ Gt: 70 }])).toBe(false);
    expect(matchNumberFilters([69], [{ Lt: 70 }])).toBe(true);
    expect(matchNumberFilters([50], [{ Eq: 40 }, { Eq: 50 }])).toBe(true);
    expect(matchNumberFilters([], [{ Gte: 0 }])).toBe(false);
  });
});

describe('date filters', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  const at = (iso: string) => [Date.parse(iso)];
  it('absolute ranges are inclusive', () => {
    const f = [compileDateFilter({ Start: '2026-11-01T00:00:00Z', End: '2026-11-22T12:00:00Z' })];
    expect(matchDateFilters(at('2026-11-22T12:00:00Z'), f, now)).toBe(true);
    expect(matchDateFilters(at('2026-10-31T23:59:59Z'), f, now)).toBe(false);
  });
  it('relative ranges count days back from now', () => {
    const f = [compileDateFilter({ DateRange: { Value: 5, Unit: 'DAYS' } })];
    expect(matchDateFilters(at('2026-11-18T12:00:00Z'), f, now)).toBe(true);
    expect(matchDateFilters(at('2026-11-16T11:59:59Z'), f, now)).toBe(false);
    expect(matchDateFilters(at('2026-11-23T00:00:00Z'), f, now)).toBe(false);
  });
});
