// Step 4's load window alone, to try a lever on the whole pipeline in a few minutes: the five services on new
// topics (a partition count of choice), one paced window at a fixed rate, its latency, hops, CPU and transactions.
// Usage: node --import tsx bench/pipeline-window.ts --help
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseOptions } from '../src/cli/options.js';
import { loadConfig } from '../src/config.js';
import { topicDefinitions, type TopicDefinition } from '../src/contracts/topics.js';
import { ensureTopics } from '../src/kafka/topics.js';
import { watchInEveryWindow, writeProfileWindows } from './measured-windows.js';
import { startPipeline, type RunningPipeline, type WindowOptions, type WindowResult } from './pipeline.js';
import { buildDist } from './shop-services.js';
import { startStepCli, stepCliOptions, wholeAbove0 } from './step-cli.js';
import { teardown } from './teardown.js';

const usage = `Usage: node --import tsx bench/pipeline-window.ts --rate N [options]
Starts the five services (built to dist/) on new topics and runs one window of step 4's paced load per partition
count given, in turns, each on a new pipeline. Prints one JSON line per window on stdout.
  --rate N              orders per second
  --seconds N           the load's length (default 15)
  --warmup N            seconds of the same load before it, not measured, so that the services run compiled
                        code as in step 4's curve, which follows the capacity search (default 10; 0: none)
  --partitions LIST     partitions per topic, one window each in turn, e.g. 6,2,6,2 (default 6)
  --brokers LIST        a running broker (default: KAFKA_BROKERS); --broker starts a throwaway one
  --broker-pid N        the broker's process, to report its CPU per order too
  --profile DIR         also write each service's V8 CPU profile, one folder per window, e.g. DIR/window-1-p6/
                        (read them with bench/profile-summary.ts: it keeps the load window's samples)
  --help                this text
Any other shop setting reaches the services through the environment, e.g. ACTOR_COMMIT_INTERVAL_MS=20.`;

/** The shop's topics, each with `partitions` partitions (dead_letter_replays keeps its own). */
const withPartitions = (partitions: number): TopicDefinition[] =>
  topicDefinitions().map((definition) =>
    definition.name === 'dead_letter_replays' ? definition : { ...definition, partitions },
  );

/** A window of `warmupS` seconds at the same rate, unmeasured (none at 0), then the measured one; stops `shop`. */
async function warmThenMeasure(shop: RunningPipeline, window: WindowOptions, warmupS: number): Promise<WindowResult> {
  try {
    if (warmupS > 0) await shop.runWindow({ ...window, label: `${window.label}-warmup`, durationS: warmupS });
    return await shop.runWindow(window);
  } finally {
    await shop.stop();
  }
}

async function cli(): Promise<void> {
  const { values } = parseOptions(
    'pipeline-window',
    {
      options: {
        ...stepCliOptions,
        rate: { type: 'string' },
        seconds: { type: 'string', default: '15' },
        warmup: { type: 'string', default: '10' },
        partitions: { type: 'string', default: '6' },
        'broker-pid': { type: 'string' },
        profile: { type: 'string' },
      },
    },
    usage,
  );
  const [rate, seconds] = [wholeAbove0(values.rate), wholeAbove0(values.seconds)];
  const warmupS = values.warmup === '0' ? 0 : wholeAbove0(values.warmup);
  const counts = values.partitions.split(',').map(wholeAbove0);
  const problem =
    rate === undefined
      ? '--rate must be a whole number above 0'
      : seconds === undefined
        ? '--seconds must be a whole number above 0'
        : warmupS === undefined
          ? '--warmup must be a whole number of seconds'
          : counts.includes(undefined)
            ? '--partitions must be whole numbers above 0, comma-separated'
            : undefined;
  if (values.help || problem !== undefined) {
    process.stdout.write(`${usage}\n`);
    if (!values.help) process.stderr.write(`pipeline-window: ${problem}\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  try {
    const { log, workDir, env, brokerPid } = await startStepCli('window', {
      brokers: values.brokers,
      throwaway: values.broker,
    });
    const broker = brokerPid ?? wholeAbove0(values['broker-pid']);
    if (broker !== undefined) watchInEveryWindow({ label: 'broker', pid: broker });
    process.stderr.write(`pipeline-window: building dist/ (npm run build); logs in ${workDir}\n`);
    await buildDist();
    for (const [index, partitions] of (counts as number[]).entries()) {
      const config = loadConfig({ ...process.env, ...env, TOPIC_PREFIX: `window-${randomUUID().slice(0, 6)}.` });
      await ensureTopics(config, log, withPartitions(partitions));
      const label = `window-${index + 1}-p${partitions}`;
      const profileDir = values.profile ? join(values.profile, label) : undefined;
      if (profileDir) await mkdir(profileDir, { recursive: true });
      const shop = await startPipeline(config, log, {
        env: { ...env, KAFKA_BROKERS: config.kafkaBrokers },
        logDir: workDir,
        ...(profileDir ? { profileDir } : {}),
      });
      const result = await warmThenMeasure(shop, { label, rate: rate!, durationS: seconds!, drainCapS: 30 }, warmupS!);
      // The services of this window are labelled as the last window's were: the latest window is theirs.
      if (profileDir) await writeProfileWindows(profileDir);
      const { endToEndMs, orderMs, paymentMs, fulfilmentMs, visibleMs, cpuMsPerOrder, transactions } = result;
      const summary = { label, partitions, rate, accepted: result.load.accepted, unfinished: result.unfinished };
      const hops = { endToEndMs, orderMs, paymentMs, fulfilmentMs, visibleMs };
      const committed = { perS: transactions.perS, eventsPerTransaction: transactions.eventsPerTransaction };
      process.stdout.write(`${JSON.stringify({ ...summary, ...hops, cpuMsPerOrder, transactions: committed })}\n`);
    }
  } finally {
    await teardown();
  }
}

cli().catch((error: unknown) => {
  process.stderr.write(`pipeline-window: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
