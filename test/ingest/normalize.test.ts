import { describe, expect, it } from 'vitest';
import { normalizeInput, normalizeText } from '../../src/ingest/normalize.ts';
import { listShared, ownJson, sharedJson, snsHttpBody, snsLambdaEvent } from '../support/fixtures.ts';
import { ocsfFinding } from '../support/generate.ts';

const ENVELOPES = 'securityhub/asr-eventbridge-envelopes';
const GUARDDUTY = 'guardduty/aws-samples-guardduty-automated-response';

type Envelope = { 'detail-type': string; detail: { findings: Array<Record<string, unknown>> } };

describe('Security Hub ASFF EventBridge envelopes (third-party samples)', () => {
  const files = listShared(ENVELOPES);

  it('reads all 20 samples, each finding once', () => {
    expect(files).toHaveLength(20);
    for (const file of files) {
      const event = sharedJson<Envelope>(ENVELOPES, file);
      const result = normalizeInput(event);
      expect(result.errors, file).toEqual([]);
      expect(result.findings.map((f) => f.id)).toEqual(event.detail.findings.map((f) => f.Id));
      for (const f of result.findings) {
        expect(f.schema).toBe('asff');
        expect(f.accountId).toMatch(/^\d{12}$/);
        expect(f.region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
        expect(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).toContain(f.severity.label);
        expect(f.consoleUrl).toContain(`region=${f.region}`);
      }
    }
  });

  it('keeps every finding of a multi-select custom action and names the action', () => {
    const event = sharedJson(ENVELOPES, 'source__playbooks__AFSBP__test__test_data__AFSBP-iam.6.json');
    const result = normalizeInput(event);
    expect(result.findings).toHaveLength(2);
    expect(result.items.every((i) => i.ok && i.customAction)).toBe(true);
  });

  it('maps control ids, resources and workflow from a Foundational Best Practices finding', () => {
    const [f] = normalizeInput(sharedJson(ENVELOPES, 'source__playbooks__AFSBP__test__test_data__afsbp_ec22.json')).findings;
    expect(f?.controlId).toBe('EC2.2');
    expect(f?.product).toBe('Security Hub');
    expect(f?.resources).toEqual([
      { type: 'AwsEc2SecurityGroup', id: 'arn:aws:ec2:us-east-1:111111111111:security-group/sg-ab1e739b', region: 'us-east-1', tags: {} },
    ]);
    expect(f?.workflowStatus).toBe('NEW');
    expect(f?.severity).toEqual({ label: 'MEDIUM', score: 40, original: 'MEDIUM' });
  });

  it('accepts the deliberately odd CIS-bad sample (no GeneratorId): a missing optional field loses nothing', () => {
    const [f] = normalizeInput(sharedJson(ENVELOPES, 'source__layer__test__test_json_data__CIS-bad.json')).findings;
    expect(f?.generatorId).toBeNull();
    expect(f?.title).toMatch(/^1\.3 /);
  });

  it('reads the same findings wrapped in SNS (Lambda records and HTTP notifications)', () => {
    const event = sharedJson(ENVELOPES, 'simtest__simdata__cis23.json');
    const direct = normalizeInput(event).findings.map((f) => f.id);
    expect(normalizeInput(snsLambdaEvent(event)).findings.map((f) => f.id)).toEqual(direct);
    expect(normalizeInput(snsHttpBody(event)).findings.map((f) => f.id)).toEqual(direct);
  });

  it('reads get-findings output and bare findings', () => {
    const event = sharedJson<Envelope>(ENVELOPES, 'source__layer__test__test_json_data__CIS_1-6-multi-select.json');
    const findings = event.detail.findings;
    expect(normalizeInput({ Findings: findings }).findings).toHaveLength(2);
    expect(normalizeInput(findings).findings).toHaveLength(2);
    expect(normalizeInput(findings[0]).findings).toHaveLength(1);
  });
});

describe('GuardDuty', () => {
  const samples = ['guardduty_iam_event.json', 'guardduty_ec2_event.json', 'guardduty_s3_event.json'];

  it('normalizes the three AWS sample findings (bare detail) and in an EventBridge envelope', () => {
    for (const file of samples) {
      const detail = sharedJson<Record<string, unknown>>(GUARDDUTY, file);
      const bare = normalizeInput(detail);
      expect(bare.errors, file).toEqual([]);
      const wrapped = normalizeInput({
        version: '0',
        id: 'f2b3c4d5-0000-4000-8000-000000000001',
        'detail-type': 'GuardDuty Finding',
        source: 'aws.guardduty',
        account: detail.accountId,
        time: '2026-11-22T10:00:00Z',
        region: detail.region,
        resources: [],
        detail,
      });
      expect(wrapped.findings).toEqual(bare.findings);
      expect(normalizeInput(snsLambdaEvent(wrapped.findings[0]?.raw)).findings[0]?.id).toBe(detail.id);
    }
  });

  it("maps numeric severity to GuardDuty's bands and keeps the original", () => {
    const detail = sharedJson<Record<string, unknown>>(GUARDDUTY, 'guardduty_iam_event.json');
    const band = (severity: number) => normalizeInput({ ...detail, severity }).findings[0]?.severity.label;
    expect([1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(band)).toEqual(['LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'CRITICAL', 'CRITICAL']);
  });

  it('names the access key, the user and S3 bucket tags as resources', () => {
    const [iam] = normalizeInput(sharedJson(GUARDDUTY, 'guardduty_iam_event.json')).findings;
    expect(iam?.resources.map((r) => `${r.type}:${r.id}`)).toEqual(['AwsIamAccessKey:GeneratedFindingAccessKeyId', 'AwsIamUser:GeneratedFindingUserName']);
    const [s3] = normalizeInput(sharedJson(GUARDDUTY, 'guardduty_s3_event.json')).findings;
    expect(s3?.resources[0]).toEqual({ type: 'AwsS3Bucket', id: 'arn:aws:s3:::bucketName', region: 'us-east-1', tags: { foo: 'bar' } });
    expect(s3?.recordState).toBe('ARCHIVED');
  });

  it('reads the API form (PascalCase, as GetFindings returns it) like the event form', () => {
    const result = normalizeInput(ownJson('guardduty', 'get-findings-api.json'));
    expect(result.errors).toEqual([]);
    const [exfil, crypto] = result.findings;
    expect(exfil?.type).toBe('UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS');
    expect(exfil?.severity).toEqual({ label: 'HIGH', score: 80, original: 8 });
    expect(exfil?.firstSeenAt).toBe('2026-11-21T07:58:40.000Z');
    expect(exfil?.resources.map((r) => r.type)).toEqual(['AwsIamAccessKey', 'AwsIamRole', 'AwsEc2Instance']);
    expect(exfil?.resources[2]?.tags).toEqual({ environment: 'production', Name: 'payments-api-1' });
    expect(crypto?.severity.label).toBe('CRITICAL');
    expect(crypto?.recordState).toBe('ARCHIVED');
  });
});

describe('hostile and malformed input', () => {
  const valid = sharedJson<Envelope>(ENVELOPES, 'source__layer__test__test_json_data__CIS_1-6-multi-select.json');

  it('names the offending field and keeps the rest of the batch', () => {
    const event = structuredClone(valid);
    const broken = event.detail.findings[0] as Record<string, unknown>;
    broken.AwsAccountId = 123456789012;
    const result = normalizeInput(event);
    expect(result.findings).toHaveLength(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toContain('detail.findings[0].AwsAccountId');
    expect(result.errors[0]?.message).toMatch(/expected string/);
  });

  it('reports wrong types deep inside a finding by path', () => {
    const event = structuredClone(valid);
    (event.detail.findings[1] as { Resources: Array<{ Tags: unknown }> }).Resources[0]!.Tags = { owner: 42 };
    const result = normalizeInput(event);
    expect(result.errors[0]?.message).toContain('detail.findings[1].Resources[0].Tags.owner');
  });

  it('rejects invalid JSON with a clear message', () => {
    const result = normalizeText('{"detail-type": "Security Hub Findings - Imported", ');
    expect(result.findings).toEqual([]);
    expect(result.errors[0]?.message).toMatch(/^invalid JSON/);
  });

  it('reads JSON lines, reporting only the broken line', () => {
    const lines = [JSON.stringify(valid.detail.findings[0]), '{not json', JSON.stringify(valid.detail.findings[1])].join('\n');
    const result = normalizeText(lines);
    expect(result.findings).toHaveLength(2);
    expect(result.errors.map((e) => e.path)).toEqual(['line:2']);
  });

  it('rejects unknown envelopes and SNS messages that are not JSON', () => {
    expect(normalizeInput({ 'detail-type': 'EC2 Instance State-change Notification', detail: {} }).errors[0]?.message).toMatch(
      /unsupported EventBridge detail-type/,
    );
    const sns = snsLambdaEvent({}) as { Records: Array<{ Sns: { Message: string } }> };
    sns.Records[0]!.Sns.Message = 'not json';
    expect(normalizeInput(sns).errors[0]?.message).toMatch(/SNS Message is not valid JSON/);
    expect(normalizeInput(42).errors[0]?.message).toMatch(/expected an object, got number/);
  });

  it("passes hostile strings through untouched (escaping is the views' job); cuts 100 KB fields to 32 KB, saying so", () => {
    const event = structuredClone(valid);
    const f = event.detail.findings[0] as Record<string, unknown>;
    f.Title = '<!channel> *URGENT* <https://evil.example|click> & 🚨';
    f.Description = 'x'.repeat(100_000);
    const [finding] = normalizeInput(event).findings;
    expect(finding?.title).toBe('<!channel> *URGENT* <https://evil.example|click> & 🚨');
    expect(finding?.description).toBe(`${'x'.repeat(32 * 1024)}…[cut by sirbot: 100000 characters]`);
  });

  it('cuts fields nested deeper than 32 levels to a marker, without recursion, and keeps the finding', () => {
    const event = structuredClone(valid);
    const f = event.detail.findings[0] as Record<string, unknown>;
    let deep: unknown = 'bottom';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    f.ProductFields = { ok: 'yes' };
    f.Extra = deep;
    const { findings, errors } = normalizeInput(event);
    expect(errors).toEqual([]);
    let node = (findings[0]?.raw as Record<string, unknown> | undefined)?.Extra;
    let depth = 1;
    while (node && typeof node === 'object') {
      node = (node as { a: unknown }).a;
      depth++;
    }
    expect(node).toBe('[cut by sirbot: nested deeper than 32 levels]');
    expect(depth).toBe(32);
    expect(() => JSON.stringify(findings[0])).not.toThrow();
  });
});

describe('new Security Hub (OCSF, Findings Imported V2)', () => {
  it('normalizes a detection finding with its times, resources and tags', () => {
    const event = ownJson('ocsf', 'findings-imported-v2-detection.json');
    const result = normalizeInput(event);
    expect(result.errors).toEqual([]);
    const [f] = result.findings;
    expect(f).toMatchObject({
      schema: 'ocsf',
      product: 'GuardDuty',
      type: 'Policy:IAMUser/RootCredentialUsage',
      accountId: '333344445555',
      region: 'us-west-2',
      severity: { label: 'HIGH', score: 70, original: 'High' },
      createdAt: '2026-11-21T13:43:20.000Z',
      updatedAt: '2026-11-21T14:03:11.000Z',
      firstSeenAt: '2026-11-21T13:41:02.000Z',
      lastSeenAt: '2026-11-21T13:58:47.000Z',
      workflowStatus: 'NEW',
      recordState: 'ACTIVE',
    });
    expect(f?.resources).toEqual([{ type: 'AwsIamUser', id: 'arn:aws:iam::333344445555:root', region: 'us-west-2', tags: { owner: 'platform' } }]);
    // The finding's own console link wins over a guessed one.
    expect(f?.consoleUrl).toMatch(/^https:\/\/us-west-2\.console\.aws\.amazon\.com\/guardduty\//);
    expect(normalizeInput(snsLambdaEvent(event)).findings[0]).toEqual(f);
  });

  it('maps status and severity ids, epoch-millisecond times and archived findings', async () => {
    const doc = ocsfFinding({ index: 3 }) as Record<string, unknown> & { finding_info: Record<string, unknown> };
    doc.status_id = 5;
    doc.severity_id = 6;
    delete doc.finding_info.created_time_dt;
    const [f] = normalizeInput(doc).findings;
    expect(f?.recordState).toBe('ARCHIVED');
    expect(f?.severity.label).toBe('CRITICAL');
    expect(f?.createdAt).toBe('2026-11-20T09:00:00.000Z');
    expect(f?.controlId).toBe('CloudTrail.1');
    expect(f?.consoleUrl).toBe('https://console.aws.amazon.com/securityhub/v2/home?region=ap-southeast-2#/findings');
  });

  it("refuses a time beyond what a date can hold as its finding's error; the rest of the batch is read", () => {
    const bad = ocsfFinding({ index: 1 }) as Record<string, unknown> & { finding_info: Record<string, unknown> };
    delete bad.finding_info.created_time_dt;
    bad.finding_info.created_time = 1e20;
    const good = ocsfFinding({ index: 2 });
    const result = normalizeInput([bad, good]);
    expect(result.findings).toHaveLength(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toContain('created_time');
  });

  it('names a missing account uid by its OCSF path', () => {
    const event = ownJson<{ detail: { findings: Array<{ cloud: { account: Record<string, unknown> } }> } }>('ocsf', 'findings-imported-v2-detection.json');
    delete event.detail.findings[0]!.cloud.account.uid;
    expect(normalizeInput(event).errors[0]?.message).toContain('detail.findings[0].cloud.account.uid');
  });
});
