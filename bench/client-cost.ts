// What the client library's two APIs cost this process per message, with no actor around them: the KafkaJS-style
// layer the shop uses (a Promise and a KafkaJS message object per message) against the node-rdkafka-style one
// underneath it, producing in transactions and reading read_committed, in turns. It sizes a lever before anyone
// builds it. Usage: node --import tsx bench/client-cost.ts --help
import { randomUUID } from 'node:crypto';
import kafka from '@confluentinc/kafka-javascript';
import { parseOptions } from '../src/cli/options.js';
import { loadConfig } from '../src/config.js';
import type { OutgoingMessage } from '../src/contracts/message.js';
import { topic as topicName } from '../src/contracts/topics.js';
import { createConsumer, createProducer } from '../src/kafka/client.js';
import { eventMessage } from '../src/kafka/event-message.js';
import { ensureTopics } from '../src/kafka/topics.js';
import { inputEvent } from './order-events.js';
import { median } from './samples.js';
import { startStepCli, stepCliOptions } from './step-cli.js';
import { teardown } from './teardown.js';

const usage = `Usage: node --import tsx bench/client-cost.ts [options]
CPU-s of this process per 100k messages: producing them in transactions of 2,000, and reading them back
(read_committed, batches of ACTOR_BATCH_SIZE), through the KafkaJS-style API and through the low-level one (which
also produces without delivery reports).
  --brokers LIST   a running broker (default: KAFKA_BROKERS); --broker starts a throwaway one
  --events N       messages per measurement (default 200000)
  --rounds N       rounds, each API in turn (default 3)`;

const perTransaction = 2000;
type Sample = { perS: number; cpuSPer100k: number };

async function timed(events: number, work: () => Promise<void>): Promise<Sample> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const { user, system } = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  return { perS: Math.round(events / seconds), cpuSPer100k: Math.round(((user + system) / 1e6 / events) * 1e7) / 100 };
}

/** Resolves a Node-style callback API as a Promise. */
const call = (run: (done: (error?: unknown) => void) => void): Promise<void> =>
  new Promise((resolve, reject) => run((error) => (error ? reject(error as Error) : resolve())));

