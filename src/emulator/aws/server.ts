import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenHttp1And2 } from './listen.ts';
import { SlidingWindowLimiter, type RateLimits } from '../slack/rate-limit.ts';
import { lookupEvents, type LookupEventsInput } from './cloudtrail.ts';
import { AwsError, throttled } from './errors.ts';
import { loadScenario, type Scenario } from './scenario.ts';
import { ec2Action, ec2Error, type Ec2State } from './ec2.ts';
import { ec2Write } from './ec2-writes.ts';
import { findingsOperation, findingsRoute, type ScenarioFindings } from './findings.ts';
import { findingsUpdateRoute, type FindingUpdate } from './findings-updates.ts';
import { s3Handle, type S3State } from './s3.ts';
import { ssmAction, type SsmState } from './ssm.ts';
import { getSecretValue, sqsAction, type QueueState } from './queues.ts';
import { SirState, ValidationFailure, securityIrRoute } from './security-ir.ts';
import { converse } from './bedrock.ts';
import { verifySigV4 } from './sigv4.ts';
import { AccountValidation, listRegions } from './account.ts';
import { getCostAndUsage, loadCosts } from './cost-explorer.ts';
import { describeRegions } from './ec2-regions.ts';
import { scenarioRegions } from './scenario-regions.ts';
import { FAKE_SECRET } from '../../aws/fake-credentials.ts';
import { iamAction, type IamState } from './iam.ts';
import { iamWrite } from './iam-writes.ts';
import { assumeRole, queryError, type TrustPolicy } from './sts.ts';
import { type ArchiveSql, archiveSql } from './archive-sql.ts';
import { athenaAction } from './athena.ts';
import { lakeAction } from './lake.ts';
import { QueryRuns } from './query-runs.ts';
import { isDataRecord, type TrailObject, trailObjects } from './trail-archive.ts';
import { getObject, listObjectsV2, trailOperation } from './trail-objects.ts';

/**
 * A local AWS that the real SDK clients reach through `endpoint`: the operations
 * sirbot calls, in their real wire protocols, over a scenario's data, with the
 * documented quotas answered by the real ThrottlingException shape.
 *
 * Callers are told apart the way AWS does, by the access key in their SigV4
 * credential scope: a key `FAKE<12-digit account>` acts in that account.
 */
export interface FakeAwsOptions {
  scenario: string | Scenario;
  port?: number;
  host?: string;
  /** Scenario clock; defaults to `scenario.json`'s `now`, else one minute after the latest event, advancing in real time. */
  clock?: () => number;
  /** Multiplies every quota (a bench may run faster than AWS allows; ratios still hold). */
  quotaScale?: number;
  /** Account for callers whose key names none. */
  defaultAccount?: string;
  /** Which roles STS lets callers assume; default: any role in an account the scenario has. */
  trust?: TrustPolicy;
  /** Secrets Manager secrets by id (the Lambda functions' Slack credentials). */
  secrets?: Record<string, string>;
  /**
   * Calls the callers' policies deny, as `service:Operation` (the signing name:
   * `account:ListRegions`, `ce:GetCostAndUsage`), optionally `@region` (an SCP denying a
   * region): answered with the service's own access-denied error.
   */
  deny?: string[];
}

/**
 * What the fake's writes have changed, for tests to check: the scenario's own state,
 * changed in place, and what exists only once a call made it.
 */
export interface FakeAwsState {
  iam: IamState;
  /** Instances, security groups and snapshots taken. */
  ec2: Ec2State;
  /** Buckets with their Block Public Access settings. */
  s3: S3State;
  /** Automation executions started. */
  ssm: SsmState;
  /** GuardDuty, Security Hub (ASFF) and OCSF findings, as updated. */
  findings: ScenarioFindings;
  /** Every finding a workflow write changed, in order. */
  findingUpdates: FindingUpdate[];
  /** Messages sent to SQS queues. */
  sqs: QueueState;
}

