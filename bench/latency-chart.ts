// The latency curve of step 4 as an SVG chart: end-to-end p50 / p99 / p99.9 against the order rate, drawn with
// Vega-Lite and rendered by Vega's headless view (no browser, no native canvas), written next to the results.
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { CapacityResult } from './capacity.js';

/** The chart of `capacity`'s curve (with its unloaded point and its confirmation window) as an SVG document. */
export async function latencyChart(capacity: CapacityResult, title: string): Promise<string> {
  const points = [capacity.unloaded, ...capacity.curve.map(({ window }) => window), capacity.confirmation].sort(
    (a, b) => a.rate - b.rate,
  );
  const values = points.flatMap(({ load, endToEndMs }) =>
    (
      [
        ['p50', endToEndMs.p50],
        ['p99', endToEndMs.p99],
        ['p99.9', endToEndMs.p999],
      ] as const
    ).map(([percentile, ms]) => ({ rate: load.acceptedPerS, percentile, ms: Math.max(0.1, ms) })),
  );
  const spec: vegaLite.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: 'POST due -> terminal event read (read_committed); log scale' },
    width: 520,
    height: 300,
    data: { values },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'rate', type: 'quantitative', title: 'orders/s accepted' },
          y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'end-to-end latency (ms)' },
          color: { field: 'percentile', type: 'nominal', title: null, sort: ['p50', 'p99', 'p99.9'] },
        },
      },
      {
        data: { values: [{ rate: capacity.ordersPerS }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
        encoding: { x: { field: 'rate', type: 'quantitative' } },
      },
    ],
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
