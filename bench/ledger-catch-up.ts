// What an actor's output history costs its restart: preloads payment outcomes on new topics, then opens the payment
// actor's ledger (openActorLedger) and times it until current, as a restarted actor waits for it before its first
// batch. Usage: node --expose-gc --import tsx bench/ledger-catch-up.ts --help
import { randomUUID } from 'node:crypto';
import { openActorLedger } from '../src/actors/actor-ledger.js';
import { paymentActor } from '../src/actors/payment/handler.js';
import { parseOptions } from '../src/cli/options.js';
import { loadConfig } from '../src/config.js';
import { topic } from '../src/contracts/topics.js';
import { ensureTopics } from '../src/kafka/topics.js';
import { preloadEvents } from './preload.js';
import { startStepCli, stepCliOptions } from './step-cli.js';
import { teardown } from './teardown.js';

const usage = `Usage: node --expose-gc --import tsx bench/ledger-catch-up.ts [options]
Preloads N payment_completed events on new topics, then times the payment actor's ledger reading them back.
  --brokers LIST        a running broker (default: KAFKA_BROKERS); --broker starts a throwaway one
  --events N            outputs to preload (default 200000)
  --help                this text
Prints the time and CPU until the ledger is current, and what the heap grew by (after a full GC with --expose-gc).
On a given broker its topics (prefix ledger-) stay, as bench/rate.ts's do.`;

// What a restarted actor's first batch waits at most before it tries again (src/actors/batch-runner.ts) is 15 s;
// this waits longer, to time a history that takes longer.
const catchUpCapMs = 600_000;

const heapUsed = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};

async function cli(): Promise<void> {
  const { values } = parseOptions(
    'ledger-catch-up',
    {
      options: { ...stepCliOptions, events: { type: 'string', default: '200000' } },
    },
    usage,
  );
  const events = Number(values.events);
  if (values.help || !Number.isInteger(events) || events < 1) {
    process.stdout.write(`${usage}\n`);
    if (!values.help) process.stderr.write(`ledger-catch-up: --events must be a whole number above 0\n`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  try {
    const { log, env } = await startStepCli('ledger', { brokers: values.brokers, throwaway: values.broker });
    const config = loadConfig({ ...process.env, ...env, TOPIC_PREFIX: `ledger-${randomUUID().slice(0, 6)}.` });
    await ensureTopics(config, log);
    await preloadEvents(
      config,
      log,
      topic(config.topicPrefix, 'payment_completed'),
      'webshop.payment.completed',
      events,
    );
    const heapBefore = heapUsed();
    const [started, cpuBefore] = [performance.now(), process.cpuUsage()];
    const ledger = await openActorLedger(paymentActor, config, log);
    await ledger.current(catchUpCapMs);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const heapAfter = heapUsed();
    await ledger.close();
    const result = {
      outputs: events,
      seconds: Number(seconds.toFixed(2)),
      perS: Math.round(events / seconds),
      cpuS: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
      heapGrowthMB: Math.round((heapAfter - heapBefore) / 1e6),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await teardown();
  }
}

cli().catch((error: unknown) => {
  process.stderr.write(`ledger-catch-up: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
