// Step 4's shop: the five services started once, a read_committed reader of every topic an order crosses, and
// load windows at a fixed order rate, each followed until it drains: latency and its hops, lag, CPU, transactions.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../src/config.js';
import { topic } from '../src/contracts/topics.js';
import { createAdmin } from '../src/kafka/client.js';
import { readTopics } from '../src/kafka/reader.js';
import type { Logger } from '../src/logger.js';
import { groupPosition, watchLag, type GroupOnTopic } from './group-offsets.js';
import { coresByStep, openWindow } from './measured-windows.js';
import { orderRequests } from './order-events.js';
import type { LoadResult } from './order-load.js';
import { runPacedLoad } from './paced-load.js';
import { OrderTrails, type HopSplit, type TrailEvent } from './order-trail.js';
import { showProgress } from './progress.js';
import { projectionLagProbe, type ProjectionLag } from './projection-lag.js';
import { warmUpPipeline } from './pipeline-warmup.js';
import { startShopService, type ServiceSettings } from './shop-services.js';
import { countedBetween, transactionCount, type TransactionCount } from './transaction-counts.js';

export interface WindowOptions {
  /** Names the window in the CPU table and the progress line, e.g. `curve-50%`. */
  label: string;
  /** Orders per second over all connections. */
  rate: number;
  durationS: number;
  /** How long the drain may take before the window gives up waiting (it then waits unmeasured for the rest). */
  drainCapS: number;
  /** Time the status projection for one order in this many; absent: not measured. */
  projectionSampleEvery?: number;
}

/** Transactions the actors committed during a window (from their own metrics), per actor and in all. */
export interface WindowTransactions {
  perS: number;
  eventsPerTransaction: number;
  byActor: Record<string, TransactionCount>;
}

export interface WindowResult extends HopSplit {
  label: string;
  /** Orders per second asked for. */
  rate: number;
  load: LoadResult;
  /** Highest lag per consumer group, polled every 500 ms from the start of the load to the end of the drain. */
  highestLag: Record<string, number>;
  /**
   * Orders whose terminal event was read per second over the second half of the load: what the pipeline carried,
   * below the rate asked when it could not keep up.
   */
  carriedPerS: number;
  /** Every actor group's lag summed, read when the load stopped, less one commit marker per partition. */
  lagAtEnd: number;
  /** From the end of the load to the terminal event of the last accepted order; null when it never came. */
  drainMs: number | null;
  unfinished: number;
  /** Load plus drain: the span of the CPU figures. */
  windowS: number;
  /** CPU milliseconds per accepted order, per process (the bench's own load generator and reader included). */
  cpuMsPerOrder: Record<string, number>;
  /** The cores the whole machine used over the load and drain (all processes, ours and others). */
  machineCores: number;
  transactions: WindowTransactions;
  projectionLag?: ProjectionLag;
}

export interface RunningPipeline {
  runWindow(options: WindowOptions): Promise<WindowResult>;
  stop(): Promise<void>;
}

const shopServices = ['order', 'payment', 'shipping', 'notification', 'status'] as const;
const settleCapMs = 90000;
const eventKinds: Record<string, TrailEvent> = {
  order_created: 'created',
  payment_completed: 'paid',
  payment_failed: 'paid',
  order_shipped: 'terminal',
  notification_sent: 'terminal',
};

