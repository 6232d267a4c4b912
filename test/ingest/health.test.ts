import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { playbookFor } from '../../src/domain/investigation/playbooks.ts';
import { normalizeInput } from '../../src/ingest/normalize.ts';

/** AWS's published exposed-credentials events (test/fixtures/health/published-events.json says where each is from). */
const [TOOLS, SAMPLES] = (
  JSON.parse(readFileSync('test/fixtures/health/published-events.json', 'utf8')) as { events: Array<{ event: Record<string, any> }> }
).events.map((e) => e.event) as [Record<string, any>, Record<string, any>];

describe('AWS Health: AWS_RISK_CREDENTIALS_EXPOSED', () => {
  it('the aws-samples event: one credential-exposure finding for the exposed key, its user, where it was seen, and when (RFC 1123 dates)', () => {
    // As published the sample's account is cut to 10 digits; a real event names a 12-digit account.
    const asPublished = normalizeInput(SAMPLES);
    expect(asPublished.findings).toEqual([]);
    expect(asPublished.errors[0]?.message).toContain('account: expected a 12-digit account id');

    const event = { ...SAMPLES, account: '111122223333' };
    const { findings, items } = normalizeInput(event);
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f).toMatchObject({
      id: 'arn:aws:health:us-east-1::event/RISK/AWS_RISK_CREDENTIALS_EXPOSED/AWS_RISK_CREDENTIALS_EXPOSED-DVNePcpQ2o/AKIAXXXXXXXXXX',
      product: 'AWS Health',
      accountId: '111122223333',
      region: 'us-east-1',
      severity: { label: 'CRITICAL' },
      createdAt: '2025-02-12T00:37:54.000Z',
      updatedAt: '2025-02-12T00:37:55.000Z',
      title: 'AWS Health: access key AKIAXXXXXXXXXX of test-1 was found exposed',
    });
    expect(f.resources.map((r) => `${r.type} ${r.id}`)).toEqual(['AwsIamAccessKey AKIAXXXXXXXXXX', 'AwsIamUser test-1']);
    expect(f.description).toContain('Your AWS Account may be compromised!');
    expect(f.description).toContain('Seen at https://github.com/repository_name');
    // Investigated at once, with the credential-exposure playbook.
    expect(items[0]).toMatchObject({ ok: true, investigateAtOnce: 'AWS Health found the key exposed' });
    expect(playbookFor(f).id).toBe('credential-exposure');
  });

  it('the aws-health-tools event (2016): read as published, its placeholder entity kept as what it is', () => {
    const { findings, errors } = normalizeInput(TOOLS);
    expect(errors).toEqual([]);
    expect(findings[0]).toMatchObject({ accountId: '123456789012', createdAt: '2016-06-05T15:10:09.000Z' });
    // "ACCESS_KEY_ID_HERE" is no access key id: it is kept, not taken for one.
    expect(findings[0]?.resources).toEqual([{ type: 'Other', id: 'ACCESS_KEY_ID_HERE', region: 'us-east-1', tags: {} }]);
  });

  it('other AWS Health events are taken and left alone; a malformed exposure names its field', () => {
    const maintenance = { ...TOOLS, detail: { ...TOOLS.detail, eventTypeCode: 'AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED', service: 'EC2' } };
    const noEntity = { ...TOOLS, detail: { ...TOOLS.detail, affectedEntities: [] } };
    const result = normalizeInput([maintenance, noEntity]);
    expect(result.ignored).toEqual(['AWS Health AWS_EC2_INSTANCE_STORE_DRIVE_PERFORMANCE_DEGRADED']);
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringContaining('detail.affectedEntities: names no affected entity')]);
  });
});
