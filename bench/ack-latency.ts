import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
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
  /** Milliseconds between request starts in the measured run. */
  paceMs: number;
  bare: Percentiles;
  sirbot: Percentiles;
  p50Ratio: number;
  p99Ratio: number;
  /** The same requests back to back: a saturated sirbot, for information (the target is on the paced run). */
  backToBack: { bare: { p50: number; p99: number }; sirbot: { p50: number; p99: number }; p99Ratio: number };
}

const P99_TARGET = 1.3;
/**
 * One request every 10 ms (100 a second): far above what people clicking in one workspace
 * send, yet slow enough that a server doing real work after its acks (sirbot answers a
 * click privately) is not saturated. Back to back, that work piles up without end (a
 * click costs sirbot about 3 ms of CPU in all), and the bench would time a growing
 * backlog and its garbage, not acknowledgements.
 */
const PACE_MS = 10;
// A fake AWS over a scenario gives the runtime its action and evidence services, so every listener sirbot has is registered.
const SCENARIO = fileURLToPath(new URL('../src/scenarios/exposed-access-key', import.meta.url));
const RESPONDER = 'U0RESPONDER';
const SERVER = fileURLToPath(new URL('./fixtures/ack-server.ts', import.meta.url));
const FAKES = fileURLToPath(new URL('./fixtures/ack-fakes.ts', import.meta.url));
const FORM = 'application/x-www-form-urlencoded';

/**
 * Half `/sir help` (answered in the ack itself), half "Set status" clicks on a finding's
 * message: that listener acks first, then opens its modal, checks the offer and the
 * person's role and answers privately, so sirbot's work after the ack competes with the
 * next request. Every request is a new interaction with its own trigger id, as Slack sends
 * them: sirbot acknowledges a signature it has already seen (a replay) without dispatching
 * it, so identical bodies signed in the same second would time that shortcut instead.
 */
function bodies(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const triggerId = `${i + 1}.1700000000.bench${String(i).padStart(6, '0')}`;
    if (i % 2 === 0) return slashCommandBody({ command: '/sir', text: 'help', user_id: RESPONDER, trigger_id: triggerId });
    return interactionBody(
      blockActionPayload({
        actionId: 'finding_set_status',
        channel: 'C0SECALERTS',
        messageTs: '1700000000.000100',
        user: RESPONDER,
        value: 'arn:bench:finding/unknown',
        triggerId,
      }),
    );
  });
}

/**
 * Sends each body in turn, as Slack would (signed just before sending), one every
 * `paceMs` at most (0: back to back), and times it until the answer's last byte.
 */
async function measure(url: string, all: string[], warmup: number, paceMs: number): Promise<number[]> {
  // One kept-alive connection, so neither side pays a TCP handshake per request.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  try {
    let next = performance.now();
    for (const [i, body] of all.entries()) {
      const wait = next - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      next = performance.now() + paceMs;
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

/** A fixture in its own process, once it has printed its READY line (what follows READY, split on spaces). */
async function startChild(
  script: string,
  args: string[],
  nodeArgs: string[] = [],
): Promise<{ ready: string[]; child: ChildProcessByStdio<Writable, Readable, null> }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ready = await new Promise<string[]>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /READY ([^\n]+)\n/.exec(out);
      if (m) {
        child.stdout.off('data', onData);
        resolve((m[1] as string).split(' '));
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
  });
  return { ready, child };
}

function stopChild(child: ChildProcessByStdio<Writable, Readable, null>): Promise<void> {
  return new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.stdin.end();
  });
}

/** The Slack emulator and the fake AWS, in their own process (bench/fixtures/ack-fakes.ts). */
interface Fakes {
  slackUrl: string;
  awsEndpoint: string;
  /** Web API calls the emulator has received so far. */
  calls(): Promise<number>;
  stop(): Promise<void>;
}

async function startFakes(): Promise<Fakes> {
  const { ready, child } = await startChild(FAKES, [BOT_TOKEN, SCENARIO]);
  const [slackUrl, awsEndpoint] = ready as [string, string];
  const counts: Array<(n: number) => void> = [];
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (let m = /CALLS (\d+)\n/.exec(out); m; m = /CALLS (\d+)\n/.exec(out)) {
      out = out.slice(m.index + m[0].length);
      counts.shift()?.(Number(m[1]));
    }
  });
  return {
    slackUrl,
    awsEndpoint,
    calls: () =>
      new Promise<number>((resolve) => {
        counts.push(resolve);
        child.stdin.write('calls\n');
      }),
    stop: () => stopChild(child),
  };
}

/**
 * Starts a server under test in its own process (bench/fixtures/ack-server.ts): the
 * reference, or sirbot's local runtime against the Slack emulator (rate limits off: 500
 * private answers in seconds would otherwise meet chat.postEphemeral's 50 a minute, and
 * the client would sit out Retry-After; the bench times acks, not pacing) and fake AWS.
 * Each server's heap then holds only what it would hold in production.
 */