/** Starts the five services on `config.topicPrefix` (topics already created), the reader, and warms them up. */
export async function startPipeline(config: Config, log: Logger, settings: ServiceSettings): Promise<RunningPipeline> {
  const prefix = config.topicPrefix;
  const processes = await Promise.all(
    shopServices.map((service) => startShopService(service, prefix, `pipeline-${service}`, settings)),
  );
  const [order, ...actors] = processes;
  const orderUrl = `http://127.0.0.1:${order!.port}`;
  const topicKinds = new Map(Object.entries(eventKinds).map(([name, kind]) => [topic(prefix, name as never), kind]));
  let trails = new OrderTrails();
  let onTerminal: (id: string, readAt: number) => void = () => undefined;
  const reader = await readTopics(config, log, {
    topics: [...topicKinds.keys()],
    from: 'beginning',
    onMessage(name, _partition, message) {
      const event = JSON.parse(message.value?.toString() ?? '{}') as { correlationid?: string; time?: string };
      const id = event.correlationid ?? '';
      if (!trails.has(id)) return;
      const kind = topicKinds.get(name)!;
      trails.event(id, kind, event.time, name.endsWith('order_shipped'));
      if (kind === 'terminal') onTerminal(id, performance.now());
    },
  });
  const admin = createAdmin(config, log, 'bench-lag');
  await admin.connect();
  const groups: GroupOnTopic[] = [
    { groupId: `${prefix}payment`, topic: topic(prefix, 'order_created') },
    { groupId: `${prefix}shipping`, topic: topic(prefix, 'payment_completed') },
    { groupId: `${prefix}notification`, topic: topic(prefix, 'payment_failed') },
    { groupId: `${prefix}status`, topic: [...topicKinds.keys()] },
  ];
  const positions = () => Promise.all(groups.map((group) => groupPosition(admin, group)));
  // Lag beyond one commit marker per partition (see GroupPosition.lag), summed over the groups.
  const totalLag = async (): Promise<number> =>
    (await positions()).reduce((sum, { lag, partitions }) => sum + Math.max(0, lag - partitions), 0);
  // Caught up: nothing left but, at most, the commit marker at the end of each partition.
  const caughtUp = async (): Promise<boolean> => (await positions()).every(({ lag, partitions }) => lag <= partitions);
  const stop = async (): Promise<void> => {
    await admin.disconnect();
    await reader.stop();
    await Promise.all(processes.map((service) => service.stop()));
  };
  try {
    await warmUpPipeline(orderUrl, trails);
  } catch (error) {
    await stop();
    throw error;
  }

  const countTransactions = () => Promise.all(actors.map((actor) => transactionCount(actor!.port)));
  return {
    stop,
    async runWindow(options) {
      const windowTrails = new OrderTrails();
      trails = windowTrails;
      const projection = options.projectionSampleEvery
        ? projectionLagProbe(orderUrl, options.projectionSampleEvery)
        : undefined;
      onTerminal = (id, readAt) => projection?.terminalRead(id, readAt);
      const countsBefore = await countTransactions();
      const started = performance.now();
      const endWindow = openWindow(
        options.label,
        processes.map((service) => ({ label: service.name, pid: service.pid })),
      );
      const lag = watchLag(admin, groups);
      const load = await runPacedLoad({
        label: `${options.label}: ${options.rate} orders/s`,
        url: orderUrl,
        // Enough connections that a slow answer does not hold back the requests due after it.
        connections: Math.max(16, Math.min(256, Math.ceil(options.rate / 2))),
        durationS: options.durationS,
        rate: options.rate,
        nextOrder: orderRequests(options.label.replace(/\W+/g, '')),
        onSent: (id, dueAt) => windowTrails.sent(id, dueAt),
        onAccepted: (id) => windowTrails.accepted(id),
      });
      const loadEnded = performance.now();
      const carriedPerS = windowTrails.finishedPerS((started + loadEnded) / 2, loadEnded);
      const lagAtEnd = await totalLag().catch(() => -1);
      const stopProgress = showProgress('draining', () => `${windowTrails.unfinished} orders unfinished`);
      const drainDeadline = loadEnded + options.drainCapS * 1000;
      while (windowTrails.unfinished > 0 && performance.now() < drainDeadline) await sleep(5);
      endWindow();
      const windowS = (performance.now() - started) / 1000;
      const drained = windowTrails.unfinished === 0;
      const unfinished = windowTrails.unfinished;
      const highestLag = await lag.stop();
      const counts = (await countTransactions()).map((after, index) => countedBetween(countsBefore[index]!, after));
      // Unmeasured: the next window starts on an empty pipeline.
      const settleDeadline = performance.now() + settleCapMs;
      while ((windowTrails.unfinished > 0 || !(await caughtUp())) && performance.now() < settleDeadline) {
        await sleep(100);
      }
      stopProgress();
      const projectionLag = await projection?.settle();
      const cores = coresByStep()[options.label] ?? {};
      const accepted = Math.max(1, load.accepted);
      const transactions = counts.reduce((sum, { transactions: count }) => sum + count, 0);
      const events = counts.reduce((sum, { events: count }) => sum + count, 0);
      return {
        label: options.label,
        rate: options.rate,
        load,
        ...windowTrails.split(),
        highestLag,
        carriedPerS,
        lagAtEnd,
        drainMs: drained ? Math.max(0, Math.round(windowTrails.lastFinishedAt - loadEnded)) : null,
        unfinished,
        windowS: Math.round(windowS * 100) / 100,
        machineCores: cores.machine ?? 0,
        cpuMsPerOrder: Object.fromEntries(
          Object.entries(cores).map(([name, used]) => [
            name,
            Math.round(((used * windowS * 1000) / accepted) * 100) / 100,
          ]),
        ),
        transactions: {
          perS: Math.round(transactions / windowS),
          eventsPerTransaction: Math.round((events / Math.max(1, transactions)) * 10) / 10,
          byActor: Object.fromEntries(counts.map((count, index) => [actors[index]!.name, count])),
        },
        ...(projectionLag ? { projectionLag } : {}),
      };
    },
  };
}
