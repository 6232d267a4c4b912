import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { AwsClientFactory, fakeCredentials } from '../src/aws/clients.ts';
import { QuotaQueues } from '../src/aws/quotas.ts';
import { parseEnv } from '../src/config/env.ts';
import { startFakeAws, type FakeAws } from '../src/emulator/aws/server.ts';
import { startSlackEmulator, type SlackEmulator } from '../src/emulator/slack/index.ts';
import { CloudTrailCollector } from '../src/evidence/cloudtrail.ts';
import { Ec2Collector } from '../src/evidence/ec2.ts';
import { FindingsCollector } from '../src/evidence/findings.ts';
import { IamCollector } from '../src/evidence/iam.ts';
import { startLocalRuntime } from '../src/runtime/local/server.ts';
import { silentLogger } from '../src/runtime/logger.ts';
import { SqliteStore } from '../src/store/sqlite.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../test/support/runtime.ts';
import { blockActionPayload, interactionBody, signSlackRequest, slashCommandBody } from '../test/support/slack-signer.ts';

export interface Percentiles {
  p50: number;
  p99: number;
  /** The same over each kind's own requests in the mix: where a gap comes from. */
  help: { p50: number; p99: number };
  click: { p50: number; p99: number };
}

export interface AckLatencyResult {
  requests: number;
  warmup: number;
  bare: Percentiles;
  sirbot: Percentiles;
  p50Ratio: number;
  p99Ratio: number;
}

const P99_TARGET = 1.3;
// A fake AWS over a scenario gives the runtime its action and evidence services, so every listener sirbot has is registered.
const SCENARIO = fileURLToPath(new URL('../src/scenarios/exposed-access-key', import.meta.url));
const RESPONDER = 'U0RESPONDER';
const FORM = 'application/x-www-form-urlencoded';

/**
 * Half `/sir help` (answered in the ack itself), half "Set status" clicks on a finding's
 * message: that listener acks first, then checks the role, looks the finding up and
 * answers privately, so sirbot's work after the ack competes with the next request.
 */
function bodies(count: number): string[] {
  const help = slashCommandBody({ command: '/sir', text: 'help', user_id: RESPONDER });
  const click = interactionBody(blockActionPayload({ actionId: 'finding_set_status', channel: 'C0SECALERTS', messageTs: '1700000000.000100', user: RESPONDER, value: 'arn:bench:finding/unknown' }));
  return Array.from({ length: count }, (_, i) => (i % 2 === 0 ? help : click));
}

