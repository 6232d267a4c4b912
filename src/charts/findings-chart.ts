import type { TopLevelSpec } from 'vega-lite';
import type { FindingStats } from '../domain/stats/stats.ts';
import type { StatsCharts } from '../ports/charts.ts';

/**
 * Charts drawn by Vega-Lite (compiled to a Vega view, rendered headless to SVG) and
 * turned into PNG by resvg (a Rust SVG renderer shipped as prebuilt binaries in npm's
 * optional dependencies: no native build from source, no canvas, no browser). Both are
 * loaded on first use, so a runtime that never draws a chart never loads them.
 *
 * Text needs a font: the system's fonts are loaded (Debian's DejaVu here). Where there
 * are none (a bare Lambda runtime), resvg leaves text out and the bars are still drawn;
 * `fontFiles` adds fonts from files instead.
 */
export class VegaStatsCharts implements StatsCharts {
  constructor(private readonly options: { fontFiles?: string[] } = {}) {}

  async findingsPerDay(stats: FindingStats): Promise<Uint8Array | null> {
    const values = stats.perDay.filter((d) => d.count > 0);
    if (values.length === 0) return null;
    const [vega, vegaLite, { Resvg }] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
    const spec = findingsPerDaySpec(stats);
    const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
    try {
      const svg = await view.toSVG();
      const png = new Resvg(svg, {
        font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', ...(this.options.fontFiles ? { fontFiles: this.options.fontFiles } : {}) },
        fitTo: { mode: 'width', value: 900 },
      })
        .render()
        .asPng();
      return new Uint8Array(png);
    } finally {
      view.finalize();
    }
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
    config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' },
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
