import type { TopLevelSpec } from 'vega-lite';
import type { FindingStats } from '../domain/stats/stats.ts';
import type { StatsCharts } from '../ports/charts.ts';
import { chartAsset } from './assets.ts';

/**
 * Charts drawn by Vega-Lite (compiled to a Vega view, rendered headless to SVG) and
 * turned into PNG by resvg's WebAssembly build: no native binary, so the same code draws
 * on this machine and on Lambda's arm64, with the DejaVu font it is handed (assets.ts)
 * rather than whatever fonts a system has. All of it is loaded on first use, so a runtime
 * that never draws a chart never loads it.
 */
export class VegaStatsCharts implements StatsCharts {
  private ready: Promise<Uint8Array> | null = null;

  async findingsPerDay(stats: FindingStats): Promise<Uint8Array | null> {
    const values = stats.perDay.filter((d) => d.count > 0);
    if (values.length === 0) return null;
    const [vega, vegaLite, { Resvg }, font] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-wasm'), this.init()]);
    const spec = findingsPerDaySpec(stats);
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
    try {
      const svg = await view.toSVG();
      const resvg = new Resvg(svg, { font: { fontBuffers: [font], defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'width', value: 900 } });
      try {
        return resvg.render().asPng();
      } finally {
        resvg.free();
      }
    } finally {
      view.finalize();
    }
  }

  /** The WebAssembly module is instantiated once per process (a second initWasm throws); the font is read once. */
  private init(): Promise<Uint8Array> {
    this.ready ??= (async () => {
      const { initWasm } = await import('@resvg/resvg-wasm');
      await initWasm(chartAsset('wasm')).catch((err: unknown) => {
        if (!/already initialized/i.test(String((err as Error)?.message))) throw err;
      });
      return chartAsset('font');
    })();
    return this.ready;
  }
}

/** Severity colours, most severe darkest, in the order the stack is drawn. */
const SEVERITY_ORDER = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];
const SEVERITY_COLOURS = ['#7f0000', '#d7301f', '#fc8d59', '#fdcc8a', '#bdbdbd'];

/** The Vega-Lite specification: one bar a day, stacked by severity, every day of the window on the axis. */
export function findingsPerDaySpec(stats: FindingStats): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Findings per day', subtitle: `${stats.window.from.slice(0, 10)} – ${stats.window.to.slice(0, 10)} (UTC)` },
    width: 640,
    height: 240,
    background: 'white',
    config: { font: 'DejaVu Sans' },
    data: { values: stats.perDay },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'day', type: 'ordinal', title: null, axis: { labelAngle: -45 } },
      y: { field: 'count', type: 'quantitative', aggregate: 'sum', title: 'findings', axis: { tickMinStep: 1 } },
      color: { field: 'severity', type: 'nominal', title: 'severity', scale: { domain: SEVERITY_ORDER, range: SEVERITY_COLOURS } },
      order: { field: 'severity', sort: 'ascending' },
    },
  };
}
