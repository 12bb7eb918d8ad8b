// Step 5: one actor's own rate. Its input topic is preloaded with valid events, then only that actor is
// started and timed from ready (partitions assigned) until its group's committed offsets reach the end.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../src/config.js';
import { topic, type TopicName } from '../src/contracts/topics.js';
import { createAdmin } from '../src/kafka/client.js';
import type { Logger } from '../src/logger.js';
import type { BenchProcess } from './bench-process.js';
import { groupPosition } from './group-offsets.js';
import { coresByStep, openWindow } from './measured-windows.js';
import type { InputEventType } from './order-events.js';
import { preloadEvents, type PreloadResult } from './preload.js';
import { showProgress } from './progress.js';
import { startShopService, type ServiceSettings } from './shop-services.js';

export type ActorName = 'payment' | 'shipping' | 'notification';

/** Each actor's input topic and the event type on it. */
export const actorInputs: Record<ActorName, { input: TopicName; type: InputEventType }> = {
  payment: { input: 'order_created', type: 'webshop.order.created' },
  shipping: { input: 'payment_completed', type: 'webshop.payment.completed' },
  notification: { input: 'payment_failed', type: 'webshop.payment.failed' },
};

/** How fast a consumer-process-produce application worked through a preloaded input. */
export interface PreloadedRate {
  preload: PreloadResult;
  /** Spawn to ready (for the peer: its JVM warm-up included). */
  startupMs: number;
  /** Events whose offsets it committed. */
  committed: number;
  /** From ready to the committed offsets reaching the end (or to the cap). */
  seconds: number;
  perS: number;
  caughtUp: boolean;
  /** CPU seconds per 100,000 committed events: the process's own, and the broker's meanwhile. */
  cpuSPer100k: { process: number; broker: number };
}

export interface ActorRate extends PreloadedRate {
  actor: ActorName;
}

/**
 * Starts the process `start` gives and times it from ready until `groupId` committed every event of `inputTopic`
 * (`events` of them, already preloaded), or until `capS`.
 */
export async function timeCatchUp(
  config: Config,
  log: Logger,
  { groupId, inputTopic, events, capS }: { groupId: string; inputTopic: string; events: number; capS: number },
  start: () => Promise<BenchProcess>,
): Promise<Omit<PreloadedRate, 'preload'>> {
  const admin = createAdmin(config, log, 'bench-actor-rate');
  await admin.connect();
  const group = { groupId, topic: inputTopic };
  const service = await start();
  const started = performance.now();
  const endWindow = openWindow(service.name, [{ label: service.name, pid: service.pid }]);
  let committed = 0;
  const stopProgress = showProgress(service.name, () => `${committed} / ${events} events committed`);
  try {
    const deadline = started + capS * 1000;
    let caughtUp = false;
    while (!caughtUp && performance.now() < deadline) {
      await sleep(50);
      const position = await groupPosition(admin, group);
      committed = position.committed;
      caughtUp = position.end >= events && position.lag === 0;
    }
    endWindow();
    const seconds = (performance.now() - started) / 1000;
    const cores = coresByStep()[service.name] ?? {};
    const per100k = (used = 0): number => Math.round(((used * seconds * 100_000) / Math.max(1, committed)) * 10) / 10;
    return {
      startupMs: service.startupMs,
      committed,
      seconds: Math.round(seconds * 100) / 100,
      perS: Math.round(committed / seconds),
      caughtUp,
      cpuSPer100k: { process: per100k(cores[service.name]), broker: per100k(cores.broker) },
    };
  } finally {
    stopProgress();
    await service.stop();
    await admin.disconnect();
  }
}

/** Preloads `events` on the actor's input under `config.topicPrefix` (topics already created) and times it. */
export async function measureActorRate(
  config: Config,
  log: Logger,
  settings: ServiceSettings,
  { actor, events, capS }: { actor: ActorName; events: number; capS: number },
): Promise<ActorRate> {
  const { input, type } = actorInputs[actor];
  const inputTopic = topic(config.topicPrefix, input);
  const preload = await preloadEvents(config, log, inputTopic, type, events);
  const groupId = `${config.topicPrefix}${actor}`;
  const timed = await timeCatchUp(config, log, { groupId, inputTopic, events, capS }, () =>
    startShopService(actor, config.topicPrefix, `rate-${actor}`, settings),
  );
  return { actor, preload, ...timed };
}