/** Sends each body in turn, as Slack would (signed just before sending), and times it until the answer's last byte. */
async function measure(url: string, all: string[], warmup: number): Promise<number[]> {
  // One kept-alive connection, so neither side pays a TCP handshake per request.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  try {
    for (const [i, body] of all.entries()) {
      const headers = { 'content-type': FORM, 'content-length': String(Buffer.byteLength(body)), ...signSlackRequest({ signingSecret: SIGNING_SECRET, body }) };
      const start = performance.now();
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(url, { method: 'POST', headers, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
      const ms = performance.now() - start;
      if (status !== 200) throw new Error(`request ${i} to ${url} answered ${status}`);
      if (i >= warmup) times.push(ms);
    }
  } finally {
    agent.destroy();
  }
  return times;
}

function p50p99(xs: number[]): { p50: number; p99: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => Math.round((s[Math.ceil(q * s.length) - 1] as number) * 1000) / 1000;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Nearest-rank percentiles of all times, and of each kind (bodies alternate, help first; the warm-up count is even). */
function percentiles(xs: number[]): Percentiles {
  return { ...p50p99(xs), help: p50p99(xs.filter((_, i) => i % 2 === 0)), click: p50p99(xs.filter((_, i) => i % 2 === 1)) };
}

/** The reference: Bolt's own HTTP server with one command and one action listener that only ack. */
async function measureBareBolt(all: string[], warmup: number): Promise<number[]> {
  const receiver = new HTTPReceiver({ signingSecret: SIGNING_SECRET, endpoints: '/slack/events', processBeforeResponse: false, logLevel: LogLevel.ERROR });
  // Known bot ids: Bolt skips auth.test, there being no Slack to ask.
  const app = new App({ token: BOT_TOKEN, botId: 'B0BENCH', botUserId: 'U0BENCHBOT', receiver, logLevel: LogLevel.ERROR });
  app.command('/sir', async ({ ack }) => ack());
  app.action('finding_set_status', async ({ ack }) => ack());
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  try {
    return await measure(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, all, warmup);
  } finally {
    await app.stop();
  }
}

/** Resolves once `count` has not changed for 250 ms (or after 10 s). */
async function quiet(count: () => number): Promise<void> {
  const until = Date.now() + 10_000;
  for (let last = -1; count() !== last && Date.now() < until; ) {
    last = count();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

type Fakes = { slack: SlackEmulator; aws: FakeAws };

/**
 * sirbot's local runtime as test/support/runtime.ts starts it (Bolt's receiver in sirbot's
 * server, SQLite, the Slack emulator, the fake AWS), but with the emulator's rate limits
 * off: 500 private answers in seconds would otherwise meet chat.postEphemeral's 50 a
 * minute, and the client would sit out Retry-After. The bench times acks, not pacing.
 */
async function measureSirbot({ slack, aws }: Fakes, all: string[], warmup: number): Promise<number[]> {
  const clients = new AwsClientFactory({ region: 'us-east-1', endpoint: aws.endpoint, credentialsFor: fakeCredentials });
  const quotas = new QuotaQueues(10);
  const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-bench-'));
  const env = parseEnv({ PORT: '0', SIRBOT_DB: path.join(dir, 'bench.db'), LOG_LEVEL: 'silent', SIRBOT_RESPONDERS: RESPONDER });
  const runtime = await startLocalRuntime({
    env,
    logger: silentLogger(),
    slack: { token: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.url },
    store: new SqliteStore(env.SIRBOT_DB),
    actions: { clients, securityIr: { account: aws.scenario.accounts[0] ?? '111122223333', region: 'us-east-1' } },
    evidence: {
      collectors: () => [new CloudTrailCollector(clients, quotas), new IamCollector(clients, quotas), new Ec2Collector(clients, quotas), new FindingsCollector(clients, quotas)],
      awsNow: () => aws.now(),
    },
  });
  try {
    return await measure(`${runtime.url}/slack/events`, all, warmup);
  } finally {
    // A click's listener answers after its ack, outside the runtime's job tracking: let the last answers reach the emulator.
    await quiet(() => slack.state.calls().length);
    await runtime.idle();
    await runtime.close();
    clients.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same signed requests, one at a time, to a bare Bolt app and then to sirbot, in
 * this process; `warmup` first requests of each are not counted. The Slack emulator and
 * the fake AWS run throughout, so both are measured beside the same test doubles (their
 * heap and timers), and only what sirbot adds differs.
 */
export async function benchAckLatency(requests = 1000, warmup = 100): Promise<AckLatencyResult> {
  if (warmup % 2 !== 0) throw new Error('warmup must be even, so counted requests start with a /sir help');
  const all = bodies(warmup + requests);
  const fakes = { slack: await startSlackEmulator({ port: 0, token: BOT_TOKEN, limits: false }), aws: await startFakeAws({ scenario: SCENARIO, quotaScale: 10 }) };
  try {
    const bare = percentiles(await measureBareBolt(all, warmup));
    const sirbot = percentiles(await measureSirbot(fakes, all, warmup));
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    return { requests, warmup, bare, sirbot, p50Ratio: ratio(sirbot.p50, bare.p50), p99Ratio: ratio(sirbot.p99, bare.p99) };
  } finally {
    await fakes.aws.close();
    await fakes.slack.close();
  }
}

/** The table and the PASS/FAIL line. */
export function ackLatencyReport(r: AckLatencyResult): string[] {
  return [
    `${r.requests.toLocaleString('en')} signed requests (half /sir help, half finding_set_status clicks), one at a time, after ${r.warmup} warm-up`,
    '',
    '| | p50 ms | p99 ms |',
    '|---|---:|---:|',
    `| bare Bolt (reference) | ${r.bare.p50.toFixed(2)} | ${r.bare.p99.toFixed(2)} |`,
    `| sirbot local runtime | ${r.sirbot.p50.toFixed(2)} | ${r.sirbot.p99.toFixed(2)} |`,
    `| sirbot ÷ bare | ${r.p50Ratio.toFixed(2)} | ${r.p99Ratio.toFixed(2)} |`,
    `| of which /sir help: bare / sirbot | ${r.bare.help.p50.toFixed(2)} / ${r.sirbot.help.p50.toFixed(2)} | ${r.bare.help.p99.toFixed(2)} / ${r.sirbot.help.p99.toFixed(2)} |`,
    `| of which clicks: bare / sirbot | ${r.bare.click.p50.toFixed(2)} / ${r.sirbot.click.p50.toFixed(2)} | ${r.bare.click.p99.toFixed(2)} / ${r.sirbot.click.p99.toFixed(2)} |`,
    '',
    `${r.p99Ratio <= P99_TARGET ? 'PASS' : 'FAIL'} ack p99 ${r.p99Ratio.toFixed(2)}× bare Bolt (target ≤ ${P99_TARGET}×)`,
  ];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  const result = await benchAckLatency();
  // The table for people; the last line stays JSON for bench/run.ts, as in every bench.
  process.stdout.write(`${ackLatencyReport(result).join('\n')}\n${JSON.stringify(result)}\n`);
}
