import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

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
 * Exported so bench/bundles.ts bundles its bare Bolt reference the same way.
 */
export const LAMBDA_BUILD_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: 'linked',
  external: ['better-sqlite3'],
  banner: { js: "import { createRequire as __sirbotRequire } from 'node:module'; const require = __sirbotRequire(import.meta.url);" },
  logLevel: 'warning',
};

/** Each function's bundle in `<outRoot>/<name>/index.mjs`, with the default rules beside it. */
export async function bundle(names: FunctionName[] = Object.keys(FUNCTIONS) as FunctionName[], outRoot = path.join(ROOT, '.build')): Promise<BundleResult[]> {
  const results: BundleResult[] = [];
  for (const name of names) {
    const outDir = path.join(outRoot, name);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(path.join(outDir, 'rules'), { recursive: true });
    const file = path.join(outDir, 'index.mjs');
    await build({ ...LAMBDA_BUILD_OPTIONS, entryPoints: [path.join(ROOT, FUNCTIONS[name])], outfile: file });
    copyFileSync(path.join(ROOT, 'src/rules/default.yml'), path.join(outDir, 'rules/default.yml'));
    results.push({ name, file, bytes: statSync(file).size });
  }
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const results = await bundle();
  for (const r of results) console.log(`${r.name.padEnd(8)} ${(r.bytes / 1024).toFixed(0).padStart(6)} KiB  ${path.relative(ROOT, r.file)}`);
}
