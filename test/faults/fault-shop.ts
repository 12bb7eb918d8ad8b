// The fixture of a fault test: the shop's four real processes on a topic prefix of their own, each on a port of
// its own (kept across restarts: service-port.ts), logs in .run/faults/<prefix>/, and all torn down after the test.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { loadConfig, type Config } from '../../src/config.js';
import { topic, topicNames } from '../../src/contracts/topics.js';
import { createAdmin } from '../../src/kafka/client.js';
import { ensureTopics } from '../../src/kafka/topics.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { acceptedWithoutTerminal } from './order-figures.js';
import type { OrderAnswer } from './order-load.js';
import { servicePort } from './service-port.js';
import { spawnService, type ServiceName, type ServiceProcess } from './service-process.js';
import { openOffsetReader, recordShop, settle, type SettleResult, type ShopRecord } from './shop-record.js';

/** Settings of every process of a fault test, unless a test overrides them. */
export const faultSettings = {
  // The bound the broker-outage test holds the order endpoint to.
  ORDER_ACK_TIMEOUT_MS: '2000',
  SHUTDOWN_TIMEOUT_MS: '10000',
} as const;

/** Bounds of the waits in a fault test. */
export const limits = {
  /** A fresh process until /readyz answers 200: five start-ups at once (under tsx then) took over 30 s on 2 busy cores. */
  startMs: 60000,
  /**
   * A restarted actor after kill -9: the dead member holds its partitions until its session times out (3 s on the
   * project's brokers; SESSION_TIMEOUT_MS, 30 s, with GROUP_PROTOCOL=classic), and start-up is slow on a loaded machine.
   */
  restartMs: 90000,
  /** After the load: until every accepted order has its terminal event and every actor is done. */
  settleMs: 90000,
} as const;

export interface FaultShop {
  config: Config;
  log: Logger;
  logDir: string;
  /** Spawns (or respawns, on the same port) process `label`; does not wait for it. */
  spawn(service: ServiceName, label?: string, env?: Record<string, string>): Promise<ServiceProcess>;
  /** Spawns process `label` and waits until it is ready; resolves with it and its start-up time. */
  start(
    service: ServiceName,
    label?: string,
    env?: Record<string, string>,
  ): Promise<{ process: ServiceProcess; readyMs: number }>;
  /** The live (or last) process of `label`. */
  process(label: string): ServiceProcess;
  /** Starts the order service and the three actors, one instance each; resolves with the order URL. */
  startShop(): Promise<string>;
  /** Waits until every 201 order has its terminal event and every actor is done (see `settle`). */
  settle(
    answers: readonly OrderAnswer[],
    pending?: (record: ShopRecord) => string[],
    timeoutMs?: number,
  ): Promise<SettleResult>;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A shop on its own prefix, its topics created; its processes stopped and topics deleted after the test.
 * @example const shop = await createFaultShop(t); const url = await shop.startShop();
 */
export async function createFaultShop(t: TestContext, env: Record<string, string> = {}): Promise<FaultShop> {
  const prefix = `faults-${randomUUID().slice(0, 8)}.`;
  const settings: Record<string, string> = {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    TOPIC_PREFIX: prefix,
    LOG_LEVEL: process.env.FAULTS_SERVICE_LOG_LEVEL ?? 'info',
    // The one shop setting passed on: librdkafka's own debug lines, to find out what a client did in a fault.
    KAFKA_DEBUG: process.env.KAFKA_DEBUG ?? '',
    ...faultSettings,
    ...env,
  };
  const config = loadConfig({ ...settings, LOG_LEVEL: process.env.LOG_LEVEL ?? 'error', LOG_FORMAT: 'json' });
  const log = createLogger(config, 'fault-test');
  const logDir = `${repoRoot}.run/faults/${prefix.slice(0, -1)}`;
  mkdirSync(logDir, { recursive: true });
  await ensureTopics(config, log);
  const admin = createAdmin(config, log, 'fault-cleanup');
  await admin.connect();
  const offsets = await openOffsetReader(config, log);
  const recorder = await recordShop(config, log);

  const ports = new Map<string, number>();
  const processes = new Map<string, ServiceProcess>();
  t.after(async () => {
    // Cleanup, not a scenario: kill -9, so that no process can hold the next test up.
    await Promise.all([...processes.values()].map((running) => running.kill()));
    await Promise.all([offsets.close(), recorder.close()]);
    await admin.deleteTopics({ topics: topicNames.map((name) => topic(prefix, name)) }).catch(() => undefined);
    await admin.disconnect();
  });

  const spawn = async (service: ServiceName, label: string = service, extra: Record<string, string> = {}) => {
    if (processes.get(label)?.alive()) throw new Error(`${label} is already running`);
    const port = ports.get(label) ?? (await servicePort(new Set(ports.values())));
    ports.set(label, port);
    const started = spawnService({ service, label, port, env: { ...settings, ...extra }, logDir });
    processes.set(label, started);
    return started;
  };
  const start: FaultShop['start'] = async (service, label = service, extra = {}) => {
    const started = await spawn(service, label, extra);
    return { process: started, readyMs: await started.ready(limits.startMs) };
  };

  return {
    config,
    log,
    logDir,
    spawn,
    start,
    process(label) {
      const found = processes.get(label);
      if (!found) throw new Error(`no process ${label}`);
      return found;
    },
    async startShop() {
      const [order] = await Promise.all([start('order'), start('payment'), start('shipping'), start('notification')]);
      return `http://127.0.0.1:${order.process.spec.port}`;
    },
    settle: (answers, pending = () => [], timeoutMs = limits.settleMs) =>
      settle(
        offsets,
        recorder,
        config,
        log,
        (record) => [...acceptedWithoutTerminal(record, answers), ...pending(record)],
        timeoutMs,
      ),
  };
}
