import { describe, expect, it } from 'vitest';
import { archiveSettingsOf } from '../../src/config/archive.ts';
import { ConfigError, parseEnv } from '../../src/config/env.ts';
import { runCli } from '../support/cli.ts';
import { ATTACKER_IP, DORMANT } from './support.ts';

describe('configuring the long-term store', () => {
  const LAKE = 'arn:aws:cloudtrail:us-east-1:999988887777:eventdatastore/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';

  it('takes Lake over Athena over the bucket, with the account, region and bounds given', () => {
    const all = parseEnv({
      SIRBOT_ARCHIVE_LAKE_EVENT_DATA_STORE: LAKE,
      SIRBOT_ARCHIVE_ATHENA_TABLE: 'security_logs.cloudtrail_logs',
      SIRBOT_ARCHIVE_BUCKET: 'org-trail-logs',
      SIRBOT_ARCHIVE_ACCOUNT: '999988887777',
      SIRBOT_ARCHIVE_DATA_EVENTS: 'true',
      SIRBOT_ARCHIVE_MAX_OBJECTS: '2000',
    });
    expect(archiveSettingsOf(all, 'eu-west-1')).toEqual({
      store: { kind: 'lake', eventDataStore: LAKE },
      account: '999988887777',
      region: 'eu-west-1',
      dataEvents: true,
      bounds: { maxBytesScanned: 10 * 2 ** 30, maxObjects: 2000, maxRecords: 5000 },
    });
    const athena = parseEnv({ SIRBOT_ARCHIVE_ATHENA_TABLE: 'security_logs.cloudtrail_logs', SIRBOT_ARCHIVE_BUCKET: 'org-trail-logs' });
    expect(archiveSettingsOf(athena, 'us-east-1')?.store).toEqual({
      kind: 'athena',
      database: 'security_logs',
      table: 'cloudtrail_logs',
      workGroup: 'primary',
    });
    const s3 = parseEnv({ SIRBOT_ARCHIVE_BUCKET: 'org-trail-logs', SIRBOT_ARCHIVE_ORG_ID: 'o-a1b2c3d4e5' });
    expect(archiveSettingsOf(s3, 'us-east-1')?.store).toEqual({ kind: 's3', bucket: 'org-trail-logs', organizationId: 'o-a1b2c3d4e5' });
    expect(archiveSettingsOf(parseEnv({}), 'us-east-1')).toBeNull();
  });

  it('refuses values that would end up in SQL or a key as something else', () => {
    expect(() => parseEnv({ SIRBOT_ARCHIVE_ATHENA_TABLE: 'logs; DROP TABLE x' })).toThrow(ConfigError);
    expect(() => parseEnv({ SIRBOT_ARCHIVE_LAKE_EVENT_DATA_STORE: "x' OR 1=1" })).toThrow(
      /SIRBOT_ARCHIVE_LAKE_EVENT_DATA_STORE: must be an event data store ARN or id/,
    );
    expect(() => parseEnv({ SIRBOT_ARCHIVE_BUCKET: 'Not_A_Bucket' })).toThrow(/SIRBOT_ARCHIVE_BUCKET/);
  });
});

describe('the local runtime on the fake AWS', () => {
  it("searches the fake's Lake for a scenario that declares a trail, and nothing beyond event history for one that does not", async () => {
    const { evidenceFromEnv } = await import('../../src/runtime/evidence.ts');
    const archived = await evidenceFromEnv(parseEnv({ SIRBOT_SCENARIO: 'dormant-key-archive', PORT: '0' }));
    try {
      expect(archived.collectors().map((c) => c.id)).toContain('archive');
      // Follow-up questions ask event history first, then the store.
      expect(archived.eventSearches?.().map((s) => s.via)).toEqual(['event-history', 'cloudtrail-lake']);
    } finally {
      await archived.close();
    }
    const chosen = await evidenceFromEnv(parseEnv({ SIRBOT_SCENARIO: 'dormant-key-archive', SIRBOT_FAKE_ARCHIVE: 's3' }));
    try {
      expect(chosen.eventSearches?.().map((s) => s.via)).toEqual(['event-history', 's3-logs']);
    } finally {
      await chosen.close();
    }
    const plain = await evidenceFromEnv(parseEnv({ SIRBOT_SCENARIO: 'exposed-access-key' }));
    try {
      expect(plain.collectors().map((c) => c.id)).not.toContain('archive');
      expect(plain.eventSearches?.().map((s) => s.via)).toEqual(['event-history']);
    } finally {
      await plain.close();
    }
  });
});

describe('sirbot investigate on a scenario whose trail keeps its records', () => {
  it.each(['lake', 's3'] as const)('finds the 120-day-old intrusion through the fake’s %s, and says so', async (archive) => {
    const run = await runCli([
      'investigate',
      '--finding',
      `${DORMANT}/finding.json`,
      '--scenario',
      DORMANT,
      '--answers',
      `${DORMANT}/answers.json`,
      '--quota-scale',
      '10',
      '--archive',
      archive,
    ]);
    expect(run.stderr).toEqual([]);
    const out = JSON.parse(run.stdout.join('\n')) as {
      timeline: Array<{ action: string; time: string; via?: string; sourceIp: string | null }>;
      limitingFactors: Array<{ reason: string }>;
      summary: { text: string };
    };
    const via = archive === 'lake' ? 'cloudtrail-lake' : 's3-logs';
    expect(out.timeline.filter((e) => e.time < '2026-09-01' && e.via === via).map((e) => e.action)).toEqual(
      expect.arrayContaining(['CreateUser', 'CreateAccessKey', 'AttachUserPolicy', 'ListSecrets', 'GetObject']),
    );
    expect(out.timeline.some((e) => e.sourceIp === ATTACKER_IP)).toBe(true);
    expect(out.limitingFactors.map((l) => l.reason)).not.toContain('out-of-window');
  });
});