async function serve(kind: 'bare' | 'sirbot', fakes: Fakes): Promise<{ url: string; stop: () => Promise<void> }> {
  const nodeArgs = (process.env.ACK_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const { ready, child } = await startChild(SERVER, [kind, SIGNING_SECRET, BOT_TOKEN, fakes.slackUrl, fakes.awsEndpoint, RESPONDER], nodeArgs);
  return { url: ready[0] as string, stop: () => stopChild(child) };
}

async function measureIn(kind: 'bare' | 'sirbot', fakes: Fakes, all: string[], warmup: number, paceMs: number): Promise<number[]> {
  const server = await serve(kind, fakes);
  try {
    return await measure(server.url, all, warmup, paceMs);
  } finally {
    // A click's listener answers after its ack: let the last answers reach the emulator before stopping.
    if (kind === 'sirbot') await quiet(fakes.calls);
    await server.stop();
  }
}

/** Resolves once `count` has not changed for 250 ms (or after 10 s). */
async function quiet(count: () => Promise<number>): Promise<void> {
  const until = Date.now() + 10_000;
  for (let last = -1, now = await count(); now !== last && Date.now() < until; now = await count()) {
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The same signed requests, one at a time, to a bare Bolt app and then to sirbot, each
 * in its own process, from this one, which only times them (the Slack emulator and the
 * fake AWS run in a third); `warmup` first requests of each are not counted. Both servers
 * are started, reached and stopped the same way, so only what sirbot adds differs.
 */
export async function benchAckLatency(requests = 1000, warmup = 100): Promise<AckLatencyResult> {
  if (warmup % 2 !== 0) throw new Error('warmup must be even, so counted requests start with a /sir help');
  const all = bodies(warmup + requests);
  const fakes = await startFakes();
  try {
    const bare = percentiles(await measureIn('bare', fakes, all, warmup, PACE_MS));
    const sirbot = percentiles(await measureIn('sirbot', fakes, all, warmup, PACE_MS));
    const bareFast = p50p99(await measureIn('bare', fakes, all, warmup, 0));
    const sirbotFast = p50p99(await measureIn('sirbot', fakes, all, warmup, 0));
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    return {
      requests,
      warmup,
      paceMs: PACE_MS,
      bare,
      sirbot,
      p50Ratio: ratio(sirbot.p50, bare.p50),
      p99Ratio: ratio(sirbot.p99, bare.p99),
      backToBack: { bare: bareFast, sirbot: sirbotFast, p99Ratio: ratio(sirbotFast.p99, bareFast.p99) },
    };
  } finally {
    await fakes.stop();
  }
}

/** The table and the PASS/FAIL line. */
export function ackLatencyReport(r: AckLatencyResult): string[] {
  return [
    `${r.requests.toLocaleString('en')} signed requests (half /sir help, half finding_set_status clicks), one at a time, at most one per ${r.paceMs} ms, after ${r.warmup} warm-up; each server in its own process`,
    '',
    '| | p50 ms | p99 ms |',
    '|---|---:|---:|',
    `| bare Bolt (reference) | ${r.bare.p50.toFixed(2)} | ${r.bare.p99.toFixed(2)} |`,
    `| sirbot local runtime | ${r.sirbot.p50.toFixed(2)} | ${r.sirbot.p99.toFixed(2)} |`,
    `| sirbot ÷ bare | ${r.p50Ratio.toFixed(2)} | ${r.p99Ratio.toFixed(2)} |`,
    `| of which /sir help: bare / sirbot | ${r.bare.help.p50.toFixed(2)} / ${r.sirbot.help.p50.toFixed(2)} | ${r.bare.help.p99.toFixed(2)} / ${r.sirbot.help.p99.toFixed(2)} |`,
    `| of which clicks: bare / sirbot | ${r.bare.click.p50.toFixed(2)} / ${r.sirbot.click.p50.toFixed(2)} | ${r.bare.click.p99.toFixed(2)} / ${r.sirbot.click.p99.toFixed(2)} |`,
    `| back to back (saturated; for information): bare / sirbot | ${r.backToBack.bare.p50.toFixed(2)} / ${r.backToBack.sirbot.p50.toFixed(2)} | ${r.backToBack.bare.p99.toFixed(2)} / ${r.backToBack.sirbot.p99.toFixed(2)} (${r.backToBack.p99Ratio.toFixed(2)}×) |`,
    '',
    `${r.p99Ratio <= P99_TARGET ? 'PASS' : 'FAIL'} ack p99 ${r.p99Ratio.toFixed(2)}× bare Bolt (target ≤ ${P99_TARGET}×)`,
  ];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  const result = await benchAckLatency();
  // The table for people; the last line stays JSON for bench/run.ts, as in every bench.
  process.stdout.write(`${ackLatencyReport(result).join('\n')}\n${JSON.stringify(result)}\n`);
}