export interface FakeAws {
  endpoint: string;
  port: number;
  scenario: Scenario;
  /** Security Incident Response cases, for tests and the workbench to look at. */
  securityIr: SirState;
  state: FakeAwsState;
  now(): number;
  /** Every call served, by service (the signing name: `iam`, `s3`, `cloudtrail`…) and operation. */
  calls(): Array<{ service: string; operation: string; account: string; region: string; status: number; at: number }>;
  close(): Promise<void>;
}

/** Documented quotas, per account and region. */
function quotas(scale: number): RateLimits {
  return {
    'cloudtrail:LookupEvents': { limit: 2 * scale, windowMs: 1000, scope: 'channel' },
    'security-ir': { limit: 10 * scale, windowMs: 1000, scope: 'channel' },
    // S3: 5,500 GET/HEAD requests per second per partitioned prefix; a bucket starts as one partition.
    's3:GET': { limit: 5500 * scale, windowMs: 1000, scope: 'channel' },
    // Bedrock's on-demand requests per minute differ per model; the fake holds every model to 100.
    'bedrock:Converse': { limit: 100 * scale, windowMs: 60_000, scope: 'channel' },
  };
}

interface Caller {
  account: string;
  region: string;
  /** The SigV4 signing name: which service the request is for. */
  service: string;
}

