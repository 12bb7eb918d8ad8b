// Step 2, the broker ceilings, measured with the shop's own client and settings: how fast order-sized events
// can be produced one per awaited send (as POST /order does), committed in transactions, and consumed in batches.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../src/config.js';
import { topic } from '../src/contracts/topics.js';
import { createConsumer, createProducer } from '../src/kafka/client.js';
import { eventMessage } from '../src/kafka/event-message.js';
import { produce } from '../src/kafka/produce.js';
import type { Logger } from '../src/logger.js';
import { openWindow } from './measured-windows.js';
import { inputEvent } from './order-events.js';
import { preloadEvents } from './preload.js';
import { showProgress } from './progress.js';
import { Samples, type Percentiles } from './samples.js';
import { measureTransactionCeiling, type TransactionCeiling } from './transaction-ceiling.js';

export interface ProduceCeiling {
  /** Awaited single-message sends in flight at once (like that many HTTP connections). */
  concurrency: number;
  messages: number;
  messageBytes: number;
  perS: number;
  /** From send to the broker's acknowledgement. */
  ackLatencyMs: Percentiles;
}

export interface ConsumeCeiling {
  messages: number;
  /** From the first assignment to the last message. */
  seconds: number;
  perS: number;
  caughtUp: boolean;
}

/** `concurrency` loops, each sending one `order.created` and awaiting its acknowledgement, for `durationS`. */
export async function measureProduceCeiling(
  config: Config,
  log: Logger,
  topic: string,
  { concurrency, durationS, warmupS }: { concurrency: number; durationS: number; warmupS: number },
): Promise<ProduceCeiling> {
  // The order service's producer: same factory, same delivery bound.
  const producer = createProducer(config, log, 'bench-produce-ceiling', {
    deliveryTimeoutMs: config.orderAckTimeoutMs,
  });
  await producer.connect();
  let sequence = 0;
  const messageBytes = eventMessage(topic, inputEvent('webshop.order.created', 'raw', 0)).value!.length;
  const sendFor = async (seconds: number, latencies: Samples): Promise<number> => {
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const sender = async (): Promise<void> => {
      while (performance.now() < deadline) {
        const message = eventMessage(topic, inputEvent('webshop.order.created', 'raw', sequence++));
        const sent = performance.now();
        await produce(producer, [message]);
        latencies.add(performance.now() - sent);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, sender));
    return (performance.now() - started) / 1000;
  };
  const latencies = new Samples();
  const stopProgress = showProgress('raw produce', () => `${latencies.count} acknowledged`);
  try {
    // The first sends of a fresh broker wait for the producer id (coordinator loading): not timed.
    await sendFor(warmupS, new Samples());
    const seconds = await sendFor(durationS, latencies);
    return {
      concurrency,
      messages: latencies.count,
      messageBytes,
      perS: Math.round(latencies.count / seconds),
      ackLatencyMs: latencies.percentiles(),
    };
  } finally {
    stopProgress();
    await producer.disconnect();
  }
}

/**
 * Reads `expected` messages of `topic` with the actors' consumer settings (batch size, partitions at once)
 * and no processing or commits; gives up after `capS`.
 */
export async function measureConsumeCeiling(
  config: Config,
  log: Logger,
  topic: string,
  { expected, capS }: { expected: number; capS: number },
): Promise<ConsumeCeiling> {
  const consumer = createConsumer(config, log, 'bench-consume-ceiling', {
    groupId: `${config.topicPrefix}bench-raw-consume`,
  });
  let messages = 0;
  let finishedAt = 0;
  await consumer.connect();
  const stopProgress = showProgress('raw consume', () => `${messages} / ${expected} messages`);
  try {
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({
      partitionsConsumedConcurrently: config.actorConcurrency,
      eachBatch: async ({ batch }) => {
        messages += batch.messages.length;
        if (messages >= expected && finishedAt === 0) finishedAt = performance.now();
      },
    });
    const joinDeadline = performance.now() + 30000;
    while (consumer.assignment().length === 0 && performance.now() < joinDeadline) await sleep(10);
    const started = performance.now();
    const deadline = started + capS * 1000;
    while (finishedAt === 0 && performance.now() < deadline) await sleep(10);
    const seconds = ((finishedAt || performance.now()) - started) / 1000;
    return {
      messages,
      seconds: Math.round(seconds * 100) / 100,
      perS: Math.round(messages / seconds),
      caughtUp: finishedAt > 0,
    };
  } finally {
    stopProgress();
    await consumer.disconnect();
  }
}

export interface BrokerCeilings {
  produceCeiling: ProduceCeiling;
  transactionCeiling: TransactionCeiling;
  consumeCeiling: ConsumeCeiling;
}

// A fresh broker's JVM is cold: the timed produce starts after this many seconds of sending.
const brokerWarmupS = 3;

/** The three ceilings on the topics of `config.topicPrefix` (created beforehand). */
export async function measureBrokerCeilings(
  config: Config,
  log: Logger,
  plan: {
    connections: number;
    produceS: number;
    transactionS: number;
    transactionWarmupS: number;
    events: number;
    actorCapS: number;
  },
): Promise<BrokerCeilings> {
  const named = (name: Parameters<typeof topic>[1]): string => topic(config.topicPrefix, name);
  // The same events, count and preload as step 5 gives each actor; first, as it also warms the broker's JVM up.
  await preloadEvents(config, log, named('payment_completed'), 'webshop.payment.completed', plan.events);
  let endWindow = openWindow('raw-consume', []);
  const consumeCeiling = await measureConsumeCeiling(config, log, named('payment_completed'), {
    expected: plan.events,
    capS: plan.actorCapS,
  });
  endWindow();
  endWindow = openWindow('raw-produce', []);
  const produceCeiling = await measureProduceCeiling(config, log, named('order_created'), {
    concurrency: plan.connections,
    durationS: plan.produceS,
    warmupS: brokerWarmupS,
  });
  endWindow();
  endWindow = openWindow('raw-transactions', []);
  const transactionCeiling = await measureTransactionCeiling(config, log, {
    inputTopic: named('order_shipped'),
    outputTopic: named('notification_sent'),
    durationS: plan.transactionS,
    // A fresh broker JVM commits ~30 tx/s, and ~150 after 30 s of transactions: warm it for steps 4 and 5 too.
    warmupS: plan.transactionWarmupS,
  });
  endWindow();
  return { produceCeiling, transactionCeiling, consumeCeiling };
}
