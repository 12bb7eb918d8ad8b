// What tracing and metrics cost: the pipeline step's fixed-rate window run twice on fresh topics, with tracing off
// (OTEL_TRACES_EXPORTER=none) and with every span recorded and exported to an in-process sink that drops it
// (discard), as ratios; and prom-client's cost per event from a micro-benchmark of what the runtime records.
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import { startPipeline, type WindowOptions } from './pipeline.js';
import { say } from './progress.js';
import type { Percentiles } from './samples.js';
import type { ServiceSettings } from './shop-services.js';

/** One pipeline window under one tracing setting. */
export interface TracedRun {
  exporter: 'none' | 'discard';
  ordersPerS: number;
  endToEndMs: Percentiles;
  /** CPU milliseconds of the five services per accepted order, over the measured window. */
  cpuMsPerOrder: number;
  unfinished: number;
}

export interface TracingCost {
  rate: number;
  off: TracedRun;
  on: TracedRun;
  /** on / off of orders/s, e2e p50, e2e p99 and CPU per order. */
  ratios: { ordersPerS: number; p50: number; p99: number; cpuPerOrder: number };
  /** prom-client's time per event for what the runtime records (an outcome and an age), in nanoseconds. */
  metricsNsPerEvent: number;
}

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** A window of the pipeline step (bench/pipeline.ts) but its name, which says the tracing setting. */
export type TracedWindow = Omit<WindowOptions, 'label'>;

async function tracedRun(
  exporter: TracedRun['exporter'],
  shop: Config,
  log: Logger,
  services: ServiceSettings,
  options: TracedWindow,
): Promise<TracedRun> {
  const env = { ...services.env, OTEL_TRACES_EXPORTER: exporter };
  const pipeline = await startPipeline(shop, log, { ...services, env });
  const result = await pipeline.runWindow({ ...options, label: `tracing-${exporter}` }).finally(() => pipeline.stop());
  const serviceCpuMs = Object.entries(result.cpuMsPerOrder)
    .filter(([label]) => label.startsWith('pipeline-'))
    .reduce((sum, [, used]) => sum + used, 0);
  return {
    exporter,
    ordersPerS: result.load.acceptedPerS,
    endToEndMs: result.endToEndMs,
    cpuMsPerOrder: round(serviceCpuMs),
    unfinished: result.unfinished,
  };
}

/** Nanoseconds per event of recording an outcome and an age into a fresh registry, over `events` events. */
export function metricsCostNs(events = 500_000): number {
  const actor = createMetrics().actor('payment');
  const record = (count: number) => {
    for (let i = 0; i < count; i++) {
      actor.processed(i % 10 === 0 ? 'failed' : 'completed');
      actor.eventAge(0.01);
    }
  };
  record(events / 10);
  const started = process.hrtime.bigint();
  record(events);
  return round(Number(process.hrtime.bigint() - started) / events, 0);
}

/**
 * Runs the pipeline window with tracing off, then with spans exported to the discarding sink, each on a fresh shop
 * from `freshShop`, at the same rate.
 * @example const cost = await measureTracingCost(freshShop, log, services, { ...pipelineOptions, rate });
 */
export async function measureTracingCost(
  freshShop: (step: string) => Promise<Config>,
  log: Logger,
  services: ServiceSettings,
  options: TracedWindow,
): Promise<TracingCost> {
  say(`tracing cost: the pipeline at ${options.rate} orders/s with tracing off`);
  const off = await tracedRun('none', await freshShop('trace-off'), log, services, options);
  say(`tracing cost: the pipeline at ${options.rate} orders/s with every span exported to an in-process sink`);
  const on = await tracedRun('discard', await freshShop('trace-on'), log, services, options);
  const ratio = (a: number, b: number): number => (b === 0 ? 0 : round(a / b));
  return {
    rate: options.rate,
    off,
    on,
    ratios: {
      ordersPerS: ratio(on.ordersPerS, off.ordersPerS),
      p50: ratio(on.endToEndMs.p50, off.endToEndMs.p50),
      p99: ratio(on.endToEndMs.p99, off.endToEndMs.p99),
      cpuPerOrder: ratio(on.cpuMsPerOrder, off.cpuMsPerOrder),
    },
    metricsNsPerEvent: metricsCostNs(),
  };
}

/** The report's section: both runs side by side, the ratios, and the metrics' cost per event. */
export function tracingCostSection(cost: TracingCost | undefined): string[] {
  if (cost === undefined) return [];
  const row = (name: string, run: TracedRun) =>
    `| ${name} | ${run.ordersPerS} | ${run.endToEndMs.p50} | ${run.endToEndMs.p99} | ${run.cpuMsPerOrder} | ${run.unfinished} |`;
  const { ratios } = cost;
  return [
    `What tracing costs: the pipeline at ${cost.rate} orders/s, tracing off vs every span exported to an in-process sink:`,
    '',
    '| tracing | orders/s | e2e p50 ms | e2e p99 ms | CPU ms per order (5 services) | unfinished |',
    '| ------- | -------: | ---------: | ---------: | ----------------------------: | ---------: |',
    row('off (OTEL_TRACES_EXPORTER=none)', cost.off),
    row('on, spans dropped in process (discard)', cost.on),
    `| ratio on / off | ${ratios.ordersPerS} | ${ratios.p50} | ${ratios.p99} | ${ratios.cpuPerOrder} | |`,
    '',
    `Metrics: prom-client records an event's outcome and age in ${cost.metricsNsPerEvent} ns (micro-benchmark).`,
    '',
  ];
}
