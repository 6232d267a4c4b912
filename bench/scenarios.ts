import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AwsClientFactory, fakeCredentials } from '../src/aws/clients.ts';
import { QuotaQueues } from '../src/aws/quotas.ts';
import { bundledScenarios, parseEnv } from '../src/config/env.ts';
import type { Finding } from '../src/domain/finding.ts';
import { startFakeAws } from '../src/emulator/aws/server.ts';
import { EmulatedPerson } from '../src/emulator/slack/people/person.ts';
import { startSlackEmulator } from '../src/emulator/slack/index.ts';
import type { EmulatedMessage } from '../src/emulator/slack/workspace.ts';
import { wrap } from '../src/emulator/workbench/findings.ts';
import { createCollectors } from '../src/aws/evidence/collectors.ts';
import { normalizeInput } from '../src/ingest/normalize.ts';
import { investigate } from '../src/investigation/investigate.ts';
import { evidenceFromEnv } from '../src/runtime/evidence.ts';
import { startLocalRuntime } from '../src/runtime/local/server.ts';
import { silentLogger } from '../src/runtime/logger.ts';
import { SqliteStore } from '../src/store/sqlite.ts';

/** LookupEvents' documented quota: 2 requests per second per account and region. No speed-up here. */
const LOOKUPS_PER_SECOND = 2;
const SUMMARY_TIMEOUT_MS = 180_000;

export interface ScenarioRun {
  scenario: string;
  finding: string;
  playbook: string;
  /** LookupEvents pages answered, per `account|region`. */
  pages: Record<string, number>;
  /** LookupEvents calls the fake refused with ThrottlingException (the queues should make none). */
  throttled: number;
  /** `investigate()` wall time against the fake, every collector included. */
  engineMs: number;
  /** The slowest account-region's pages ÷ 2/s. */
  floorMs: number;
  ratio: number;
  /**
   * The same against the earliest the last page can be asked for under a sliding window of
   * 2 per second, (⌈pages ÷ 2⌉ − 1) s: small page counts put `ratio` well under 1; this
   * one shows the engine's own overhead. Null when every page fits in the first window.
   */
  tightRatio: number | null;
  /** POST /ingest → the summary message in the finding's thread (Investigate now clicked as soon as it is offered). */
  findingToSummaryMs: number;
}

export interface ScenariosResult {
  runs: ScenarioRun[];
  worstRatio: number;
}

const SCENARIOS_DIR = new URL('../src/scenarios/', import.meta.url);
const findingsOf = (dir: string): Array<{ finding: Finding; doc: unknown }> => {
  const doc = JSON.parse(readFileSync(path.join(dir, 'finding.json'), 'utf8')) as unknown;
  const docs = Array.isArray(doc) ? doc : ((doc as { Findings?: unknown[] }).Findings ?? [doc]);
  return docs.map((d) => ({ finding: normalizeInput(d).findings[0] as Finding, doc: d }));
};

/** The engine alone, at AWS's quota: wall time against the floor the pages it needed allow. */
async function engineRun(dir: string, finding: Finding) {
  const aws = await startFakeAws({ scenario: dir, quotaScale: 1 });
  const clients = new AwsClientFactory({ region: finding.region, endpoint: aws.endpoint, credentialsFor: fakeCredentials });
  try {
    const quotas = new QuotaQueues(1);
    const collectors = createCollectors(clients, quotas);
    const start = performance.now();
    const result = await investigate(finding, {}, collectors, aws.now());
    const engineMs = performance.now() - start;
    const lookups = aws.calls().filter((c) => c.operation === 'LookupEvents');
    const pages: Record<string, number> = {};
    for (const c of lookups.filter((l) => l.status === 200)) pages[`${c.account}|${c.region}`] = (pages[`${c.account}|${c.region}`] ?? 0) + 1;
    const slowest = Math.max(0, ...Object.values(pages));
    const floorMs = (slowest / LOOKUPS_PER_SECOND) * 1000;
    const tightFloorMs = (Math.ceil(slowest / LOOKUPS_PER_SECOND) - 1) * 1000;
    return { playbook: result.playbook, pages, throttled: lookups.filter((l) => l.status !== 200).length, engineMs, floorMs, tightFloorMs };
  } finally {
    clients.destroy();
    await aws.close();
  }
}

/**
 * One scenario through the local runtime (its fake AWS at AWS's quotas, the Slack emulator
 * with Slack's limits): each finding is ingested as EventBridge delivers it, and a
 * responder clicks Investigate (or Investigate now, when questions are asked) the moment
 * the button is there. Returns, per finding, ingest → summary.
 */
