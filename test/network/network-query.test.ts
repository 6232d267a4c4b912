import { describe, expect, it } from 'vitest';
import { dnsEntry, flowEntry } from '../../src/domain/investigation/network-entries.ts';
import { dnsSql, eventDays, flowSql, type NetworkQuery, networkQueryProblem } from '../../src/domain/investigation/network-query.ts';
import { networkLine } from '../../src/domain/investigation/network-summary.ts';
import { rankedEntries } from '../../src/domain/investigation/key-entries.ts';
import { securityLakeSettingsOf } from '../../src/config/security-lake.ts';
import { parseEnv } from '../../src/config/env.ts';

const FLOW = { database: 'amazon_security_lake_glue_db_us_east_1', table: 'amazon_security_lake_table_us_east_1_vpc_flow_2_0' };
const DNS = { database: 'amazon_security_lake_glue_db_us_east_1', table: 'amazon_security_lake_table_us_east_1_route53_2_0' };
const query = (over: Partial<NetworkQuery> = {}): NetworkQuery => ({
  accountId: '111122223333',
  regions: ['us-east-1', 'us-west-2'],
  window: { start: '2026-10-11T12:09:00.000Z', end: '2026-10-14T13:49:00.000Z' },
  instanceIds: ['i-0f3b9d2e8a6c40001'],
  ips: ['203.0.113.99'],
  limit: 500,
  ...over,
});

describe('network evidence SQL (Security Lake OCSF tables)', () => {
  it('is bounded: eventday partitions, account, regions, the window in epoch ms, and a row limit one past the bound', () => {
    for (const sql of [flowSql(query(), FLOW), dnsSql(query(), DNS)]) {
      expect(sql).toContain(`eventday BETWEEN '20261011' AND '20261014'`);
      expect(sql).toContain(`accountid = '111122223333'`);
      expect(sql).toContain(`region IN ('us-east-1', 'us-west-2')`);
      expect(sql).toContain(`"time" BETWEEN ${Date.parse('2026-10-11T12:09:00.000Z')} AND ${Date.parse('2026-10-14T13:49:00.000Z')}`);
      expect(sql).toMatch(/\nLIMIT 501$/);
    }
    const flows = flowSql(query(), FLOW);
    expect(flows).toContain('FROM "amazon_security_lake_glue_db_us_east_1"."amazon_security_lake_table_us_east_1_vpc_flow_2_0"');
    // Aggregated per conversation: a busy instance gives one row per remote address, port, direction and action.
    expect(flows).toMatch(/GROUP BY 1, 2, 3, 4, 5, 6/);
    expect(flows).toMatch(/sum\(traffic\.bytes\)/);
    expect(eventDays({ start: '2026-12-31T23:00:00+01:00', end: '2027-01-01T00:30:00Z' })).toEqual({ first: '20261231', last: '20270101' });
  });

  it('keeps a hostile instance id or address a literal', () => {
    const hostile = query({ instanceIds: ["i-1') OR 1=1 --"], ips: ["1.2.3.4' UNION SELECT * FROM x --"] });
    for (const sql of [flowSql(hostile, FLOW), dnsSql(hostile, DNS)]) {
      expect(sql).toContain(`'i-1'') OR 1=1 --'`);
      expect(sql).toContain(`'1.2.3.4'' UNION SELECT * FROM x --'`);
    }
    expect(() => flowSql(query({ instanceIds: ['i-1\nDROP'] }), FLOW)).toThrow(/control character/);
    expect(() => flowSql(query(), { database: 'db"; DROP', table: 't' })).toThrow(/not a Glue name/);
  });

  it('says why a query cannot run', () => {
    expect(networkQueryProblem(query({ instanceIds: [], ips: [] }))).toMatch(/no instance or address/);
    expect(networkQueryProblem(query({ regions: [] }))).toMatch(/no region/);
    expect(networkQueryProblem(query())).toBeNull();
  });

  it('turns rows into timeline entries that are not calls, and one network line', () => {
    const flow = flowEntry(
      {
        local_end: 'i-0f3b9d2e8a6c40001',
        remote_ip: '203.0.113.250',
        service_port: '3333',
        direction: 'Outbound',
        flow_action: 'Allowed',
        flow_region: 'us-east-1',
        first_time: String(Date.parse('2026-10-14T12:17:10Z')),
        last_time: String(Date.parse('2026-10-14T13:47:10Z')),
        total_bytes: String(3 * 2 ** 20),
        total_packets: '17139',
        flows: '4',
      },
      '111122223333',
    );
    expect(flow).toMatchObject({ source: 'vpc-flow', action: 'outbound to 203.0.113.250 port 3333', actor: 'i-0f3b9d2e8a6c40001', tactics: [] });
    const dns = dnsEntry(
      {
        local_end: 'i-0f3b9d2e8a6c40001',
        hostname: 'pool.xmr-mining.example.',
        rcode: 'NoError',
        dns_region: 'us-east-1',
        first_time: String(Date.parse('2026-10-14T12:09:05Z')),
        last_time: null,
        lookups: '1',
        answers: '[{"type":"A","rdata":"203.0.113.250","class":"IN"}]',
      },
      '111122223333',
    );
    expect(dns).toMatchObject({ source: 'dns', action: 'resolved pool.xmr-mining.example', highlights: ['1 lookup(s), NoError', 'answered 203.0.113.250'] });
    expect(flowEntry({ local_end: null }, '1')).toBeNull();
    // An engine that casts rows to arrays of values: the address is still found.
    const positional = dnsEntry({ local_end: 'i-1', hostname: 'h.example', first_time: '1', answers: '[["A","203.0.113.250","IN",60]]' }, '1');
    expect(positional?.highlights).toContain('answered 203.0.113.250');
    // A thread's dozen key entries keep the calls: flows and lookups are in the Network line and the files.
    const call = { ...flow!, id: 'ct-1', source: 'cloudtrail' as const, action: 'DescribeInstances', tactics: ['Discovery' as const] };
    expect(rankedEntries([flow!, dns!, call], 1).map((e) => e.id)).toEqual(['ct-1']);
    expect(networkLine([flow!, dns!])).toBe(
      'Network: i-0f3b9d2e8a6c40001 talked to 1 remote address (most bytes to 203.0.113.250 port 3333), resolved pool.xmr-mining.example.',
    );
  });
});

describe('Security Lake config', () => {
  it('is off without a database; with one, the source version 2 table names of its region', () => {
    expect(securityLakeSettingsOf(parseEnv({}), 'us-east-1')).toBeNull();
    const settings = securityLakeSettingsOf(parseEnv({ SIRBOT_SECURITY_LAKE_DATABASE: 'amazon_security_lake_glue_db_eu_west_1' }), 'us-east-1');
    expect(settings).toMatchObject({
      flowTable: { database: 'amazon_security_lake_glue_db_eu_west_1', table: 'amazon_security_lake_table_eu_west_1_vpc_flow_2_0' },
      dnsTable: { table: 'amazon_security_lake_table_eu_west_1_route53_2_0' },
      workGroup: 'primary',
      account: null,
      maxRows: 500,
    });
  });

  it('refuses names that are not Glue names', () => {
    expect(() => parseEnv({ SIRBOT_SECURITY_LAKE_DATABASE: 'db; DROP' })).toThrow(/Glue database name/);
    expect(() => parseEnv({ SIRBOT_SECURITY_LAKE_FLOW_TABLE: 'x.y' })).toThrow(/Glue table name/);
  });
});
