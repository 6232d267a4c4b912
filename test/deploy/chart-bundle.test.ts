import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/build/bundle.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const PNG_MAGIC = '89504e470d0a1a0a';

describe('charts in a Lambda bundle', () => {
  it('draw from the bundle alone (no node_modules, no system fonts asked for), with Vega and resvg left out of index.mjs', async () => {
    // Outside the repository, so nothing can be resolved from its node_modules.
    const dir = mkdtempSync(path.join(tmpdir(), 'sirbot-chart-bundle-'));
    try {
      const entry = await buildBundle(path.join(ROOT, 'test/support/chart-entry.ts'), dir, { charts: true });
      expect(readdirSync(path.join(dir, 'charts')).sort()).toEqual(['DejaVuSans.ttf', 'resvg.wasm']);
      const { stdout } = await run(
        process.execPath,
        ['--input-type=module', '-e', `const m = await import(${JSON.stringify(entry)}); console.log(await m.draw(true));`],
        { cwd: dir, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      );
      const png = Buffer.from(stdout.trim(), 'base64');
      expect(png.subarray(0, 8).toString('hex')).toBe(PNG_MAGIC);
      expect(png.readUInt32BE(16)).toBe(900);
      // Vega and resvg are chunks loaded on first use: the entry itself stays small.
      expect(statSync(entry).size).toBeLessThan(50_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
