import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playbookFor } from '../../src/domain/investigation/playbooks.ts';
import { subjectsOf } from '../../src/domain/investigation/subjects.ts';
import { fakeArchive, type Run, scenarioFinding } from '../archive/support.ts';
import { CRYPTO, investigateNetwork, lakeSettings, scenario } from './support.ts';

/**
 * The cryptomining scenario (src/scenarios/cryptomining-ec2) with Security Lake: the
 * miners' connections to the pool and their lookups of its name come into the timeline
 * as network entries (not calls), and the summary says so in one line. Without Security
 * Lake, one limiting factor says network evidence needs it.
 */
describe('cryptomining on EC2, with network evidence from Security Lake', () => {
  let run: Run;
  beforeAll(async () => {
    run = await fakeArchive(scenario);
  });
  afterAll(() => run.close());

  it('finds the mining-pool connections and the DNS lookups of the miners, in both regions', async () => {
    const result = await investigateNetwork(run, lakeSettings(), scenarioFinding(CRYPTO));
    const flows = result.timeline.filter((e) => e.source === 'vpc-flow');
    const dns = result.timeline.filter((e) => e.source === 'dns');
    const pool = flows.filter((e) => e.action === 'outbound to 203.0.113.250 port 3333');
    expect(pool.map((e) => e.actor).sort()).toEqual(['i-0f3b9d2e8a6c40001', 'i-0f3b9d2e8a6c40002', 'i-0f3b9d2e8a6c40003']);
    // The us-west-2 miners, put there by their RunInstances, use the pool's other port.
    expect(flows.filter((e) => e.action === 'outbound to 203.0.113.250 port 4444' && e.region === 'us-west-2')).toHaveLength(3);
    // The intruder's SSH check on the miners.
    expect(flows.some((e) => e.action === 'inbound from 203.0.113.99 port 22' && e.actor === 'i-0f3b9d2e8a6c40001')).toBe(true);
    expect(dns.filter((e) => e.action === 'resolved pool.xmr-mining.example')).toHaveLength(6);
    expect(dns.find((e) => e.action === 'resolved xmr.pool-old.example')?.highlights[0]).toMatch(/NXDomain/);
    // Network entries are not calls: the activity sentence counts the same calls as without them.
    const without = await investigateNetwork(run, null, scenarioFinding(CRYPTO));
    const calls = (text: string) => /made (\d+) calls?/.exec(text)?.[1];
    expect(calls(result.summary.text)).toBe(calls(without.summary.text));
    expect(result.summary.timeframe.events).toBe(without.summary.timeframe.events);
    expect(result.summary.text).toContain(
      'Network: i-0f3b9d2e8a6c40001 talked to 3 remote addresses (most bytes to 203.0.113.250 port 3333), resolved us-east-1.ec2.archive.ubuntu.com, xmr.pool-old.example, pool.xmr-mining.example;',
    );
    // What was searched, bounded and priced.
    const looks = result.searched.filter((s) => s.source === 'security-lake');
    expect(looks.map((s) => s.what.split(' of ')[0]?.split(' by ')[0])).toEqual(['VPC flow logs', 'Route 53 resolver queries']);
    expect(looks.every((s) => (s.cost?.bytesScanned ?? 0) > 0)).toBe(true);
    expect(looks[0]?.region).toBe('us-east-1, us-west-2');
    expect(result.limitingFactors.filter((l) => l.source === 'network' || l.source === 'security-lake')).toEqual([]);
  });

  it('reports the rows bound as a truncation', async () => {
    const result = await investigateNetwork(run, lakeSettings({ maxRows: 5 }), scenarioFinding(CRYPTO));
    expect(result.timeline.filter((e) => e.source === 'vpc-flow')).toHaveLength(5);
    expect(result.limitingFactors.map((l) => l.detail)).toEqual(expect.arrayContaining([expect.stringMatching(/^VPC flow logs of .*stopped at 5 rows/)]));
  });

  it('without Security Lake: one limiting factor, saying network evidence needs it', async () => {
    const result = await investigateNetwork(run, null, scenarioFinding(CRYPTO));
    expect(result.timeline.filter((e) => e.source === 'vpc-flow' || e.source === 'dns')).toEqual([]);
    const network = result.limitingFactors.filter((l) => l.source === 'network');
    expect(network).toHaveLength(1);
    expect(network[0]).toMatchObject({ reason: 'not-configured' });
    expect(network[0]?.detail).toMatch(/network evidence .* needs Security Lake/);
    expect(result.summary.text).not.toContain('Network:');
  });
});

describe('network evidence, bounded and only where it can say something', () => {
  let run: Run;
  beforeAll(async () => {
    run = await fakeArchive(scenario);
  });
  afterAll(() => run.close());

  it('stops at the bytes scanned bound: the DNS query is not made, and the summary says why', async () => {
    const result = await investigateNetwork(run, lakeSettings({ maxBytesScanned: 1 }), scenarioFinding(CRYPTO));
    expect(result.searched.filter((s) => s.source === 'security-lake').map((s) => s.what.split(' of ')[0])).toEqual(['VPC flow logs']);
    expect(result.timeline.some((e) => e.source === 'dns')).toBe(false);
    expect(result.limitingFactors.map((l) => l.detail)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Route 53 resolver queries by .*: not searched, the bytes scanned bound \(1\) was reached$/)]),
    );
  });

  it('is not wanted, and not missed, when neither an instance nor an address is in play', async () => {
    const bucket = scenarioFinding('src/scenarios/public-s3-bucket');
    expect(subjectsOf(bucket).filter((s) => s.kind === 'instance' || s.kind === 'ip')).toEqual([]);
    expect(playbookFor(bucket).collectors).not.toContain('network');
  });
});
