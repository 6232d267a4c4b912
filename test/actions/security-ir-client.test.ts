import { rmSync } from 'node:fs';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/aws/fake-credentials.ts';
import { SecurityIRClient } from '../../src/aws/security-ir/client.ts';
import {
  CloseCaseCommand,
  CreateCaseCommand,
  CreateCaseCommentCommand,
  GetCaseCommand,
  UpdateCaseCommand,
  UpdateCaseStatusCommand,
  UpdateResolverTypeCommand,
  type CreateCaseInput,
} from '../../src/aws/security-ir/commands.ts';
import { SecurityIRError, ValidationError } from '../../src/aws/security-ir/errors.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';
import { generateRecords, writeScenario } from '../support/cloudtrail-scenario.ts';

const ACCOUNT = '111122223333';
let aws: FakeAws;
let dir: string;
let client: SecurityIRClient;

beforeAll(async () => {
  dir = writeScenario(generateRecords({ count: 1, accountId: ACCOUNT, region: 'us-east-1', accessKeyId: 'AKIAX0000000000000001', userName: 'a', latest: '2026-11-21T12:00:00Z' }));
  aws = await startFakeAws({ scenario: dir });
  client = new SecurityIRClient({ region: 'us-east-1', endpoint: aws.endpoint, credentials: fakeCredentials(ACCOUNT) });
});
afterAll(async () => {
  await aws.close();
  rmSync(dir, { recursive: true, force: true });
});

const input = (over: Partial<CreateCaseInput> = {}): CreateCaseInput => ({
  resolverType: 'Self',
  title: 'Exposed access key used for recon and persistence',
  description: 'sirbot investigation summary',
  engagementType: 'Security Incident',
  reportedIncidentStartDate: new Date('2026-11-21T10:00:00Z'),
  impactedAccounts: [ACCOUNT],
  watchers: [{ email: 'secops@example.com', name: 'SecOps' }],
  threatActorIpAddresses: [{ ipAddress: '203.0.113.50', userAgent: 'aws-cli/2.15.30' }],
  impactedServices: ['IAM', 'Amazon EC2'],
  impactedAwsRegions: [{ region: 'us-east-1' }],
  ...over,
});

