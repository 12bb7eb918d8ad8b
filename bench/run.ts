// `make bench`: a throwaway broker, then each figure of issue 5 next to its ceiling, in one run; the table goes to
// stdout and bench/results/. Usage: node --import tsx bench/run.ts [--quick] [--profile]
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import winston from 'winston';
import { parseOptions } from '../src/cli/options.js';
import { configEnv, defaultConfig, loadConfig, type Config } from '../src/config.js';
import { ensureTopics } from '../src/kafka/topics.js';
import { actorPreloadSetting } from './allocator.js';
import { measureActorRate, type ActorName, type ActorRate } from './actor-rate.js';
import { measureRateRounds } from './rate-rounds.js';
import { measureCapacity } from './capacity.js';
import type { BenchResults } from './bench-results.js';
import { measureBrokerCeilings } from './broker-ceiling.js';
import { brokerJvmOpts, startThrowawayBroker } from './broker.js';
import { brokerRequests } from './broker-requests.js';
import { describeMachine } from './machine.js';
import { coresByStep, watchInEveryWindow, writeProfileWindows } from './measured-windows.js';
import { measureEndpoint } from './order-load.js';
import { measureSingleHops } from './peer-hop.js';
import { measurePeerRate, peerHeap } from './peer.js';
import { startPipeline } from './pipeline.js';
import { plans } from './plans.js';
import { say } from './progress.js';
import { renderMarkdown, writeResults } from './report.js';
import { buildDist, startHttpCeiling, startShopService, type ServiceSettings } from './shop-services.js';
import { teardown, teardownOnSignals } from './teardown.js';
import { measureTracingCost } from './tracing-cost.js';

// Below the ephemeral port range (32768-60999 on Linux): a client socket cannot be holding it. BENCH_KAFKA_PORT moves
// the throwaway broker (its controller takes the next port), so two benches can run side by side.
const kafkaPort = Number(process.env.BENCH_KAFKA_PORT ?? 29092);
const kafkaControllerPort = kafkaPort + 1;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const { values: flags } = parseOptions('bench', {
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    // Default: bench/results/ for a full run; the run's own directory under .run/bench/ for a quick one.
    out: { type: 'string' },
  },
});
const mode = flags.quick ? 'quick' : 'full';
const plan = plans[mode];

// The bench's own Kafka clients log to stderr: stdout carries only the results table.
const log = winston.createLogger({
  level: 'warn',
  defaultMeta: { service: 'bench' },
  format: winston.format.json(),
  transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
});

const alwaysListed: (keyof Config)[] = [
  'logLevel',
  'logFormat',
  'producerLingerMs',
  'actorBatchSize',
  'actorConcurrency',
  'actorCommitIntervalMs',
  'statusCommitIntervalMs',
  'paymentLimit',
];
const setByTheBench: (keyof Config)[] = ['kafkaBrokers', 'topicPrefix', 'httpHost'];

/** The shop settings the services ran with: the ones that shape the figures, and any other not at its default. */
function shopSettings(config: Config): Record<string, string | number> {
  const keys = (Object.keys(configEnv) as (keyof Config)[]).filter(
    (key) =>
      alwaysListed.includes(key) ||
      (!setByTheBench.includes(key) && !key.endsWith('Port') && config[key] !== defaultConfig[key]),
  );
  return Object.fromEntries(keys.map((key) => [configEnv[key], config[key]]));
}