async function cli(): Promise<void> {
  const { values } = parseOptions(
    'client-cost',
    {
      options: {
        ...stepCliOptions,
        events: { type: 'string', default: '200000' },
        rounds: { type: 'string', default: '3' },
      },
    },
    usage,
  );
  if (values.help) return void process.stdout.write(`${usage}\n`);
  const events = Number(values.events);
  const { log, env } = await startStepCli('client-cost', { brokers: values.brokers, throwaway: values.broker });
  const config = loadConfig({ ...process.env, ...env, TOPIC_PREFIX: `client-cost-${randomUUID().slice(0, 6)}.` });
  await ensureTopics(config, log);
  const topic = topicName(config.topicPrefix, 'order_created');
  const messages: OutgoingMessage[] = Array.from({ length: perTransaction }, (_, sequence) =>
    eventMessage(topic, inputEvent('webshop.order.created', 'client-cost', sequence)),
  );

  const kafkaJsProduce = async (): Promise<void> => {
    const producer = createProducer(config, log, 'client-cost', { transactionalId: `client-cost-${randomUUID()}` });
    await producer.connect();
    const sample = await timed(events, async () => {
      for (let sent = 0; sent < events; sent += perTransaction) {
        const transaction = await producer.transaction();
        // As produce() does: new message objects per send (the layer rewrites their headers in place).
        const batch = messages.map(({ key, value, headers }) => ({ key, value, headers: { ...headers } }));
        await transaction.sendBatch({ topicMessages: [{ topic, messages: batch }] });
        await transaction.commit();
      }
    });
    await producer.disconnect();
    results.kafkaJsProduce.push(sample);
  };
  // With a delivery report per message, counted before the commit (as the actors did until 2026-12-04), or with
  // none and a flush before the commit (as they do now: the commit fails if a message was not delivered).
  const lowLevelProduce = async (reports: boolean): Promise<void> => {
    const producer = new kafka.Producer({
      'metadata.broker.list': config.kafkaBrokers,
      'transactional.id': `client-cost-${randomUUID()}`,
      partitioner: 'murmur2_random',
      'linger.ms': config.producerLingerMs,
      'socket.nagle.disable': true,
      dr_cb: reports,
    });
    await call((done) => producer.connect({}, done));
    producer.setPollInterval(10);
    let delivered = 0;
    let waiting: { count: number; resolve: () => void } | undefined;
    producer.on('delivery-report', (error) => {
      if (error) throw error;
      delivered += 1;
      if (delivered === waiting?.count) waiting.resolve();
    });
    await call((done) => producer.initTransactions(10000, done));
    const sample = await timed(events, async () => {
      for (let sent = 0; sent < events; sent += perTransaction) {
        await call((done) => producer.beginTransaction(done));
        for (const { key, value, headers } of messages) {
          const list = Object.entries(headers ?? {}).map(([name, header]) => ({ [name]: header }));
          producer.produce(topic, null, value as Buffer, key, undefined, undefined, list);
        }
        if (!reports) await call((done) => producer.flush(10000, done));
        else {
          await new Promise<void>((resolve) =>
            delivered === sent + perTransaction ? resolve() : (waiting = { count: sent + perTransaction, resolve }),
          );
        }
        await call((done) => producer.commitTransaction(10000, done));
      }
    });
    await call((done) => producer.disconnect(done));
    results[reports ? 'lowLevelProduce' : 'lowLevelProduceNoReports'].push(sample);
  };
  const kafkaJsConsume = async (): Promise<void> => {
    const consumer = createConsumer(config, log, 'client-cost', { groupId: `client-cost-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic });
    // Timed from the first batch (as the low-level side) until every message was seen.
    let seen = 0;
    let firstBatch: () => void;
    let allSeen: () => void;
    const finished = new Promise<void>((resolve) => (allSeen = resolve));
    const measuring = new Promise<void>((resolve) => (firstBatch = resolve)).then(() => timed(events, () => finished));
    await consumer.run({
      partitionsConsumedConcurrently: config.actorConcurrency,
      eachBatch: async ({ batch }) => {
        firstBatch();
        for (const message of batch.messages) if (message.value && message.headers) seen += 1;
        if (seen >= events) allSeen();
      },
    });
    results.kafkaJsConsume.push(await measuring);
    await consumer.disconnect();
  };
  const lowLevelConsume = async (): Promise<void> => {
    const consumer = new kafka.KafkaConsumer(
      {
        'metadata.broker.list': config.kafkaBrokers,
        'group.id': `client-cost-${randomUUID()}`,
        'enable.auto.commit': false,
        'isolation.level': 'read_committed',
        'fetch.wait.max.ms': 100,
      },
      { 'auto.offset.reset': 'earliest' },
    );
    await call((done) => consumer.connect({}, done));
    consumer.subscribe([topic]);
    let seen = 0;
    const read = (): Promise<void> =>
      new Promise((resolve, reject) =>
        consumer.consume(config.actorBatchSize, (error, batch) => {
          if (error) return reject(error);
          for (const message of batch) if (message.value && message.headers) seen += 1;
          resolve();
        }),
      );
    while (seen === 0) await read();
    results.lowLevelConsume.push(
      await timed(events, async () => {
        while (seen < events) await read();
      }),
    );
    await call((done) => consumer.disconnect(done));
  };

  const results: Record<string, Sample[]> = {
    kafkaJsProduce: [],
    lowLevelProduce: [],
    lowLevelProduceNoReports: [],
    kafkaJsConsume: [],
    lowLevelConsume: [],
  };
  for (let round = 1; round <= Number(values.rounds); round += 1) {
    await kafkaJsProduce();
    await lowLevelProduce(true);
    await lowLevelProduce(false);
    await kafkaJsConsume();
    await lowLevelConsume();
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, samples]) => [
      name,
      {
        cpuSPer100k: samples.map((sample) => sample.cpuSPer100k),
        medianCpuSPer100k: median(samples.map((sample) => sample.cpuSPer100k)),
        perS: samples.map((sample) => sample.perS),
      },
    ]),
  );
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

cli().then(
  async () => {
    await teardown();
    process.exit(0);
  },
  async (error: unknown) => {
    process.stderr.write(`client-cost: ${(error as Error).stack ?? String(error)}\n`);
    await teardown();
    process.exit(1);
  },
);