describe('Security IR client against the fake (signed restJson1)', () => {
  it('round-trips every case operation; the fake checks each SigV4 signature', async () => {
    const { caseId } = await client.send(new CreateCaseCommand(input({ clientToken: 'inv-1' })));
    expect(caseId).toMatch(/^\d{10}$/);
    const got = await client.send(new GetCaseCommand({ caseId }));
    expect(got).toMatchObject({ title: 'Exposed access key used for recon and persistence', caseStatus: 'Submitted', resolverType: 'Self' });
    expect(got.reportedIncidentStartDate?.toISOString()).toBe('2026-11-21T10:00:00.000Z');
    expect(got.caseArn).toBe(`arn:aws:security-ir:us-east-1:${ACCOUNT}:case/${caseId}`);

    await client.send(new UpdateCaseCommand({ caseId, threatActorIpAddressesToAdd: [{ ipAddress: '198.51.100.7' }] }));
    expect(await client.send(new UpdateCaseStatusCommand({ caseId, caseStatus: 'Detection and Analysis' }))).toEqual({ caseStatus: 'Detection and Analysis' });
    expect(await client.send(new CreateCaseCommentCommand({ caseId, body: 'x'.repeat(12_000) }))).toEqual({ commentId: '000001' });
    expect(await client.send(new UpdateResolverTypeCommand({ caseId, resolverType: 'AWS' }))).toMatchObject({ caseId, resolverType: 'AWS' });
    const closed = await client.send(new CloseCaseCommand({ caseId }));
    expect(closed.caseStatus).toBe('Closed');
    expect(closed.closedDate).toBeInstanceOf(Date);
    expect(aws.calls().filter((c) => c.operation.includes('/v1/')).every((c) => c.status < 300)).toBe(true);
  });

  it('creates one case for one client token, however often it is sent', async () => {
    const before = aws.securityIr.cases.size;
    const ids = await Promise.all([1, 2, 3].map(() => client.send(new CreateCaseCommand(input({ clientToken: 'inv-dup' })))));
    expect(new Set(ids.map((r) => r.caseId)).size).toBe(1);
    expect(aws.securityIr.cases.size).toBe(before + 1);
  });

  it("surfaces validation errors with the service's message and fields", async () => {
    const err = await client.send(new CreateCaseCommand(input({ title: '', engagementType: 'Drill' as never, watchers: [{ email: 'not-an-email' }] }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const v = err as ValidationError;
    expect(v.status).toBe(400);
    expect(v.fieldList.map((f) => f.name)).toEqual(['title', 'engagementType', 'watchers.email']);
    expect(v.message).toContain('engagementType: must be one of: Security Incident, Investigation');
    const long = await client.send(new CreateCaseCommentCommand({ caseId: '8403556001', body: 'y'.repeat(12_001) })).catch((e: unknown) => e);
    expect((long as ValidationError).message).toBe('body: length must be between 1 and 12000');
  });

  it('only self-managed statuses go through UpdateCaseStatus; an AWS-supported case is refused with why', async () => {
    const { caseId } = await client.send(new CreateCaseCommand(input({ resolverType: 'AWS' })));
    const err = await client.send(new UpdateCaseStatusCommand({ caseId, caseStatus: 'Submitted' })).catch((e: unknown) => e);
    expect((err as ValidationError).message).toContain('close it with CloseCase');
    const bad = await client.send(new UpdateCaseStatusCommand({ caseId, caseStatus: 'Closed' as never })).catch((e: unknown) => e);
    expect((bad as ValidationError).fieldList[0]?.name).toBe('caseStatus');
  });

  it('refuses requests signed with the wrong secret, or whose body changed after signing', async () => {
    const wrong = new SecurityIRClient({ region: 'us-east-1', endpoint: aws.endpoint, credentials: { accessKeyId: `FAKE${ACCOUNT}`, secretAccessKey: 'not-the-secret' } });
    const err = (await wrong.send(new GetCaseCommand({ caseId: '8403556001' })).catch((e: unknown) => e)) as SecurityIRError;
    expect(err.code).toBe('InvalidSignatureException');
    expect(err.status).toBe(403);

    class Sha {
      private readonly h;
      constructor(secret?: string | Uint8Array) {
        this.h = secret ? createHmac('sha256', secret) : createHash('sha256');
      }
      update(d: string | Uint8Array) {
        this.h.update(d);
      }
      async digest() {
        return new Uint8Array(this.h.digest());
      }
    }
    const { caseId } = await client.send(new CreateCaseCommand(input()));
    const url = new URL(aws.endpoint);
    const signer = new SignatureV4({ service: 'security-ir', region: 'us-east-1', credentials: fakeCredentials(ACCOUNT), sha256: Sha as never });
    const signedBody = JSON.stringify({ caseStatus: 'Submitted' });
    const signed = (await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: `/v1/cases/${caseId}/update-case-status`,
      query: {},
      headers: { host: url.host, 'content-type': 'application/json' },
      body: signedBody,
    } as never)) as unknown as { headers: Record<string, string> };
    const { host: _host, ...headers } = signed.headers;
    const send = (body: string, h: Record<string, string>) =>
      fetch(`${aws.endpoint}/v1/cases/${caseId}/update-case-status`, { method: 'POST', headers: h, body });
    // A body changed after signing no longer matches its declared payload hash…
    expect((await send(JSON.stringify({ caseStatus: 'Detection and Analysis' }), headers)).status).toBe(400);
    // …and without that header, the signature itself no longer matches.
    const { 'x-amz-content-sha256': _hash, ...bare } = headers;
    const tampered = await send(JSON.stringify({ caseStatus: 'Detection and Analysis' }), bare);
    expect(tampered.status).toBe(403);
    expect(((await tampered.json()) as { __type: string }).__type).toBe('InvalidSignatureException');
    // The untouched request goes through.
    expect((await send(signedBody, headers)).status).toBeLessThan(300);
  });

  it('retries throttled calls after Retry-After and then succeeds', async () => {
    const results = await Promise.all(Array.from({ length: 14 }, () => client.send(new GetCaseCommand({ caseId: '8403556001' }))));
    expect(results.every((r) => r.caseArn?.endsWith('8403556001'))).toBe(true);
    expect(aws.calls().some((c) => c.status === 400 && c.operation.includes('get-case'))).toBe(true);
  });
});
