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
  ListCasesCommand,
  ListCommentsCommand,
  UpdateCaseCommand,
  UpdateCaseStatusCommand,
  UpdateResolverTypeCommand,
  type CreateCaseInput,
} from '../../src/aws/security-ir/commands.ts';
import { NotFoundError, type SecurityIRError, ValidationError } from '../../src/aws/security-ir/errors.ts';
import { paginateListCases, paginateListComments } from '../../src/aws/security-ir/paginators.ts';
import { startFakeAws, type FakeAws } from '../../src/emulator/aws/server.ts';
import { generateRecords, writeScenario } from '../support/cloudtrail-scenario.ts';

const ACCOUNT = '111122223333';
let aws: FakeAws;
let dir: string;
let client: SecurityIRClient;

beforeAll(async () => {
  dir = writeScenario(
    generateRecords({ count: 1, accountId: ACCOUNT, region: 'us-east-1', accessKeyId: 'AKIAX0000000000000001', userName: 'a', latest: '2026-11-21T12:00:00Z' }),
  );
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
    expect(
      aws
        .calls()
        .filter((c) => c.operation.includes('/v1/'))
        .every((c) => c.status < 300),
    ).toBe(true);
  });

  it('creates one case for one client token, however often it is sent', async () => {
    const before = aws.securityIr.cases.size;
    const ids = await Promise.all([1, 2, 3].map(() => client.send(new CreateCaseCommand(input({ clientToken: 'inv-dup' })))));
    expect(new Set(ids.map((r) => r.caseId)).size).toBe(1);
    expect(aws.securityIr.cases.size).toBe(before + 1);
  });

  it("surfaces validation errors with the service's message and fields", async () => {
    const err = await client
      .send(new CreateCaseCommand(input({ title: '', engagementType: 'Drill' as never, watchers: [{ email: 'not-an-email' }] })))
      .catch((e: unknown) => e);
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
    const wrong = new SecurityIRClient({
      region: 'us-east-1',
      endpoint: aws.endpoint,
      credentials: { accessKeyId: `FAKE${ACCOUNT}`, secretAccessKey: 'not-the-secret' },
    });
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
    expect(aws.calls().some((c) => c.status === 429 && c.operation.includes('get-case'))).toBe(true);
  });
});

/** A client for another account (and region): its own cases, and its own request budget. */
const clientFor = (account: string, region = 'us-east-1') => new SecurityIRClient({ region, endpoint: aws.endpoint, credentials: fakeCredentials(account) });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as SecurityIRError,
  );

