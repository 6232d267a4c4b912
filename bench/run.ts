import os from 'node:os';
import { benchNormalizeRoute } from './normalize-route.ts';
import { benchStorm } from './storm.ts';

/** `npm run bench`: every benchmark, each against a reference measured in this same run. */
async function main(): Promise<void> {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`# sirbot benchmarks — ${new Date().toISOString()} — ${machine}\n`);

  // The storm runs first so its peak RSS is not inflated by the 100,000-finding benchmark's heap.
  const storm = await benchStorm(2000, 10);
  console.log('## storm drain: 2,000 findings, one control failing across 50 accounts, into one channel');
  console.log(`messages ${storm.messages}; chat.postMessage calls ${storm.postsInBusiestChannel}; 429s ${storm.rateLimited}; failed ${storm.failed}`);
  console.log(`drain ${storm.drainMs} ms vs floor ${storm.floorMs} ms (posts ÷ 10/s per channel): ratio ${storm.ratioToFloor} (target ≤ 1.2)`);
  console.log(`peak RSS ${storm.peakRssMB} MB (target < 250 MB)\n`);
  const nr = benchNormalizeRoute(100_000, 3);
  console.log('## normalize + route: 100,000 mixed findings (ASFF, OCSF, GuardDuty) × 100 rules');
  console.log(`input ${nr.inputMB} MB; JSON.parse ${nr.parseMs} ms; normalize ${nr.normalizeMs} ms; route ${nr.routeMs} ms`);
  console.log(`throughput ${nr.findingsPerSecond.toLocaleString('en')} findings/s`);
  console.log(`route ÷ JSON.parse = ${(nr.routeMs / nr.parseMs).toFixed(2)} ; (normalize + route) ÷ JSON.parse = ${nr.ratioToParse} (target ≤ 2)\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
