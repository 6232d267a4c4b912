import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { FUNCTIONS, LAMBDA_BUILD_OPTIONS, bundle, type FunctionName } from '../src/build/bundle.ts';
import serverless from '../serverless.ts';

export interface BundleRow {
  name: string;
  bytes: number;
  /** Median time to import() the bundle in a fresh process; null when the import throws. */
  initMs: number | null;
  sizeRatio: number;
  initRatio: number | null;
  /** First line of what the import threw: a function that cannot load cannot start on Lambda either. */
  importError?: string;
}

export interface BundlesResult {
  runs: number;
  /** What the import children ran with: the functions' NODE_OPTIONS in serverless.ts. */
  nodeOptions: string;
  bare: { bytes: number; initMs: number };
  functions: BundleRow[];
  /** Functions bundle.ts names whose entry file does not exist (yet). */
  skipped: string[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BARE_ENTRY = fileURLToPath(new URL('./fixtures/bare-bolt-lambda.ts', import.meta.url));
/** "< 2 MB" read strictly: 2,000,000 bytes, not 2 MiB. */
const SIZE_LIMIT = 2_000_000;
const INIT_TARGET = 1.5;

// Timed inside the child so Node's own start-up is left out: only loading and evaluating the bundle counts.
const TIME_IMPORT = 'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';

/** One cold import: a new process each time, so nothing is in the module cache. Milliseconds, or what it threw. */
function importMs(file: string): number | Error {
  // Nothing inherited from tsx or npm (loaders); NODE_OPTIONS as the functions get it on Lambda (source maps cost load time).
  const env = { PATH: process.env.PATH ?? '', NODE_OPTIONS: serverless.provider.environment.NODE_OPTIONS };
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', TIME_IMPORT, pathToFileURL(file).href], { encoding: 'utf8', env });
  if (r.status === 0) return Number(r.stdout);
  return new Error(r.stderr.split('\n').find((l) => /^\w*Error\b/.test(l)) ?? r.stderr.trim().split('\n')[0]);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Every function bundle.ts defines (whatever it defines when this runs) and a bare Bolt
 * app, bundled with the same options into a temporary folder, then imported `runs`
 * times each. Imports go round-robin so drift on a noisy VM hits every bundle alike;
 * a first, discarded round warms the OS file cache.
 */
export async function benchBundles(runs = 21): Promise<BundlesResult> {
  const present = (Object.keys(FUNCTIONS) as FunctionName[]).filter((name) => existsSync(path.join(ROOT, FUNCTIONS[name])));
  const skipped = Object.keys(FUNCTIONS).filter((name) => !present.includes(name as FunctionName));
  const out = mkdtempSync(path.join(tmpdir(), 'sirbot-bundles-'));
  try {
    const built = await bundle(present, out);
    const bareFile = path.join(out, 'bare-bolt', 'index.mjs');
    await build({ ...LAMBDA_BUILD_OPTIONS, entryPoints: [BARE_ENTRY], outfile: bareFile });
    const files = [bareFile, ...built.map((b) => b.file)];
    const times = files.map((): number[] => []);
    const errors = new Map<number, string>();
    for (let run = -1; run < runs; run++) {
      files.forEach((file, i) => {
        if (errors.has(i)) return;
        const ms = importMs(file);
        if (ms instanceof Error) errors.set(i, ms.message.replaceAll(out, '<bundles>'));
        else if (run >= 0) times[i]?.push(ms);
      });
    }
    if (errors.has(0)) throw new Error(`the bare Bolt bundle does not import: ${errors.get(0)}`);
    const bare = { bytes: statSync(bareFile).size, initMs: median(times[0] as number[]) };
    const functions = built.map((b, i): BundleRow => {
      const error = errors.get(i + 1);
      const sizeRatio = round(b.bytes / bare.bytes);
      if (error !== undefined) return { name: b.name, bytes: b.bytes, initMs: null, sizeRatio, initRatio: null, importError: error };
      const initMs = median(times[i + 1] as number[]);
      return { name: b.name, bytes: b.bytes, initMs: round(initMs, 1), sizeRatio, initRatio: round(initMs / bare.initMs) };
    });
    return { runs, nodeOptions: serverless.provider.environment.NODE_OPTIONS, bare: { bytes: bare.bytes, initMs: round(bare.initMs, 1) }, functions, skipped };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The table and a PASS/FAIL line per target. */
export function bundlesReport(r: BundlesResult): string[] {
  const n = (x: number) => x.toLocaleString('en');
  const lines = [
    `Cold import() in a new process per run, NODE_OPTIONS=${r.nodeOptions} as on Lambda.`,
    '',
    `| bundle | bytes | × bare | init ms (median of ${r.runs}) | × bare |`,
    '|---|---:|---:|---:|---:|',
    `| bare Bolt (reference) | ${n(r.bare.bytes)} | 1.00 | ${r.bare.initMs.toFixed(1)} | 1.00 |`,
    ...r.functions.map(
      (f) => `| ${f.name} | ${n(f.bytes)} | ${f.sizeRatio.toFixed(2)} | ${f.initMs?.toFixed(1) ?? 'import throws'} | ${f.initRatio?.toFixed(2) ?? '–'} |`,
    ),
    '',
  ];
  const slack = r.functions.find((f) => f.name === 'slack');
  if (!slack) lines.push('FAIL slack init: no slack function in bundle.ts');
  else if (slack.initRatio === null) lines.push(`FAIL slack init: importing the bundle throws (target ≤ ${INIT_TARGET}× bare Bolt)`);
  else lines.push(`${slack.initRatio <= INIT_TARGET ? 'PASS' : 'FAIL'} slack init ${slack.initRatio.toFixed(2)}× bare Bolt (target ≤ ${INIT_TARGET}×)`);
  const largest = r.functions.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const over = r.functions.filter((f) => f.bytes >= SIZE_LIMIT).map((f) => f.name);
  lines.push(
    `${over.length === 0 ? 'PASS' : `FAIL (${over.join(', ')})`} every bundle < 2 MB (${n(SIZE_LIMIT)} bytes); largest ${largest.name}, ${n(largest.bytes)} bytes`,
  );
  for (const f of r.functions) if (f.importError) lines.push(`FAIL ${f.name} does not load: ${f.importError}`);
  if (r.skipped.length > 0) lines.push(`(not measured, entry file missing: ${r.skipped.join(', ')})`);
  return lines;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  const result = await benchBundles();
  // The table for people; the last line stays JSON for bench/run.ts, as in every bench.
  process.stdout.write(`${bundlesReport(result).join('\n')}\n${JSON.stringify(result)}\n`);
}