const usage = `Usage: node --import tsx bench/actor-rate.ts --actor NAME [options]
Step 5 alone: preloads events on new topics, then times one shop actor (built to dist/) through them.
  --actor NAME          payment, shipping or notification; or peer, the Kafka Streams peer of payment (step 6)
  --brokers LIST        a running broker (default: KAFKA_BROKERS); --broker starts a throwaway one
  --broker-pid N        the broker's process, to report its CPU per 100k events too
  --events N            events to preload (default 200000)
  --cap N               seconds at most (default 45)
  --profile DIR         also write the actor's V8 CPU profile there (read it with bench/profile-summary.ts)
  --help                this text
Any other shop setting reaches the actor through the environment, e.g. ACTOR_BATCH_SIZE=1000.`;

async function cli(): Promise<void> {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({
    options: {
      actor: { type: 'string' },
      brokers: { type: 'string' },
      broker: { type: 'boolean', default: false },
      'broker-pid': { type: 'string' },
      events: { type: 'string', default: '200000' },
      cap: { type: 'string', default: '45' },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.actor || !(values.actor in actorInputs || values.actor === 'peer')) {
    process.stdout.write(`${usage}\n`);
    if (!values.help) process.exitCode = 2;
    return;
  }
  const { mkdtemp, mkdir } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { randomUUID } = await import('node:crypto');
  const winston = (await import('winston')).default;
  const { loadConfig } = await import('../src/config.js');
  const { ensureTopics } = await import('../src/kafka/topics.js');
  const { startThrowawayBroker } = await import('./broker.js');
  const { buildDist } = await import('./shop-services.js');
  const { watchInEveryWindow } = await import('./measured-windows.js');
  const { teardown, teardownOnSignals } = await import('./teardown.js');
  teardownOnSignals();
  const log = winston.createLogger({
    level: 'warn',
    defaultMeta: { service: 'actor-rate' },
    format: winston.format.json(),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
  });
  const workDir = await mkdtemp(join(tmpdir(), 'webshop-actor-rate-'));
  try {
    const env: Record<string, string> = { LOG_LEVEL: 'warn', LOG_FORMAT: 'json' };
    if (values.brokers) env.KAFKA_BROKERS = values.brokers;
    if (values.broker) {
      const port = Number(process.env.BENCH_KAFKA_PORT ?? 29092);
      const broker = await startThrowawayBroker(port, port + 1, workDir);
      env.KAFKA_BROKERS = broker.brokers;
      watchInEveryWindow({ label: 'broker', pid: broker.pid });
    }
    if (values['broker-pid']) watchInEveryWindow({ label: 'broker', pid: Number(values['broker-pid']) });
    if (values.profile) await mkdir(values.profile, { recursive: true });
    const run = randomUUID().slice(0, 6);
    const config = loadConfig({ ...process.env, ...env, TOPIC_PREFIX: `rate-${run}.` });
    const warmShop = async (shop: Config): Promise<Config> => {
      const warm = { ...shop, topicPrefix: `rate-${run}-warm.` };
      await ensureTopics(warm, log);
      return warm;
    };
    await ensureTopics(config, log);
    process.stderr.write('actor-rate: building dist/ (npm run build)\n');
    await buildDist();
    const settings = {
      env: { ...env, KAFKA_BROKERS: config.kafkaBrokers },
      logDir: workDir,
      ...(values.profile ? { profileDir: values.profile } : {}),
    };
    process.stderr.write(`actor-rate: logs in ${workDir}\n`);
    const [events, capS] = [Number(values.events), Number(values.cap)];
    const result =
      values.actor === 'peer'
        ? await (
            await import('./peer.js')
          ).measurePeerRate(config, await warmShop(config), log, settings, {
            events,
            warmupEvents: 50_000,
            capS,
          })
        : await measureActorRate(config, log, settings, { actor: values.actor as ActorName, events, capS });
    process.stdout.write(`${JSON.stringify({ ...result, preload: undefined }, null, 2)}\n`);
  } finally {
    await teardown();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  cli().catch((error: unknown) => {
    process.stderr.write(`actor-rate: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