function callerOf(req: IncomingMessage, fallbackAccount: string): Caller {
  const auth = String(req.headers.authorization ?? '');
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
  const key = m?.[1] ?? '';
  const account = /^FAKE(\d{12})$/.exec(key)?.[1] ?? fallbackAccount;
  return { account, region: m?.[2] ?? 'us-east-1', service: m?.[3] ?? '' };
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function sendJson11(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': crypto.randomUUID(), ...headers });
  res.end(JSON.stringify(body));
}

/** What a denied caller hears, in each protocol's words (EC2's UnauthorizedOperation, the JSON services' AccessDeniedException). */
function accessDenied(caller: Caller, operation: string): AwsError {
  const message = `User: arn:aws:sts::${caller.account}:assumed-role/sirbot-evidence/sirbot is not authorized to perform: ${caller.service}:${operation}`;
  if (caller.service === 'ec2') return new AwsError('UnauthorizedOperation', `You are not authorized to perform this operation. ${message}`, 403);
  if (caller.service === 'iam' || caller.service === 'sts') return new AwsError('AccessDenied', message, 403);
  // restJson services answer 403; the awsJson ones (CloudTrail, Cost Explorer) 400.
  const restJson = ['account', 'guardduty', 'securityhub', 'security-ir'].includes(caller.service);
  return new AwsError('AccessDeniedException', message, restJson ? 403 : 400);
}

/** What a region not enabled for the account answers: EC2's AuthFailure, the JSON services' UnrecognizedClientException. */
function notOptedIn(caller: Caller): AwsError {
  if (caller.service === 'ec2') return new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
  return new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400);
}

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const scenario = typeof options.scenario === 'string' ? loadScenario(options.scenario) : options.scenario;
  const started = Date.now();
  const origin = scenario.nowMs ?? (scenario.latestEventMs ?? started) + 60_000;
  const now = options.clock ?? (() => origin + (Date.now() - started));
  const limiter = new SlidingWindowLimiter(quotas(options.quotaScale ?? 1));
  const fallback = options.defaultAccount ?? scenario.accounts[0] ?? '000000000000';
  const sir = new SirState();
  scenario.s3 ??= { accounts: {} };
  const state: FakeAwsState = {
    iam: scenario.iam,
    ec2: scenario.ec2,
    s3: scenario.s3,
    ssm: { executions: [] },
    findings: scenario.findings,
    findingUpdates: [],
    sqs: { messages: [] },
  };
  scenario.findings.ocsf ??= new Map();
  const regions = scenarioRegions(scenario);
  const costs = loadCosts(scenario.dir, scenario.problems);
  /** Secrets the fake knows: its static one, and each session STS handed out. */
  const secretFor = (accessKeyId: string) => (/^FAKE\d{12}$/.test(accessKeyId) ? FAKE_SECRET : undefined);
  const log: Array<{ service: string; operation: string; account: string; region: string; status: number; at: number }> = [];
  // The trail's long-term store, built on first use: its objects, and the SQL engine behind Lake and Athena.
  let objects: { list: TrailObject[]; byKey: Map<string, TrailObject> } | undefined;
  const trailBucket = () => {
    objects ??= (() => {
      const list = trailObjects(scenario);
      return { list, byKey: new Map(list.map((o) => [o.key, o])) };
    })();
    return objects;
  };
  let engine: Promise<ArchiveSql> | undefined;
  const sqlEngine = () => (engine ??= archiveSql(scenario));
  const queries = new QueryRuns();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readRaw(req);
    const body = raw.toString('utf8');
    // A presigned upload of a case attachment: authorized by the URL GetCaseAttachmentUploadUrl gave.
    const upload = /^\/sir-uploads\/([0-9a-f-]{36})$/.exec(new URL(req.url ?? '/', 'http://fake').pathname);
    if (upload && req.method === 'PUT') {
      const out = sir.receiveUpload(upload[1] as string, raw);
      res.writeHead(out.status, { 'content-type': 'text/plain' });
      return void res.end(out.error ?? '');
    }
    const caller = callerOf(req, fallback);
    const target = String(req.headers['x-amz-target'] ?? '');
    const url = new URL(req.url ?? '/', 'http://fake');
    const restJson =
      caller.service === 'guardduty' ||
      caller.service === 'securityhub' ||
      caller.service === 'security-ir' ||
      caller.service === 'account' ||
      caller.service === 'bedrock';
    const query = target || restJson || caller.service === 's3' ? null : new URLSearchParams(body);
    const operation =
      query?.get('Action') ??
      (caller.service === 'guardduty' || caller.service === 'securityhub'
        ? findingsOperation(caller.service, req.method ?? 'GET', url.pathname)
        : caller.service === 'account' && url.pathname === '/listRegions'
          ? 'ListRegions'
          : restJson
            ? `${req.method} ${url.pathname}`
            : (target.split('.').pop() ?? ''));
    const record = (status: number) => log.push({ service: caller.service, operation, account: caller.account, region: caller.region, status, at: Date.now() });
    try {
      const denied = options.deny?.find((d) => d === `${caller.service}:${operation}` || d === `${caller.service}:${operation}@${caller.region}`);
      if (denied) throw accessDenied(caller, operation);
      // A region the account has not opted into does not know its credentials.
      if (regions.some((r) => r.name === caller.region && r.status !== 'ENABLED' && r.status !== 'ENABLED_BY_DEFAULT')) throw notOptedIn(caller);
      // The SDK sends the service shape's name; older clients prefix the namespace.
      if (/^(com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\./.test(target)) {
        if (['StartQuery', 'DescribeQuery', 'GetQueryResults'].includes(operation)) {
          if (caller.account !== scenario.trail.account) throw new AwsError('EventDataStoreNotFoundException', 'The specified event data store was not found.');
          const out = await lakeAction(sqlEngine(), queries, caller.account, operation, JSON.parse(body || '{}') as Record<string, unknown>);
          record(200);
          return sendJson11(res, 200, out);
        }
        if (operation !== 'LookupEvents') throw new AwsError('UnknownOperationException', `${operation} is not served by the fake`);
        if (limiter.take('cloudtrail:LookupEvents', `${caller.account}|${caller.region}`, Date.now()) > 0) throw throttled();
        // Event history holds management events only: data events are in trails and event data stores.
        const records = (scenario.cloudtrail.get(`${caller.account}|${caller.region}`) ?? []).filter((r) => !isDataRecord(r));
        const out = lookupEvents(records, JSON.parse(body || '{}') as LookupEventsInput, now());
        record(200);
        return sendJson11(res, 200, out);
      }
      if (target.startsWith('AmazonAthena.')) {
        if (caller.account !== scenario.trail.account) throw new AwsError('InvalidRequestException', 'WorkGroup is not found.');
        const out = await athenaAction(sqlEngine(), queries, scenario.trail, caller.account, operation, JSON.parse(body || '{}') as Record<string, unknown>);
        record(200);
        return sendJson11(res, 200, out);
      }
      if (target === 'AWSInsightsIndexService.GetCostAndUsage') {
        const out = getCostAndUsage(costs, caller.account, JSON.parse(body || '{}') as Record<string, unknown>, now());
        record(200);
        return sendJson11(res, 200, out);
      }
      if (caller.service === 'account' && operation === 'ListRegions' && req.method === 'POST') {
        const out = listRegions(regions, caller.account, body ? (JSON.parse(body) as Record<string, unknown>) : {});
        record(200);
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify(out));
      }
      if (target.startsWith('AmazonSQS.')) {
        const out = sqsAction(state.sqs, operation, JSON.parse(body || '{}') as Record<string, unknown>);
        record(200);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': crypto.randomUUID() });
        return void res.end(JSON.stringify(out));
      }
      if (target === 'secretsmanager.GetSecretValue') {
        const out = getSecretValue(options.secrets ?? {}, JSON.parse(body || '{}') as Record<string, unknown>);
        record(200);
        return sendJson11(res, 200, out);
      }
      if (target.startsWith('AmazonSSM.')) {
        const out = ssmAction(state.ssm, caller.account, caller.region, operation, JSON.parse(body || '{}') as Record<string, unknown>, now());
        record(200);
        return sendJson11(res, 200, out);
      }
      const trailOp = caller.service === 's3' ? trailOperation(req.method ?? 'GET', url) : null;
      if (trailOp && decodeURIComponent(url.pathname.split('/')[1] ?? '') === scenario.trail.bucket) {
        const logged = (status: number) =>
          log.push({ service: 's3', operation: trailOp, account: caller.account, region: caller.region, status, at: Date.now() });
        const xmlError = (status: number, code: string, message: string) => {
          logged(status);
          res.writeHead(status, { 'content-type': 'application/xml' });
          res.end(
            `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${crypto.randomUUID()}</RequestId></Error>`,
          );
        };
        if (caller.account !== scenario.trail.account) return xmlError(403, 'AccessDenied', 'Access Denied');
        if (limiter.take('s3:GET', scenario.trail.bucket, Date.now()) > 0) return xmlError(503, 'SlowDown', 'Please reduce your request rate.');
        try {
          const { list, byKey } = trailBucket();
          const out = trailOp === 'ListObjectsV2' ? listObjectsV2(scenario.trail.bucket, list, url) : getObject(byKey, url);
          logged(out.status);
          res.writeHead(out.status, out.headers);
          return void res.end(out.body);
        } catch (err) {
          if (!(err instanceof AwsError)) throw err;
          return xmlError(err.status, err.code, err.message);
        }
      }
      if (caller.service === 's3') {
        const out = s3Handle(state.s3, caller.account, caller.region, req.method ?? 'GET', url, req.headers, body);
        log.push({ service: 's3', operation: out.operation, account: caller.account, region: caller.region, status: out.status, at: Date.now() });
        res.writeHead(out.status, out.headers);
        return void res.end(out.body);
      }
      if (caller.service === 'ec2' && query) {
        const xml =
          operation === 'DescribeRegions'
            ? describeRegions(regions, query)
            : (ec2Write(scenario.ec2, caller.account, caller.region, operation, query, now()) ??
              ec2Action(scenario.ec2, caller.account, caller.region, operation, query));
        record(200);
        res.writeHead(200, { 'content-type': 'text/xml' });
        return void res.end(xml);
      }
      if (caller.service === 'iam' && query) {
        const xml = iamWrite(scenario.iam, caller.account, operation, query) ?? iamAction(scenario.iam, caller.account, operation, query);
        record(200);
        res.writeHead(200, { 'content-type': 'text/xml' });
        return void res.end(xml);
      }
      if (caller.service === 'sts' && operation === 'AssumeRole' && query) {
        const xml = assumeRole(query, options.trust ?? scenario.trust ?? {}, scenario.accounts);
        record(200);
        res.writeHead(200, { 'content-type': 'text/xml' });
        return void res.end(xml);
      }
      if (caller.service === 'security-ir') {
        verifySigV4(req, body, secretFor, 'security-ir');
        if (limiter.take('security-ir', `${caller.account}|${caller.region}`, Date.now()) > 0) throw throttled('Rate exceeded', 429);
        const out = securityIrRoute(
          sir,
          caller.account,
          caller.region,
          req.method ?? 'GET',
          url.pathname,
          // A GET's members travel in the query string (ListInvestigations' paging).
          body ? (JSON.parse(body) as Record<string, unknown>) : Object.fromEntries(url.searchParams),
          Date.now(),
        );
        record(out.status);
        // The presigned URL is the fake's own: made absolute here, where its address is known.
        const answer = out.body as { attachmentPresignedUrl?: string };
        if (answer?.attachmentPresignedUrl?.startsWith('/')) answer.attachmentPresignedUrl = `http://${req.headers.host}${answer.attachmentPresignedUrl}`;
        res.writeHead(out.status, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify(out.body));
      }
      if (caller.service === 'bedrock') {
        verifySigV4(req, body, secretFor, 'bedrock');
        const converseAt = /^\/model\/([^/]+)\/converse$/.exec(url.pathname);
        if (req.method !== 'POST' || !converseAt)
          throw new AwsError('UnknownOperationException', `${req.method} ${url.pathname} is not served by the fake`, 404);
        if (limiter.take('bedrock:Converse', `${caller.account}|${caller.region}`, Date.now()) > 0)
          throw throttled('Too many requests, please wait before trying again.', 429);
        const out = converse(decodeURIComponent(converseAt[1] as string), body ? (JSON.parse(body) as Record<string, unknown>) : {});
        record(200);
        res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': crypto.randomUUID() });
        return void res.end(JSON.stringify(out));
      }
      if (caller.service === 'guardduty' || caller.service === 'securityhub') {
        const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
        const at = new Date(now()).toISOString();
        const out =
          findingsUpdateRoute(scenario.findings, state.findingUpdates, caller.account, caller.region, req.method ?? 'GET', url.pathname, input, at) ??
          findingsRoute(scenario.findings, caller.account, caller.region, req, body);
        if (out) {
          record(out.status);
          res.writeHead(out.status, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify(out.body));
        }
      }
      throw new AwsError('UnknownOperationException', `no fake for ${target || `${caller.service} ${req.method} ${req.url}`}`);
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      record(err.status);
      if (query) {
        res.writeHead(err.status, { 'content-type': 'text/xml' });
        return void res.end(caller.service === 'ec2' ? ec2Error(err.code, err.message) : queryError(err.code, err.message));
      }
      if (restJson) {
        const extra =
          err instanceof ValidationFailure
            ? { reason: 'FIELD_VALIDATION_FAILED', fieldList: err.fieldList }
            : err instanceof AccountValidation
              ? { reason: 'fieldValidationFailed', fieldList: err.fieldList }
              : {};
        res.writeHead(err.status, {
          'content-type': 'application/json',
          'x-amzn-errortype': err.code,
          ...(err.code === 'ThrottlingException' ? { 'retry-after': '1' } : {}),
        });
        return void res.end(JSON.stringify({ __type: err.code, message: err.message, ...extra }));
      }
      sendJson11(res, err.status, { __type: err.code, message: err.message }, { 'x-amzn-errortype': err.code });
    }
  }

  // HTTP/1.1 and HTTP/2 on one port: Bedrock Runtime's client speaks HTTP/2, the others HTTP/1.1.
  const server = await listenHttp1And2(
    (req, res) => void handle(req, res).catch((err: unknown) => sendJson11(res, 500, { __type: 'InternalFailure', message: String(err) })),
    { ...(options.port !== undefined ? { port: options.port } : {}), ...(options.host !== undefined ? { host: options.host } : {}) },
  );
  const port = server.port;
  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    scenario,
    securityIr: sir,
    state,
    now,
    calls: () => [...log],
    async close() {
      sir.stop();
      await server.close();
    },
  };
}
