// What the payment actor's handling costs per event, with no broker: processBatch (decode and validate the
// CloudEvent, the ledger check, the handler, the output event encoded) over 100,000 order_created messages, built
// to dist/ like the services run. A lever on that path shows here in a minute, where bench/rate.ts's spread (about
// ±10% between runs) hides anything smaller. Usage: node --import tsx bench/batch-cost.ts [--runs N]
import { randomUUID } from 'node:crypto';
import type * as Batch from '../src/actors/batch.js';
import type * as Payment from '../src/actors/payment/handler.js';
import type * as RetryPolicy from '../src/actors/retry-policy.js';
import { parseOptions } from '../src/cli/options.js';
import type * as ConfigModule from '../src/config.js';
import type * as Envelope from '../src/contracts/envelope.js';
import type * as EventMessage from '../src/kafka/event-message.js';
import type { KafkaMessage } from '../src/kafka/client.js';
import type * as LoggerModule from '../src/logger.js';
import { buildDist } from './shop-services.js';

const events = 100_000;
const batchSize = 500;

/** A module of dist/, typed as its source. */
async function fromDist<T>(path: string): Promise<T> {
  return (await import(new URL(`../dist/${path}`, import.meta.url).href)) as T;
}

async function main(): Promise<void> {
  const { values } = parseOptions('batch-cost', { options: { runs: { type: 'string', default: '21' } } });
  const runs = Number(values.runs);
  await buildDist();
  const { loadConfig } = await fromDist<typeof ConfigModule>('config.js');
  const { createLogger } = await fromDist<typeof LoggerModule>('logger.js');
  const { createEvent } = await fromDist<typeof Envelope>('contracts/envelope.js');
  const { eventMessage } = await fromDist<typeof EventMessage>('kafka/event-message.js');
  const { processBatch } = await fromDist<typeof Batch>('actors/batch.js');
  const { createRetryPolicy } = await fromDist<typeof RetryPolicy>('actors/retry-policy.js');
  const { paymentActor } = await fromDist<typeof Payment>('actors/payment/handler.js');

  // As the bench runs the services: LOG_LEVEL=warn, tracing off.
  const config = loadConfig({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  const log = createLogger(config, 'payment');
  const messages = Array.from({ length: events }, (_, offset): KafkaMessage => {
    const orderId = randomUUID();
    const origin = { source: 'webshop/order', correlationId: randomUUID() };
    const { value, headers } = eventMessage(
      'order_created',
      createEvent('webshop.order.created', { orderId, amount: 100 + (offset % 400) }, origin),
    );
    const consumed = Object.fromEntries(Object.entries(headers).map(([name, text]) => [name, Buffer.from(text)]));
    return {
      key: Buffer.from(orderId),
      value,
      offset: String(offset),
      timestamp: '0',
      headers: consumed,
    } as KafkaMessage;
  });
  const deps: Batch.BatchDeps<'webshop.order.created'> = {
    definition: paymentActor,
    config,
    log,
    context: { config, log, newId: randomUUID, now: () => new Date(), random: Math.random },
    deadLetterTopic: 'dead_letter',
    groupId: 'payment',
    ledger: { has: () => false, latest: () => undefined, hold: () => ({ settle: () => undefined }) },
    placement: { partition: (_topic, partition) => partition },
    metrics: { processed: () => undefined, deadLettered: () => undefined, eventAge: () => undefined },
    retries: createRetryPolicy(config),
    isStopping: () => false,
    transact: () => Promise.resolve(),
  };
  const microsPerEvent = (): number => {
    const start = performance.now();
    for (let first = 0; first < events; first += batchSize) {
      const batch = { topic: 'order_created', partition: 0, messages: messages.slice(first, first + batchSize) };
      processBatch(deps, { batch, resolveOffset: () => undefined, isRunning: () => true, isStale: () => false });
    }
    return ((performance.now() - start) * 1000) / events;
  };
  for (let warm = 0; warm < 3; warm += 1) microsPerEvent();
  const times = Array.from({ length: runs }, microsPerEvent).sort((a, b) => a - b);
  const at = (share: number): string => times[Math.floor(share * (times.length - 1))]!.toFixed(2);
  process.stdout.write(
    `processBatch, payment actor: ${at(0.5)} µs per event (median of ${runs} runs of ${events.toLocaleString('en')}; min ${at(0)}, max ${at(1)})\n`,
  );
}

await main();