describe('ListCases and ListComments (paginated, per the model)', () => {
  it('lists the caller’s cases newest first, a page at a time, with an opaque token and the total', async () => {
    const mine = clientFor('444455556666', 'us-west-2');
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await mine.send(new CreateCaseCommand(input({ title: `case ${n}`, impactedAccounts: ['444455556666'] })))).caseId);
    const first = await mine.send(new ListCasesCommand({ maxResults: 2 }));
    expect(first.total).toBe(3);
    expect(first.items?.map((i) => i.caseId)).toEqual([ids[2], ids[1]]);
    expect(first.items?.[0]).toMatchObject({
      title: 'case 3',
      caseStatus: 'Submitted',
      resolverType: 'Self',
      engagementType: 'Security Incident',
      pendingAction: 'None',
    });
    expect(first.items?.[0]?.caseArn).toBe(`arn:aws:security-ir:us-west-2:444455556666:case/${ids[2]}`);
    expect(first.items?.[0]?.createdDate).toBeInstanceOf(Date);
    expect(first.items?.[0]?.lastUpdatedDate).toBeInstanceOf(Date);
    expect(typeof first.nextToken).toBe('string');
    expect(first.nextToken).not.toContain(ids[1] as string);
    const second = await mine.send(new ListCasesCommand({ maxResults: 2, nextToken: first.nextToken as string }));
    expect(second.items?.map((i) => i.caseId)).toEqual([ids[0]]);
    expect(second.nextToken).toBeUndefined();
    expect(second.total).toBe(3);

    // The paginator walks the same pages; another account's cases never show.
    const pages = [];
    for await (const p of paginateListCases({ client: mine, pageSize: 2 })) pages.push(p);
    expect(pages.map((p) => p.items?.length)).toEqual([2, 1]);
    expect(pages.flatMap((p) => p.items ?? []).map((i) => i.caseId)).toEqual([ids[2], ids[1], ids[0]]);
    const closed = await mine.send(new CloseCaseCommand({ caseId: ids[0] as string }));
    const all = await mine.send(new ListCasesCommand({}));
    expect(all.items).toHaveLength(3);
    expect(all.items?.[2]?.closedDate?.getTime()).toBe(closed.closedDate?.getTime());
    const others = await client.send(new ListCasesCommand({ maxResults: 25 }));
    expect(others.items?.some((i) => ids.includes(i.caseId))).toBe(false);
  });

  it('lists a case’s comments oldest first across pages; tokens only continue the listing that made them', async () => {
    const mine = clientFor('555566667777', 'eu-west-1');
    const { caseId } = await mine.send(new CreateCaseCommand(input({ impactedAccounts: ['555566667777'] })));
    for (const body of ['first', 'second', 'z'.repeat(12_000)]) await mine.send(new CreateCaseCommentCommand({ caseId, body }));
    const first = await mine.send(new ListCommentsCommand({ caseId, maxResults: 2 }));
    expect(first.total).toBe(3);
    expect(first.items?.map((i) => [i.commentId, i.body])).toEqual([
      ['000001', 'first'],
      ['000002', 'second'],
    ]);
    expect(first.items?.[0]).toMatchObject({ creator: '555566667777', lastUpdatedBy: '555566667777' });
    expect(first.items?.[0]?.createdDate).toBeInstanceOf(Date);
    const second = await mine.send(new ListCommentsCommand({ caseId, maxResults: 2, nextToken: first.nextToken as string }));
    expect(second.items?.map((i) => i.commentId)).toEqual(['000003']);
    expect(second.items?.[0]?.body).toHaveLength(12_000);
    expect(second.nextToken).toBeUndefined();
    const walked = [];
    for await (const p of paginateListComments({ client: mine, pageSize: 1 }, { caseId })) walked.push(...(p.items ?? []));
    expect(walked.map((i) => i.commentId)).toEqual(['000001', '000002', '000003']);

    // A comments token is not a cases token, nor another case's; made-up tokens are refused too.
    const cases = await failure(mine.send(new ListCasesCommand({ nextToken: first.nextToken as string })));
    expect(cases).toBeInstanceOf(ValidationError);
    expect(cases.message).toBe('nextToken: is not a token this listing returned');
    const { caseId: other } = await mine.send(new CreateCaseCommand(input({ impactedAccounts: ['555566667777'] })));
    expect((await failure(mine.send(new ListCommentsCommand({ caseId: other, nextToken: first.nextToken as string })))).message).toContain('nextToken');
    expect((await failure(mine.send(new ListCommentsCommand({ caseId, nextToken: 'bm90LWEtdG9rZW4' })))).message).toContain('nextToken');
    expect((await mine.send(new ListCommentsCommand({ caseId: other }))).items).toEqual([]);
    expect(await failure(mine.send(new ListCommentsCommand({ caseId: '9999999999' })))).toBeInstanceOf(NotFoundError);
  });

  it("refuses maxResults outside 1–25 and over-long tokens with the service's message", async () => {
    const mine = clientFor('666677778888');
    const { caseId } = await mine.send(new CreateCaseCommand(input({ impactedAccounts: ['666677778888'] })));
    for (const maxResults of [0, 26]) {
      const err = await failure(mine.send(new ListCasesCommand({ maxResults })));
      expect(err).toBeInstanceOf(ValidationError);
      expect(err.status).toBe(400);
      expect(err.message).toBe('maxResults: must be between 1 and 25');
      expect((err as ValidationError).fieldList).toEqual([{ name: 'maxResults', message: 'must be between 1 and 25' }]);
    }
    expect((await failure(mine.send(new ListCommentsCommand({ caseId, maxResults: 100 })))).message).toBe('maxResults: must be between 1 and 25');
    expect((await failure(mine.send(new ListCommentsCommand({ caseId, maxResults: 2.5 })))).message).toBe('maxResults: must be an integer');
    expect((await failure(mine.send(new ListCasesCommand({ nextToken: 'x'.repeat(2001) })))).message).toBe('nextToken: length must be between 0 and 2000');
    expect((await mine.send(new ListCasesCommand({ maxResults: 25 }))).items).toHaveLength(1);
  });
});

