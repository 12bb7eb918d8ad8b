// Single-hop latency at a low steady rate, from the command line: the payment actor, another shop actor or the Kafka
// Streams peer started on new topics (or whatever already processes the topics given), timed by single-hop-probe.ts,
// with the broker's CPU and requests over the run when its process is given.
import { randomUUID } from 'node:crypto';
import { parseOptions } from '../src/cli/options.js';
import { loadConfig, type Config } from '../src/config.js';
import { topic } from '../src/contracts/topics.js';
import { ensureTopics } from '../src/kafka/topics.js';
import type { Logger } from '../src/logger.js';
import { actorInputs } from './actor-rate.js';
import type { BenchProcess } from './bench-process.js';
import { watchBroker } from './broker-work.js';
import { cpuSeconds } from './measured-windows.js';
import { startWarmPeer } from './peer.js';
import { plans } from './plans.js';
import { buildDist, startShopService, type ShopService } from './shop-services.js';
import { measureSingleHop } from './single-hop-probe.js';
import { startStepCli, stepCliOptions, wholeAbove0 } from './step-cli.js';
import { teardown } from './teardown.js';

const usage = `Usage: node --import tsx bench/single-hop.ts [options]
Writes order_created events at a steady rate and prints the single-hop latency (input written -> output read by a
read_committed reader), matched by orderId, as JSON on stdout.
  --brokers HOST:PORT   the broker (default: KAFKA_BROKERS); with --broker, a throwaway one on BENCH_KAFKA_PORT
  --broker              start a throwaway broker (deploy/kafka/kafka.sh) for this run and stop it at the end
  --prefix PREFIX       topic prefix (default: TOPIC_PREFIX; with --actor, a new one)
  --input NAME          input topic, without prefix (default order_created)
  --outputs A,B         output topics, without prefix (default payment_completed,payment_failed)
  --actor NAME          build dist/ and start this shop actor (payment, shipping or notification) on new topics for
                        the run; peer: the Kafka Streams peer of payment (bench/peer/), its JVM warmed up first;
                        its CPU seconds over the run are printed too (processorCpuS)
  --broker-pid N        the broker's process (known with --broker): also print its CPU seconds, the requests it
                        answered, and its CPU ms per transaction ended, over the run
  --rate N              events per second (default 200)
  --seconds N           counted seconds (default 30), after --warmup N seconds (default 3)
  --help                this text
Any other shop setting reaches a started actor through the environment, e.g. ACTOR_BATCH_SIZE=100; the peer's
Streams settings through PEER_CONFIG, e.g. PEER_CONFIG=commit.interval.ms=10.`;

const processors = [...Object.keys(actorInputs), 'peer'];

/** Starts `processor` on `config`'s topics (created here), the peer after its JVM's warm-up on topics of its own. */
async function startProcessor(
  processor: string,
  config: Config,
  log: Logger,
  settings: { env: Record<string, string>; logDir: string },
): Promise<BenchProcess> {
  await ensureTopics(config, log);
  if (processor === 'peer') {
    const warmConfig = { ...config, topicPrefix: `${config.topicPrefix}warm.` };
    await ensureTopics(warmConfig, log);
    const events = plans.full.peerWarmupEvents;
    process.stderr.write(`single-hop: the Kafka Streams peer, warmed up on ${events} events first\n`);
    return startWarmPeer(config, warmConfig, log, settings, { events, label: 'hop-peer' });
  }
  process.stderr.write('single-hop: building dist/ (npm run build)\n');
  await buildDist();
  return startShopService(processor as ShopService, config.topicPrefix, `hop-${processor}`, settings);
}

async function cli(): Promise<void> {
  const { values } = parseOptions(
    'single-hop',
    {
      options: {
        ...stepCliOptions,
        prefix: { type: 'string' },
        input: { type: 'string', default: 'order_created' },
        outputs: { type: 'string', default: 'payment_completed,payment_failed' },
        actor: { type: 'string' },
        'broker-pid': { type: 'string' },
        rate: { type: 'string', default: '200' },
        seconds: { type: 'string', default: '30' },
        warmup: { type: 'string', default: '3' },
      },
    },
    usage,
  );
  const [ratePerS, seconds] = [wholeAbove0(values.rate), wholeAbove0(values.seconds)];
  const warmupS = values.warmup === '0' ? 0 : wholeAbove0(values.warmup);
  const givenPid = wholeAbove0(values['broker-pid']);
  const problem =
    values.actor !== undefined && !processors.includes(values.actor)
      ? `--actor must be ${processors.join(', ')}, not ${values.actor}`
      : ratePerS === undefined
        ? '--rate must be a whole number above 0'
        : seconds === undefined
          ? '--seconds must be a whole number above 0'
          : warmupS === undefined
            ? '--warmup must be a whole number of seconds'
            : values['broker-pid'] !== undefined && givenPid === undefined
              ? '--broker-pid must be a process id'
              : undefined;
  if (values.help || problem !== undefined) {
    process.stdout.write(`${usage}\n`);
    if (!values.help) process.stderr.write(`single-hop: ${problem}\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  try {
    const { log, workDir, env, brokerPid } = await startStepCli('single-hop', {
      brokers: values.brokers,
      throwaway: values.broker,
    });
    const prefix = values.actor ? `hop-${randomUUID().slice(0, 6)}.` : values.prefix;
    const config = loadConfig({ ...process.env, ...env, ...(prefix === undefined ? {} : { TOPIC_PREFIX: prefix }) });
    const settings = { env: { ...env, KAFKA_BROKERS: config.kafkaBrokers }, logDir: workDir };
    const started = values.actor ? await startProcessor(values.actor, config, log, settings) : undefined;
    const pid = brokerPid ?? givenPid;
    const broker = pid === undefined ? undefined : await watchBroker(pid);
    const processorCpuBefore = started ? cpuSeconds(started.pid) : 0;
    const names = (list: string): string[] => list.split(',').map((name) => topic(config.topicPrefix, name as never));
    process.stderr.write(`single-hop: ${ratePerS} events/s for ${seconds} s; logs in ${workDir}\n`);
    const result = await measureSingleHop(config, log, {
      inputTopic: names(values.input)[0]!,
      outputTopics: names(values.outputs),
      ratePerS: ratePerS!,
      seconds: seconds!,
      warmupS: warmupS!,
    });
    const processorCpuS = started ? Math.round((cpuSeconds(started.pid) - processorCpuBefore) * 100) / 100 : undefined;
    const brokerWork = await broker?.();
    const printed = { ...result, ...(started && { processorCpuS }), ...(brokerWork && { broker: brokerWork }) };
    process.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
  } finally {
    await teardown();
  }
}

cli().catch((error: unknown) => {
  process.stderr.write(`single-hop: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
