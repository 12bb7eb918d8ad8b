// Step 4: the shop at a fixed order rate. Follows each order from its POST to its terminal event on a reader,
// watches the actors' lag, times the drain once the load stops, and samples the status projection's lag.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../src/config.js';
import { topic } from '../src/contracts/topics.js';
import { createAdmin, type KafkaMessage } from '../src/kafka/client.js';
import { readTopics } from '../src/kafka/reader.js';
import type { Logger } from '../src/logger.js';
import { watchLag } from './group-offsets.js';
import { openWindow } from './measured-windows.js';
import { orderRequests } from './order-events.js';
import { runOrderLoad, type LoadResult } from './order-load.js';
import { showProgress } from './progress.js';
import { projectionLagProbe, servedTerminal, type ProjectionLag } from './projection-lag.js';
import { Samples, type Percentiles } from './samples.js';
import { startShopService, type ServiceSettings } from './shop-services.js';

export interface PipelineOptions {
  connections: number;
  durationS: number;
  /** One order in this many has its projection lag measured. */
  lagSampleEvery: number;
  /** Orders per second over all connections. */
  rate: number;
  rateSlices: number;
  drainCapS: number;
  /** The name of its measured window (default `pipeline`), where the CPU of its processes is kept. */
  window?: string;
}

export interface PipelineResult {
  rate: number;
  load: LoadResult;
  /** POST written -> terminal event read, both flows together, then each flow. */
  endToEndMs: Percentiles;
  shippedMs: Percentiles;
  notifiedMs: Percentiles;
  /** Highest lag seen per consumer group, polled every 500 ms from the start of the load to the end of the drain. */
  highestLag: Record<string, number>;
  /** From the end of the load to the terminal event of the last accepted order; null when it never came. */
  drainMs: number | null;
  /** Accepted orders without a terminal event when the harness stopped waiting. */
  unfinished: number;
  /** Terminal event read -> its status served as terminal by GET /orders/:id, for a sample of the orders. */
  projectionLag: ProjectionLag;
}

const correlationOf = (message: KafkaMessage): string =>
  (JSON.parse(message.value?.toString() ?? '{}') as { correlationid?: string }).correlationid ?? '';

/** Runs the five services on `config.topicPrefix` (topics already created) and measures the pipeline. */
export async function measurePipeline(
  config: Config,
  log: Logger,
  settings: ServiceSettings,
  options: PipelineOptions,
): Promise<PipelineResult> {
  const prefix = config.topicPrefix;
  const services = ['order', 'payment', 'shipping', 'notification', 'status'] as const;
  const [order, ...actors] = await Promise.all(
    services.map((service) => startShopService(service, prefix, `pipeline-${service}`, settings)),
  );
  const shippedTopic = topic(prefix, 'order_shipped');
  const sentAt = new Map<string, number>();
  const finished = new Set<string>();
  const outstanding = new Set<string>();
  const flows = { all: new Samples(), shipped: new Samples(), notified: new Samples() };
  let emptiedAt = 0;
  const orderUrl = `http://127.0.0.1:${order!.port}`;
  const projection = projectionLagProbe(orderUrl, options.lagSampleEvery);
  const reader = await readTopics(config, log, {
    topics: [shippedTopic, topic(prefix, 'notification_sent')],
    from: 'beginning',
    onMessage(name, _partition, message) {
      const arrived = performance.now();
      const id = correlationOf(message);
      if (finished.has(id)) return;
      finished.add(id);
      const sent = sentAt.get(id);
      if (sent === undefined) return;
      flows.all.add(arrived - sent);
      (name === shippedTopic ? flows.shipped : flows.notified).add(arrived - sent);
      projection.terminalRead(id, arrived);
      if (outstanding.delete(id) && outstanding.size === 0) emptiedAt = arrived;
    },
  });
  const admin = createAdmin(config, log, 'bench-lag');
  await admin.connect();
  try {
    // Warm-up orders prove every actor and the reader are assigned before anything is timed.
    const nextWarmup = orderRequests('warm');
    const warmups = Array.from({ length: 20 }, nextWarmup);
    for (const { id, body } of warmups) {
      const headers = { 'content-type': 'application/json', 'x-request-id': id };
      await fetch(`${orderUrl}/order`, { method: 'POST', headers, body });
    }
    const warmDeadline = performance.now() + 30000;
    while (!warmups.every(({ id }) => finished.has(id))) {
      if (performance.now() > warmDeadline) throw new Error('warm-up orders did not reach a terminal event in 30 s');
      await sleep(20);
    }
    // ... and that the status actor and the order service's table serve them (the table answers 503 until loaded).
    for (const { id } of warmups) {
      while (!(await servedTerminal(orderUrl, id, 1000).catch(() => false))) {
        if (performance.now() > warmDeadline) throw new Error('warm-up orders were not served as terminal in 30 s');
        await sleep(20);
      }
    }

    const endWindow = openWindow(
      options.window ?? 'pipeline',
      [order!, ...actors].map((service) => ({ label: service!.name, pid: service!.pid })),
    );
    const lag = watchLag(admin, [
      { groupId: `${prefix}payment`, topic: topic(prefix, 'order_created') },
      { groupId: `${prefix}shipping`, topic: topic(prefix, 'payment_completed') },
      { groupId: `${prefix}notification`, topic: topic(prefix, 'payment_failed') },
    ]);
    const load = await runOrderLoad({
      label: `pipeline at ${options.rate} orders/s`,
      url: orderUrl,
      connections: options.connections,
      durationS: options.durationS,
      overallRate: options.rate,
      rateSlices: options.rateSlices,
      nextOrder: orderRequests('pipe'),
      onSent: (id) => sentAt.set(id, performance.now()),
      onAccepted: (id) => {
        if (!finished.has(id)) outstanding.add(id);
      },
    });
    const loadEnded = performance.now();
    const stopProgress = showProgress('draining', () => `${outstanding.size} orders unfinished`);
    const drainDeadline = loadEnded + options.drainCapS * 1000;
    while (outstanding.size > 0 && performance.now() < drainDeadline) await sleep(5);
    stopProgress();
    endWindow();
    const highestLag = await lag.stop();
    const drained = outstanding.size === 0;
    // After the window: the last answers come in while nothing else is timed.
    const projectionLag = await projection.settle();
    return {
      rate: options.rate,
      load,
      endToEndMs: flows.all.percentiles(),
      shippedMs: flows.shipped.percentiles(),
      notifiedMs: flows.notified.percentiles(),
      highestLag,
      drainMs: drained ? Math.max(0, Math.round(emptiedAt - loadEnded)) : null,
      unfinished: outstanding.size,
      projectionLag,
    };
  } finally {
    await admin.disconnect();
    await reader.stop();
    await Promise.all([order!, ...actors].map((service) => service!.stop()));
  }
}