describe('the fake validates as the model says', () => {
  const refusal = async (c: SecurityIRClient, over: Partial<CreateCaseInput>) => failure(c.send(new CreateCaseCommand(input(over))));

  it('impactedAccounts and watchers may be empty (0–200, 0–30) but not repeat an item', async () => {
    const mine = clientFor('777788889999');
    const { caseId } = await mine.send(new CreateCaseCommand(input({ impactedAccounts: [], watchers: [] })));
    expect(await mine.send(new GetCaseCommand({ caseId }))).toMatchObject({ impactedAccounts: [], watchers: [] });
    expect((await refusal(mine, { impactedAccounts: [ACCOUNT, ACCOUNT] })).message).toBe('impactedAccounts: must not contain duplicate items');
    expect((await refusal(mine, { impactedAccounts: Array.from({ length: 201 }, (_, i) => String(100000000000 + i)) })).message).toBe(
      'impactedAccounts: must have between 0 and 200 items',
    );
    expect((await refusal(mine, { impactedAccounts: ['12345', 'abc'] })).message).toBe('impactedAccounts: must be 12-digit account ids');
    const twice = { email: 'a@example.com', name: 'A' };
    expect((await refusal(mine, { watchers: [twice, twice] })).message).toBe('watchers: must not contain duplicate items');
    expect((await refusal(mine, { watchers: Array.from({ length: 31 }, (_, i) => ({ email: `w${i}@example.com` })) })).message).toBe(
      'watchers: must have between 0 and 30 items',
    );
  });

  it('watcher names and job titles are 1–50 characters, emails 6–254', async () => {
    const mine = clientFor('777788889999', 'us-east-2');
    const err = (await refusal(mine, { watchers: [{ email: 'a@example.com', name: 'n'.repeat(51), jobTitle: '' }] })) as ValidationError;
    expect(err.fieldList).toEqual([
      { name: 'watchers.name', message: 'length must be between 1 and 50' },
      { name: 'watchers.jobTitle', message: 'length must be between 1 and 50' },
    ]);
    expect((await refusal(mine, { watchers: [{ email: 'a@b.c' }] })).message).toBe('watchers.email: length must be between 6 and 254');
    await expect(
      mine.send(new CreateCaseCommand(input({ watchers: [{ email: 'a@example.com', name: 'n'.repeat(50), jobTitle: 'j'.repeat(50) }] }))),
    ).resolves.toMatchObject({ caseId: expect.any(String) });
  });

  it("threat actor IPs match the model's IPAddress pattern; user agents are 1–500 characters", async () => {
    const mine = clientFor('888899990000');
    const ipMessage = 'threatActorIpAddresses.ipAddress: must be an IPv4 address, or an IPv6 address in full upper-case form';
    expect((await refusal(mine, { threatActorIpAddresses: [{ ipAddress: '256.1.1.1' }] })).message).toBe(ipMessage);
    expect((await refusal(mine, { threatActorIpAddresses: [{ ipAddress: '2001:db8::1' }] })).message).toBe(ipMessage);
    expect((await refusal(mine, { threatActorIpAddresses: [{ ipAddress: '198.51.100.7', userAgent: 'u'.repeat(501) }] })).message).toBe(
      'threatActorIpAddresses.userAgent: length must be between 1 and 500',
    );
    const { caseId } = await mine.send(
      new CreateCaseCommand(input({ threatActorIpAddresses: [{ ipAddress: '2001:DB8:0:0:0:0:0:1' }, { ipAddress: '0:0:0:0:0:FFFF:192.0.2.1' }] })),
    );
    expect((await mine.send(new GetCaseCommand({ caseId }))).threatActorIpAddresses?.map((t) => t.ipAddress)).toEqual([
      '2001:DB8:0:0:0:0:0:1',
      '0:0:0:0:0:FFFF:192.0.2.1',
    ]);
  });

  it('impacted services are unique AwsService names (2–50 characters of the allowed set)', async () => {
    const mine = clientFor('888899990000', 'eu-central-1');
    const message = 'impactedServices: service names must be 2 to 50 characters matching ^[a-zA-Z0-9 -.():]+$';
    expect((await refusal(mine, { impactedServices: ['X'] })).message).toBe(message);
    expect((await refusal(mine, { impactedServices: ['s'.repeat(51)] })).message).toBe(message);
    expect((await refusal(mine, { impactedServices: ['Amazon_S3'] })).message).toBe(message);
    expect((await refusal(mine, { impactedServices: ['IAM', 'IAM'] })).message).toBe('impactedServices: must not contain duplicate items');
    const { caseId } = await mine.send(new CreateCaseCommand(input({ impactedServices: ['S3', 'Amazon EC2', 'AWS Identity and Access Management (IAM)'] })));
    expect((await mine.send(new GetCaseCommand({ caseId }))).impactedServices).toEqual(['S3', 'Amazon EC2', 'AWS Identity and Access Management (IAM)']);
  });

  it('impacted regions are unique values of the AwsRegion enum; tags keep to their sizes', async () => {
    const mine = clientFor('999900001111');
    const bad = (await refusal(mine, { impactedAwsRegions: [{ region: 'us-gov-west-1' }] })) as ValidationError;
    expect(bad.fieldList[0]?.name).toBe('impactedAwsRegions.region');
    expect(bad.message).toContain('must be one of: af-south-1, ap-east-1');
    expect((await refusal(mine, { impactedAwsRegions: [{ region: 'us-east-1' }, { region: 'us-east-1' }] })).message).toBe(
      'impactedAwsRegions: must not contain duplicate items',
    );
    expect((await refusal(mine, { tags: { ['k'.repeat(129)]: 'v' } })).message).toBe('tags: keys must be 1 to 128 characters');
    expect((await refusal(mine, { tags: { k: 'v'.repeat(257) } })).message).toBe('tags: values must be strings of at most 256 characters');
  });

  it('title, description and client token lengths; the case id in the path is 10–32 digits', async () => {
    const mine = clientFor('999900001111', 'ap-southeast-2');
    expect((await refusal(mine, { title: 't'.repeat(301) })).message).toBe('title: length must be between 1 and 300');
    expect((await refusal(mine, { description: 'd'.repeat(8001) })).message).toBe('description: length must be between 1 and 8000');
    expect((await refusal(mine, { clientToken: 'c'.repeat(256) })).message).toBe('clientToken: length must be between 1 and 255');
    const err = await failure(mine.send(new GetCaseCommand({ caseId: 'not-a-case' })));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fieldList).toEqual([{ name: 'caseId', message: 'must be 10 to 32 digits' }]);
  });

  it('pendingAction is one of the model’s values (None), whoever resolves the case', async () => {
    const mine = clientFor('121212121212');
    const { caseId } = await mine.send(new CreateCaseCommand(input({ resolverType: 'AWS' })));
    expect((await mine.send(new GetCaseCommand({ caseId }))).pendingAction).toBe('None');
    const self = await mine.send(new CreateCaseCommand(input()));
    await mine.send(new UpdateResolverTypeCommand({ caseId: self.caseId, resolverType: 'AWS' }));
    expect((await mine.send(new GetCaseCommand({ caseId: self.caseId }))).pendingAction).toBe('None');
  });

  it('UpdateCase checks every member as CreateCase does, applies adds and deletes, and keeps the list limits', async () => {
    const mine = clientFor('131313131313');
    const { caseId } = await mine.send(new CreateCaseCommand(input()));
    const bad = (await failure(
      mine.send(
        new UpdateCaseCommand({
          caseId,
          title: 't'.repeat(301),
          engagementType: 'Drill' as never,
          watchersToAdd: [{ email: 'nope' }],
          impactedAccountsToAdd: ['1'],
          impactedAwsRegionsToAdd: [{ region: 'mars-1' as never }],
        }),
      ),
    )) as ValidationError;
    expect(bad.fieldList.map((f) => f.name)).toEqual([
      'title',
      'engagementType',
      'watchersToAdd.email',
      'impactedAwsRegionsToAdd.region',
      'impactedAccountsToAdd',
    ]);
    expect((await mine.send(new GetCaseCommand({ caseId }))).title).toBe('Exposed access key used for recon and persistence');

    await mine.send(
      new UpdateCaseCommand({
        caseId,
        description: 'updated',
        actualIncidentStartDate: new Date('2026-11-21T09:30:00Z'),
        engagementType: 'Investigation',
        watchersToAdd: [{ email: 'ir@example.com' }],
        watchersToDelete: [{ email: 'secops@example.com' }],
        impactedServicesToAdd: ['Amazon S3'],
        impactedServicesToDelete: ['IAM'],
        impactedAwsRegionsToAdd: [{ region: 'eu-west-1' }],
        impactedAccountsToAdd: ['222233334444'],
        threatActorIpAddressesToDelete: [{ ipAddress: '203.0.113.50' }],
      }),
    );
    const got = await mine.send(new GetCaseCommand({ caseId }));
    expect(got).toMatchObject({
      description: 'updated',
      engagementType: 'Investigation',
      watchers: [{ email: 'ir@example.com' }],
      impactedServices: ['Amazon EC2', 'Amazon S3'],
      threatActorIpAddresses: [],
    });
    expect(got.impactedAwsRegions).toEqual([{ region: 'us-east-1' }, { region: 'eu-west-1' }]);
    expect(got.impactedAccounts).toEqual([ACCOUNT, '222233334444']);
    expect(got.actualIncidentStartDate?.toISOString()).toBe('2026-11-21T09:30:00.000Z');

    const many = Array.from({ length: 30 }, (_, i) => ({ email: `w${i}@example.com` }));
    const over = await failure(mine.send(new UpdateCaseCommand({ caseId, watchersToAdd: many })));
    expect(over.message).toBe('watchers: the case would have 31; at most 30 are allowed');
    expect((await mine.send(new GetCaseCommand({ caseId }))).watchers).toHaveLength(1);
  });
});
