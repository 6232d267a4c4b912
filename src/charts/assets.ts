import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The two files a chart needs besides code: resvg's WebAssembly module and a font. In a
 * Lambda bundle they sit beside it (`charts/`, copied by src/build/bundle.ts); from the
 * sources they come from their npm packages (`@resvg/resvg-wasm`, `dejavu-fonts-ttf`).
 * A font is shipped rather than looked for, since a Lambda runtime has no system fonts
 * and resvg leaves out text it has no font for.
 */
export const CHART_ASSETS = {
  wasm: { bundled: 'resvg.wasm', module: '@resvg/resvg-wasm/index_bg.wasm' },
  font: { bundled: 'DejaVuSans.ttf', module: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf' },
} as const;

/** The bundle's folder for chart assets, next to the running module. */
export const BUNDLED_ASSETS_DIR = 'charts';

export function chartAsset(which: keyof typeof CHART_ASSETS, from: string = import.meta.url): Uint8Array {
  const here = path.dirname(fileURLToPath(from));
  const bundled = path.join(here, BUNDLED_ASSETS_DIR, CHART_ASSETS[which].bundled);
  const file = existsSync(bundled) ? bundled : createRequire(from).resolve(CHART_ASSETS[which].module);
  return readFileSync(file);
}
