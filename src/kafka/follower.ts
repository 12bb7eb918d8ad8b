// Following whole topics from their beginning (every partition, no group, no commits), with a precise
// "caught up" signal: the partition EOF of a read_committed consumer sits past transaction markers.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkaJavascript, { type Message } from '@confluentinc/kafka-javascript';
import type { Config } from '../config.js';
import { WebshopError } from '../errors.js';
import type { Logger } from '../logger.js';
import { withTimeout } from '../timeout.js';
import { createAdmin, metadataRefreshMs, type KafkaMessage } from './client.js';
import { readableEnds } from './offsets.js';
import { listedTopics } from './topics.js';

// The CommonJS module's named exports are not all visible to ESM; the default export has them all.
const { KafkaConsumer } = kafkaJavascript;
const offsetBeginning = -2;
const closeWaitMs = 3000;
const consumeTimeoutMs = 50;
const consumeBatch = 500;

export interface TopicFollower {
  /** Resolves once every message committed before the call has been passed to `onMessage`. */
  catchUp(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface FollowOptions {
  topics: string[];
  onMessage(topic: string, partition: number, message: KafkaMessage): void;
}

// The client gives each message its own Buffers: they are used as they are, copied only from a string.
const asBuffer = (value: Buffer | string): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value));

function kafkaMessage(message: Message): KafkaMessage {
  const headers: Record<string, Buffer> = {};
  for (const header of message.headers ?? []) {
    for (const name in header) headers[name] ??= asBuffer(header[name]);
  }
  return {
    key: message.key === undefined || message.key === null ? null : asBuffer(message.key),
    value: message.value,
    offset: String(message.offset),
    timestamp: String(message.timestamp ?? 0),
    headers,
    attributes: 0,
  };
}

/**
 * Reads every partition of `topics` from the beginning and keeps following them until `close()`.
 * @example const follower = await followTopics(config, log, { topics, onMessage }); await follower.catchUp(10000);
 */
export async function followTopics(config: Config, log: Logger, options: FollowOptions): Promise<TopicFollower> {
  const admin = createAdmin(config, log, 'follower-admin');
  await admin.connect();
  const reached = new Map<string, number>();
  let assigned = 0;
  const advance = (topic: string, partition: number, offset: number): void => {
    const key = `${topic}/${partition}`;
    if (offset >= (reached.get(key) ?? 0)) reached.set(key, offset);
  };
  const consumer = new KafkaConsumer({
    'metadata.broker.list': config.kafkaBrokers,
    'client.id': 'follower',
    'group.id': `follower-${randomUUID()}`,
    'enable.auto.commit': false,
    'enable.partition.eof': true,
    'isolation.level': 'read_committed',
    // The broker answers a fetch as soon as data arrives; a longer wait only saves idle polling.
    'fetch.wait.max.ms': 100,
    // After a broker restart a partition's leader can stay unknown until the next full refresh (see client.ts):
    // the follower would then never reach that partition's end (a cluster test's checker waited 100 s for it).
    'topic.metadata.refresh.interval.ms': metadataRefreshMs,
  });
  consumer.on('data', (message: Message) => {
    options.onMessage(message.topic, message.partition, kafkaMessage(message));
    advance(message.topic, message.partition, message.offset + 1);
  });
  consumer.on('partition.eof', ({ topic, partition, offset }) => advance(topic, partition, offset));
  // One bounded consume call at a time, never the client's background consume loop: a message that loop
  // fetched but had not handed over yet when disconnect() began keeps librdkafka's destroy waiting forever,
  // and with it the process's exit. Between calls nothing is held, so close() can stop cleanly.
  let closing = false;
  const consumeOnce = (): Promise<void> =>
    new Promise((resolve) => {
      consumer.consume(consumeBatch, (error) => {
        if (!error) return resolve();
        log.warn('follower consume failed', { error: error.message });
        setTimeout(resolve, consumeTimeoutMs);
      });
    });
  let pump: Promise<void> = Promise.resolve();
  consumer.on('event.error', (error) => log.warn('follower consumer error', { error: error.message }));
  try {
    const metadata = await listedTopics(admin, options.topics);
    await new Promise<void>((resolve, reject) => consumer.connect({}, (error) => (error ? reject(error) : resolve())));
    const assignment = metadata.flatMap(({ name, partitions }) =>
      partitions.map(({ partitionId }) => ({ topic: name, partition: partitionId, offset: offsetBeginning })),
    );
    assigned = assignment.length;
    consumer.assign(assignment);
    // Each call returns after at most 50 ms, so close() never waits long for the one in flight.
    consumer.setDefaultConsumeTimeout(consumeTimeoutMs);
    pump = (async () => {
      while (!closing) await consumeOnce();
    })();
  } catch (error) {
    await admin.disconnect();
    throw error;
  }

  return {
    async catchUp(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      const targets: [string, number][] = [];
      for (const topic of options.topics) {
        const ends = await readableEnds(admin, topic);
        for (const { partition, high } of ends) targets.push([`${topic}/${partition}`, Number(high)]);
      }
      // Every partition must have answered once, even an empty one: a consumer closed before its first
      // fetch completes can hang in disconnect.
      const behind = ([key, end]: [string, number]): boolean => (reached.get(key) ?? -1) < end;
      while (targets.some(behind)) {
        if (Date.now() > deadline) {
          // Named only now: the loop checks every 10 ms.
          const where = targets.filter(behind).map(([key, end]) => `${key} at ${reached.get(key) ?? 'none'} of ${end}`);
          throw new WebshopError('KAFKA_UNAVAILABLE', `did not catch up with ${where.join(', ')}`, { retriable: true });
        }
        await sleep(10);
      }
    },
    async close() {
      // A consumer closed before every partition has answered once can hang in disconnect: wait a little
      // for that, and never longer than a bound for the disconnect itself.
      const deadline = Date.now() + closeWaitMs;
      while (reached.size < assigned && Date.now() < deadline) await sleep(10);
      closing = true;
      await pump;
      const disconnected = await withTimeout(
        new Promise<boolean>((resolve) => consumer.disconnect(() => resolve(true))),
        closeWaitMs,
        () => false,
      );
      if (!disconnected) log.warn('follower disconnect is taking long, not waiting for it', { topics: options.topics });
      await admin.disconnect();
    },
  };
}

/** A message as read from a topic: where it is, and the message itself. */
export interface StoredMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Every message of `topics` committed before the call, in offset order within a partition; done when every
 * partition reaches its end, not after a quiet time.
 * @example const letters = await readToEnd(config, log, [topic(config.topicPrefix, 'dead_letter')]);
 */
export async function readToEnd(
  config: Config,
  log: Logger,
  topics: string[],
  timeoutMs = 60000,
): Promise<StoredMessage[]> {
  const messages: StoredMessage[] = [];
  const follower = await followTopics(config, log, {
    topics,
    onMessage: (topic, partition, message) => messages.push({ topic, partition, message }),
  });
  try {
    await follower.catchUp(timeoutMs);
    return [...messages];
  } finally {
    await follower.close();
  }
}