async function runtimeRuns(name: string, findings: Array<{ finding: Finding; doc: unknown }>): Promise<number[]> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'sirbot-bench-scenario-'));
  const slack = await startSlackEmulator({
    port: 0,
    token: 'xoxb-bench',
    directory: { users: { U0BENCH: { name: 'bench', email: 'bench@example.com' } }, groups: {} },
  });
  const env = parseEnv({ PORT: '0', SIRBOT_DB: path.join(tmp, 'bench.db'), LOG_LEVEL: 'silent', SIRBOT_SCENARIO: name, SIRBOT_RESPONDERS: 'U0BENCH' });
  const evidence = await evidenceFromEnv(env);
  const runtime = await startLocalRuntime({
    env,
    logger: silentLogger(),
    slack: { token: 'xoxb-bench', signingSecret: 'bench-secret', apiUrl: slack.url },
    store: new SqliteStore(env.SIRBOT_DB),
    evidence,
    // Actions carry the access policy that lets the responder's click count.
    actions: { clients: evidence.clients, securityIr: { account: evidence.homeAccount, region: evidence.region } },
  });
  const person = new EmulatedPerson({
    receiverUrl: `${runtime.url}/slack/events`,
    signingSecret: 'bench-secret',
    workspace: slack.state,
    id: 'U0BENCH',
    name: 'bench',
  });
  const clicked = new Set<string>();
  const offers = (m: EmulatedMessage, actionId: string) => JSON.stringify(m.blocks ?? []).includes(`"action_id":"${actionId}"`);
  try {
    const out: number[] = [];
    for (const { doc } of findings) {
      const before = new Set(slack.state.allMessages().map((m) => `${m.channel}|${m.ts}`));
      const fresh = () => slack.state.allMessages().filter((m) => !before.has(`${m.channel}|${m.ts}`));
      const start = performance.now();
      const res = await fetch(`${runtime.url}/ingest`, { method: 'POST', body: JSON.stringify(wrap(doc, 'eventbridge')) });
      if (!res.ok) throw new Error(`${name}: ingest answered ${res.status}`);
      for (;;) {
        const messages = fresh();
        if (messages.some((m) => m.text?.startsWith('Investigation summary'))) break;
        if (performance.now() - start > SUMMARY_TIMEOUT_MS) throw new Error(`${name}: no summary after ${SUMMARY_TIMEOUT_MS} ms`);
        for (const actionId of ['investigation_start_now', 'investigation_start']) {
          const m = messages.find((x) => offers(x, actionId) && !clicked.has(`${x.ts}|${actionId}`));
          if (!m) continue;
          clicked.add(`${m.ts}|${actionId}`);
          await person.click(m, actionId);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      out.push(performance.now() - start);
    }
    return out;
  } finally {
    await runtime.close();
    await evidence.close();
    await slack.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Every bundled scenario's finding(s): the engine at real quotas, then finding → summary through the runtime. */
export async function benchScenarios(names = bundledScenarios()): Promise<ScenariosResult> {
  const runs: ScenarioRun[] = [];
  const round = (x: number) => Math.round(x * 100) / 100;
  for (const name of names) {
    const dir = new URL(name, SCENARIOS_DIR).pathname;
    const findings = findingsOf(dir);
    const engine: Array<Awaited<ReturnType<typeof engineRun>>> = [];
    for (const { finding } of findings) engine.push(await engineRun(dir, finding));
    const toSummary = await runtimeRuns(name, findings);
    findings.forEach(({ finding }, i) => {
      const e = engine[i] as (typeof engine)[number];
      runs.push({
        scenario: name,
        finding: `${finding.accountId} ${finding.controlId ? `control ${finding.controlId}` : finding.type}`,
        playbook: e.playbook,
        pages: e.pages,
        throttled: e.throttled,
        engineMs: Math.round(e.engineMs),
        floorMs: Math.round(e.floorMs),
        ratio: round(e.engineMs / e.floorMs),
        tightRatio: e.tightFloorMs > 0 ? round(e.engineMs / e.tightFloorMs) : null,
        findingToSummaryMs: Math.round(toSummary[i] as number),
      });
    });
  }
  return { runs, worstRatio: Math.max(...runs.map((r) => r.ratio)) };
}

/** Lines for `npm run bench` and RESULTS.md. */
export function scenariosReport(r: ScenariosResult): string[] {
  const pages = (p: Record<string, number>) =>
    Object.entries(p)
      .map(([k, n]) => `${k.replace('|', ' ')}: ${n}`)
      .join(', ') || 'none';
  return [
    '| scenario | finding | playbook | LookupEvents pages per account and region | engine ms | floor ms | ratio | tight ratio | finding → summary ms |',
    '|---|---|---|---|---:|---:|---:|---:|---:|',
    ...r.runs.map(
      (x) =>
        `| ${x.scenario} | ${x.finding} | ${x.playbook} | ${pages(x.pages)}${x.throttled ? ` (${x.throttled} throttled)` : ''} | ${x.engineMs} | ${x.floorMs} | ${x.ratio} | ${x.tightRatio ?? '—'} | ${x.findingToSummaryMs} |`,
    ),
    `worst engine ÷ floor: ${r.worstRatio} (target ≤ 1.1)`,
  ];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  const names = process.argv.slice(2);
  process.stdout.write(`${JSON.stringify(await benchScenarios(names.length ? names : undefined))}\n`);
}
