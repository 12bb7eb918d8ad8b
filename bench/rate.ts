// Step 5 or step 6's rate alone, to try a lever in a minute: preloads events on new topics, then times one shop
// actor (or the Kafka Streams peer) through them. Usage: node --import tsx bench/rate.ts --help
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { parseOptions } from '../src/cli/options.js';
import { loadConfig, type Config } from '../src/config.js';
import { ensureTopics } from '../src/kafka/topics.js';
import { actorInputs, measureActorRate, type ActorName } from './actor-rate.js';
import { watchInEveryWindow } from './measured-windows.js';
import { measurePeerRate } from './peer.js';
import { buildDist } from './shop-services.js';
import { startStepCli, stepCliOptions } from './step-cli.js';
import { teardown } from './teardown.js';

const usage = `Usage: node --import tsx bench/rate.ts --actor NAME [options]
Step 5 (or step 6's rate) alone: preloads events on new topics, then times one shop actor (built to dist/) or the peer.
  --actor NAME          payment, shipping or notification; or peer, the Kafka Streams peer of payment (step 6)
  --brokers LIST        a running broker (default: KAFKA_BROKERS); --broker starts a throwaway one
  --broker-pid N        the broker's process, to report its CPU per 100k events too
  --events N            events to preload (default 200000)
  --cap N               seconds at most (default 45)
  --profile DIR         also write the actor's V8 CPU profile there (read it with bench/profile-summary.ts)
  --help                this text
Any other shop setting reaches the actor through the environment, e.g. ACTOR_BATCH_SIZE=1000.`;

async function cli(): Promise<void> {
  const { values } = parseOptions(
    'rate',
    {
      options: {
        ...stepCliOptions,
        actor: { type: 'string' },
        'broker-pid': { type: 'string' },
        events: { type: 'string', default: '200000' },
        cap: { type: 'string', default: '45' },
        profile: { type: 'string' },
      },
    },
    usage,
  );
  if (values.help || !values.actor || !(Object.hasOwn(actorInputs, values.actor) || values.actor === 'peer')) {
    process.stdout.write(`${usage}\n`);
    if (!values.help) {
      process.stderr.write(
        `rate: --actor must be payment, shipping, notification or peer, not ${values.actor ?? '(none)'}\n`,
      );
      process.exitCode = 2;
    }
    return;
  }
  try {
    const { log, workDir, env, brokerPid } = await startStepCli('rate', {
      brokers: values.brokers,
      throwaway: values.broker,
    });
    const broker = brokerPid ?? (values['broker-pid'] ? Number(values['broker-pid']) : undefined);
    if (broker !== undefined) watchInEveryWindow({ label: 'broker', pid: broker });
    if (values.profile) await mkdir(values.profile, { recursive: true });
    const run = randomUUID().slice(0, 6);
    const config = loadConfig({ ...process.env, ...env, TOPIC_PREFIX: `rate-${run}.` });
    const warmShop = async (shop: Config): Promise<Config> => {
      const warm = { ...shop, topicPrefix: `rate-${run}-warm.` };
      await ensureTopics(warm, log);
      return warm;
    };
    await ensureTopics(config, log);
    process.stderr.write('rate: building dist/ (npm run build)\n');
    await buildDist();
    const settings = {
      env: { ...env, KAFKA_BROKERS: config.kafkaBrokers },
      logDir: workDir,
      ...(values.profile ? { profileDir: values.profile } : {}),
    };
    process.stderr.write(`rate: logs in ${workDir}\n`);
    const [events, capS] = [Number(values.events), Number(values.cap)];
    const result =
      values.actor === 'peer'
        ? await measurePeerRate(config, await warmShop(config), log, settings, {
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

cli().catch((error: unknown) => {
  process.stderr.write(`rate: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
