import '../src/runtime/sdk-notice.ts';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { type AckLatencyResult, ackLatencyReport } from './ack-latency.ts';
import { type BundlesResult, bundlesReport } from './bundles.ts';
import { type ModalOpenResult, modalOpenReport } from './modal-open.ts';
import type { EvidenceResult } from './evidence.ts';
import { type EvidenceRegionsResult, evidenceRegionsReport } from './evidence-regions.ts';
import type { ArchiveStreamResult } from './archive-stream.ts';
import { type ScenariosResult, scenariosReport } from './scenarios.ts';
import type { NormalizeRouteResult } from './normalize-route.ts';
import type { StormResult } from './storm.ts';
import type { CrashRecoveryResult } from './crash-recovery.ts';

/** Each benchmark gets a fresh process, so one's heap cannot skew another's timings or RSS. */
function inChild<T>(file: string): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as T;
}

/** `npm run bench`: every benchmark, each against a reference measured in this same run. */
async function main(): Promise<void> {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`# sirbot benchmarks — ${new Date().toISOString()} — ${machine}\n`);

  const storm = inChild<StormResult>('./storm.ts');
  console.log('## storm drain: 2,000 findings, one control failing across 50 accounts, into one channel');
  console.log(`messages ${storm.messages}; chat.postMessage calls ${storm.postsInBusiestChannel}; 429s ${storm.rateLimited}; failed ${storm.failed}`);
  console.log(`drain ${storm.drainMs} ms vs floor ${storm.floorMs} ms (posts ÷ 10/s per channel): ratio ${storm.ratioToFloor} (target ≤ 1.2)`);
  console.log(`peak RSS ${storm.peakRssMB} MB (target < 250 MB); ${storm.baselineRssMB} MB before the burst\n`);
  const crash = inChild<CrashRecoveryResult>('./crash-recovery.ts');
  console.log(
    `## crash recovery: ${crash.findings} findings into \`npm start\` (Slack at 1 post/s per channel, each answer 300 ms late), SIGKILL after ${crash.messagesAtKill} posts, restart, every event redelivered`,
  );
  console.log(
    `restart → all delivered ${crash.restartToDeliveredMs} ms vs the same storm never interrupted ${crash.uninterruptedMs} ms: ratio ${crash.restartRatio}`,
  );
  console.log(
    `${crash.messages} messages; posts found in Slack after a lost answer ${crash.foundAfterLoss}; posted twice ${crash.repeatedPosts}; findings shown twice ${crash.repeatedFindings} (both must be 0)\n`,
  );
  const nr = inChild<NormalizeRouteResult>('./normalize-route.ts');
  console.log('## normalize + route: 100,000 mixed findings (ASFF, OCSF, GuardDuty) × 100 rules, one event at a time');
  console.log(`input ${nr.inputMB} MB; medians of ${nr.runs} runs: JSON.parse ${nr.parseMs} ms; normalize ${nr.normalizeMs} ms; route ${nr.routeMs} ms`);
  console.log(`throughput ${nr.findingsPerSecond.toLocaleString('en')} findings/s`);
  console.log(`route ÷ JSON.parse = ${nr.routeRatioToParse}`);
  console.log(`(normalize + route) ÷ JSON.parse = ${nr.ratioToParse} (runs ${nr.ratioRange[0]}–${nr.ratioRange[1]}; target ≤ 2)\n`);

  const ev = inChild<EvidenceResult>('./evidence.ts');
  console.log(
    `## evidence gathering: ${ev.events.toLocaleString('en')} CloudTrail events under LookupEvents' quota (fake and queues at ${ev.quotaScale}× AWS's 2 req/s per account and region)`,
  );
  console.log(`one account: ${ev.single.pages} pages in ${ev.single.ms} ms vs floor ${ev.single.floorMs} ms: ratio ${ev.single.ratio} (target ≤ 1.1)`);
  console.log(
    `${ev.spread.accounts} accounts in parallel: ${ev.spread.pages} pages in ${ev.spread.ms} ms vs single floor ÷ ${ev.spread.accounts} = ${ev.spread.floorMs} ms: ratio ${ev.spread.ratio} (target ≤ 1.3)\n`,
  );
  const er = inChild<EvidenceRegionsResult>('./evidence-regions.ts');
  console.log(`## evidence in every enabled region: CloudTrail lookups over an account's regions (fake and queues at ${er.quotaScale}× AWS's 2 req/s)`);
  console.log(`${evidenceRegionsReport(er).join('\n')}\n`);
  const arc = inChild<ArchiveStreamResult>('./archive-stream.ts');
  console.log(
    `## trail archive, S3 stream: an IP pivot over ${arc.days} days of a trail's objects (${arc.objects.toLocaleString('en')} objects), against the fake's ${arc.getRate.toLocaleString('en')} GETs/s per bucket`,
  );
  console.log(
    `${arc.gets.toLocaleString('en')} GETs (lists and reads) in ${arc.ms} ms vs floor ${arc.floorMs} ms (GETs ÷ rate): ratio ${arc.ratio}; vs the same reads as bare SDK calls in this run (${arc.bareMs} ms): ratio ${arc.vsBare}; SlowDown answers ${arc.slowDowns}; ${arc.matched} records matched\n`,
  );
  const sc = inChild<ScenariosResult>('./scenarios.ts');
  console.log(
    "## bundled scenarios: each finding.json investigated against the fake AWS at AWS's LookupEvents quota (2/s per account and region), then ingested into the runtime until its summary",
  );
  console.log("floor: the slowest account-region's pages ÷ 2/s; tight ratio: against (⌈pages ÷ 2⌉ − 1) s, the earliest the last page may be asked for");
  console.log(`${scenariosReport(sc).join('\n')}\n`);
  const bundles = inChild<BundlesResult>('./bundles.ts');
  console.log('## Lambda bundles: size and cold module init, against a bare Bolt app bundled the same way');
  console.log(`${bundlesReport(bundles).join('\n')}\n`);
  const ack = inChild<AckLatencyResult>('./ack-latency.ts');
  console.log("## Slack ack latency: sirbot's local HTTP receiver against a bare Bolt HTTPReceiver, the same signed requests");
  console.log(`${ackLatencyReport(ack).join('\n')}\n`);
  const modal = inChild<ModalOpenResult>('./modal-open.ts');
  console.log('## modal first: a cold Lambda slack function answering "Set status", against a bare Bolt AwsLambdaReceiver opening a modal at once');
  console.log(`${modalOpenReport(modal).join('\n')}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
