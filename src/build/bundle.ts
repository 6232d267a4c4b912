import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { LAZY_SDK_PACKAGES } from '../aws/sdk.ts';
import { BUNDLED_ASSETS_DIR, CHART_ASSETS } from '../charts/assets.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One bundle per Lambda function; serverless.ts packages each folder as that function's code. */
export const FUNCTIONS = {
  slack: 'src/runtime/lambda/slack.ts',
  ingest: 'src/runtime/lambda/ingest.ts',
  worker: 'src/runtime/lambda/worker.ts',
} as const;

export type FunctionName = keyof typeof FUNCTIONS;

export interface BundleResult {
  name: FunctionName;
  file: string;
  bytes: number;
}

/**
 * ESM bundles for Node 22 on Lambda. CommonJS dependencies that call require() get
 * one through createRequire; the native SQLite driver stays out (Lambda never loads it).
 * Source maps are linked (stack traces through NODE_OPTIONS=--enable-source-maps) and
 * carry mappings only: Node reads and parses the whole map when the bundle loads, and
 * stack traces need no sources. Exported so bench/bundles.ts bundles its bare Bolt
 * reference the same way.
 */
export const LAMBDA_BUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  external: ['better-sqlite3'],
  banner: { js: "import { createRequire as __sirbotRequire } from 'node:module'; const require = __sirbotRequire(import.meta.url);" },
  logLevel: 'warning',
};

/**
 * Bolt's App module requires its HTTP and Socket Mode receivers whether or not it builds
 * them, and with them undici, express, raw-body and iconv-lite (about half of a bare Bolt
 * bundle). On Lambda sirbot always hands Bolt its AwsLambdaReceiver, so App never builds
 * either: they are replaced by a class that says so if anything ever tries.
 */
const leaveOutUnusedBoltReceivers: Plugin = {
  name: 'sirbot-leave-out-unused-bolt-receivers',
  setup(b) {
    b.onResolve({ filter: /\/receivers\/(HTTPReceiver|SocketModeReceiver|ExpressReceiver)(\.js)?$/ }, (args) =>
      args.importer.includes('@slack/bolt') || args.importer.startsWith(path.join(ROOT, 'src'))
        ? { path: args.path, namespace: 'bolt-receiver-left-out' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'bolt-receiver-left-out' }, (args) => ({
      loader: 'js',
      contents: `class LeftOut { constructor() { throw new Error(${JSON.stringify(`${path.basename(args.path)} is left out of sirbot's Lambda bundles (src/build/bundle.ts): pass Bolt a receiver`)}); } }\nmodule.exports = { default: LeftOut, __esModule: true };`,
    }));
  },
};

/**
 * The SDK packages src/aws/sdk.ts loads on first use must not be imported anywhere
 * else: a static import would put them back into every cold start.
 */
const lazySdkOnly: Plugin = {
  name: 'sirbot-lazy-sdk-only',
  setup(b) {
    const names = new Set<string>(LAZY_SDK_PACKAGES);
    b.onResolve({ filter: /^@aws-sdk\// }, (args) =>
      names.has(args.path) && !args.importer.includes('node_modules')
        ? { errors: [{ text: `${args.path} is loaded on first use through src/aws/sdk.ts; import only its types here` }] }
        : undefined,
    );
  },
};

/** The functions' own options: the shared ones, less the Bolt receivers they never build. */
export const FUNCTION_BUILD_OPTIONS: BuildOptions = { ...LAMBDA_BUILD_OPTIONS, plugins: [leaveOutUnusedBoltReceivers, lazySdkOnly] };

/** The functions that answer `/sir stats` (slack) and post the weekly numbers (worker). */
const DRAWS_CHARTS = new Set<FunctionName>(['slack', 'worker']);

/** resvg's WebAssembly module and the font, where src/charts/assets.ts looks for them beside the bundle. */
function copyChartAssets(outDir: string): void {
  const dir = path.join(outDir, BUNDLED_ASSETS_DIR);
  mkdirSync(dir, { recursive: true });
  const resolve = createRequire(import.meta.url).resolve;
  for (const asset of Object.values(CHART_ASSETS)) copyFileSync(resolve(asset.module), path.join(dir, asset.bundled));
}

/**
 * One entry bundled as a function is: `index.mjs`, split so that what is imported on first
 * use (the charts' Vega and resvg) becomes chunks beside it, loaded only then; with
 * `charts`, the chart assets too. Returns the entry file.
 */
export async function buildBundle(entry: string, outDir: string, o: { charts: boolean }): Promise<string> {
  await build({ ...FUNCTION_BUILD_OPTIONS, entryPoints: { index: entry }, outdir: outDir, splitting: true, outExtension: { '.js': '.mjs' } });
  if (o.charts) copyChartAssets(outDir);
  return path.join(outDir, 'index.mjs');
}

/** Each function's bundle in `<outRoot>/<name>/index.mjs`, with the default rules beside it. */
export async function bundle(names: FunctionName[] = Object.keys(FUNCTIONS) as FunctionName[], outRoot = path.join(ROOT, '.build')): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const name of names) {
    const outDir = path.join(outRoot, name);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(path.join(outDir, 'rules'), { recursive: true });
    const file = await buildBundle(path.join(ROOT, FUNCTIONS[name]), outDir, { charts: DRAWS_CHARTS.has(name) });
    copyFileSync(path.join(ROOT, 'src/rules/default.yml'), path.join(outDir, 'rules/default.yml'));
    results.push({ name, file, bytes: statSync(file).size });
  }
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const results = await bundle();
  for (const r of results) console.log(`${r.name.padEnd(8)} ${(r.bytes / 1024).toFixed(0).padStart(6)} KiB  ${path.relative(ROOT, r.file)}`);
}