async function main(): Promise<void> {
  teardownOnSignals();
  const startedAt = new Date().toISOString();
  const runId = randomUUID().slice(0, 6);
  const workDir = `${repoRoot}.run/bench/${startedAt.replace(/[:.]/g, '-')}`;
  const services: ServiceSettings = {
    env: { LOG_LEVEL: 'warn', LOG_FORMAT: 'json' },
    logDir: workDir,
    ...(flags.profile ? { profileDir: `${workDir}/profiles` } : {}),
  };
  await mkdir(services.profileDir ?? workDir, { recursive: true });
  say(`${mode} run; service logs${flags.profile ? ' and CPU profiles' : ''} in ${workDir}`);
  const machine = describeMachine();
  const loadAtStart = Math.round(loadavg()[0]! * 10) / 10;
  say('building dist/ (npm run build)');
  await buildDist();
  const broker = await startThrowawayBroker(kafkaPort, kafkaControllerPort, workDir);
  services.env.KAFKA_BROKERS = broker.brokers;
  watchInEveryWindow({ label: 'broker', pid: broker.pid });
  const freshShop = async (step: string): Promise<Config> => {
    const config = loadConfig({ ...process.env, ...services.env, TOPIC_PREFIX: `bench-${runId}-${step}.` });
    await ensureTopics(config, log);
    return config;
  };

  say('step 1/6: HTTP ceiling (bare Koa, no Kafka)');
  const ceiling = await startHttpCeiling(services);
  const httpCeiling = await measureEndpoint('bare Koa', `http://127.0.0.1:${ceiling.port}`, plan, {
    label: ceiling.name,
    pid: ceiling.pid,
  });
  await ceiling.stop();

  say('step 2/6: broker ceilings (raw produce, raw transactions, raw consume)');
  const brokerCeilings = await measureBrokerCeilings(await freshShop('raw'), log, plan);

  say('step 3/6: POST /order at full speed, then from one connection');
  const orderShop = await freshShop('order');
  const orderService = await startShopService('order', orderShop.topicPrefix, 'order', services);
  const orders = await measureEndpoint('POST /order', `http://127.0.0.1:${orderService.port}`, plan, {
    label: orderService.name,
    pid: orderService.pid,
  });
  await orderService.stop();

  say(
    `step 4/6: the pipeline's capacity (from ${Math.round(orders.full.acceptedPerS / 2)} orders/s), then its latency curve`,
  );
  const shop = await startPipeline(await freshShop('pipe'), log, services);
  const pipeline = await measureCapacity(shop, orders.full.acceptedPerS, plan).finally(() => shop.stop());
  // Issue 11: what tracing costs, at half of the capacity found (bench/tracing-cost.ts).
  const tracingCost = await measureTracingCost(freshShop, log, services, {
    rate: Math.max(1, Math.round(pipeline.ordersPerS / 2)),
    durationS: plan.curveS,
    drainCapS: plan.drainCapS,
  });

  const actors: ActorRate[] = [];
  for (const actor of ['payment', 'shipping', 'notification'] as ActorName[]) {
    say(`step 5/6: the ${actor} actor on ${plan.events} preloaded events`);
    const shop = await freshShop(actor);
    actors.push(await measureActorRate(shop, log, services, { actor, events: plan.events, capS: plan.actorCapS }));
  }
  say(`step 6/6: the Kafka Streams peer on ${plan.events} preloaded events, after ${plan.peerWarmupEvents} to warm up`);
  const peer = await measurePeerRate(await freshShop('peer'), await freshShop('peer-warm'), log, services, {
    events: plan.events,
    warmupEvents: plan.peerWarmupEvents,
    capS: plan.actorCapS,
  });
  const payment = actors.find((rate) => rate.actor === 'payment')!;
  const rounds = await measureRateRounds(freshShop, log, services, plan, { actor: payment, peer });
  // The broker's request counts show what each side's transactions cost it; without a JDK's jcmd they are left out.
  const requests = await brokerRequests(broker.pid).catch((error: unknown) => {
    say(`broker request counts left out: ${String(error)}`);
    return undefined;
  });
  const singleHop = await measureSingleHops(freshShop, log, services, plan, requests);

  const results: BenchResults = {
    startedAt,
    mode,
    machine,
    settings: {
      services: 'node dist/…/main.js',
      ...plan,
      curveFractions: plan.curveFractions.join(' '),
      load: 'steady (paced, open loop)',
      ...shopSettings(loadConfig({ ...process.env, ...services.env })),
      'LD_PRELOAD (actors)': actorPreloadSetting(),
      KAFKA_HEAP: process.env.KAFKA_HEAP ?? '512m',
      KAFKA_JVM_OPTS: brokerJvmOpts || 'none (full JIT)',
      PEER_HEAP: peerHeap,
    },
    httpCeiling,
    ...brokerCeilings,
    orders,
    pipeline,
    tracingCost,
    actors,
    peer,
    rounds,
    singleHop,
    cpu: coresByStep(),
    loadAverage: { atStart: loadAtStart, atEnd: Math.round(loadavg()[0]! * 10) / 10 },
    brokerGc: await broker.gc(),
  };
  if (services.profileDir) {
    await writeProfileWindows(services.profileDir);
    say(`CPU profiles: node --import tsx bench/profile-summary.ts ${services.profileDir}/*.cpuprofile`);
  }
  const markdown = renderMarkdown(results);
  process.stdout.write(markdown);
  say(
    `results written to ${await writeResults(flags.out ?? (flags.quick ? workDir : `${repoRoot}bench/results`), results, markdown)}`,
  );
}

main().then(
  async () => {
    await teardown();
    process.exit(0);
  },
  async (error: unknown) => {
    say(`failed: ${(error as Error).stack ?? String(error)}`);
    await teardown();
    process.exit(1);
  },
);
