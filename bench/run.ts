// `make bench`: a throwaway broker, then each figure of issue 5 next to its ceiling, in one run; the table goes to
// stdout and bench/results/. Usage: node --import tsx bench/run.ts [--quick] [--profile] [--rate-slices N]
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import winston from 'winston';
import { configEnv, defaultConfig, loadConfig, type Config } from '../src/config.js';
import { ensureTopics } from '../src/kafka/topics.js';
import { measureActorRate, type ActorName, type ActorRate } from './actor-rate.js';
import type { BenchResults } from './bench-results.js';
import { measureBrokerCeilings } from './broker-ceiling.js';
import { startThrowawayBroker } from './broker.js';
import { describeMachine } from './machine.js';
import { coresByStep, profileWindows, watchInEveryWindow } from './measured-windows.js';
import { measureEndpoint } from './order-load.js';
import { measurePipeline } from './pipeline.js';
import { say } from './progress.js';
import { renderMarkdown, writeResults } from './report.js';
import { buildDist, startHttpCeiling, startShopService, type ServiceSettings } from './shop-services.js';
import { teardown, teardownOnSignals } from './teardown.js';
import { measureTracingCost } from './tracing-cost.js';

/** How long each step runs: the full run (about 5 minutes on 2 cores) and the CI smoke run (about 70 s). */
const plans = {
  full: {
    warmupS: 3,
    durationS: 30,
    singleS: 5,
    produceS: 10,
    transactionS: 5,
    transactionWarmupS: 30,
    events: 200_000,
    actorCapS: 45,
    drainCapS: 20,
    lagSampleEvery: 25,
  },
  quick: {
    warmupS: 1,
    durationS: 3,
    singleS: 2,
    produceS: 2,
    transactionS: 1,
    transactionWarmupS: 5,
    events: 5_000,
    actorCapS: 20,
    drainCapS: 15,
    lagSampleEvery: 5,
  },
};
const connections = 64;
// autocannon's connections send one request after another: at a fixed rate, enough of them to keep the rate
// when answers slow down under the pipeline's load.
const pipelineConnections = 256;
// Below the ephemeral port range (32768-60999 on Linux): a client socket cannot be holding it. BENCH_KAFKA_PORT moves
// the throwaway broker (its controller takes the next port), so two benches can run side by side.
const kafkaPort = Number(process.env.BENCH_KAFKA_PORT ?? 29092);
const kafkaControllerPort = kafkaPort + 1;
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'rate-slices': { type: 'string', default: '16' },
    // Default: bench/results/ for a full run; the run's own directory under .run/bench/ for a quick one.
    out: { type: 'string' },
  },
});
const mode = flags.quick ? 'quick' : 'full';
const plan = { ...plans[mode], connections, pipelineConnections };
const rateSlices = Number(flags['rate-slices']);

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

  say('step 1/5: HTTP ceiling (bare Koa, no Kafka)');
  const ceiling = await startHttpCeiling(services);
  const httpCeiling = await measureEndpoint('bare Koa', `http://127.0.0.1:${ceiling.port}`, plan, {
    label: ceiling.name,
    pid: ceiling.pid,
  });
  await ceiling.stop();

  say('step 2/5: broker ceilings (raw produce, raw transactions, raw consume)');
  const brokerCeilings = await measureBrokerCeilings(await freshShop('raw'), log, plan);

  say('step 3/5: POST /order at full speed, then from one connection');
  const orderShop = await freshShop('order');
  const orderService = await startShopService('order', orderShop.topicPrefix, 'order', services);
  const orders = await measureEndpoint('POST /order', `http://127.0.0.1:${orderService.port}`, plan, {
    label: orderService.name,
    pid: orderService.pid,
  });
  await orderService.stop();

  const rate = Math.max(1, Math.round(orders.full.acceptedPerS / 2));
  say(`step 4/5: the pipeline at ${rate} orders/s`);
  const pipelineOptions = {
    connections: pipelineConnections,
    durationS: plan.durationS,
    rate,
    rateSlices,
    drainCapS: plan.drainCapS,
    lagSampleEvery: plan.lagSampleEvery,
  };
  const pipeline = await measurePipeline(await freshShop('pipe'), log, services, pipelineOptions);
  // Issue 11: the same window with tracing off and with spans exported to an in-process sink (bench/tracing-cost.ts).
  const tracingCost = await measureTracingCost(freshShop, log, services, pipelineOptions);

  const actors: ActorRate[] = [];
  for (const actor of ['payment', 'shipping', 'notification'] as ActorName[]) {
    say(`step 5/5: the ${actor} actor on ${plan.events} preloaded events`);
    const shop = await freshShop(actor);
    actors.push(await measureActorRate(shop, log, services, { actor, events: plan.events, capS: plan.actorCapS }));
  }

  const results: BenchResults = {
    startedAt,
    mode,
    machine,
    settings: {
      services: 'node dist/…/main.js',
      ...plan,
      rateSlices,
      ...shopSettings(loadConfig({ ...process.env, ...services.env })),
      KAFKA_HEAP: process.env.KAFKA_HEAP ?? '512m',
    },
    httpCeiling,
    ...brokerCeilings,
    orders,
    pipeline,
    tracingCost,
    actors,
    cpu: coresByStep(),
    loadAverage: { atStart: loadAtStart, atEnd: Math.round(loadavg()[0]! * 10) / 10 },
  };
  if (services.profileDir) {
    await writeFile(`${services.profileDir}/windows.json`, JSON.stringify(profileWindows(), null, 2));
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
